"""What each kind of brief adds to the common skeleton: its title, key messages, the table of where
things stand and its chart — every sentence computed from the brief's own scores, balance and
ideas.
"""

from __future__ import annotations

import pandas as pd

from reviewlib.brief.slices import Slice
from reviewlib.gather.review import Review
from reviewlib.ideas.pool import IdeaPool
from reviewlib.scoring.balance import Balance
from reviewlib.scoring.scores import Scores
from reviewlib.terms import PILLAR_LABELS

__all__ = ["SPECS", "TITLES", "counts_sentence"]

TITLES = {
    "overview": "Overview: achievements, gaps and ideas",
    "ideas": "Pool of ideas: elements for the zero draft",
}


def _percent(x: float) -> str:
    return f"{round(100 * x)}%"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def _series(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def counts_sentence(w: pd.DataFrame) -> str:
    kinds = w["kind"].value_counts()
    return (
        f"{_plural(len(w), 'statement')} from {_plural(w['submitter'].nunique(), 'contributor')}: "
        f"{_plural(kinds.get('achievement', 0), 'achievement')}, {_plural(kinds.get('gap', 0), 'gap')}, "
        f"{_plural(kinds.get('good_practice', 0), 'good practice')} and "
        f"{_plural(kinds.get('proposal', 0), 'proposal')}."
    )


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
        counts_sentence(w).replace("statements from", "statements by or about " + name + " from", 1)
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
    messages = [counts_sentence(scores.statements)]
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
    messages = [counts_sentence(scores.statements)]
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
        counts_sentence(scores.statements),
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
        + counts_sentence(scores.statements)[0].lower()
        + counts_sentence(scores.statements)[1:]
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
SPECS = {
    "country": _country,
    "pillar": _pillar,
    "theme": _theme,
    "region": _region,
    "overview": _overview,
    "ideas": _ideas,
}
