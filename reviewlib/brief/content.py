"""What one brief says: its findings (what has moved, what is still missing) with the statements
that illustrate them, the options for the declaration, where the evidence stands, its basis and
its evidence annex.

`prepare(review, part)` reads the review-wide scores and balance — the same tables
`outputs/tables/` publishes — and selects the rows of its slice (`reviewlib.brief.slices`), so a
number is the same in every brief and in the tables; its options are the ideas of the review's
one pool that bear on its statements (`slices.ideas`), never pooled again inside the slice.
Every sentence is computed, none typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from reviewlib.brief import digests, kinds, quotes, slices
from reviewlib.brief.figures import Sentence, plain
from reviewlib.brief.findings import EVIDENCE, Context, Finding, chosen_findings
from reviewlib.brief.slices import OPTIONS, Slice
from reviewlib.gather.review import Review
from reviewlib.gather.settings import ReviewConfig
from reviewlib.ideas.pool import IdeaPool
from reviewlib.scoring.balance import Balance, assess
from reviewlib.scoring.scores import Scores, score

__all__ = ["BriefContent", "prepare", "review_wide", "OPTIONS"]


@dataclass(frozen=True)
class BriefContent:
    part: Slice
    title: str
    subtitle: str
    moved: tuple[Finding, ...]
    missing: tuple[Finding, ...]
    quotes: dict[Finding, str]  # the statement id quoted for a finding
    options: pd.DataFrame
    basis: Sentence
    standing: pd.DataFrame
    standing_columns: dict[str, str]
    standing_source: tuple[str, tuple[str, ...]]
    notes: tuple[Sentence, ...]
    chart: pd.DataFrame
    chart_title: str
    statements: pd.DataFrame  # every statement of the review (for quotes)
    annex: pd.DataFrame
    annex_figures: pd.DataFrame
    digest: str
    latest_input: str
    config: ReviewConfig = field(repr=False, compare=False)
    scores: Scores = field(repr=False, compare=False)
    balance: Balance = field(repr=False, compare=False)
    pool: IdeaPool = field(repr=False, compare=False)
    names: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # ISO3 → name
    inputs: str = field(default="", repr=False, compare=False)  # the folder it was read from

    @property
    def key_message(self) -> str:
        """The first finding, as plain text (for the index page)."""
        first = [*self.moved, *self.missing]
        return plain(first[0].sentence) if first else plain(self.basis)


@lru_cache(maxsize=4)
def review_wide(review: Review) -> tuple[Scores, Balance]:
    """The scores and the balance of the whole review, computed once."""
    return score(review), assess(review)


def _annex(review: Review, ids: set[str]) -> pd.DataFrame:
    s = review.statements
    return s[s["statement_id"].isin(ids)].sort_values("statement_id").reset_index(drop=True)


@lru_cache(maxsize=64)
def _prepare(review: Review, part: Slice) -> BriefContent:
    scores, balance = review_wide(review)
    ideas = slices.ideas(review, part)
    read = slices.statements(review, part)
    weighed = scores.statements[scores.statements["statement_id"].isin(read["statement_id"])]
    spec = kinds.SPECS[part.kind](Context(review, part, scores, weighed))
    findings = [*spec.moved, *spec.missing]
    chosen = quotes.choose(
        [f.candidates for f in findings],
        review.statements,
        scores.statements,
        quotes.QuoteRule.of(scores.rubric),
        review.config.language,
        spread_groups=part.kind not in ("country", "region"),
    )
    counted = set(weighed["statement_id"])
    if part.kind == "summary":  # its annex: the statements behind the findings it shows
        shown = chosen_findings(spec.moved, spec.missing)
        counted = {i for f in shown for i in f.candidates[:EVIDENCE]}
    options = ideas.new_ideas().head(OPTIONS) if part.kind not in ("ideas", "methods") else None
    figures = scores.unodc_figures()
    return BriefContent(
        part=part,
        title=spec.title,
        subtitle=spec.subtitle,
        moved=spec.moved,
        missing=spec.missing,
        quotes={f: q for f, q in zip(findings, chosen, strict=True) if q},
        options=options if options is not None else ideas.new_ideas().iloc[0:0],
        basis=spec.basis,
        standing=spec.standing,
        standing_columns=spec.standing_columns,
        standing_source=spec.standing_source,
        notes=spec.notes,
        chart=spec.chart,
        chart_title=spec.chart_title,
        statements=review.statements,
        annex=_annex(review, counted if part.kind != "methods" else set()),
        annex_figures=figures[figures["iso3"].eq(part.value)]
        if part.kind == "country"
        else figures.iloc[0:0],
        digest=digests.input_digest(review, part),
        latest_input=slices.latest_input(review, part),
        config=review.config,
        scores=scores,
        balance=balance,
        pool=ideas,
        names=review.reference.name_of,
        inputs=str(review.inputs_dir),
    )


def prepare(review: Review, part: Slice) -> BriefContent:
    """Everything one brief shows (cached for the same review object and slice)."""
    return _prepare(review, part)
