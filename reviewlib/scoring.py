"""Score the review's evidence against the rubric: commitment coverage, country levels, gaps.

The formula, for one Member State and one pillar (inputs/rubric.yml states the numbers):

    weight(statement)   = kind weight × source weight   (a State on itself: member_state_self)
    net(criterion)      = Σ weight of the statements about the State, in the pillar, counting for it
                          (naming one of its commitments, or by its keywords as `matching` says)
    criterion status    = met if net > 0 or its GLOTIP rule holds; unmet if net < 0;
                          balanced if net = 0 with statements; no evidence otherwise
    share met           = Σ weight of criteria met ÷ Σ weight of the pillar's criteria
    level               = highest cut-off level whose min_share ≤ share met,
                          − min(penalty.max, penalty.per_criterion × unmet criteria whose net
                            from independent sources alone is < 0), never below 1;
                          none ("insufficient evidence") with fewer than the minimum statements
                          or pieces of evidence (statements + criteria whose GLOTIP rule found rows)

Only statements that count (not set aside, not merged) are used, with triage's pillar and
themes. Every table is sorted and computed from statements sorted by id, so the order of
files and rows never changes a figure. `Scores.evidence_for(iso3, pillar)` lists what is
behind any one score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import paths
from reviewlib.coverage import (
    Coded,
    codes_of,
    commitment_coverage,
    find_gaps,
    join_by,
    pillar_summary,
    region_summary,
    theme_summary,
    weigh,
)
from reviewlib.criteria import (
    MATCH_COLUMNS,
    check_rubric,
    glotip_totals,
    indicator_results,
    match_criteria,
    match_positions,
)
from reviewlib.inputs import Review
from reviewlib.reference import PILLARS, Reference
from reviewlib.rubric import Rubric, load_rubric

__all__ = ["Scores", "score", "score_statements", "match_criteria", "MATCH_COLUMNS"]


@dataclass(frozen=True)
class Scores:
    """The scores of a review; every row names the statements and GLOTIP rows behind it."""

    coverage: pd.DataFrame
    country_scores: pd.DataFrame
    criteria: pd.DataFrame
    pillar_summary: pd.DataFrame
    theme_summary: pd.DataFrame
    region_summary: pd.DataFrame
    gaps: pd.DataFrame
    evidence: pd.DataFrame
    statements: pd.DataFrame
    glotip: pd.DataFrame
    rubric: Rubric
    last_year: int | None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written to outputs/tables/."""
        return {
            "coverage": self.coverage,
            "country_scores": self.country_scores,
            "country_criteria": self.criteria,
            "gaps": self.gaps,
            "pillar_summary": self.pillar_summary,
            "theme_summary": self.theme_summary,
            "region_summary": self.region_summary,
        }

    def evidence_for(self, iso3: str, pillar: str) -> pd.DataFrame:
        """Every statement and GLOTIP row behind one Member State's pillar score, criterion by criterion."""
        crit = self.criteria[self.criteria["iso3"].eq(iso3) & self.criteria["pillar"].eq(pillar)]
        if crit.empty:
            raise KeyError(f"no score for {iso3!r} in {pillar!r}")
        heads = crit[["criterion", "label", "status"]]
        rows = self.evidence[self.evidence["iso3"].eq(iso3) & self.evidence["pillar"].eq(pillar)]
        said = rows.merge(self.statements[["statement_id", "submitter", "text"]], on="statement_id")
        said = said.assign(evidence="statement", ref=said["statement_id"])
        figures = crit[crit["indicator_rows"].ne("")][
            ["criterion", "indicator_rule", "indicator_rows"]
        ]
        figures = figures.assign(ref=figures["indicator_rows"].str.split(";")).explode("ref")
        g = self.glotip
        shown = g["value"].map(lambda v: f"{v:g}").where(~g["suppressed"], "<5 (suppressed)")
        values = dict(
            zip(g["iso3"] + "|" + g["indicator"] + "|" + g["year"].astype(str), shown, strict=True)
        )
        figures = figures.assign(
            evidence="GLOTIP",
            text=figures["indicator_rule"] + "; this row: " + figures["ref"].map(values).fillna(""),
        )
        out = pd.concat([said, figures], ignore_index=True).merge(heads, on="criterion")
        columns = [
            "criterion",
            "label",
            "status",
            "evidence",
            "ref",
            "kind",
            "source",
            "submitter",
            "kind_weight",
            "source_weight",
            "weight",
            "independent",
            "matched_by",
            "text",
        ]
        order = {c: i for i, c in enumerate(crit["criterion"])}
        out = out.reindex(columns=columns).assign(_o=out["criterion"].map(order))
        return (
            out.sort_values(["_o", "evidence", "ref"], kind="stable")
            .drop(columns="_o")
            .reset_index(drop=True)
        )


