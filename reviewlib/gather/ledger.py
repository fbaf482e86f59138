"""The ledger's shape: one entry per row read (or per file that could not be read at all).

Every entry has a file, the row a spreadsheet shows (none for a whole file), the statement id, a
status (accepted, accepted_with_warning, rejected; not_counted when the review is loaded at a
milestone the row's contribution arrived after; for a document's paragraphs, suggested until an
officer confirms the statement, or skipped with the reason), the columns at fault and one sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

LEDGER_COLUMNS = ("file", "row", "statement_id", "status", "column", "message")
STATUSES = ("accepted", "accepted_with_warning", "rejected", "not_counted", "suggested", "skipped")


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
