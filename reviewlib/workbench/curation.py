"""Save the secretariat's English renderings and its curation of the pool of ideas.

English text goes to inputs/decisions/translations.csv, idea decisions (rename, move, split) to
inputs/decisions/ideas.csv: one row per decision, appended with the reviewer's name and the time,
so the file is also the history; when the review loads, the last row about a statement wins
(`reviewlib.gather.english`, `reviewlib.gather.idea_decisions`). Every save takes the file's lock,
reads it again inside it and replaces it atomically, as triage does: officers saving at the same
moment keep both rows. Contribution files are never touched.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.files import locked, write_data_csv
from reviewlib.gather.decisions import read_table
from reviewlib.gather.delimited import decode, sniff_delimiter
from reviewlib.gather.english import TRANSLATION_COLUMNS
from reviewlib.gather.idea_decisions import IDEA_DECISION_COLUMNS
from reviewlib.terms import IDEA_ACTIONS

__all__ = ["save_translation", "import_translations", "save_idea_decision"]


def _stamp(at: dt.datetime | str | None) -> str:
    at = dt.datetime.now(dt.UTC) if at is None else at
    return at.isoformat(timespec="seconds") if isinstance(at, dt.datetime) else str(at)


def _who(reviewer: str) -> str:
    reviewer = str(reviewer or "").strip()
    if not reviewer:
        raise ValueError("type your name as reviewer first: every decision records who made it")
    return reviewer


def _known(ids: Iterable[str], known_ids: Iterable[str] | None) -> None:
    if known_ids is None:
        return
    known = set(known_ids)
    for sid in ids:
        if sid not in known:
            raise ValueError(f"there is no statement '{sid}' in this review")


def _append(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with locked(path):
        table = read_table(path, columns)
        write_data_csv(
            pd.concat([table, pd.DataFrame(rows, columns=columns)], ignore_index=True), path
        )


def save_translation(
    inputs: Path | str,
    statement_id: str,
    text_en: str,
    *,
    reviewer: str,
    source: str = "secretariat",
    note: str = "",
    at: dt.datetime | str | None = None,
    known_ids: Iterable[str] | None = None,
) -> dict[str, str]:
    """Save an English rendering of one statement ("" takes a wrong one back) and return the row.
    ``source`` is ``secretariat`` (written or checked by an officer) or ``machine``."""
    statement_id = str(statement_id).strip()
    if not statement_id:
        raise ValueError("an English text needs the id of the statement it renders")
    if source not in ("secretariat", "machine"):
        raise ValueError(f"'{source}' is not a source of English text; use secretariat or machine")
    _known([statement_id], known_ids)
    row = {
        "statement_id": statement_id,
        "text_en": " ".join(str(text_en or "").split()),
        "source": source,
        "note": str(note or "").strip(),
        "reviewer": _who(reviewer),
        "at": _stamp(at),
    }
    _append(paths.translations_file(Path(inputs)), TRANSLATION_COLUMNS, [row])
    return row


def import_translations(
    inputs: Path | str,
    file: Path | str,
    *,
    reviewer: str,
    tool: str,
    known_ids: Iterable[str] | None = None,
) -> int:
    """Import a translation tool's output (CSV with columns statement_id and text_en) as machine
    translations; returns how many rows were saved. Unknown statements stop the import."""
    text = decode(Path(file).read_bytes())
    table = pd.read_csv(
        io.StringIO(text), sep=sniff_delimiter(text), dtype=str, keep_default_na=False
    )
    missing = {"statement_id", "text_en"} - set(table.columns)
    if missing:
        raise ValueError(f"{Path(file).name} lacks the column(s) {', '.join(sorted(missing))}")
    table = table[table["text_en"].str.strip().ne("")]
    _known(table["statement_id"].str.strip(), known_ids)
    at, who = _stamp(None), _who(reviewer)
    rows = [
        {
            "statement_id": sid.strip(),
            "text_en": " ".join(text_en.split()),
            "source": "machine",
            "note": f"imported from {tool}",
            "reviewer": who,
            "at": at,
        }
        for sid, text_en in zip(table["statement_id"], table["text_en"], strict=True)
    ]
    if rows:
        _append(paths.translations_file(Path(inputs)), TRANSLATION_COLUMNS, rows)
    return len(rows)


def save_idea_decision(
    inputs: Path | str,
    action: str,
    statement_ids: str | Iterable[str],
    *,
    reviewer: str,
    target: str = "",
    label: str = "",
    note: str = "",
    at: dt.datetime | str | None = None,
    known_ids: Iterable[str] | None = None,
) -> dict[str, str]:
    """Save one curation decision on the pool (see `reviewlib.gather.idea_decisions`)."""
    action = str(action).strip().lower()
    if action not in IDEA_ACTIONS:
        raise ValueError(f"'{action}' is not one of {', '.join(IDEA_ACTIONS)}")
    if isinstance(statement_ids, str):
        statement_ids = statement_ids.split(";")
    ids = list(dict.fromkeys(s.strip() for s in statement_ids if s and s.strip()))
    if not ids:
        raise ValueError("choose the statement(s) the decision is about")
    target, label = str(target or "").strip(), " ".join(str(label or "").split())
    if action == "move" and (not target or target in ids):
        raise ValueError("choose the idea to move to (by one of its statements, not a moved one)")
    if action == "rename" and not label:
        raise ValueError("type the new label of the idea")
    _known([*ids, *([target] if target else [])], known_ids)
    row = {
        "action": action,
        "statement_ids": ";".join(ids),
        "target": target if action == "move" else "",
        "label": label if action == "rename" else "",
        "note": str(note or "").strip(),
        "reviewer": _who(reviewer),
        "at": _stamp(at),
    }
    _append(paths.idea_decisions_file(Path(inputs)), IDEA_DECISION_COLUMNS, [row])
    return row