@lru_cache(maxsize=4)
def _rubric_file(path: str, mtime_ns: int, size: int) -> Rubric:
    return load_rubric(Path(path))


def score(review: Review, rubric: Rubric | None = None) -> Scores:
    """Score a loaded review; the rubric defaults to rubric.yml in the review's inputs folder."""
    if rubric is None:
        path = paths.rubric_file(review.inputs_dir)
        info = path.stat() if path.exists() else None
        rubric = (
            _rubric_file(str(path), info.st_mtime_ns, info.st_size)
            if info is not None
            else load_rubric(path)
        )
    meeting = review.config.meeting_start
    return score_statements(
        review.statements, review.reference, rubric, meeting_year=meeting.year if meeting else None
    )


# --- scores ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where things are: Member States with evidence (rows), criteria and pillars (columns)."""

    states: np.ndarray  # ISO3 codes with evidence, sorted
    state_row: np.ndarray  # Member State code (Coded.states) → row in `states`, or -1
    crit_ids: np.ndarray
    crit_pillar: np.ndarray  # pillar index (in rubric.pillars) of each criterion
    crit_weight: np.ndarray

    @property
    def n_crit(self) -> int:
        return len(self.crit_ids)


def _criteria_table(
    c: Coded,
    ev_pos: np.ndarray,
    ev_crit: np.ndarray,
    indicators: pd.DataFrame,
    lay: _Layout,
    rubric: Rubric,
) -> pd.DataFrame:
    """One row per Member State with evidence × criterion, with its net evidence and status."""
    n_grid = len(lay.states) * lay.n_crit
    cell = lay.state_row[c.scope[ev_pos]] * lay.n_crit + ev_crit
    weight = c.weight[ev_pos]
    net = np.bincount(cell, weights=weight, minlength=n_grid).round(6) + 0.0
    net_independent = (
        np.bincount(cell, weights=weight * c.independent[ev_pos], minlength=n_grid).round(6) + 0.0
    )
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
            "penalised": unmet & (net_independent < 0),
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


def _country_scores(
    c: Coded,
    criteria: pd.DataFrame,
    ev_pos: np.ndarray,
    ev_crit: np.ndarray,
    unmatched: np.ndarray,
    pillar_code: np.ndarray,
    lay: _Layout,
    reference: Reference,
    rubric: Rubric,
) -> pd.DataFrame:
    """One row per Member State with evidence × pillar: the level and everything behind it."""
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
    enough = (n_statements >= rubric.min_statements) & (n_evidence >= rubric.min_items)
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


