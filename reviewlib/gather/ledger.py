"""The ledger's shape: one entry per row read (or per file that could not be read at all).

Every entry has a file, the row a spreadsheet shows (none for a whole file), the statement id, a
status (accepted, accepted_with_warning, rejected; not_counted when the review is loaded at a
milestone the row's contribution arrived after; skipped for a file of the contributions folder
that is no contribution — a lock or temporary file, a README, a document's sidecar — and for a
paragraph of a document that is no statement, with the reason; suggested for a document's
statement until an officer confirms it), the columns at fault and one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

LEDGER_COLUMNS = ("file", "row", "statement_id", "status", "column", "message")
SKIPPED = "skipped"
SUGGESTED = "suggested"
STATUSES = ("accepted", "accepted_with_warning", "rejected", "not_counted", SKIPPED, SUGGESTED)


def ledger_frame(entries: Iterable[Mapping[str, object]] = ()) -> pd.DataFrame:
    """Entries (mappings of the ledger's columns) as a ledger table; no entries, no rows."""
    return pd.DataFrame(list(entries), columns=list(LEDGER_COLUMNS))


def file_entry(path: Path | str, status: str, message: str) -> dict[str, object]:
    """The entry of a whole file (no row): one that cannot be read, or a note about its columns."""
    return {
        "file": Path(path).name,
        "row": pd.NA,
        "statement_id": "",
        "status": status,
        "column": "",
        "message": message,
    }


def warnings(
    file: str, problems: Iterable[tuple[int, str, str]], column: str = "statement_id"
) -> pd.DataFrame:
    """Ledger rows (accepted with a warning) for (row, statement id, sentence) problems of a
    decisions file: what could not be applied is said, and stays in the file."""
    return ledger_frame(
        {
            "file": file,
            "row": n,
            "statement_id": s,
            "status": "accepted_with_warning",
            "column": column,
            "message": m,
        }
        for n, s, m in problems
    )


def problem_lines(ledger: pd.DataFrame) -> list[str]:
    """One line per problem and file; the same problem on many rows is said once, with the rows."""
    # Rows not counted at a milestone are summed up in one line (_milestone_line), not listed.
    # So are a document's paragraphs, suggested or skipped (the command line's _documents_line).
    paragraph = ledger["status"].isin([SKIPPED, SUGGESTED]) & ledger["row"].notna()
    problems = ledger[~ledger["status"].isin(["accepted", "not_counted"]) & ~paragraph]
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for entry in problems.itertuples():
        has_row = pd.notna(entry.row)
        message = re.sub(r"(^|; )row \d+(, |: )", r"\1", entry.message) if has_row else entry.message
        rows = grouped.setdefault((entry.file, entry.status, message), [])
        if has_row:
            rows.append(int(entry.row))
    lines = []
    for (file, status, message), rows in grouped.items():
        where = (
            "" if not rows else f" row {rows[0]}" if len(rows) == 1 else f" rows {_ranges(rows)}"
        )
        lines.append(f"  {status.upper().replace('_', ' ')}: {file}{where}: {message}")
    return lines


def _ranges(rows: list[int]) -> str:
    rows = sorted(set(rows))
    spans, start = [], rows[0]
    for a, b in zip(rows, rows[1:] + [None], strict=True):
        if b != a + 1:
            spans.append(f"{start}" if start == a else f"{start}–{a}")
            start = b
    return ", ".join(spans)
