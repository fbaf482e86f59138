"""What the evidence covers: per GPA commitment and per theme, what was reported, by whom, and
its status — each row naming the statements behind it.

`rollup` is the one way statements are counted per key (commitment, theme, pillar, regional
group): counts by kind, countries, stakeholder types, positive and negative weight, status, the
strongest achievements and the most-cited gaps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewlib.gather.reference import Reference
from reviewlib.scoring.arrays import codes_of, count_distinct, join_by, split_ids
from reviewlib.scoring.rubric import Rubric
from reviewlib.scoring.weighing import Coded, status
from reviewlib.terms import KINDS, STAKEHOLDER_TYPES

__all__ = ["KIND_COLUMNS", "rollup", "commitment_coverage", "theme_summary"]

KIND_COLUMNS = {
    "achievement": "achievements",
    "gap": "gaps",
    "proposal": "proposals",
    "good_practice": "good_practices",
}


def rollup(
    c: Coded,
    rows: np.ndarray,
    group: np.ndarray,
    keys: list[str],
    key: str,
    rubric: Rubric,
    ids: bool = True,
) -> pd.DataFrame:
    """Per key: counts by kind, countries, stakeholder types and contributors (all, with positive
    and with critical statements), positive/negative weight, status, top ids.

    `rows` are statement positions and `group` the key of each (one statement may have several).
    """
    keep = group >= 0
    rows, group, n = rows[keep], group[keep], len(keys)
    out = pd.DataFrame({key: keys})
    by_kind = np.bincount(
        group * len(KINDS) + c.kind[rows].clip(0), minlength=n * len(KINDS)
    ).reshape(n, -1)
    for i, kind in enumerate(KINDS):
        out[KIND_COLUMNS[kind]] = by_kind[:, i]
    out["n_statements"] = np.bincount(group, minlength=n)
    out["n_countries"] = count_distinct(
        np.concatenate([group, group]),
        np.concatenate([c.scope[rows], c.country[rows]]),
        n,
        len(c.states),
    )
    out["n_stakeholder_types"] = count_distinct(
        group, c.stakeholder[rows], n, len(STAKEHOLDER_TYPES)
    )
    weight = c.weight[rows]
    who, n_who = c.submitter[rows], len(c.submitters)
    out["n_contributors"] = count_distinct(group, who, n, n_who)
    out["n_positive_contributors"] = count_distinct(group, np.where(weight > 0, who, -1), n, n_who)
    out["n_critical_contributors"] = count_distinct(group, np.where(weight < 0, who, -1), n, n_who)
    # + 0.0 turns a -0.0 into 0.0, so that tables print the same whatever the order of sums.
    out["positive"] = np.bincount(group, weights=weight.clip(min=0), minlength=n).round(6) + 0.0
    out["negative"] = np.bincount(group, weights=(-weight).clip(min=0), minlength=n).round(6) + 0.0
    total = out["positive"] + out["negative"]
    out["share_positive"] = (out["positive"] / total.where(total > 0)).round(4)
    out["status"] = status(out["positive"], out["negative"], rubric, out["n_critical_contributors"])
    # Strongest: weight × citations, largest first; most cited: citations, then the largest gap.
    citations = c.citations[rows]
    up, down = np.flatnonzero(weight > 0), np.flatnonzero(weight < 0)
    order = up[np.lexsort((rows[up], -(weight * citations)[up], group[up]))]
    out["strongest_achievements"] = join_by(group, c.ids[rows], n, order, rubric.top)
    order = down[np.lexsort((rows[down], weight[down], -citations[down], group[down]))]
    out["most_cited_gaps"] = join_by(group, c.ids[rows], n, order, rubric.top)
    if ids:
        out["statement_ids"] = join_by(group, c.ids[rows], n, np.lexsort((rows, group)))
    return out


def commitment_coverage(
    weighed: pd.DataFrame, c: Coded, reference: Reference, rubric: Rubric
) -> pd.DataFrame:
    """One row per GPA commitment: what was reported about it, by whom, and its status (a
    statement counts for the commitments it names, or those its keywords match when it names
    none: `counted_commitments`)."""
    keys = list(reference.commitments["commitment"])
    rows, ids = split_ids(weighed["counted_commitments"])
    out = rollup(c, rows, codes_of(ids, keys), keys, "commitment", rubric)
    out.insert(1, "pillar", reference.commitments["pillar"].to_numpy())
    out.insert(2, "title", reference.commitments["title"].to_numpy())
    return out


def theme_summary(
    weighed: pd.DataFrame, c: Coded, reference: Reference, rubric: Rubric
) -> pd.DataFrame:
    keys = list(reference.themes["theme"])
    rows, ids = split_ids(weighed["themes"])
    out = rollup(c, rows, codes_of(ids, keys), keys, "theme", rubric)
    out.insert(1, "label", reference.themes["label"].to_numpy())
    return out