def score_statements(
    statements: pd.DataFrame,
    reference: Reference,
    rubric: Rubric,
    *,
    meeting_year: int | None = None,
    matches: pd.DataFrame | None = None,
) -> Scores:
    """Score statements (as in Review.statements) against the rubric; `matches` from match_criteria()
    may be passed to skip matching again (it depends on the criteria, not the weights)."""
    totals, last = glotip_totals(reference, rubric, meeting_year)
    check_rubric(rubric, reference, totals)
    weighed, c = weigh(statements, rubric, reference)
    crit_ids = np.array([x.id for x in rubric.criteria], dtype=object)
    pillar_code = np.append(
        [rubric.pillars.index(p) if p in rubric.pillars else -1 for p in PILLARS], -1
    )[c.pillar]
    if matches is None:
        ev_pos, ev_crit, by_keyword = match_positions(weighed, rubric, pillar_code, c.scope >= 0)
    else:
        ev_pos = pd.Index(weighed["statement_id"]).get_indexer(matches["statement_id"])
        ev_crit = codes_of(matches["criterion"], list(crit_ids))
        by_keyword = matches["matched_by"].eq("keyword").to_numpy()
    crit_pillar = np.array(
        [rubric.pillars.index(x.pillar) for x in rubric.criteria], dtype=np.int64
    )
    about = (c.scope >= 0) & (c.weight != 0) & (pillar_code >= 0)
    ok = (ev_pos >= 0) & (ev_crit >= 0)
    ok[ok] = about[ev_pos[ok]] & (pillar_code[ev_pos[ok]] == crit_pillar[ev_crit[ok]])
    ev_pos, ev_crit, by_keyword = ev_pos[ok], ev_crit[ok], by_keyword[ok]
    glotip_codes = codes_of(totals["iso3"], c.states) if len(totals) else np.zeros(0, np.int64)
    has = np.unique(np.concatenate([c.scope[c.scope >= 0], glotip_codes]))
    state_row = np.full(len(c.states) + 1, -1, dtype=np.int64)  # the extra slot answers code -1
    state_row[has] = np.arange(len(has))
    lay = _Layout(
        np.array(c.states, dtype=object)[has],
        state_row,
        crit_ids,
        crit_pillar,
        np.array([x.weight for x in rubric.criteria], dtype=float),
    )
    # Sorted by State, criterion (rubric order), then statement id.
    order = np.lexsort((ev_pos, ev_crit, state_row[c.scope[ev_pos]]))
    ev_pos, ev_crit, by_keyword = ev_pos[order], ev_crit[order], by_keyword[order]
    criteria = _criteria_table(
        c, ev_pos, ev_crit, indicator_results(totals, last, rubric), lay, rubric
    )
    unmatched = np.flatnonzero(about & ~np.isin(np.arange(len(weighed)), ev_pos))
    country_scores = _country_scores(
        c, criteria, ev_pos, ev_crit, unmatched, pillar_code, lay, reference, rubric
    )
    evidence = pd.DataFrame(
        {
            "iso3": np.array(c.states + ("",), dtype=object)[c.scope[ev_pos]],
            "pillar": np.array(rubric.pillars, dtype=object)[crit_pillar[ev_crit]],
            "criterion": crit_ids[ev_crit],
            "statement_id": c.ids[ev_pos],
            "matched_by": np.where(by_keyword, "keyword", "commitment").astype(object),
            **{
                k: weighed[k].to_numpy()[ev_pos]
                for k in ("kind", "source", "kind_weight", "source_weight", "weight", "independent")
            },
        }
    )
    coverage = commitment_coverage(weighed, c, reference, rubric)
    themes = theme_summary(weighed, c, reference, rubric)
    pillars = pillar_summary(weighed, c, country_scores, rubric)
    regions = region_summary(weighed, c, country_scores, reference, rubric)
    heard = np.array(c.states + ("",), dtype=object)[
        np.concatenate([c.scope, c.country, glotip_codes])
    ]
    silent = reference.member_states[~reference.member_states["iso3"].isin(heard)].sort_values(
        "iso3"
    )
    gaps = find_gaps(
        coverage, themes, pillars, regions, silent[["iso3", "name"]], reference, rubric, last
    )
    return Scores(
        coverage=coverage,
        country_scores=country_scores,
        criteria=criteria,
        pillar_summary=pillars,
        theme_summary=themes,
        region_summary=regions,
        gaps=gaps,
        evidence=evidence,
        statements=weighed,
        glotip=totals,
        rubric=rubric,
        last_year=last,
    )
