"""Parts A and B of the elements for the zero draft, each paragraph with the comment that gives
its sources: the commitments to reaffirm and the new elements, chosen by the rules
`reviewlib.ideas.zero_draft` states.

A comment names who supports a paragraph, by stakeholder type (a Member State by its UN short
name, any other contributor by the name it gave) and regional group, the statement ids and the
GPA commitment it builds on with its short title, only where the pool names one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from reviewlib.ideas.declaration import operative, reaffirmation
from reviewlib.terms import GROUP_LABELS, STAKEHOLDER_TYPES, TYPE_WORDS

__all__ = ["Paragraph", "REGISTERS", "reaffirmations", "chosen_ideas", "new_elements", "count"]
__all__ += ["statement_ids"]

MAX_IDS = 20  # statement ids listed in one comment before "and N more"
# How each register of `reviewlib.ideas.declaration` is named in a comment.
REGISTERS = {
    "commitment": "a commitment",
    "encouragement": "an encouragement to Member States",
    "united_nations": "a call upon the United Nations system",
    "call": "the call the label makes",
    "recognition": "a recognition",
}


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph ("PP 1", "OP 7") and the lines of its comment."""

    number: str
    text: str
    comment: tuple[str, ...]
    source: str = ""  # the commitment or idea it comes from


# Who said it -------------------------------------------------------------------------------


