"""What each kind of brief finds: what has moved, what is still missing, where the evidence
stands, and the basis of it all — for the overview, a pillar, a theme and a regional group (a
Member State's brief is `reviewlib.brief.country`).

Nothing here grades a Member State: a regional brief reports where evidence about the group's
States clusters, never a list of States by grade.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from reviewlib.brief.country import country_spec
from reviewlib.brief.figures import Figure, figure, plural
from reviewlib.brief.findings import (
    COMMITMENT_COLUMNS,
    FINDINGS,
    POSITIVE,
    Context,
    Finding,
    Spec,
    commitment_findings,
    contributors_chart,
    silence,
    summary_basis,
    verb,
)
from reviewlib.brief.treaties import review_treaties
from reviewlib.terms import GROUP_LABELS, PILLAR_LABELS, PILLARS

__all__ = ["SPECS", "TITLES"]

TITLES = {
    "summary": "Executive summary",
    "overview": "Overview: what has moved, what is missing, and options",
    "ideas": "Pool of ideas: elements for the zero draft",
    "methods": "How the briefs were made: methods note",
}


def _pillar(ctx: Context) -> Spec:
    p = ctx.part.value
    cov = ctx.scores.coverage
    own = cov[cov["pillar"].eq(p)]
    label = PILLAR_LABELS[p]
    return Spec(
        title=f"{label}: what has moved and what is missing",
        subtitle="Pillar brief",
        moved=commitment_findings(ctx, own, "coverage", ("commitment",), critical=False),
        missing=commitment_findings(ctx, own, "coverage", ("commitment",), critical=True)
        + silence(ctx, own),
        basis=summary_basis(
            "pillar_summary", ctx.scores.pillar_summary, {"pillar": p}, "under this pillar"
        ),
        standing=own.assign(commitment_label=own["commitment"].map(ctx.describe)),
        standing_columns=COMMITMENT_COLUMNS,
        standing_source=("coverage", ("commitment",)),
        chart=contributors_chart(own, ctx),
        chart_title=f"Contributors reporting achievements and gaps, {label.lower()}",
    )


def _panel(ctx: Context) -> Spec:
    """A panel of review.yml: the commitments of its pillars and those it names, and its themes."""
    panel = ctx.review.config.panel(ctx.part.value)
    cov = ctx.scores.coverage
    own = cov[cov["pillar"].isin(panel.pillars) | cov["commitment"].isin(panel.commitments)]
    themes = ctx.scores.theme_summary
    named = themes[themes["theme"].isin(panel.themes)]
    spans = [PILLAR_LABELS[p].lower() for p in panel.pillars]
    spans += [f"{label.lower()} (theme)" for label in named["label"]]
    pillar_of = ctx.review.reference.commitment_pillar

    def on_theme(theme: str, label: str, critical: bool) -> Finding:
        return _theme_totals(ctx, {"theme": theme}, critical, f"On {label.lower()} (theme), ")

    spans += [ctx.describe(c) for c in panel.commitments if pillar_of.get(c) not in panel.pillars]
    return Spec(
        title=panel.title,
        subtitle="Panel brief: " + "; ".join(dict.fromkeys(spans)),
        moved=commitment_findings(ctx, own, "coverage", ("commitment",), critical=False)
        + tuple(
            on_theme(t, label, False)
            for t, label in zip(named["theme"], named["label"], strict=True)
        ),
        missing=commitment_findings(ctx, own, "coverage", ("commitment",), critical=True)
        + tuple(
            on_theme(t, label, True)
            for t, label in zip(named["theme"], named["label"], strict=True)
        )
        + silence(ctx, own),
        basis=(
            "Basis: every statement under the panel's pillars, naming its commitments or on its "
            "themes. Every one is listed in the evidence annex.",
        ),
        standing=own.assign(commitment_label=own["commitment"].map(ctx.describe)),
        standing_columns=COMMITMENT_COLUMNS,
        standing_source=("coverage", ("commitment",)),
        chart=contributors_chart(own, ctx),
        chart_title=f"Contributors reporting achievements and gaps, {panel.title.lower()}",
    )


def _theme_totals(
    ctx: Context, row_key: dict[str, str], critical: bool, about: str = "On this theme, "
) -> Finding:
    t = ctx.scores.theme_summary
    count = "n_critical_contributors" if critical else "n_positive_contributors"
    n = figure("theme_summary", t, row_key, count)
    if critical:
        what = (
            "gaps (",
            *plural(figure("theme_summary", t, row_key, "gaps"), "gap statement"),
            ")",
        )
    else:
        what = (
            "achievements or good practices (",
            *plural(figure("theme_summary", t, row_key, "achievements"), "achievement"),
            ", ",
            *plural(figure("theme_summary", t, row_key, "good_practices"), "good practice"),
            ")",
        )
    ids = t.set_index("theme").loc[row_key["theme"], "statement_ids"]
    kinds = ("gap",) if critical else POSITIVE
    sentence = (about, *plural(n, "contributor"), f" {verb(n, 'reports', 'report')} ")
    return Finding((*sentence, *what, "."), ctx.ids(ids, kinds))


def _theme(ctx: Context) -> Spec:
    theme = ctx.part.value
    key = {"theme": theme}
    label = ctx.scores.theme_summary.set_index("theme").loc[theme, "label"]
    tc = ctx.scores.theme_commitments
    own = tc[tc["theme"].eq(theme)]
    pair = ("theme", "commitment")
    return Spec(
        title=f"{label}: what has moved and what is missing",
        subtitle="Theme brief",
        moved=(_theme_totals(ctx, key, critical=False),)
        + commitment_findings(ctx, own, "theme_commitments", pair, critical=False)[:2],
        missing=(_theme_totals(ctx, key, critical=True),)
        + commitment_findings(ctx, own, "theme_commitments", pair, critical=True)[:2],
        basis=summary_basis("theme_summary", ctx.scores.theme_summary, key, "on this theme"),
        standing=own.assign(commitment_label=own["commitment"].map(ctx.describe)),
        standing_columns=COMMITMENT_COLUMNS,
        standing_source=("theme_commitments", pair),
        chart=contributors_chart(own, ctx),
        chart_title="Contributors reporting achievements and gaps on this theme, by commitment",
    )


def _region_findings(ctx: Context, own: pd.DataFrame, critical: bool) -> tuple[Finding, ...]:
    group = ctx.part.value
    rs = ctx.scores.region_summary
    count = "n_states_with_gaps" if critical else "n_states_with_achievements"
    rows = own[own[count].gt(0)].sort_values(
        [count, "n_statements", "commitment"], ascending=[False, False, True]
    )
    out = []
    for row in rows.head(FINDINGS).itertuples(index=False):
        at = {"regional_group": group, "commitment": row.commitment}
        n = figure("region_commitments", own, at, count)
        of = figure("region_summary", rs, {"regional_group": group}, "n_states_with_statements")
        what = "gaps" if critical else "achievements or good practices"
        sentence = (
            f"{ctx.describe(row.commitment)}: {what} reported about ",
            n,
            " of the ",
            *plural(of, "State"),
            " of the group with statements about them.",
        )
        out.append(
            Finding(sentence, ctx.ids(row.statement_ids, ("gap",) if critical else POSITIVE))
        )
    return tuple(out)


def _region(ctx: Context) -> Spec:
    group = ctx.part.value
    rc = ctx.scores.region_commitments
    own = rc[rc["regional_group"].eq(group)]
    rs = ctx.scores.region_summary
    key = {"regional_group": group}

    def f(column: str) -> Figure:
        return figure("region_summary", rs, key, column)

    basis = (
        "Basis: ",
        *plural(f("n_statements"), "statement"),
        " about the group or its States from ",
        *plural(f("n_contributors"), "contributor"),
        "; ",
        f("n_states_with_statements"),
        " of its ",
        *plural(f("n_member_states"), "Member State"),
        " have statements about them, ",
        f("n_states_with_evidence"),
        " statements or UNODC figures. Every statement is listed in the evidence annex.",
    )
    heading = GROUP_LABELS[group][0]
    return Spec(
        title=f"{heading}: what has moved and what is missing",
        subtitle="Regional group brief: patterns across the group, not an assessment of any State",
        moved=_region_findings(ctx, own, critical=False),
        missing=_region_findings(ctx, own, critical=True),
        basis=basis,
        standing=own.assign(commitment_label=own["commitment"].map(ctx.describe)),
        standing_columns={
            "commitment_label": "Commitment",
            "n_states_with_achievements": "States with achievements reported",
            "n_states_with_gaps": "States with gaps reported",
            "achievements": "Achievements",
            "gaps": "Gaps",
        },
        standing_source=("region_commitments", ("regional_group", "commitment")),
    )


def _overview(ctx: Context) -> Spec:
    cov = ctx.scores.coverage
    themes = ctx.scores.theme_summary
    missing = list(commitment_findings(ctx, cov, "coverage", ("commitment",), critical=True))
    worst = themes.sort_values(["gaps", "theme"], ascending=[False, True]).head(1)
    for row in worst[worst["gaps"].gt(0)].itertuples(index=False):
        key = {"theme": row.theme}
        missing.append(
            Finding(
                (
                    f"Of the themes the GPA covers thinly, {row.label.lower()} draws the most gaps: ",
                    *plural(figure("theme_summary", themes, key, "gaps"), "gap statement"),
                    " from ",
                    *plural(
                        figure("theme_summary", themes, key, "n_critical_contributors"),
                        "contributor",
                    ),
                    ".",
                ),
                ctx.ids(row.statement_ids, ("gap",)),
            )
        )
    pillars = ctx.scores.pillar_summary
    four = pillars[pillars["pillar"].isin(PILLARS)]
    return Spec(
        title=TITLES["overview"],
        subtitle="The whole review",
        moved=commitment_findings(ctx, cov, "coverage", ("commitment",), critical=False),
        missing=tuple(missing) + silence(ctx, cov),
        basis=summary_basis("pillar_summary", pillars, {"pillar": "all"}, "in the review"),
        standing=four,
        standing_columns={
            "label": "Pillar",
            "achievements": "Achievements",
            "gaps": "Gaps",
            "good_practices": "Good practices",
            "proposals": "Proposals",
            "n_contributors": "Contributors",
            "status": "Status",
        },
        standing_source=("pillar_summary", ("pillar",)),
        chart=pd.DataFrame(
            {
                "category": four["label"],
                "achievements": four["n_positive_contributors"],
                "gaps": four["n_critical_contributors"],
            }
        ),
        chart_title="Contributors reporting achievements and gaps, by pillar",
        notes=(review_treaties(ctx.scores, ctx.review.reference.as_of),),
    )


def _summary(ctx: Context) -> Spec:
    """The overview's findings and basis, from which the summary picks the few that matter most
    (`reviewlib.brief.summary`)."""
    whole = _overview(ctx)
    return Spec(
        title=TITLES["summary"],
        subtitle="The whole review on two pages",
        moved=whole.moved,
        missing=whole.missing,
        basis=(*whole.basis[:-1], ". The statements behind each finding are in the annex."),
    )


def _ideas(ctx: Context) -> Spec:
    return Spec(title=TITLES["ideas"], subtitle="Pool of ideas")


def _methods(ctx: Context) -> Spec:
    return Spec(title=TITLES["methods"], subtitle="Methods note")


# What each kind of brief finds; all take the same context.
SPECS: dict[str, Callable[[Context], Spec]] = {
    "country": country_spec,
    "pillar": _pillar,
    "theme": _theme,
    "region": _region,
    "overview": _overview,
    "summary": _summary,
    "panel": _panel,
    "ideas": _ideas,
    "methods": _methods,
}
