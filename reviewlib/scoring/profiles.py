"""Country evidence profiles: per Member State with evidence, each criterion of the rubric with the
net weight of the statements that count for it and its GLOTIP rule, and per pillar the share of
criteria met and the level the rubric's cut-offs give (working aids, with every id behind them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reviewlib.gather.reference import Reference
from reviewlib.scoring.arrays import codes_of, join_by
from reviewlib.scoring.criteria import match_positions
from reviewlib.scoring.rubric import Rubric
from reviewlib.scoring.weighing import Coded
from reviewlib.terms import PILLARS

__all__ = [
    "Evidence",
    "Layout",
    "evidence",
    "layout",
    "in_layout_order",
    "evidence_table",
    "criteria_table",
    "country_scores",
]


@dataclass(frozen=True)
class Layout:
    """Where things are: Member States with evidence (rows), criteria and pillars (columns)."""

    states: np.ndarray  # ISO3 codes with evidence, sorted
    state_row: np.ndarray  # Member State code (Coded.states) → row in `states`, or -1
    crit_ids: np.ndarray
    crit_pillar: np.ndarray  # pillar index (in rubric.pillars) of each criterion
    crit_weight: np.ndarray

    @property
    def n_crit(self) -> int:
        return len(self.crit_ids)


@dataclass(frozen=True)
class Evidence:
    """Which weighed statement counts for which criterion: positions in the weighed statements,
    criterion indexes (rubric order), and whether matched by keyword; sorted by State, criterion,
    then statement. `pillar_code` is each statement's pillar as an index in rubric.pillars, and
    `about` whether it is about a Member State with weight and a pillar the rubric scores."""

    pos: np.ndarray
    crit: np.ndarray
    by_keyword: np.ndarray
    pillar_code: np.ndarray
    about: np.ndarray

    def unmatched(self) -> np.ndarray:
        """Statements about a Member State that count for no criterion."""
        return np.flatnonzero(self.about & ~np.isin(np.arange(len(self.about)), self.pos))


def _criterion_pillars(rubric: Rubric) -> np.ndarray:
    return np.array([rubric.pillars.index(x.pillar) for x in rubric.criteria], dtype=np.int64)


def evidence(
    weighed: pd.DataFrame, c: Coded, rubric: Rubric, matches: pd.DataFrame | None = None
) -> Evidence:
    """Match the weighed statements to criteria (or take `matches` from match_criteria) and keep
    the pairs where the statement is about a State and in the criterion's own pillar."""
    crit_ids = [x.id for x in rubric.criteria]
    pillar_code = np.append(
        [rubric.pillars.index(p) if p in rubric.pillars else -1 for p in PILLARS], -1
    )[c.pillar]
    if matches is None:
        pos, crit, by_keyword = match_positions(weighed, rubric, pillar_code, c.scope >= 0)
    else:
        pos = pd.Index(weighed["statement_id"]).get_indexer(matches["statement_id"])
        crit = codes_of(matches["criterion"], crit_ids)
        by_keyword = matches["matched_by"].eq("keyword").to_numpy()
    crit_pillar = _criterion_pillars(rubric)
    about = (c.scope >= 0) & (c.weight != 0) & (pillar_code >= 0)
    ok = (pos >= 0) & (crit >= 0)
    ok[ok] = about[pos[ok]] & (pillar_code[pos[ok]] == crit_pillar[crit[ok]])
    return Evidence(pos[ok], crit[ok], by_keyword[ok], pillar_code, about)


def layout(c: Coded, glotip_codes: np.ndarray, rubric: Rubric) -> Layout:
    """Rows: the Member States with a statement about them or GLOTIP figures; columns: criteria."""
    has = np.unique(np.concatenate([c.scope[c.scope >= 0], glotip_codes]))
    state_row = np.full(len(c.states) + 1, -1, dtype=np.int64)  # the extra slot answers code -1
    state_row[has] = np.arange(len(has))
    return Layout(
        np.array(c.states, dtype=object)[has],
        state_row,
        np.array([x.id for x in rubric.criteria], dtype=object),
        _criterion_pillars(rubric),
        np.array([x.weight for x in rubric.criteria], dtype=float),
    )


