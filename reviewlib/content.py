"""What each brief says, computed from its slice of the review only.

`prepare(review, part)` scores, balances and pools the statements the brief reads (see
`reviewlib.slices`), then picks the key messages, the achievements and gaps to quote, the ideas to
show and the evidence for the annex. Every sentence is computed from those tables, none typed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from reviewlib import slices
from reviewlib.balance import Balance, assess
from reviewlib.config import ReviewConfig
from reviewlib.ideas import IdeaPool, pool
from reviewlib.inputs import Review
from reviewlib.reference import PILLAR_LABELS
from reviewlib.scoring import Scores, score
from reviewlib.slices import Slice

QUOTES = 4  # achievements and gaps quoted in a brief's body
IDEAS = 5  # ideas listed in a brief's body
TITLES = {
    "overview": "Overview: achievements, gaps and ideas",
    "ideas": "Pool of ideas: elements for the zero draft",
}


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


def _percent(x: float) -> str:
    return f"{round(100 * x)}%"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def _series(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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


def _counts_sentence(w: pd.DataFrame) -> str:
    kinds = w["kind"].value_counts()
    return (
        f"{_plural(len(w), 'statement')} from {_plural(w['submitter'].nunique(), 'contributor')}: "
        f"{_plural(kinds.get('achievement', 0), 'achievement')}, {_plural(kinds.get('gap', 0), 'gap')}, "
        f"{_plural(kinds.get('good_practice', 0), 'good practice')} and "
        f"{_plural(kinds.get('proposal', 0), 'proposal')}."
    )


def _ideas_message(p: IdeaPool) -> str:
    new = p.new_ideas()
    if new.empty:
        return p.headline() + "."
    return f"{p.headline()}; the best-supported new idea: {new.iloc[0]['label']}"


def _pillar_message(summary: pd.DataFrame) -> str | None:
    rated = summary[summary["share_positive"].notna()]
    if len(rated) < 2:
        return None
    best = rated.sort_values(["share_positive", "pillar"], ascending=[False, True]).iloc[0]
    worst = rated.sort_values(["share_positive", "pillar"]).iloc[0]
    return (
        f"Evidence is most positive on {best['label'].lower()} ({_percent(best['share_positive'])} of weighted "
        f"evidence positive) and least on {worst['label'].lower()} ({_percent(worst['share_positive'])})."
    )


def _commitment_message(coverage: pd.DataFrame) -> str | None:
    lagging = coverage[coverage["status"].eq("lagging")]
    if lagging.empty:
        return None
    lagging = lagging.sort_values(["negative", "commitment"], ascending=[False, True])
    named = ", ".join(lagging["commitment"].head(3))
    return (
        f"{_plural(len(lagging), 'commitment')} of the GPA {'is' if len(lagging) == 1 else 'are'} lagging, "
        f"most of all {named}; {int(coverage['status'].eq('no evidence').sum())} have no evidence at all."
    )


def _glotip_message(scores: Scores, iso3: str) -> str | None:
    g = scores.glotip
    if g is None or g.empty:
        return None
    rows = g[g["iso3"].eq(iso3)]
    parts = []
    for indicator, word in (
        ("Detected trafficking victims", "victims detected"),
        ("Persons convicted", "persons convicted"),
    ):
        r = rows[rows["indicator"].eq(indicator)].sort_values("year")
        if len(r):
            last = r.iloc[-1]
            value = "fewer than 5" if bool(last["suppressed"]) else f"{int(last['value']):,}"
            parts.append(f"{value} {word} in {int(last['year'])}")
    return f"UNODC Global Report data: {'; '.join(parts)}." if parts else None


def _levels(scores: Scores, iso3: str) -> pd.DataFrame:
    c = scores.country_scores[scores.country_scores["iso3"].eq(iso3)].copy()
    c["pillar_label"] = c["pillar"].map(PILLAR_LABELS)
    c["level_text"] = c.apply(
        lambda r: "—" if pd.isna(r["level"]) else f"{int(r['level'])} of 5", axis=1
    )
    return c


def _country(review: Review, part: Slice, scores: Scores, p: IdeaPool, balance: Balance) -> dict:
    name = review.reference.name_of[part.value]
    levels = _levels(scores, part.value)
    messages = []
    rated = levels[levels["level"].notna()]
    if len(rated) and rated["level"].nunique() == 1:
        first = rated.iloc[0]
        messages.append(
            f"Level {int(first['level'])} ({first['label'].lower()}) on "
            f"{_series(rated['pillar_label'].str.lower())}."
        )
    elif len(rated):
        top = rated.sort_values(["level", "pillar"], ascending=[False, True]).iloc[0]
        low = rated.sort_values(["level", "pillar"]).iloc[0]
        messages.append(
            f"Strongest on {top['pillar_label'].lower()} (level {int(top['level'])}, "
            f"{top['label'].lower()}); weakest on {low['pillar_label'].lower()} (level {int(low['level'])}, "
            f"{low['label'].lower()})."
        )
    unrated = levels[levels["level"].isna()]
    if len(unrated):
        messages.append(
            f"Too little evidence to score {_series(unrated['pillar_label'].str.lower())}."
        )
    w = scores.statements
    own = w["source"].eq("member_state_self").sum()
    messages.append(
        _counts_sentence(w).replace(
            "statements from", "statements by or about " + name + " from", 1
        )
        + f" {own} come from the Government itself."
    )
    if (g := _glotip_message(scores, part.value)) is not None:
        messages.append(g)
    names = {c.id: c.label for c in scores.rubric.criteria}
    for column in ("criteria_met", "criteria_unmet"):
        levels[column] = levels[column].map(
            lambda ids: "; ".join(names.get(i, i) for i in ids.split(";") if i)
        )
    standing = levels[["pillar_label", "level_text", "label", "criteria_met", "criteria_unmet"]]
    chart = levels[["pillar_label", "level"]].rename(
        columns={"pillar_label": "category", "level": "value"}
    )
    return {
        "title": f"{name}: achievements and gaps",
        "subtitle": f"Member State brief · {review.reference.group_of[part.value]} Group",
        "messages": messages,
        "standing": standing,
        "standing_columns": {
            "pillar_label": "Pillar",
            "level_text": "Level",
            "label": "What the level means",
            "criteria_met": "Criteria met",
            "criteria_unmet": "Criteria unmet",
        },
        "chart": chart,
        "chart_title": f"Level by pillar, {name} (1 = no evidence of action, 5 = comprehensive)",
    }


def _pillar(review: Review, part: Slice, scores: Scores, p: IdeaPool, balance: Balance) -> dict:
    label = PILLAR_LABELS[part.value]
    summary = scores.pillar_summary.set_index("pillar").loc[part.value]
    coverage = scores.coverage[scores.coverage["pillar"].eq(part.value)]
    messages = [_counts_sentence(scores.statements)]
    if pd.notna(summary["share_positive"]):
        messages.append(
            f"{_percent(summary['share_positive'])} of the weighted evidence is positive: "
            f"the pillar is {summary['status']}."
        )
    if summary["n_scored"]:
        messages.append(
            f"{summary['n_scored']} Member States could be scored, with a mean level of "
            f"{summary['mean_level']:.1f} of 5; {summary['n_insufficient']} had too little evidence."
        )
    if (c := _commitment_message(coverage)) is not None:
        messages.append(c)
    standing = coverage.merge(review.reference.commitments[["commitment", "text"]], on="commitment")
    levels = scores.country_scores[scores.country_scores["pillar"].eq(part.value)]
    chart = levels["level"].dropna().astype(int).value_counts().reindex(range(1, 6), fill_value=0)
    return {
        "title": f"{label}: achievements and gaps",
        "subtitle": "Pillar brief",
        "messages": messages,
        "standing": standing,
        "standing_columns": {
            "commitment": "Commitment",
            "text": "What the GPA asks",
            "achievements": "Achievements",
            "gaps": "Gaps",
            "status": "Status",
        },
        "chart": pd.DataFrame(
            {"category": [f"Level {i}" for i in chart.index], "value": chart.to_numpy()}
        ),
        "chart_title": f"Member States by level, {label.lower()}",
    }


def _theme(review: Review, part: Slice, scores: Scores, p: IdeaPool, balance: Balance) -> dict:
    row = scores.theme_summary.set_index("theme").loc[part.value]
    by_pillar = scores.statements.groupby(["pillar", "kind"]).size().unstack(fill_value=0)
    messages = [_counts_sentence(scores.statements)]
    if pd.notna(row["share_positive"]):
        messages.append(
            f"{_percent(row['share_positive'])} of the weighted evidence is positive: the theme is "
            f"{row['status']}; {row['n_countries']} countries are named."
        )
    if len(by_pillar):
        pillar = by_pillar.sum(axis=1).sort_values(ascending=False).index[0]
        messages.append(
            f"Most statements on this theme concern {PILLAR_LABELS.get(pillar, pillar).lower()}."
        )
    standing = by_pillar.reindex(
        columns=["achievement", "gap", "good_practice", "proposal"], fill_value=0
    )
    standing = standing.reset_index().assign(
        pillar=lambda f: f["pillar"].map(PILLAR_LABELS).fillna("(no pillar)")
    )
    chart = standing.assign(category=standing["pillar"], value=standing["gap"])[
        ["category", "value"]
    ]
    return {
        "title": f"{row['label']}: achievements and gaps",
        "subtitle": "Theme brief",
        "messages": messages,
        "standing": standing,
        "standing_columns": {
            "pillar": "Pillar",
            "achievement": "Achievements",
            "gap": "Gaps",
            "good_practice": "Good practices",
            "proposal": "Proposals",
        },
        "chart": chart,
        "chart_title": "Gaps reported on this theme, by pillar",
    }


def _region(review: Review, part: Slice, scores: Scores, p: IdeaPool, balance: Balance) -> dict:
    row = scores.region_summary.set_index("regional_group").loc[part.value]
    states = balance.states.set_index("regional_group").loc[part.value]
    messages = [
        _counts_sentence(scores.statements),
        f"{int(states['contributing_states'])} of the group's {int(states['member_states'])} Member States "
        f"contributed themselves; {int(row['n_states_with_evidence'])} have some evidence.",
    ]
    means = scores.country_scores[scores.country_scores["regional_group"].eq(part.value)]
    means = means.groupby("pillar")["level"].mean().dropna()
    if len(means) >= 2:
        messages.append(
            f"Mean levels are highest on {PILLAR_LABELS[means.idxmax()].lower()} ({means.max():.1f}) and "
            f"lowest on {PILLAR_LABELS[means.idxmin()].lower()} ({means.min():.1f})."
        )
    standing = scores.country_scores[scores.country_scores["regional_group"].eq(part.value)]
    standing = standing.pivot_table(
        index="country", columns="pillar", values="level", aggfunc="first"
    )
    standing = (
        standing.reindex(columns=list(PILLAR_LABELS)).astype(object).reset_index().fillna("—")
    )
    chart = pd.DataFrame(
        {"category": [PILLAR_LABELS[k] for k in means.index], "value": means.to_numpy()}
    )
    return {
        "title": f"{part.value} Group: achievements and gaps",
        "subtitle": "Regional group brief",
        "messages": messages,
        "standing": standing,
        "standing_columns": {"country": "Member State", **PILLAR_LABELS},
        "chart": chart,
        "chart_title": f"Mean level by pillar, {part.value} Group",
    }


def _overview(review: Review, part: Slice, scores: Scores, p: IdeaPool, balance: Balance) -> dict:
    messages = [
        f"{_plural(balance.n_contributions, 'contribution')} gave "
        + _counts_sentence(scores.statements)[0].lower()
        + _counts_sentence(scores.statements)[1:]
    ]
    for m in (
        _pillar_message(scores.pillar_summary),
        _commitment_message(scores.coverage),
    ):
        if m:
            messages.append(m)
    themes = scores.theme_summary.sort_values(["gaps", "theme"], ascending=[False, True])
    if len(themes) and themes.iloc[0]["gaps"]:
        messages.append(
            f"Of the themes the GPA covers thinly, {themes.iloc[0]['label'].lower()} draws the most gaps "
            f"({themes.iloc[0]['gaps']})."
        )
    if balance.messages:
        messages.append(f"Balance of voices: {balance.messages[0]}")
    standing = scores.pillar_summary
    chart = standing.assign(
        category=standing["label"], value=standing["share_positive"].fillna(0) * 100
    )
    return {
        "title": TITLES["overview"],
        "subtitle": "The whole review",
        "messages": messages,
        "standing": standing,
        "standing_columns": {
            "label": "Pillar",
            "achievements": "Achievements",
            "gaps": "Gaps",
            "proposals": "Proposals",
            "status": "Status",
            "mean_level": "Mean level",
        },
        "chart": chart[["category", "value"]],
        "chart_title": "Share of weighted evidence that is positive, by pillar (%)",
    }


def _ideas(review: Review, part: Slice, scores: Scores, p: IdeaPool, balance: Balance) -> dict:
    new = p.new_ideas()
    messages = [p.headline() + "."]
    if len(new):
        both = int(new["states_and_non_state"].sum())
        messages.append(
            f"{both} of the {len(new)} new ideas are backed by both Member States and non-governmental "
            "contributors."
        )
        by_pillar = new.groupby("pillar").size().sort_values(ascending=False)
        messages.append(
            "New ideas by pillar: "
            + ", ".join(f"{PILLAR_LABELS.get(k, k).lower()} {v}" for k, v in by_pillar.items())
            + "."
        )
        multi = int(new["languages"].str.contains(";").sum())
        if multi:
            messages.append(f"{multi} new ideas were put forward in more than one language.")
        messages.append(f"The best-supported new idea: {new.iloc[0]['label']}")
    chart = new.groupby("pillar").size().rename(index=PILLAR_LABELS).reset_index()
    chart.columns = ["category", "value"]
    return {
        "title": TITLES["ideas"],
        "subtitle": "Pool of ideas",
        "messages": messages,
        "standing": pd.DataFrame(),
        "standing_columns": {},
        "chart": chart,
        "chart_title": "New ideas by pillar",
    }


# What each kind of brief adds to the common skeleton; all take the same arguments.
_KINDS = {
    "country": _country,
    "pillar": _pillar,
    "theme": _theme,
    "region": _region,
    "overview": _overview,
    "ideas": _ideas,
}


@lru_cache(maxsize=64)
def _prepare(review: Review, part: Slice) -> BriefContent:
    narrow = _narrow(review, part)
    scores = score(narrow)
    p = pool(narrow)
    balance = assess(narrow)
    spec = _KINDS[part.kind](review, part, scores, p, balance)
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
    annex = narrow.statements[narrow.statements["statement_id"].isin(cited)].sort_values(
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
        digest=slices.input_digest(review, part),
        latest_input=slices.latest_input(review, part),
        config=review.config,
        scores=scores,
        balance=balance,
        pool=p,
    )


def prepare(review: Review, part: Slice) -> BriefContent:
    """Everything one brief shows (cached for the same review object and slice)."""
    return _prepare(review, part)
