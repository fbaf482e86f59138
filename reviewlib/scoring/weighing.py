"""Weigh every statement that counts: weight = weight of its kind × weight of its source.

The source is `member_state_self` for a Member State speaking about itself and its stakeholder
type otherwise; citations = 1 + the statements merged into it in triage (the same point made
again). The weighed statements are also given as integer-coded arrays (`Coded`), in statement id
order, for the counting that follows. `status` turns positive and negative weight into a plain
word (on track, mixed, lagging, no evidence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reviewlib.gather.decisions import counting
from reviewlib.gather.reference import Reference
from reviewlib.scoring.arrays import codes_of
from reviewlib.scoring.rubric import SOURCES, Rubric
from reviewlib.terms import KINDS, PILLARS, REGIONAL_GROUPS, STAKEHOLDER_TYPES

__all__ = ["USED_COLUMNS", "Coded", "weigh", "status"]

USED_COLUMNS = [
    "statement_id",
    "submitter",
    "stakeholder_type",
    "country",
    "kind",
    "pillar",
    "commitments",
    "themes",
    "scope_type",
    "scope_iso3",
    "regional_group",
    "text",
]


@dataclass(frozen=True)
class Coded:
    """The weighed statements as arrays, in statement id order: integer codes (-1 = none), weights.

    kind in KINDS, stakeholder in STAKEHOLDER_TYPES, scope and country in `states` (sorted ISO3),
    pillar in PILLARS, region in REGIONAL_GROUPS, submitter in `submitters` (sorted names).
    """

    ids: np.ndarray
    kind: np.ndarray
    stakeholder: np.ndarray
    scope: np.ndarray
    country: np.ndarray
    pillar: np.ndarray
    region: np.ndarray
    weight: np.ndarray
    independent: np.ndarray
    citations: np.ndarray
    states: tuple[str, ...]
    self_report: np.ndarray  # a Member State speaking about itself
    submitter: np.ndarray  # code in `submitters`
    submitters: tuple[str, ...]


def weigh(
    statements: pd.DataFrame, rubric: Rubric, reference: Reference
) -> tuple[pd.DataFrame, Coded]:
    """The statements that count, sorted by id, with source, weights, independence and citations.

    citations = 1 + the statements merged into it in triage (the same point made again).
    """
    frame = statements
    for column in (*USED_COLUMNS, "decision", "merged_into"):
        if column not in frame.columns:
            frame = frame.assign(**{column: ""})
    merged = frame.loc[frame["decision"].eq("merge"), "merged_into"].value_counts()
    out = counting(frame[[*USED_COLUMNS, "decision", "merged_into"]])[USED_COLUMNS]
    if not out["statement_id"].is_monotonic_increasing:
        out = out.sort_values("statement_id", kind="stable")
    out = out.reset_index(drop=True)
    states = tuple(sorted(reference.member_states["iso3"]))
    ids = out["statement_id"].to_numpy(dtype=object)
    kind = codes_of(out["kind"], KINDS)
    stakeholder = codes_of(out["stakeholder_type"], STAKEHOLDER_TYPES)
    scope, country = codes_of(out["scope_iso3"], states), codes_of(out["country"], states)
    # SOURCES = member_state_self, then the stakeholder types in order; unknown types weigh as other.
    is_self = (
        (stakeholder == STAKEHOLDER_TYPES.index("member_state")) & (scope >= 0) & (scope == country)
    )
    source = np.where(
        is_self, 0, np.where(stakeholder >= 0, stakeholder + 1, SOURCES.index("other"))
    )
    kind_weight = np.append([rubric.kind_weights[k] for k in KINDS], 0.0)[kind]
    source_weight = np.array([rubric.source_weights[s] for s in SOURCES])[source]
    citations = np.ones(len(out), np.int64)
    if len(merged):
        where = pd.Index(ids).get_indexer(merged.index)
        citations[where[where >= 0]] += merged.to_numpy()[where >= 0]
    out["source"] = np.array(SOURCES, dtype=object)[source]
    out["kind_weight"], out["source_weight"] = kind_weight, source_weight
    out["weight"] = kind_weight * source_weight
    out["independent"] = np.isin(source, [SOURCES.index(x) for x in rubric.independent])
    out["citations"] = citations
    out["self_report"] = is_self
    coded = Coded(
        ids,
        kind,
        stakeholder,
        scope,
        country,
        codes_of(out["pillar"], PILLARS),
        codes_of(out["regional_group"], REGIONAL_GROUPS),
        out["weight"].to_numpy(float),
        out["independent"].to_numpy(bool),
        citations,
        states,
        is_self,
        *_submitter_codes(out["submitter"]),
    )
    return out, coded


def _submitter_codes(submitters: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    codes, uniques = pd.factorize(submitters.fillna("").astype(str), sort=True)
    return codes.astype(np.int64), tuple(uniques)


def status(
    positive: pd.Series,
    negative: pd.Series,
    rubric: Rubric,
    critical_contributors: pd.Series | None = None,
) -> pd.Series:
    """on track / mixed / lagging / thin evidence / no evidence, from share = positive ÷
    (positive + negative); "lagging" needs critical statements from at least the rubric's
    `lagging_min_contributors` contributors, else it is "thin evidence"."""
    total = positive + negative
    share = (positive / total.where(total > 0)).round(6)
    low = share.le(rubric.lagging_max_share)
    enough = (
        critical_contributors.ge(rubric.lagging_min_contributors)
        if critical_contributors is not None
        else pd.Series(True, index=positive.index)
    )
    out = np.select(
        [total.le(0), share.ge(rubric.on_track_min_share), low & enough, low],
        ["no evidence", "on track", "lagging", "thin evidence"],
        "mixed",
    )
    return pd.Series(out, index=positive.index, dtype=object)
