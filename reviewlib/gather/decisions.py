"""The secretariat's triage decisions (inputs/decisions/triage.csv) and how they change statements.

Decisions never edit a contribution file: they are applied when the review is loaded.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.gather import edited
from reviewlib.gather.ledger import warnings
from reviewlib.gather.reference import Reference
from reviewlib.gather.spellings import resolve_kind, resolve_pillar
from reviewlib.terms import DECISIONS

DECISION_COLUMNS = [
    "statement_id",
    "decision",
    "merge_into",
    "pillar",
    "themes",
    "note",
    "kind",
    "reviewer",
    "at",
]


def read_table(path: Path, columns: list[str] = DECISION_COLUMNS) -> pd.DataFrame:
    """A decisions file (triage.csv unless other columns are given) as written, every column
    present; columns added by hand kept after ours."""
    if not path.exists():
        return pd.DataFrame(columns=columns, dtype=object)
    frame = edited.read_table(path, (columns[0],), "it holds decisions of the secretariat")
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    return frame[columns + [c for c in frame.columns if c not in columns]]


def read_decisions(inputs: Path = paths.INPUTS) -> pd.DataFrame:
    """The current decision per statement (the last row wins); empty when there is no file yet."""
    frame = read_table(paths.triage_file(inputs))[DECISION_COLUMNS]
    return frame.drop_duplicates("statement_id", keep="last").reset_index(drop=True)


def apply_decisions(
    statements: pd.DataFrame,
    decisions: pd.DataFrame,
    reference: Reference,
    file: str = "triage.csv",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements with decisions applied, and ledger rows for decisions that cannot be applied.

    Adds `decision`, `merged_into` and `note`; a kind, pillar or themes set in triage replace the
    submitted (or suggested) ones (pillar_source becomes 'triage'). Set-aside statements stay in the table,
    marked, so that every consumer can show or count them as it must.
    """
    out = statements.copy()
    for column in ("decision", "merged_into", "note"):
        out[column] = ""
    problems = []
    index = pd.Series(out.index, index=out["statement_id"])
    known_themes = set(reference.themes["theme"])
    rows: dict[str, int] = {}
    for number, row in enumerate(decisions.itertuples(index=False), start=2):
        where = f"row {number}: decision for statement '{row.statement_id}'"
        if row.statement_id not in index.index:
            problems.append(
                (
                    number,
                    row.statement_id,
                    f"{where}: no such statement in the contributions any more; "
                    "the decision is kept in triage.csv but not applied",
                )
            )
            continue
        i = index[row.statement_id]
        decision = row.decision.strip().lower()
        if decision and decision not in DECISIONS:
            problems.append(
                (
                    number,
                    row.statement_id,
                    f"{where}: '{row.decision}' is not one of {', '.join(DECISIONS)}",
                )
            )
            continue
        if decision == "merge" and row.merge_into not in index.index:
            problems.append(
                (
                    number,
                    row.statement_id,
                    f"{where}: merge target '{row.merge_into}' is not a statement; treated as keep",
                )
            )
            decision = "keep"
        rows[row.statement_id] = number
        out.at[i, "decision"] = decision
        out.at[i, "merged_into"] = row.merge_into if decision == "merge" else ""
        out.at[i, "note"] = row.note
        if (pillar := resolve_pillar(row.pillar)) is not None:
            out.at[i, "pillar"] = pillar
            out.at[i, "pillar_source"] = "triage"
        if (kind := resolve_kind(row.kind)) is not None:
            out.at[i, "kind"] = kind
        if row.themes.strip():
            themes = [t.strip() for t in row.themes.split(";") if t.strip() in known_themes]
            out.at[i, "themes"] = ";".join(themes)
            out.at[i, "themes_inferred"] = ""
    problems += _resolve_merges(out, rows)
    return out, warnings(file, problems)


def _resolve_merges(out: pd.DataFrame, rows: dict[str, int]) -> list[tuple[int, str, str]]:
    """Merges as a graph, in place: a chain A → B → C merges A into C (its end); the merges of a
    cycle (A → B → A, or A → A) are not applied — each of its statements keeps counting — and
    each is reported. Evidence and the pool of ideas both read the merges resolved here."""
    merging = out["decision"].eq("merge")
    target = dict(
        zip(out.loc[merging, "statement_id"], out.loc[merging, "merged_into"], strict=True)
    )
    cycles: dict[str, list[str]] = {}
    for sid in sorted(target):
        path, end = [sid], target[sid]
        while end in target and end not in path:
            path.append(end)
            end = target[end]
        if end in path:
            ring = path[path.index(end) :]
            cycles.update({member: ring for member in ring})
    problems = []
    for sid, ring in sorted(cycles.items()):
        shown = " → ".join(f"'{s}'" for s in [*ring[ring.index(sid) :], *ring[: ring.index(sid)]])
        what = (
            "is merged into itself"
            if ring == [sid]
            else f"closes a cycle of merges ({shown} → '{sid}')"
        )
        problems.append(
            (
                rows[sid],
                sid,
                f"row {rows[sid]}: decision for statement '{sid}': it {what}; the merge is not "
                "applied and the statement still counts — merge each statement into one that "
                "is kept",
            )
        )
    position = pd.Series(out.index, index=out["statement_id"])
    for sid in target:
        i = position[sid]
        if sid in cycles:
            out.at[i, "decision"], out.at[i, "merged_into"] = "keep", ""
            continue
        end = target[sid]
        while end in target and end not in cycles:
            end = target[end]
        out.at[i, "merged_into"] = end
    return problems


def counting(statements: pd.DataFrame) -> pd.DataFrame:
    """The statements that count as evidence: not set aside and not merged into another."""
    if "decision" not in statements.columns:
        return statements
    return statements[~statements["decision"].isin(["set_aside", "merge"])]
