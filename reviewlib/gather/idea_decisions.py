"""The secretariat's curation of the pool of ideas (inputs/decisions/ideas.csv), read and checked.

One row per decision, applied in file order when the pool is made (`reviewlib.ideas.curation`):

- ``rename``: the idea that holds statement ``statement_ids`` is called ``label``;
- ``move``: the statements in ``statement_ids`` (';'-separated) join the idea of ``target``;
- ``split``: the statements in ``statement_ids`` leave their idea and form a new one together.

Decisions name statements, never idea ids, so that they hold whatever a rebuild regroups. A
decision naming a statement that is no longer in the review (or is set aside) is reported in the
ledger and kept in the file; the rest of it is still applied.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.gather.decisions import read_table
from reviewlib.gather.ledger import warnings
from reviewlib.terms import IDEA_ACTIONS

__all__ = ["IDEA_DECISION_COLUMNS", "POOLED_KINDS", "read_idea_decisions", "check_idea_decisions"]

IDEA_DECISION_COLUMNS = ["action", "statement_ids", "target", "label", "note", "reviewer", "at"]
POOLED_KINDS = ("proposal", "good_practice")


def read_idea_decisions(inputs: Path = paths.INPUTS) -> pd.DataFrame:
    """ideas.csv as written (every column present, file order); empty when there is none yet."""
    return read_table(paths.idea_decisions_file(inputs), IDEA_DECISION_COLUMNS)


def _ids(value: object) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in str(value).split(";") if p.strip()))


def _check_row(row, kind_of: dict[str, str]) -> tuple[dict | None, list[str]]:
    """One decision cleaned of what cannot be applied, and the sentences saying what was not."""
    action = str(row.action).strip().lower()
    if action not in IDEA_ACTIONS:
        return None, [f"'{row.action}' is not one of {', '.join(IDEA_ACTIONS)}; not applied"]
    problems = []
    ids = _ids(row.statement_ids)
    gone = [sid for sid in ids if sid not in kind_of]
    if gone:
        problems.append(
            f"{', '.join(repr(g) for g in gone)} no longer in the pool of ideas (not in the "
            "contributions, set aside, or not a proposal or good practice); left out"
        )
    ids = [sid for sid in ids if sid in kind_of]
    target = str(row.target).strip()
    label = " ".join(str(row.label).split())
    if action == "move":
        if target not in kind_of:
            return None, [f"the idea to move to is named by '{target}', which is not in the pool"]
        ids = [sid for sid in ids if sid != target and kind_of[sid] == kind_of[target]]
    if action == "rename":
        if not label:
            return None, ["a rename needs the new label; not applied"]
        ids = ids[:1]
    if not ids:
        return None, problems + ["no statement left to apply it to; not applied"]
    decision = {
        "action": action,
        "statement_ids": ";".join(ids),
        "target": target if action == "move" else "",
        "label": label if action == "rename" else "",
        "reviewer": str(row.reviewer).strip(),
        "at": str(row.at).strip(),
    }
    return decision, problems


def check_idea_decisions(
    statements: pd.DataFrame, table: pd.DataFrame, file: str = "ideas.csv"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The decisions that can be applied (with their row in the file), and ledger rows for what
    cannot; a statement counts when it is pooled (a proposal or good practice, not set aside)."""
    pooled = statements[
        statements["kind"].isin(POOLED_KINDS)
        & ~statements.get("decision", pd.Series("", index=statements.index)).eq("set_aside")
    ]
    kind_of = dict(zip(pooled["statement_id"], pooled["kind"], strict=True))
    decisions, entries = [], []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        decision, problems = _check_row(row, kind_of)
        if decision is not None:
            decisions.append({**decision, "row": number})
        entries += [
            (number, str(row.statement_ids).strip(), f"row {number}: {row.action} decision: {p}")
            for p in problems
        ]
    frame = pd.DataFrame(decisions, columns=[*IDEA_DECISION_COLUMNS[:4], "reviewer", "at", "row"])
    return frame, warnings(file, entries, "statement_ids")
