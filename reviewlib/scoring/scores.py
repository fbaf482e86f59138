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

import datetime as dt
import weakref
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import paths
from reviewlib.gather.dated import editions_sentence, treaty_status, treaty_summary
from reviewlib.gather.milestones import long_date
from reviewlib.gather.reference import Reference
from reviewlib.gather.review import Review
from reviewlib.scoring import evidence, profiles
from reviewlib.scoring.arrays import codes_of
from reviewlib.scoring.coverage import commitment_coverage, theme_summary
from reviewlib.scoring.criteria import MATCH_COLUMNS, counted_commitments, match_criteria
from reviewlib.scoring.indicator_rules import glotip_totals, indicator_results
from reviewlib.scoring.rubric import Rubric, check_rubric, load_rubric
from reviewlib.scoring.summaries import find_gaps, level_summary, pillar_summary, region_summary
from reviewlib.scoring.weighing import Coded, weigh
from reviewlib.terms import REGIONAL_GROUPS

__all__ = ["Scores", "score", "score_statements", "match_criteria", "MATCH_COLUMNS"]


@dataclass(frozen=True)
class _Basis:
    """The coded statements, layout and reference data the evidence tables are computed from."""

    coded: Coded
    layout: profiles.Layout
    reference: Reference


@dataclass(frozen=True)
class Scores:
    """The scores of a review; every row names the statements and GLOTIP rows behind it.

    The evidence tables (coverage, summaries, country_evidence, region and theme commitments,
    gaps, the UNODC figures used) may be circulated; the levels (country_scores, criteria,
    pillar_levels, region_levels) are an internal working aid, never circulated.
    """

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
    pillar_levels: pd.DataFrame
    region_levels: pd.DataFrame
    # What the tables below are made from. They are computed when first asked for, so that
    # the what-if panel, which never shows them, does not wait for them on every move.
    basis: _Basis = field(repr=False, compare=False)

    @cached_property
    def country_evidence(self) -> pd.DataFrame:
        b = self.basis
        return evidence.country_evidence(
            b.coded, self.criteria, b.layout.states, b.reference, self.rubric
        )

    @cached_property
    def region_commitments(self) -> pd.DataFrame:
        b = self.basis
        return evidence.region_commitments(self.statements, b.coded, b.reference)

    @cached_property
    def theme_commitments(self) -> pd.DataFrame:
        b = self.basis
        return evidence.theme_commitments(self.statements, b.coded, b.reference, self.rubric)

    @cached_property
    def editions_note(self) -> str:
        """What the methods note says of the UNODC editions the figures come from ('' without)."""
        return editions_sentence(self.basis.reference.editions, self.basis.reference.as_of)

    @cached_property
    def treaty_status(self) -> pd.DataFrame:
        """Treaty status on the review's date, per Member State and treaty."""
        reference = self.basis.reference
        status = treaty_status(reference.treaty_parties, reference.member_states, reference.as_of)
        status.insert(1, "country", status["iso3"].map(reference.name_of))
        status.insert(5, "since_in_words", status["since"].map(_in_words))
        return status

    @cached_property
    def treaty_summary(self) -> pd.DataFrame:
        """How many Member States were party to each treaty on the review's date."""
        summary = treaty_summary(self.treaty_status, self.basis.reference.as_of)
        summary["as_of_in_words"] = summary["as_of"].map(_in_words)
        return summary

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written to outputs/tables/: evidence, never a level or grade of a State."""
        return {
            "coverage": self.coverage,
            "country_evidence": self.country_evidence,
            "region_commitments": self.region_commitments,
            "theme_commitments": self.theme_commitments,
            "gaps": self.gaps,
            "pillar_summary": self.pillar_summary,
            "theme_summary": self.theme_summary,
            "region_summary": self.region_summary,
            "unodc_figures": self.unodc_figures(),
            "contested": self.contested(),
            "treaty_status": self.treaty_status,
            "treaty_summary": self.treaty_summary,
        }

    def contested(self) -> pd.DataFrame:
        """Where Member States and non-governmental contributors disagree, per commitment."""
        return self._contested

    @cached_property
    def _contested(self) -> pd.DataFrame:
        from reviewlib.scoring.contested import contested

        return contested(self.statements, self.coverage)

    def internal_tables(self) -> dict[str, pd.DataFrame]:
        """The secretariat's working aids, written to outputs/internal/ only."""
        return {
            "country_scores": self.country_scores,
            "country_criteria": self.criteria,
            "pillar_levels": self.pillar_levels,
            "region_levels": self.region_levels,
        }

    def unodc_figures(self) -> pd.DataFrame:
        """The UNODC Global Report figures the review uses (all-victims totals per State,
        indicator and year), as published: a count under five stays "<5"; `edition` is the
        edition of the Global Report that carried it ('' without an editions table). Made once
        (every brief reads it)."""
        return self._unodc_figures

    @cached_property
    def _unodc_figures(self) -> pd.DataFrame:
        g = self.glotip
        columns = ["iso3", "indicator", "year", "value", "suppressed", "edition", "source"]
        if g is None or g.empty:
            return pd.DataFrame(columns=columns)
        out = g.reindex(columns=columns).copy()
        out["edition"] = out["edition"].astype(object).where(out["edition"].notna(), "")
        out["shown"] = np.where(
            out["suppressed"].astype(bool), "<5", out["value"].map(lambda v: f"{v:,.0f}")
        )
        return out.sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)

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