def statement_ids(ids: list[str]) -> str:
    shown = "; ".join(ids[:MAX_IDS])
    return shown + (f"; and {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else "") + "."


def _supporters(rows: pd.DataFrame, names: Mapping[str, str]) -> str:
    """'Member States (2: Germany; Republic of Moldova), academia (1: …)' — a Member State by
    its UN short name, any other contributor by the name it gave."""
    found: dict[str, set[str]] = {}
    for submitter, kind, country in zip(
        rows["submitter"], rows["stakeholder_type"], rows["country"], strict=True
    ):
        who = names.get(country, submitter) if kind == "member_state" else submitter
        found.setdefault(kind, set()).add(who)
    parts = []
    for kind in STAKEHOLDER_TYPES:
        who = sorted(found.get(kind, ()))
        if who:
            noun = TYPE_WORDS[kind][0]
            if len(who) != 1:
                noun = noun[:-1] + "ies" if noun.endswith("ty") else noun + "s"
            parts.append(f"{noun} ({len(who)}: {'; '.join(who)})")
    return ", ".join(parts)


def _groups(rows: pd.DataFrame) -> str:
    found = sorted({g for g in rows["regional_group"] if g in GROUP_LABELS})
    return ", ".join(GROUP_LABELS[g][0] for g in found) if found else "none named"


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# Part A --------------------------------------------------------------------------------------


def _evidence_lines(row: Mapping, rows: pd.DataFrame, reference) -> tuple[str, ...]:
    """The comment of a reaffirmation: the commitment, its evidence of gaps, who reported."""
    ids = [i for i in str(row["statement_ids"]).split(";") if i]
    evidence = (
        f"Evidence of gaps: {row['status']} — {count(int(row['gaps']), 'gap', 'gaps')} and "
        f"{count(int(row['achievements']), 'achievement', 'achievements')} reported in "
        f"{count(int(row['n_statements']), 'statement', 'statements')} from "
        f"{count(int(row['n_stakeholder_types']), 'stakeholder type', 'stakeholder types')}."
    )
    if "n_critical_contributors" in row:  # the coverage table names them when it can
        critical = int(row["n_critical_contributors"])
        evidence += f" Critical statements from {count(critical, 'contributor', 'contributors')}."
    cited = [i for i in str(row["most_cited_gaps"]).split(";") if i]
    return (
        f"Builds on GPA commitment {reference.describe_commitment(row['commitment'])} "
        f"({reference.commitment_basis(row['commitment'])}).",
        evidence,
        f"Contributors who reported on it: {_supporters(rows, reference.name_of)}.",
        f"Regional groups concerned: {_groups(rows)}.",
        *([f"Most-cited gaps: {statement_ids(cited)}"] if cited else []),
        f"Statements: {statement_ids(ids)}",
    )


def reaffirmations(
    coverage: pd.DataFrame | None, statements: pd.DataFrame, reference, settings
) -> list[Paragraph]:
    """Part A: the commitments whose coverage status is one of ``reaffirm`` (in that order of
    statuses), the most weight of critical evidence first, each with its comment."""
    if coverage is None or coverage.empty:
        return []
    chosen = coverage[coverage["status"].isin(settings["reaffirm"])].copy()
    chosen["_order"] = chosen["status"].map({s: i for i, s in enumerate(settings["reaffirm"])})
    chosen = chosen.sort_values(
        ["_order", "negative", "gaps", "commitment"], ascending=[True, False, False, True]
    )
    texts = dict(
        zip(reference.commitments["commitment"], reference.commitments["text"], strict=True)
    )
    by_id = statements.set_index("statement_id")
    out = []
    for row in chosen.to_dict("records"):
        ids = [i for i in str(row["statement_ids"]).split(";") if i in by_id.index]
        lines = _evidence_lines(row, by_id.loc[ids].reset_index(), reference)
        out.append(Paragraph("", reaffirmation(texts[row["commitment"]]), lines, row["commitment"]))
    return out


# Part B --------------------------------------------------------------------------------------


_MEMBER_COLUMNS = [
    *("idea_id", "statement_id", "submitter", "stakeholder_type", "regional_group", "status"),
    "nearest_commitment",
]


def _credited(members: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(members credited to a new element, members that restate a GPA commitment)."""
    restating = members["status"].eq("restates")
    return members[~restating], members[restating]


def _element(idea: Mapping, credited, restating, reference, settings) -> Paragraph:
    states = credited.loc[credited["stakeholder_type"].eq("member_state"), "submitter"].nunique()
    drafted = operative(idea["label"], states, settings["commit_min_member_states"])
    n = credited["submitter"].nunique()
    types = credited["stakeholder_type"].nunique()
    lines = [
        f"From idea {idea['idea_id']} (rank {idea['rank']} in the pool of ideas): {idea['label']}",
        f"Proposed by {count(n, 'contributor', 'contributors')} of "
        f"{count(types, 'stakeholder type', 'stakeholder types')}: "
        f"{_supporters(credited, reference.name_of)}.",
        f"Regional groups: {_groups(credited)}.",
        f"Proposals: {statement_ids(sorted(credited['statement_id']))}",
        f"Drafted as {REGISTERS[drafted.register]}: {drafted.reason}.",
    ]
    if idea["builds_on"]:
        lines.append(f"New against the GPA; builds on GPA commitment {idea['builds_on']}.")
    else:
        lines.append("New against the GPA; no commitment is close enough to name.")
    for row in restating.sort_values("statement_id").itertuples():
        lines.append(
            f"Not credited here: {row.statement_id} ({row.submitter}) restates GPA commitment "
            f"{reference.describe_commitment(row.nearest_commitment)}."
        )
    return Paragraph("", drafted.text, tuple(lines), idea["idea_id"])


def chosen_ideas(pool, settings) -> tuple[pd.DataFrame, int, int]:
    """(the new ideas Part B drafts: rows of the pool's summary in rank order, capped; how many
    new ideas fall below the threshold; how many pass it but fall beyond the cap)."""
    ideas = pool.summary[pool.summary["kind"].eq("proposal") & pool.summary["status"].eq("new")]
    ideas = ideas.sort_values("rank")
    credited = _credited(pool.ideas[_MEMBER_COLUMNS[:-1]])[0].groupby("idea_id")
    contributors = ideas["idea_id"].map(credited["submitter"].nunique()).fillna(0)
    types = ideas["idea_id"].map(credited["stakeholder_type"].nunique()).fillna(0)
    chosen = ideas[
        contributors.ge(settings["min_contributors"]) & types.ge(settings["min_stakeholder_types"])
    ]
    cap = settings["max_new_elements"]
    beyond = max(0, len(chosen) - cap) if cap else 0
    return chosen.head(cap) if cap else chosen, len(ideas) - len(chosen), beyond


def new_elements(pool, statements: pd.DataFrame, reference, settings) -> tuple[dict, str]:
    """({pillar: paragraphs}, a sentence on what did not pass and why)."""
    chosen, below, beyond = chosen_ideas(pool, settings)
    members = pool.ideas.loc[pool.ideas["idea_id"].isin(chosen["idea_id"]), _MEMBER_COLUMNS]
    members = members.merge(
        statements[["statement_id", "country"]], on="statement_id", how="left"
    ).fillna({"country": ""})
    groups = dict(tuple(members.groupby("idea_id")))
    by_pillar: dict[str, list[Paragraph]] = {}
    for idea in chosen.to_dict("records"):
        credited, restating = _credited(groups[idea["idea_id"]])
        paragraph = _element(idea, credited, restating, reference, settings)
        by_pillar.setdefault(idea["pillar"], []).append(paragraph)
    proposals = pool.summary.loc[pool.summary["kind"].eq("proposal"), "status"]
    said = (
        f"Left out: {count(below, 'new idea', 'new ideas')} with fewer supporters than that, "
        f"{count(int(proposals.eq('restates').sum()), 'idea', 'ideas')} that restate the GPA "
        "(Part A reaffirms the commitments where the evidence shows gaps)"
    )
    if not_compared := int(proposals.eq("not_compared").sum()):
        said += f", {count(not_compared, 'idea', 'ideas')} with no English text to compare"
    cap = settings["max_new_elements"]
    said += f", and {beyond} beyond the cap of {cap} new elements." if beyond else "."
    return by_pillar, said
