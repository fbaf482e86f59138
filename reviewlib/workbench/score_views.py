"""The static views of the scoring notebook: pillars, levels, commitments and gaps under the rubric
in force, and the balance of contributions, as tables and a chart."""

from __future__ import annotations

import pandas as pd

from reviewlib.brief.blocks import Block, esc, figure
from reviewlib.scoring.rubric import Rubric
from reviewlib.scoring.scores import Scores
from reviewlib.terms import INTERNAL_LABEL, PILLAR_LABELS, PILLARS, TYPE_LABELS
from reviewlib.workbench.panel import readable_table

__all__ = ["scores_view", "balance_view"]


def _levels_chart(country_scores: pd.DataFrame, rubric: Rubric):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pillars = [p for p in PILLARS if p in rubric.pillars]
    counts = country_scores.assign(
        level=country_scores["level"].astype("Int64").astype(str).replace("<NA>", "–")
    )
    grid = (
        counts.groupby(["pillar", "level"])
        .size()
        .unstack(fill_value=0)
        .reindex(pillars, fill_value=0)
    )
    order = ["–", *(str(x.level) for x in rubric.levels)]
    grid = grid.reindex(columns=[c for c in order if c in grid.columns], fill_value=0)
    fig, ax = plt.subplots(figsize=(6.4, 2.6), dpi=100)
    left = pd.Series(0, index=pillars)
    colours = {
        "–": "#bbbbbb",
        **dict(
            zip(
                [str(x.level) for x in rubric.levels],
                ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"],
                strict=False,
            )
        ),
    }
    for level in grid.columns:
        label = (
            rubric.insufficient_label if level == "–" else f"{level} {rubric.label_of(int(level))}"
        )
        ax.barh(
            [PILLAR_LABELS[p] for p in pillars][::-1],
            grid[level][::-1],
            left=left[::-1],
            color=colours.get(level, "#08306b"),
            label=label,
        )
        left += grid[level]
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("Member States", fontsize=9)
    ax.tick_params(labelsize=9)
    alt = "; ".join(
        f"{PILLAR_LABELS[p]}: " + ", ".join(f"{c} {grid.loc[p, c]}" for c in grid.columns)
        for p in pillars
    )
    return figure(
        fig,
        alt="Member States by level, per pillar: " + alt,
        caption="Member States by level, per pillar",
    )


def scores_view(scores: Scores) -> Block:
    """Pillars, the levels chart, commitment coverage and the gaps, under the rubric in force."""
    p = scores.pillar_summary.merge(scores.pillar_levels, on="pillar")
    parts = [
        "<h3>Pillars</h3>",
        readable_table(
            p,
            {
                "label": "Pillar",
                "n_statements": "Statements",
                "positive": "Positive",
                "negative": "Negative",
                "share_positive": "Share positive",
                "status": "Status",
                "n_scored": "States scored",
                "mean_level": "Mean level",
            },
            ["n_statements", "positive", "negative", "share_positive", "n_scored", "mean_level"],
        ).markup,
        f"<p><b>{esc(INTERNAL_LABEL.capitalize())}:</b> the levels below are the secretariat's working aid.</p>",
        _levels_chart(scores.country_scores, scores.rubric).markup,
        "<h3>Commitments</h3>",
        readable_table(
            scores.coverage,
            {
                "commitment": "Commitment",
                "pillar": "Pillar",
                "achievements": "Achievements",
                "gaps": "Gaps",
                "good_practices": "Good practices",
                "proposals": "Proposals",
                "status": "Status",
            },
            ["achievements", "gaps", "good_practices", "proposals"],
        ).markup,
        "<h3>Gaps</h3>",
        readable_table(
            scores.gaps, {"gap_type": "Kind", "id": "Id", "label": "What", "reason": "Why"}
        ).markup,
    ]
    return Block("".join(parts))


def balance_view(balance) -> Block:
    """How representative the contributions are: the index, its flags, and who contributed."""
    by_type = balance.by_stakeholder.assign(
        label=balance.by_stakeholder["stakeholder_type"].map(TYPE_LABELS)
    )
    parts = [
        f"<p>Balance index <b>{balance.index:.2f}</b> (0 = one kind of voice from one region; 1 = every kind of "
        "contributor, regions in proportion, every ICAT member).</p>",
        "<ul>" + "".join(f"<li>{esc(m)}</li>" for m in balance.messages) + "</ul>",
        "<h3>By kind of contributor</h3>",
        readable_table(
            by_type,
            {
                "label": "Contributor",
                "contributions": "Contributions",
                "statements": "Statements",
                "contribution_share": "Share",
            },
            ["contributions", "statements", "contribution_share"],
        ).markup,
        "<h3>By regional group</h3>",
        readable_table(
            balance.states,
            {
                "regional_group": "Group",
                "member_states": "Member States",
                "contributing_states": "Contributing",
                "share_of_member_states": "Share of States",
                "share_of_contributing_states": "Share of contributors",
                "ratio": "Ratio",
            },
            [
                "member_states",
                "contributing_states",
                "share_of_member_states",
                "share_of_contributing_states",
                "ratio",
            ],
        ).markup,
    ]
    return Block("".join(parts))