_SCORED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def score(review: Review, rubric: Rubric | None = None) -> Scores:
    """Score a loaded review; the rubric defaults to rubric.yml in the review's inputs folder,
    and then the scores are computed once per review object and version of rubric.yml (the
    tables, the internal workbook and the zero draft all read them)."""
    if rubric is not None:
        return _score(review, rubric)
    path = paths.rubric_file(review.inputs_dir)
    if not path.exists():
        return _score(review, load_rubric(path))  # says what is missing
    info = path.stat()
    stamp = (str(path), info.st_mtime_ns, info.st_size)
    try:
        done = _SCORED.get(review)
    except TypeError:  # a stand-in review that cannot be remembered
        return _score(review, _rubric_file(*stamp))
    if done is None or done[0] != stamp:
        done = _SCORED[review] = (stamp, _score(review, _rubric_file(*stamp)))
    return done[1]


def _score(review: Review, rubric: Rubric) -> Scores:
    meeting = review.config.meeting_start
    return score_statements(
        review.statements, review.reference, rubric, meeting_year=meeting.year if meeting else None
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
    weighed["counted_commitments"] = counted_commitments(weighed, rubric)
    glotip_codes = codes_of(totals["iso3"], c.states) if len(totals) else np.zeros(0, np.int64)
    lay = profiles.layout(c, glotip_codes, rubric)
    ev = profiles.in_layout_order(profiles.evidence(weighed, c, rubric, matches), c, lay)
    criteria = profiles.criteria_table(c, ev, indicator_results(totals, last, rubric), lay, rubric)
    country_scores = profiles.country_scores(c, criteria, ev, lay, reference, rubric)
    coverage = commitment_coverage(weighed, c, reference, rubric)
    themes = theme_summary(weighed, c, reference, rubric)
    figures = set(totals["iso3"]) if len(totals) else set()
    heard = np.array(c.states + ("",), dtype=object)[
        np.concatenate([c.scope, c.country, glotip_codes])
    ]
    states = reference.member_states
    silent = states[~states["iso3"].isin(heard)].sort_values("iso3")[["iso3", "name"]]
    return Scores(
        coverage=coverage,
        country_scores=country_scores,
        criteria=criteria,
        pillar_summary=pillar_summary(weighed, c, rubric),
        theme_summary=themes,
        region_summary=region_summary(weighed, c, reference, rubric, figures),
        gaps=find_gaps(coverage, themes, silent, reference, last),
        evidence=profiles.evidence_table(ev, weighed, c, lay, rubric),
        statements=weighed,
        glotip=totals,
        rubric=rubric,
        last_year=last,
        pillar_levels=level_summary(country_scores, "pillar", list(rubric.pillars)),
        region_levels=level_summary(country_scores, "regional_group", list(REGIONAL_GROUPS)),
        basis=_Basis(coded=c, layout=lay, reference=reference),
    )


def _in_words(day: str) -> str:
    """ "2002-08-21" → "21 August 2002" ('' stays '')."""
    return long_date(dt.date.fromisoformat(day)) if day else ""
