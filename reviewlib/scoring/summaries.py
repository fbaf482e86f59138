"""Summaries of the evidence: per pillar and per regional group, the gaps table (commitments and
themes with no or only negative evidence, States silent in the review), and — an internal working
aid only — the Member State levels rolled up per pillar and group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewlib.gather.reference import Reference
from reviewlib.scoring.coverage import rollup
from reviewlib.scoring.rubric import Rubric
from reviewlib.scoring.weighing import Coded
from reviewlib.terms import PILLAR_LABELS, PILLARS, REGIONAL_GROUPS

__all__ = ["GAP_COLUMNS", "pillar_summary", "region_summary", "level_summary", "find_gaps"]

GAP_COLUMNS = ["gap_type", "id", "label", "reason", "statement_ids"]


def level_summary(country_scores: pd.DataFrame, key: str, keys: list[str]) -> pd.DataFrame:
    """Internal working aid: per pillar or regional group, how many Member State × pillar scores
    have a level, how many have too little evidence, and the mean level."""
    index = pd.Index(keys, name=key)
    scored = country_scores[country_scores["level"].notna()]
    out = pd.DataFrame(index=index)
    out["n_scored"] = scored.groupby(key).size().reindex(index, fill_value=0)
    out["n_insufficient"] = (
        country_scores[country_scores["level"].isna()]
        .groupby(key)
        .size()
        .reindex(index, fill_value=0)
    )
    out["mean_level"] = (
        scored["level"].astype(float).groupby(scored[key]).mean().reindex(index).round(2)
    )
    return out.reset_index()


def pillar_summary(weighed: pd.DataFrame, c: Coded, rubric: Rubric) -> pd.DataFrame:
    """Per pillar, then for all statements together (pillar "all"): what was reported, whatever
    the scope, by whom, and its status."""
    keys = list(PILLARS)
    rows = np.arange(len(weighed))
    out = pd.concat(
        [
            rollup(c, rows, c.pillar, keys, "pillar", rubric, ids=False),
            rollup(c, rows, np.zeros(len(rows), np.int64), ["all"], "pillar", rubric, ids=False),
        ],
        ignore_index=True,
    )
    out.insert(1, "label", [*(PILLAR_LABELS[p] for p in keys), "All pillars"])
    return out


def region_summary(
    weighed: pd.DataFrame,
    c: Coded,
    reference: Reference,
    rubric: Rubric,
    states_with_figures: set[str] = frozenset(),
) -> pd.DataFrame:
    """Per regional group: statements about it or its States; how many of its Member States
    have statements about them, and how many have statements or UNODC figures."""
    keys = list(REGIONAL_GROUPS)
    out = rollup(c, np.arange(len(weighed)), c.region, keys, "regional_group", rubric, ids=False)
    states = reference.member_states
    members = states.groupby("regional_group").size().reindex(keys, fill_value=0)
    spoken = set(np.array(c.states, dtype=object)[np.unique(c.scope[c.scope >= 0])])
    with_statements = states[states["iso3"].isin(spoken)].groupby("regional_group").size()
    with_evidence = (
        states[states["iso3"].isin(spoken | set(states_with_figures))]
        .groupby("regional_group")
        .size()
    )
    out.insert(1, "n_member_states", members.to_numpy())
    out.insert(
        2, "n_states_with_statements", with_statements.reindex(keys, fill_value=0).to_numpy()
    )
    out.insert(3, "n_states_with_evidence", with_evidence.reindex(keys, fill_value=0).to_numpy())
    return out


def find_gaps(
    coverage: pd.DataFrame,
    themes: pd.DataFrame,
    silent_states: pd.DataFrame,
    reference: Reference,
    last_year: int | None,
) -> pd.DataFrame:
    """Commitments and themes with no or only negative evidence, and States silent in the review.

    Nothing here ranks or grades: there is no "weakest" pillar, region or State."""
    rows = []
    texts = reference.commitment_title
    for gap_type, table, key in (
        ("commitment", coverage, "commitment"),
        ("theme", themes, "theme"),
    ):
        for row in table[table["positive"].le(0)].itertuples(index=False):
            row = row._asdict()
            if row["negative"] > 0:
                reason = f"only gaps reported: {row['gaps']} gap statement(s) and nothing achieved"
            else:
                reason = "no achievements, gaps or good practices reported" + (
                    f" ({row['proposals']} proposal(s) only)" if row["proposals"] else ""
                )
            label = row["label"] if gap_type == "theme" else texts.get(row[key], "")
            rows.append((gap_type, row[key], label, reason, row["statement_ids"]))
    day = reference.as_of
    published = (
        f"no total figure in the editions of the UNODC Global Report published by {day.isoformat()}"
        if day
        else "no GLOTIP data" + (f" up to {last_year}" if last_year else "")
    )
    for row in silent_states.itertuples(index=False):
        glotip = (
            published
            if row.iso3 in reference.glotip_covered
            else "GLOTIP data not loaded for it (reviewlib import-glotip)"
        )
        rows.append(
            ("member_state", row.iso3, row.name, f"no statement from or about it; {glotip}", "")
        )
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
