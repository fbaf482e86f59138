"""Save the secretariat's triage decisions without ever losing one, and choose statements to triage.

Decisions go to inputs/decisions/triage.csv, one row per statement (what
`reviewlib.gather.decisions` applies when the review loads); every change is also appended to
triage_history.csv, which is what `undo_last` walks back. (Rubric edits are
`reviewlib.scoring.rubric_edit`.)

Every write takes a file lock (`<file>.lock`), reads the file again inside it, changes only the
fields the officer edited in the row as it is on disk, and replaces the file atomically (a
temporary file renamed into place): two notebooks saving at the same moment keep both changes, a
change to a field someone else changed since it was shown is refused with who and when
(`Conflict`), and a reader never sees a half-written file. Contribution files are never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.files import LOCK_TIMEOUT, locked, write_data_csv
from reviewlib.gather.decisions import DECISION_COLUMNS, read_table
from reviewlib.gather.edited import read_table as read_edited
from reviewlib.gather.spellings import norm, resolve_kind, resolve_pillar
from reviewlib.terms import DECISIONS, KINDS, PILLARS

__all__ = [
    "HISTORY_COLUMNS",
    "Conflict",
    "Undone",
    "save_decision",
    "undo_last",
    "read_history",
    "select_statements",
    "confirm_suggested",
    "LOCK_TIMEOUT",
]

HISTORY_COLUMNS = ["entry", "action", "undoes", *DECISION_COLUMNS, "previous"]


def history_file(inputs: Path | str = paths.INPUTS) -> Path:
    return paths.decisions_dir(Path(inputs)) / "triage_history.csv"


# --- triage decisions ---------------------------------------------------------------------------


def _theme_ids(inputs: Path) -> tuple[str, ...]:
    return tuple(read_edited(paths.reference_dir(inputs) / "themes.csv", ("theme",))["theme"])


_EDITABLE = ("decision", "merge_into", "pillar", "themes", "kind", "note")


class Conflict(ValueError):
    """Someone else changed the same fields of a statement since it was shown; nothing was saved.

    `theirs` is the statement's row as saved now, `fields` the fields both changed."""

    def __init__(self, statement_id: str, fields: list[str], theirs: dict[str, str]) -> None:
        self.statement_id, self.fields, self.theirs = statement_id, fields, theirs
        what = "; ".join(f"{f.replace('_', ' ')} '{theirs[f] or '(none)'}'" for f in fields)
        super().__init__(
            f"{theirs['reviewer']} changed statement {statement_id} at {theirs['at']} after it "
            f"was shown to you ({what}); nothing was saved — keep yours or theirs"
        )


def _themes(inputs: Path, themes: str | Iterable[str]) -> str:
    if isinstance(themes, str):
        themes = themes.split(";")
    themes = list(dict.fromkeys(t.strip() for t in themes if t and t.strip()))
    if themes:
        allowed = _theme_ids(inputs)
        unknown = [t for t in themes if t not in allowed]
        if unknown:
            raise ValueError(
                f"{', '.join(repr(t) for t in unknown)} {'is not a theme' if len(unknown) == 1 else 'are not themes'}"
                f"; use the ids of themes.csv: {', '.join(allowed)}"
            )
    return ";".join(themes)


def _clean(
    inputs: Path, statement_id: str, edits: dict[str, object], known: set[str] | None
) -> dict[str, str]:
    """The fields to change, cleaned, or a ValueError saying in a sentence what is wrong."""
    out: dict[str, str] = {}
    if "decision" in edits:
        decision = str(edits["decision"] or "").strip().lower().replace(" ", "_").replace("-", "_")
        if decision and decision not in DECISIONS:
            raise ValueError(
                f"'{decision}' is not a decision; use one of {', '.join(DECISIONS)} (or none)"
            )
        out["decision"] = decision
        merge_into = str(edits.get("merge_into") or "").strip()
        if decision == "merge":
            if not merge_into:
                raise ValueError(f"say which statement {statement_id} is merged into")
            if merge_into == statement_id:
                raise ValueError(f"statement {statement_id} cannot be merged into itself")
        elif merge_into:
            raise ValueError(
                f"a statement to merge into ('{merge_into}') is only given with the decision 'merge'"
            )
        out["merge_into"] = merge_into
    elif edits.get("merge_into"):
        raise ValueError("a statement to merge into is only given with the decision 'merge'")
    if known is not None:
        for sid in filter(None, (statement_id, out.get("merge_into"))):
            if sid not in known:
                raise ValueError(f"there is no statement '{sid}' in this review")
    for field, resolve, what, allowed in (
        ("pillar", resolve_pillar, "a pillar", PILLARS),
        ("kind", resolve_kind, "a kind of statement", KINDS),
    ):
        if field in edits:
            given = str(edits[field] or "").strip()
            resolved = resolve(given) if given else ""
            if resolved is None:
                raise ValueError(f"'{given}' is not {what}; use one of {', '.join(allowed)}")
            out[field] = resolved
    if "themes" in edits:
        out["themes"] = _themes(inputs, edits["themes"] or ())
    if "note" in edits:
        out["note"] = str(edits["note"] or "").strip()
    return out