def in_layout_order(ev: Evidence, c: Coded, lay: Layout) -> Evidence:
    """The evidence sorted by State, criterion (rubric order), then statement id."""
    order = np.lexsort((ev.pos, ev.crit, lay.state_row[c.scope[ev.pos]]))
    return Evidence(ev.pos[order], ev.crit[order], ev.by_keyword[order], ev.pillar_code, ev.about)


def evidence_table(
    ev: Evidence, weighed: pd.DataFrame, c: Coded, lay: Layout, rubric: Rubric
) -> pd.DataFrame:
    """One row per statement and criterion it counts for, with its weights."""
    return pd.DataFrame(
        {
            "iso3": np.array(c.states + ("",), dtype=object)[c.scope[ev.pos]],
            "pillar": np.array(rubric.pillars, dtype=object)[lay.crit_pillar[ev.crit]],
            "criterion": lay.crit_ids[ev.crit],
            "statement_id": c.ids[ev.pos],
            "matched_by": np.where(ev.by_keyword, "keyword", "commitment").astype(object),
            **{
                k: weighed[k].to_numpy()[ev.pos]
                for k in ("kind", "source", "kind_weight", "source_weight", "weight", "independent")
            },
        }
    )


def criteria_table(
    c: Coded, ev: Evidence, indicators: pd.DataFrame, lay: Layout, rubric: Rubric
) -> pd.DataFrame:
    """One row per Member State with evidence × criterion, with its net evidence and status."""
    ev_pos, ev_crit = ev.pos, ev.crit
    n_grid = len(lay.states) * lay.n_crit
    cell = lay.state_row[c.scope[ev_pos]] * lay.n_crit + ev_crit
    # A gap a State reports about itself is candour: evidence of a gap, never a demerit.
    own_gap = c.self_report[ev_pos] & (c.weight[ev_pos] < 0)
    weight = np.where(own_gap, 0.0, c.weight[ev_pos])
    net = np.bincount(cell, weights=weight, minlength=n_grid).round(6) + 0.0
    independent = c.independent[ev_pos]
    net_independent = (
        np.bincount(cell, weights=weight * independent, minlength=n_grid).round(6) + 0.0
    )
    n_critical_independent = np.bincount(
        cell, weights=independent & (weight < 0), minlength=n_grid
    ).astype(np.int64)
    n_statements = np.bincount(cell, minlength=n_grid)
    holds = np.zeros(n_grid, bool)
    rows = np.full(n_grid, "", dtype=object)
    n_rows = np.zeros(n_grid, np.int64)
    at = lay.state_row[codes_of(indicators["iso3"], c.states)] * lay.n_crit + codes_of(
        indicators["criterion"], list(lay.crit_ids)
    )
    holds[at], rows[at] = (
        indicators["indicator_holds"].to_numpy(bool),
        indicators["indicator_rows"].to_numpy(object),
    )
    n_rows[at] = indicators["n_indicator_rows"].to_numpy()
    met = (net > 0) | holds
    unmet = ~met & (net < 0)
    crits = {x.id: x for x in rubric.criteria}
    grid = pd.DataFrame(
        {
            "iso3": np.repeat(lay.states, lay.n_crit),
            "pillar": np.tile(
                np.array([crits[i].pillar for i in lay.crit_ids], dtype=object), len(lay.states)
            ),
            "criterion": np.tile(lay.crit_ids, len(lay.states)),
            "label": np.tile(
                np.array([crits[i].label for i in lay.crit_ids], dtype=object), len(lay.states)
            ),
            "weight": np.tile(lay.crit_weight, len(lay.states)),
            "status": np.select(
                [met, unmet, n_statements > 0], ["met", "unmet", "balanced"], "no evidence"
            ),
            "net": net,
            "net_independent": net_independent,
            "n_statements": n_statements,
            "n_own_gaps": np.bincount(cell, weights=own_gap, minlength=n_grid).astype(np.int64),
            "n_critical_independent": n_critical_independent,
            # No penalty from a single statement (levels.penalty.min_statements).
            "penalised": unmet
            & (net_independent < 0)
            & (n_critical_independent >= rubric.penalty_min_statements),
            "indicator_rule": np.tile(
                np.array(
                    [
                        crits[i].indicator.describe() if crits[i].indicator else ""
                        for i in lay.crit_ids
                    ],
                    dtype=object,
                ),
                len(lay.states),
            ),
            "indicator_holds": holds,
            "n_indicator_rows": n_rows,
            "statement_ids": join_by(cell, c.ids[ev_pos], n_grid, np.lexsort((ev_pos, cell))),
            "indicator_rows": rows,
        }
    )
    grid["status"] = grid["status"].astype(object)
    return grid


