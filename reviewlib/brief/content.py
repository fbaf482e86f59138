"""What each brief says, computed from its slice of the review only.

`prepare(review, part)` scores and balances the statements the brief reads (see
`reviewlib.brief.slices`), takes the ideas bearing on them from the review's one pool of ideas
(never pooled again inside the slice, so an idea has the same label, support, status and rank in
every brief), then picks the key messages, the achievements and gaps to quote, the ideas to show
and the evidence for the annex. Every sentence is computed from those tables, none typed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from reviewlib.brief import digests, kinds, slices
from reviewlib.brief.slices import Slice
from reviewlib.gather.review import Review
from reviewlib.gather.settings import ReviewConfig
from reviewlib.ideas.pool import IdeaPool
from reviewlib.scoring.balance import Balance, assess
from reviewlib.scoring.scores import Scores, score

QUOTES = 4  # achievements and gaps quoted in a brief's body
IDEAS = 5  # ideas listed in a brief's body


@dataclass(frozen=True)
class BriefContent:
    part: Slice
    title: str
    subtitle: str
    key_messages: tuple[str, ...]
    achievements: pd.DataFrame
    gaps: pd.DataFrame
    ideas: pd.DataFrame
    ideas_headline: str
    standing: pd.DataFrame
    standing_columns: dict[str, str]
    chart: pd.DataFrame
    chart_title: str
    annex: pd.DataFrame
    annex_indicators: pd.DataFrame
    digest: str
    latest_input: str
    config: ReviewConfig = field(repr=False, compare=False)
    scores: Scores = field(repr=False, compare=False)
    balance: Balance = field(repr=False, compare=False)
    pool: IdeaPool = field(repr=False, compare=False)


def _narrow(review: Review, part: Slice) -> Review:
    """The review as the brief sees it: only its statements and its GLOTIP rows."""
    reference = dataclasses.replace(review.reference, indicators=slices.indicators(review, part))
    return dataclasses.replace(
        review, statements=slices.statements(review, part), reference=reference
    )


def _quotes(statements: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    s = statements.set_index("statement_id")
    ids = [i for i in dict.fromkeys(ids) if i in s.index][:QUOTES]
    out = (
        s.loc[
            ids, ["submitter", "stakeholder_type", "kind", "pillar", "scope", "text"]
        ].reset_index()
        if ids
        else pd.DataFrame(
            columns=[
                "statement_id",
                "submitter",
                "stakeholder_type",
                "kind",
                "pillar",
                "scope",
                "text",
            ]
        )
    )
    return out


def _ids(column: pd.Series) -> list[str]:
    return [i for value in column for i in str(value).split(";") if i]


def _top_by_weight(scores: Scores, positive: bool) -> list[str]:
    """Statement ids, strongest first, one per contributor before a second from any of them."""
    w = scores.statements
    chosen = w[w["weight"] > 0] if positive else w[w["weight"] < 0]
    key = -(chosen["weight"] * chosen["citations"]) if positive else -chosen["citations"]
    ranked = chosen.assign(_k=key).sort_values(["_k", "statement_id"], kind="stable")
    first = ranked.drop_duplicates("submitter")
    return list(first["statement_id"]) + list(
        ranked.loc[~ranked.index.isin(first.index), "statement_id"]
    )


def _ideas_message(p: IdeaPool) -> str:
    new = p.new_ideas()
    if new.empty:
        return p.headline() + "."
    return f"{p.headline()}; the best-supported new idea: {new.iloc[0]['label']}"


@lru_cache(maxsize=64)
def _prepare(review: Review, part: Slice) -> BriefContent:
    narrow = _narrow(review, part)
    scores = score(narrow)
    p = slices.ideas(review, part)
    balance = assess(narrow)
    spec = kinds.SPECS[part.kind](review, part, scores, p, balance)
    ideas = p.top(n=IDEAS * (4 if part.kind == "ideas" else 1), new_only=part.kind != "country")
    messages = list(spec["messages"])
    if part.kind not in ("ideas",) and len(p.summary):
        messages.append(_ideas_message(p))
    achievements = _quotes(narrow.statements, _top_by_weight(scores, True))
    gaps = _quotes(narrow.statements, _top_by_weight(scores, False))
    cited = (
        set(achievements["statement_id"])
        | set(gaps["statement_id"])
        | set(_ids(ideas["statement_ids"]))
    )
    cited |= set(_ids(scores.country_scores["statement_ids"])) if part.kind == "country" else set()
    # Every statement counted: an idea's members outside the slice count towards its support too.
    annex = review.statements[review.statements["statement_id"].isin(cited)].sort_values(
        "statement_id"
    )
    return BriefContent(
        part=part,
        title=spec["title"],
        subtitle=spec["subtitle"],
        key_messages=tuple(messages[:5]),
        achievements=achievements,
        gaps=gaps,
        ideas=ideas,
        ideas_headline=p.headline(),
        standing=spec["standing"],
        standing_columns=spec["standing_columns"],
        chart=spec["chart"],
        chart_title=spec["chart_title"],
        annex=annex,
        annex_indicators=scores.glotip if part.kind == "country" else scores.glotip.iloc[0:0],
        digest=digests.input_digest(review, part),
        latest_input=slices.latest_input(review, part),
        config=review.config,
        scores=scores,
        balance=balance,
        pool=p,
    )


def prepare(review: Review, part: Slice) -> BriefContent:
    """Everything one brief shows (cached for the same review object and slice)."""
    return _prepare(review, part)