def _row_of(table: pd.DataFrame, statement_id: str) -> dict[str, str] | None:
    rows = table[table["statement_id"].eq(statement_id)]
    return None if rows.empty else {c: str(v) for c, v in rows.iloc[-1][DECISION_COLUMNS].items()}


def _put(table: pd.DataFrame, statement_id: str, row: dict[str, str] | None) -> pd.DataFrame:
    """The table with the statement's row replaced (or removed when row is None), sorted by id."""
    kept = table[table["statement_id"].ne(statement_id)]
    if row is not None:
        kept = pd.concat([kept, pd.DataFrame([row])], ignore_index=True).fillna("")
    return kept.sort_values("statement_id", kind="stable").reset_index(drop=True)


def _append_history(inputs: Path, entry: dict[str, str]) -> None:
    """Append one line to the history (under the caller's lock); one write, so a line is whole."""
    path = history_file(inputs)
    frame = pd.DataFrame([entry], columns=HISTORY_COLUMNS)
    text = frame.to_csv(
        index=False, header=not path.exists() or path.stat().st_size == 0, lineterminator="\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def read_history(inputs: Path | str = paths.INPUTS) -> pd.DataFrame:
    """Every change saved in triage, oldest first: entry, action (save|undo), undoes, the row, previous."""
    path = history_file(Path(inputs))
    if not path.exists():
        return pd.DataFrame(columns=HISTORY_COLUMNS, dtype=object)
    return pd.read_csv(path, dtype=str, keep_default_na=False).reindex(
        columns=HISTORY_COLUMNS, fill_value=""
    )


_UNSEEN = object()


def save_decision(
    inputs: Path | str,
    statement_id: str,
    *,
    reviewer: str,
    decision: str | None = None,
    merge_into: str | None = None,
    pillar: str | None = None,
    themes: str | Iterable[str] | None = None,
    note: str | None = None,
    kind: str | None = None,
    at: dt.datetime | str | None = None,
    known_ids: Iterable[str] | None = None,
    seen: dict[str, str] | None | object = _UNSEEN,
) -> dict[str, str]:
    """Change the fields given (None = leave as saved) of one statement's row in triage.csv and
    return the row as saved.

    decision is keep, merge (with merge_into) or set_aside, or "" for no call; kind, pillar and
    themes ("" = as submitted) correct the statement's own; note is the officer's. The change is applied
    inside the file's lock to the row as it is on disk, so what others saved meanwhile to other
    fields stays. `seen` is the row as it was shown to the officer (None: no row yet): when
    someone else has changed one of the same fields since, nothing is saved and a Conflict says
    who and when. `known_ids`, when given, are the statement ids the decision may name. A decision
    about a statement that no longer exists stays in the file: loading the review reports it.
    """
    inputs = Path(inputs)
    statement_id = str(statement_id).strip()
    if not statement_id:
        raise ValueError("a decision needs the id of the statement it is about")
    reviewer = str(reviewer or "").strip()
    if not reviewer:
        raise ValueError("type your name as reviewer first: every decision records who made it")
    given = {"decision": decision, "pillar": pillar, "themes": themes, "note": note, "kind": kind}
    edits: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if merge_into is not None:
        edits["merge_into"] = merge_into
    changes = _clean(inputs, statement_id, edits, None if known_ids is None else set(known_ids))
    if at is None:
        at = dt.datetime.now(dt.UTC)
    stamp = at.isoformat(timespec="seconds") if isinstance(at, dt.datetime) else str(at)
    path = paths.triage_file(inputs)
    with locked(path):
        table = read_table(path)
        previous = _row_of(table, statement_id)
        current = previous or dict.fromkeys(DECISION_COLUMNS, "") | {"statement_id": statement_id}
        if seen is not _UNSEEN:
            shown = seen or dict.fromkeys(DECISION_COLUMNS, "")
            clash = [
                f for f in changes if current[f] != shown.get(f, "") and current[f] != changes[f]
            ]
            if clash:
                raise Conflict(statement_id, clash, current)
        row = {**current, **changes, "reviewer": reviewer, "at": stamp}
        write_data_csv(_put(table, statement_id, row), path)
        _append_history(
            inputs,
            {
                "entry": uuid.uuid4().hex[:12],
                "action": "save",
                "undoes": "",
                **row,
                "previous": json.dumps(previous, ensure_ascii=False) if previous else "",
            },
        )
    return row


@dataclass(frozen=True)
class Undone:
    """What an undo did: the statement, and the decision now in force for it (None = no decision)."""

    statement_id: str
    restored: dict[str, str] | None

    @property
    def message(self) -> str:
        if self.restored is None:
            return f"undone: statement {self.statement_id} has no decision any more"
        shown = self.restored["decision"] or "no decision"
        return f"undone: statement {self.statement_id} is back to {shown} ({self.restored['reviewer']}, {self.restored['at']})"


def undo_last(inputs: Path | str, reviewer: str) -> Undone | None:
    """Undo the reviewer's latest change not yet undone; None when there is nothing left to undo.

    The statement gets back the decision it had before that change. If someone else has changed the
    statement since, nothing is undone and a ValueError says who and when.
    """
    inputs = Path(inputs)
    reviewer = str(reviewer or "").strip()
    if not reviewer:
        raise ValueError("type your name as reviewer first: undo takes back your own latest change")
    path = paths.triage_file(inputs)
    with locked(path):
        history = read_history(inputs)
        undone = set(history.loc[history["action"].eq("undo"), "undoes"])
        mine = history[
            history["action"].eq("save")
            & history["reviewer"].eq(reviewer)
            & ~history["entry"].isin(undone)
        ]
        if mine.empty:
            return None
        last = mine.iloc[-1]
        sid = last["statement_id"]
        table = read_table(path)
        current = _row_of(table, sid)
        written = {c: last[c] for c in DECISION_COLUMNS}
        if current != written:
            who = f"{current['reviewer']} at {current['at']}" if current else "someone"
            raise ValueError(
                f"statement {sid} was changed by {who} after your change, "
                "so nothing was undone; set its decision again if needed"
            )
        restored = json.loads(last["previous"]) if last["previous"] else None
        write_data_csv(_put(table, sid, restored), path)
        shown = restored or dict.fromkeys(DECISION_COLUMNS, "") | {"statement_id": sid}
        _append_history(
            inputs,
            {
                **shown,
                "entry": uuid.uuid4().hex[:12],
                "action": "undo",
                "undoes": last["entry"],
                "reviewer": reviewer,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "previous": json.dumps(current, ensure_ascii=False),
            },
        )
    return Undone(sid, restored)


def confirm_suggested(
    inputs: Path | str,
    suggested: pd.DataFrame,
    *,
    reviewer: str,
    min_confidence: float,
    at: dt.datetime | str | None = None,
) -> list[str]:
    """Keep, in one go, every statement read from a document whose suggestion is at least this
    sure and on which no one has decided yet; the ids confirmed. Each is saved as one decision
    (undone one by one), with the suggested kind and pillar written down as confirmed."""
    decided = set(read_table(paths.triage_file(Path(inputs)))["statement_id"])
    chosen = suggested[
        suggested["confidence"].astype(float).ge(min_confidence)
        & ~suggested["statement_id"].isin(decided)
    ]
    confirmed = []
    for row in chosen.sort_values("statement_id", kind="stable").itertuples(index=False):
        save_decision(
            inputs,
            row.statement_id,
            reviewer=reviewer,
            decision="keep",
            kind=row.kind,
            pillar=row.pillar or None,
            at=at,
        )
        confirmed.append(row.statement_id)
    return confirmed


# --- choosing statements to triage ----------------------------------------------------------------

FILTERS = ("pillar", "theme", "kind", "stakeholder_type", "country", "language", "decision", "text")
UNDECIDED = "undecided"
NO_PILLAR = "none"


def select_statements(statements: pd.DataFrame, **filters: str) -> pd.DataFrame:
    """The statements matching every filter given ("" = any), in statement id order.

    pillar (or "none"), theme, kind, stakeholder_type, language; country = the contributor's
    country or the one the statement is about (ISO3); decision (or "undecided"); text = words
    found in the text, evidence, submitter, id or note, case and accents ignored.
    """
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"cannot filter by {', '.join(sorted(unknown))}; use {', '.join(FILTERS)}")
    s = statements
    keep = pd.Series(True, index=s.index)
    for column in ("kind", "stakeholder_type", "language"):
        if filters.get(column):
            keep &= s[column].eq(filters[column])
    if pillar := filters.get("pillar"):
        keep &= s["pillar"].eq("" if pillar == NO_PILLAR else pillar)
    if theme := filters.get("theme"):
        keep &= s["themes"].str.split(";").map(lambda items: theme in items)
    if country := filters.get("country"):
        keep &= s["country"].eq(country) | s["scope_iso3"].eq(country)
    if decision := filters.get("decision"):
        keep &= s["decision"].eq("" if decision == UNDECIDED else decision)
    if words := norm(filters.get("text", "")).split():
        haystack = (
            s["statement_id"]
            + " "
            + s["submitter"]
            + " "
            + s["text"]
            + " "
            + s["evidence"].fillna("")
            + " "
            + s["note"].fillna("")
        ).map(norm)
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
    return s[keep].sort_values("statement_id", kind="stable")