def country_scores(
    c: Coded,
    criteria: pd.DataFrame,
    ev: Evidence,
    lay: Layout,
    reference: Reference,
    rubric: Rubric,
) -> pd.DataFrame:
    """One row per Member State with evidence × pillar: the level and everything behind it."""
    ev_pos, ev_crit, unmatched, pillar_code = ev.pos, ev.crit, ev.unmatched(), ev.pillar_code
    n_p = len(rubric.pillars)
    n = len(lay.states) * n_p
    gp = np.repeat(np.arange(len(lay.states)) * n_p, lay.n_crit) + np.tile(
        lay.crit_pillar, len(lay.states)
    )
    met = criteria["status"].eq("met").to_numpy()
    unmet = criteria["status"].eq("unmet").to_numpy()
    weight = criteria["weight"].to_numpy(float)
    share = np.bincount(gp, weights=weight * met, minlength=n) / np.bincount(
        gp, weights=weight, minlength=n
    )
    penalty = np.minimum(
        rubric.penalty_max,
        rubric.penalty_per_criterion
        * np.bincount(gp, weights=criteria["penalised"].to_numpy(), minlength=n).astype(np.int64),
    )
    # Distinct statements per State and pillar (a statement may count for two criteria).
    cell = lay.state_row[c.scope[ev_pos]] * n_p + lay.crit_pillar[ev_crit]
    distinct = np.unique(cell * len(c.ids) + ev_pos)
    d_cell, d_pos = distinct // len(c.ids), distinct % len(c.ids)
    n_statements = np.bincount(d_cell, minlength=n)
    with_rows = criteria["n_indicator_rows"].to_numpy() > 0
    n_evidence = n_statements + np.bincount(gp, weights=with_rows, minlength=n).astype(np.int64)
    cutoffs = np.array([x.min_share for x in rubric.levels])
    share = share.round(6)
    level = np.maximum(1, np.searchsorted(cutoffs, share + 1e-9, side="right") - penalty)
    # UNODC data counts as evidence even when nobody wrote about it.
    with_figures = np.bincount(gp, weights=with_rows, minlength=n) > 0
    enough = ((n_statements >= rubric.min_statements) | with_figures) & (
        n_evidence >= rubric.min_items
    )
    labels = np.array([rubric.insufficient_label, *(x.label for x in rubric.levels)], dtype=object)
    ids = criteria["criterion"].to_numpy(object)
    u_cell = lay.state_row[c.scope[unmatched]] * n_p + pillar_code[unmatched]
    states = np.repeat(lay.states, n_p)
    return pd.DataFrame(
        {
            "iso3": states,
            "country": pd.Series(states).map(reference.name_of).to_numpy(object),
            "regional_group": pd.Series(states).map(reference.group_of).to_numpy(object),
            "pillar": np.tile(np.array(rubric.pillars, dtype=object), len(lay.states)),
            "level": pd.Series(level, dtype="Int64").where(enough),
            "label": labels[np.where(enough, level, 0)],
            "share_met": share,
            "n_criteria": np.bincount(gp, minlength=n),
            "n_met": np.bincount(gp, weights=met, minlength=n).astype(np.int64),
            "n_unmet": np.bincount(gp, weights=unmet, minlength=n).astype(np.int64),
            "penalty": penalty,
            "criteria_met": join_by(gp, ids, n, np.flatnonzero(met)),
            "criteria_unmet": join_by(gp, ids, n, np.flatnonzero(unmet)),
            "n_statements": n_statements,
            "n_unmatched": np.bincount(u_cell[u_cell >= 0], minlength=n),
            "n_evidence": n_evidence,
            "statement_ids": join_by(d_cell, c.ids[d_pos], n, np.arange(len(d_cell))),
            "indicator_rows": join_by(
                gp, criteria["indicator_rows"].to_numpy(object), n, np.flatnonzero(with_rows)
            ),
            "unmatched_statement_ids": join_by(
                u_cell, c.ids[unmatched], n, np.argsort(u_cell, kind="stable")
            ),
        }
    )
