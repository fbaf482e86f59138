"""What the evidence covers: statement weights, commitment coverage, summaries and gaps.

Every statement that counts (not set aside, not merged) is weighed once:
    weight = weight of its kind × weight of its source,
where the source is `member_state_self` for a Member State speaking about itself and its
stakeholder type otherwise. Commitments and themes get a status from the weights of every
statement naming them (see `status`); pillars, themes and regional groups are rolled up with
counts, mean levels and the statement ids behind them. Used by `reviewlib.scoring`.

Columns are turned into integer codes once and counted with numpy, so that 100,000 statements
cost a few passes over arrays rather than a Python step per statement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reviewlib.decisions import counting
from reviewlib.reference import (
    KINDS,
    PILLAR_LABELS,
    PILLARS,
    REGIONAL_GROUPS,
    STAKEHOLDER_TYPES,
    Reference,
)
from reviewlib.rubric import SOURCES, Rubric

__all__ = [
    "KIND_COLUMNS",
    "GAP_COLUMNS",
    "Coded",
    "codes_of",
    "expand",
    "split_ids",
    "join_by",
    "weigh",
    "status",
    "commitment_coverage",
    "theme_summary",
    "pillar_summary",
    "region_summary",
    "find_gaps",
]

KIND_COLUMNS = {
    "achievement": "achievements",
    "gap": "gaps",
    "proposal": "proposals",
    "good_practice": "good_practices",
}
GAP_COLUMNS = ["gap_type", "id", "label", "reason", "statement_ids"]
_USED = [
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


# --- array helpers ----------------------------------------------------------------------------


def codes_of(values: pd.Series | np.ndarray, categories: list[str] | tuple[str, ...]) -> np.ndarray:
    """The position of each value in `categories`, -1 where it is not one of them."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    found = pd.Index(list(categories), dtype=object).get_indexer(pd.Index(uniques, dtype=object))
    return np.append(found, -1)[codes].astype(np.int64)


def expand(codes: np.ndarray, lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, values) where row i holds lists[codes[i]]: a vectorised explode."""
    lengths = np.array([len(x) for x in lists], dtype=np.int64)
    flat = np.array([v for x in lists for v in x] + [""], dtype=object)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    row_lengths = lengths[codes] if len(codes) else np.zeros(0, np.int64)
    rows = np.repeat(np.arange(len(codes)), row_lengths)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(row_lengths) - row_lengths, row_lengths)
    return rows, flat[np.repeat(starts[codes], row_lengths) + within]


def split_ids(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, ids) for a column of ';'-joined ids, split once per distinct value."""
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return expand(codes, [[p.strip() for p in str(u).split(";") if p.strip()] for u in uniques])


def join_by(
    group: np.ndarray,
    values: np.ndarray,
    n_groups: int,
    order: np.ndarray | None = None,
    limit: int | None = None,
) -> np.ndarray:
    """';'-joined values per group 0..n_groups-1 (in `order`, else as given); '' for an empty group."""
    order = np.argsort(group, kind="stable") if order is None else order
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
    picked = values[order]
    if limit is None:
        return np.array(
            [";".join(picked[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)],
            dtype=object,
        )
    return np.array(
        [
            ";".join(picked[a : min(b, a + limit)])
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ],
        dtype=object,
    )


def _count_distinct(group: np.ndarray, item: np.ndarray, n_groups: int, n_items: int) -> np.ndarray:
    """How many distinct items (codes 0..n_items-1; -1 ignored) each group has."""
    seen = np.zeros(n_groups * n_items, bool)
    keep = item >= 0
    seen[group[keep] * n_items + item[keep]] = True
    return seen.reshape(n_groups, n_items).sum(axis=1)


@dataclass(frozen=True)
class Coded:
    """The weighed statements as arrays, in statement id order: integer codes (-1 = none), weights.

    kind in KINDS, stakeholder in STAKEHOLDER_TYPES, scope and country in `states` (sorted ISO3),
    pillar in PILLARS, region in REGIONAL_GROUPS.
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


def weigh(
    statements: pd.DataFrame, rubric: Rubric, reference: Reference
) -> tuple[pd.DataFrame, Coded]:
    """The statements that count, sorted by id, with source, weights, independence and citations.

    citations = 1 + the statements merged into it in triage (the same point made again).
    """
    frame = statements
    for column in (*_USED, "decision", "merged_into"):
        if column not in frame.columns:
            frame = frame.assign(**{column: ""})
    merged = frame.loc[frame["decision"].eq("merge"), "merged_into"].value_counts()
    out = counting(frame[[*_USED, "decision", "merged_into"]])[_USED]
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
    )
    return out, coded


def status(positive: pd.Series, negative: pd.Series, rubric: Rubric) -> pd.Series:
    """on track / mixed / lagging / no evidence, from share = positive ÷ (positive + negative)."""
    total = positive + negative
    share = (positive / total.where(total > 0)).round(6)
    out = np.select(
        [total.le(0), share.ge(rubric.on_track_min_share), share.le(rubric.lagging_max_share)],
        ["no evidence", "on track", "lagging"],
        "mixed",
    )
    return pd.Series(out, index=positive.index, dtype=object)


def _rollup(
    c: Coded,
    rows: np.ndarray,
    group: np.ndarray,
    keys: list[str],
    key: str,
    rubric: Rubric,
    ids: bool = True,
) -> pd.DataFrame:
    """Per key: counts by kind, countries, stakeholder types, positive/negative weight, status, top ids.

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
    out["n_countries"] = _count_distinct(
        np.concatenate([group, group]),
        np.concatenate([c.scope[rows], c.country[rows]]),
        n,
        len(c.states),
    )
    out["n_stakeholder_types"] = _count_distinct(
        group, c.stakeholder[rows], n, len(STAKEHOLDER_TYPES)
    )
    weight = c.weight[rows]
    # + 0.0 turns a -0.0 into 0.0, so that tables print the same whatever the order of sums.
    out["positive"] = np.bincount(group, weights=weight.clip(min=0), minlength=n).round(6) + 0.0
    out["negative"] = np.bincount(group, weights=(-weight).clip(min=0), minlength=n).round(6) + 0.0
    total = out["positive"] + out["negative"]
    out["share_positive"] = (out["positive"] / total.where(total > 0)).round(4)
    out["status"] = status(out["positive"], out["negative"], rubric)
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
    """One row per GPA commitment: what was reported about it, by whom, and its status."""
    keys = list(reference.commitments["commitment"])
    rows, ids = split_ids(weighed["commitments"])
    out = _rollup(c, rows, codes_of(ids, keys), keys, "commitment", rubric)
    out.insert(1, "pillar", reference.commitments["pillar"].to_numpy())
    return out


def theme_summary(
    weighed: pd.DataFrame, c: Coded, reference: Reference, rubric: Rubric
) -> pd.DataFrame:
    keys = list(reference.themes["theme"])
    rows, ids = split_ids(weighed["themes"])
    out = _rollup(c, rows, codes_of(ids, keys), keys, "theme", rubric)
    out.insert(1, "label", reference.themes["label"].to_numpy())
    return out


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
    out = _rollup(c, np.arange(len(weighed)), group, keys, "pillar", rubric, ids=False)
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
    out = _rollup(c, np.arange(len(weighed)), c.region, keys, "regional_group", rubric, ids=False)
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
