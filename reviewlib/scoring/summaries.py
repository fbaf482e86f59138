"""Summaries of the scores: per pillar and per regional group, with the Member State levels rolled
up, and the gaps (commitments and themes with no or only negative evidence, silent States, the
weakest pillars and regions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewlib.gather.reference import Reference
from reviewlib.scoring.coverage import rollup
from reviewlib.scoring.rubric import Rubric
from reviewlib.scoring.weighing import Coded
from reviewlib.terms import PILLAR_LABELS, PILLARS, REGIONAL_GROUPS

__all__ = ["GAP_COLUMNS", "pillar_summary", "region_summary", "find_gaps"]

GAP_COLUMNS = ["gap_type", "id", "label", "reason", "statement_ids"]


def _levels(country_scores: pd.DataFrame, key: str, keys: list[str]) -> pd.DataFrame:
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


def pillar_summary(
    weighed: pd.DataFrame, c: Coded, country_scores: pd.DataFrame, rubric: Rubric
) -> pd.DataFrame:
    """Per pillar: statements of every scope, and the Member State levels rolled up."""
    keys = list(rubric.pillars)
    group = np.append([keys.index(p) if p in keys else -1 for p in PILLARS], -1)[c.pillar]
    out = rollup(c, np.arange(len(weighed)), group, keys, "pillar", rubric, ids=False)
    out.insert(1, "label", [PILLAR_LABELS[p] for p in keys])
    return out.merge(_levels(country_scores, "pillar", keys), on="pillar")


def region_summary(
    weighed: pd.DataFrame,
    c: Coded,
    country_scores: pd.DataFrame,
    reference: Reference,
    rubric: Rubric,
) -> pd.DataFrame:
    """Per regional group: statements about it or its States, and their levels rolled up."""
    keys = list(REGIONAL_GROUPS)
    out = rollup(c, np.arange(len(weighed)), c.region, keys, "regional_group", rubric, ids=False)
    members = reference.member_states.groupby("regional_group").size().reindex(keys, fill_value=0)
    out.insert(1, "n_member_states", members.to_numpy())
    with_evidence = (
        country_scores.groupby("regional_group")["iso3"].nunique().reindex(keys, fill_value=0)
    )
    out.insert(2, "n_states_with_evidence", with_evidence.to_numpy())
    return out.merge(_levels(country_scores, "regional_group", keys), on="regional_group")


def _weakest(summary: pd.DataFrame, key: str, rubric: Rubric) -> pd.DataFrame:
    ranked = summary[summary["n_scored"].ge(rubric.weakest_min_scored)].sort_values(
        ["mean_level", key]
    )
    if ranked.empty:
        return ranked
    cut = ranked["mean_level"].iloc[min(rubric.weakest_count, len(ranked)) - 1]
    return ranked[ranked["mean_level"].le(cut)]


def find_gaps(
    coverage: pd.DataFrame,
    themes: pd.DataFrame,
    pillars: pd.DataFrame,
    regions: pd.DataFrame,
    silent_states: pd.DataFrame,
    reference: Reference,
    rubric: Rubric,
    last_year: int | None,
) -> pd.DataFrame:
    """Commitments and themes with no or only negative evidence; silent States; weakest pillars, regions."""
    rows = []
    texts = dict(
        zip(reference.commitments["commitment"], reference.commitments["text"], strict=True)
    )
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
    year = f" up to {last_year}" if last_year else ""
    for row in silent_states.itertuples(index=False):
        rows.append(
            (
                "member_state",
                row.iso3,
                row.name,
                f"no statement from or about it, and no GLOTIP data{year}",
                "",
            )
        )
    for gap_type, table, key in (
        ("pillar", pillars, "pillar"),
        ("region", regions, "regional_group"),
    ):
        for row in _weakest(table, key, rubric).itertuples(index=False):
            row = row._asdict()
            rows.append(
                (
                    f"weakest_{gap_type}",
                    row[key],
                    row.get("label", row[key]),
                    f"lowest mean level: {row['mean_level']:.2f} over {row['n_scored']} Member State "
                    "score(s); its most-cited gaps are listed",
                    row["most_cited_gaps"],
                )
            )
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
