"""The scoring workbench: scores and balance as tables and charts, what-if weights, a brief preview.

No review logic lives here: scores are `reviewlib.scoring` with the rubric changed by
`triage.rubric_with`; a preview runs the brief's own notebook and exports it as `reviewlib build`
does. Every control is an attribute of its panel, so tests drive it from Python.
"""

from __future__ import annotations

import atexit
import html
import time
from pathlib import Path

import ipywidgets as w
import pandas as pd

from reviewlib import paths, triage
from reviewlib.briefs import TYPE_LABELS, Block, esc, figure
from reviewlib.errors import ReviewlibError
from reviewlib.inputs import Review
from reviewlib.reference import KINDS, PILLAR_LABELS, PILLARS
from reviewlib.rubric import KEYWORD_MODES, SOURCES, Rubric, load_rubric
from reviewlib.scoring import Scores, match_criteria, score_statements
from reviewlib.widgets import _ERROR, _note, _Panel, _table

__all__ = ["ScorePanel", "BriefPreview", "scores_view", "balance_view", "VIEWS"]


# --- scores: static views -----------------------------------------------------------------------


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
    p = scores.pillar_summary
    parts = [
        "<h3>Pillars</h3>",
        _table(
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
        _levels_chart(scores.country_scores, scores.rubric).markup,
        "<h3>Commitments</h3>",
        _table(
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
        _table(
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
        _table(
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
        _table(
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


# --- scores: what if ----------------------------------------------------------------------------

VIEWS = {
    "countries": "Member State levels",
    "commitments": "Commitment coverage",
    "pillars": "Pillars",
    "regions": "Regional groups",
    "themes": "Themes",
}


def _slider(
    value: float, low: float, high: float, description: str, step: float = 0.05
) -> w.FloatSlider:
    return w.FloatSlider(
        value=value,
        min=min(low, value),
        max=max(high, value),
        step=step,
        description=description,
        continuous_update=False,
        readout_format=".2f",
        style={"description_width": "12em"},
        layout=w.Layout(width="30em"),
    )


class ScorePanel(_Panel):
    """Move the rubric's weights and cut-offs and see the tables recomputed; save them as rubric.yml."""

    def __init__(
        self, review: Review, rubric: Rubric | None = None, rubric_path: Path | str | None = None
    ):
        self.review = review
        self.rubric_path = (
            Path(rubric_path) if rubric_path else paths.rubric_file(review.inputs_dir)
        )
        self.saved = rubric if rubric is not None else load_rubric(self.rubric_path)
        self.rubric = self.saved
        meeting = review.config.meeting_start
        self.meeting_year = meeting.year if meeting else None
        self._matches: dict[str, pd.DataFrame] = {}
        self.baseline = self._score(self.saved)
        self.scores = self.baseline
        self.last_seconds = 0.0

        ranges = {
            "achievement": (0, 3),
            "good_practice": (0, 3),
            "gap": (-3, 0),
            "proposal": (-1, 1),
        }
        self.kind_sliders = {
            k: _slider(self.saved.kind_weights[k], *ranges[k], k.replace("_", " ")) for k in KINDS
        }
        self.source_sliders = {
            s: _slider(
                self.saved.source_weights[s],
                0,
                3,
                "Member State on itself" if s == "member_state_self" else TYPE_LABELS.get(s, s),
            )
            for s in SOURCES
        }
        self.cutoff_sliders = {
            x.level: _slider(x.min_share, 0, 1, f"level {x.level}: {x.label}", 0.01)
            for x in self.saved.levels
            if x.level > 1
        }
        self.keyword_mode = w.Dropdown(
            options=list(KEYWORD_MODES),
            value=self.saved.keyword_mode,
            description="Keywords",
            style={"description_width": "12em"},
        )
        self.view = w.Dropdown(
            options=[(v, k) for k, v in VIEWS.items()], value="countries", description="Show"
        )
        self.reset_button = w.Button(
            description="Back to rubric.yml", icon="undo", layout=w.Layout(width="auto")
        )
        self.save_button = w.Button(
            description="Save as rubric…",
            icon="save",
            button_style="primary",
            layout=w.Layout(width="auto"),
        )
        self.confirm_button = w.Button(
            description="Write rubric.yml", button_style="danger", layout=w.Layout(display="none")
        )
        self.cancel_button = w.Button(description="Cancel", layout=w.Layout(display="none"))
        self.diff = w.HTML()
        self.summary = w.HTML()
        self.table = w.HTML()
        for control in self._controls():
            control.observe(lambda _: self.recompute(), names="value")
        self.view.observe(lambda _: self.render(), names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.save_button.on_click(lambda _: self.propose_save())
        self.confirm_button.on_click(lambda _: self.save())
        self.cancel_button.on_click(lambda _: self._hide_confirm())
        self._quiet = False
        self.widget = w.VBox(
            [
                w.HBox(
                    [
                        w.VBox(
                            [
                                w.HTML("<b>Weight of each kind of statement</b>"),
                                *self.kind_sliders.values(),
                                w.HTML("<b>Level cut-offs (share of criteria met)</b>"),
                                *self.cutoff_sliders.values(),
                                self.keyword_mode,
                            ]
                        ),
                        w.VBox(
                            [w.HTML("<b>Weight of each source</b>"), *self.source_sliders.values()]
                        ),
                    ],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox(
                    [self.reset_button, self.save_button, self.confirm_button, self.cancel_button]
                ),
                self.diff,
                self.summary,
                self.view,
                self.table,
            ]
        )
        self.render()

    def _controls(self) -> list[w.Widget]:
        return [
            *self.kind_sliders.values(),
            *self.source_sliders.values(),
            *self.cutoff_sliders.values(),
            self.keyword_mode,
        ]

    def changes(self) -> dict[str, object]:
        """The settings the controls hold, as rubric.yml names them."""
        out: dict[str, object] = {
            f"weights.kinds.{k}": s.value for k, s in self.kind_sliders.items()
        }
        out |= {f"weights.sources.{k}": s.value for k, s in self.source_sliders.items()}
        positions = {x.level: i for i, x in enumerate(self.saved.levels)}
        out |= {
            f"levels.cutoffs[{positions[lvl]}].min_share": s.value
            for lvl, s in self.cutoff_sliders.items()
        }
        out["matching.keywords"] = self.keyword_mode.value
        return out

    def _score(self, rubric: Rubric) -> Scores:
        # Which statements count for which criteria does not depend on weights or cut-offs:
        # matched once per keyword mode, then reused on every move of a slider.
        if rubric.keyword_mode not in self._matches:
            self._matches[rubric.keyword_mode] = match_criteria(self.review.statements, rubric)
        return score_statements(
            self.review.statements,
            self.review.reference,
            rubric,
            meeting_year=self.meeting_year,
            matches=self._matches[rubric.keyword_mode],
        )

    def recompute(self) -> float:
        """Score again with the controls' settings; returns the seconds it took (scoring and tables)."""
        if self._quiet:
            return 0.0
        start = time.perf_counter()
        try:
            rubric = triage.rubric_with(self.saved, self.changes())
        except (ValueError, ReviewlibError) as exc:
            self.summary.value = _note(f"Not recomputed: {exc}", _ERROR)
            return 0.0
        self.rubric = rubric
        self.scores = self._score(rubric)
        self._hide_confirm()
        self.render()
        self.last_seconds = time.perf_counter() - start
        self.summary.value += f" <small>Recomputed in {self.last_seconds:.2f} s.</small>"
        return self.last_seconds

    def level_changes(self) -> pd.DataFrame:
        """Member State × pillar scores whose level differs from the one under the saved rubric."""
        keys = ["iso3", "pillar"]
        both = self.scores.country_scores[[*keys, "country", "level"]].merge(
            self.baseline.country_scores[[*keys, "level"]], on=keys, suffixes=("", "_saved")
        )
        differ = both["level"].astype("Int64").fillna(0) != both["level_saved"].astype(
            "Int64"
        ).fillna(0)
        return both[differ].reset_index(drop=True)

    def render(self) -> None:
        changed = self.level_changes()
        now, before = (
            changed["level"].astype("Int64").fillna(0),
            changed["level_saved"].astype("Int64").fillna(0),
        )
        statuses = (self.scores.coverage["status"] != self.baseline.coverage["status"]).sum()
        total = len(self.scores.country_scores)
        self.summary.value = (
            f"<p>Against rubric.yml: <b>{len(changed)}</b> of {total} Member State × pillar "
            f"levels change ({int((now > before).sum())} up, {int((now < before).sum())} down); "
            f"{int(statuses)} commitments change status.</p>"
        )
        self.table.value = getattr(self, f"_{self.view.value}")()

    def _countries(self) -> str:
        cs = self.scores.country_scores
        saved = self.baseline.country_scores.set_index(["iso3", "pillar"])["level"]
        pillars = [p for p in PILLARS if p in self.rubric.pillars]
        head = "".join(f'<th scope="col">{esc(PILLAR_LABELS[p])}</th>' for p in pillars)
        rows = []
        for (iso3, country, group), frame in cs.groupby(
            ["iso3", "country", "regional_group"], sort=False
        ):
            levels = frame.set_index("pillar")
            cells = []
            for p in pillars:
                if p not in levels.index:
                    cells.append("<td></td>")
                    continue
                level, label = levels.at[p, "level"], levels.at[p, "label"]
                old = saved.get((iso3, p), pd.NA)
                text = "–" if pd.isna(level) else str(int(level))
                if (0 if pd.isna(old) else old) != (0 if pd.isna(level) else level):
                    text = f"{'–' if pd.isna(old) else int(old)} → {text}"
                    cells.append(
                        f'<td class="num" style="background:#fff3bf" title="{esc(label)}"><b>{text}</b></td>'
                    )
                else:
                    cells.append(f'<td class="num" title="{esc(label)}">{text}</td>')
            rows.append(
                f"<tr><td>{esc(country)} ({esc(iso3)})</td><td>{esc(group)}</td>{''.join(cells)}</tr>"
            )
        key = "; ".join(f"{x.level} {x.label}" for x in self.rubric.levels)
        return (
            f"<p><small>Levels: {esc(key)}; – {esc(self.rubric.insufficient_label)}. "
            "Highlighted: changed from rubric.yml.</small></p>"
            f'<table><thead><tr><th scope="col">Member State</th><th scope="col">Group</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _commitments(self) -> str:
        c = self.scores.coverage.assign(saved_status=self.baseline.coverage["status"].to_numpy())
        return _table(
            c,
            {
                "commitment": "Commitment",
                "pillar": "Pillar",
                "achievements": "Achievements",
                "gaps": "Gaps",
                "positive": "Positive",
                "negative": "Negative",
                "share_positive": "Share positive",
                "status": "Status",
                "saved_status": "Under rubric.yml",
            },
            ["achievements", "gaps", "positive", "negative", "share_positive"],
        ).markup

    def _pillars(self) -> str:
        p = self.scores.pillar_summary.assign(
            saved_mean=self.baseline.pillar_summary["mean_level"].to_numpy()
        )
        return _table(
            p,
            {
                "label": "Pillar",
                "positive": "Positive",
                "negative": "Negative",
                "share_positive": "Share positive",
                "status": "Status",
                "n_scored": "States scored",
                "n_insufficient": "Too little evidence",
                "mean_level": "Mean level",
                "saved_mean": "Under rubric.yml",
            },
            [
                "positive",
                "negative",
                "share_positive",
                "n_scored",
                "n_insufficient",
                "mean_level",
                "saved_mean",
            ],
        ).markup

    def _regions(self) -> str:
        r = self.scores.region_summary.assign(
            saved_mean=self.baseline.region_summary["mean_level"].to_numpy()
        )
        return _table(
            r,
            {
                "regional_group": "Group",
                "n_member_states": "Member States",
                "n_states_with_evidence": "With evidence",
                "status": "Status",
                "n_scored": "States scored",
                "mean_level": "Mean level",
                "saved_mean": "Under rubric.yml",
            },
            ["n_member_states", "n_states_with_evidence", "n_scored", "mean_level", "saved_mean"],
        ).markup

    def _themes(self) -> str:
        t = self.scores.theme_summary.assign(
            saved_status=self.baseline.theme_summary["status"].to_numpy()
        )
        return _table(
            t,
            {
                "label": "Theme",
                "achievements": "Achievements",
                "gaps": "Gaps",
                "proposals": "Proposals",
                "share_positive": "Share positive",
                "status": "Status",
                "saved_status": "Under rubric.yml",
            },
            ["achievements", "gaps", "proposals", "share_positive"],
        ).markup

    # resetting and saving ---------------------------------------------------------------------
    def _set_controls(self, rubric: Rubric) -> None:
        self._quiet = True
        try:
            for k, s in self.kind_sliders.items():
                s.value = rubric.kind_weights[k]
            for k, s in self.source_sliders.items():
                s.value = rubric.source_weights[k]
            for x in rubric.levels:
                if x.level in self.cutoff_sliders:
                    self.cutoff_sliders[x.level].value = x.min_share
            self.keyword_mode.value = rubric.keyword_mode
        finally:
            self._quiet = False

    def reset(self) -> None:
        """Controls back to the saved rubric."""
        self._set_controls(self.saved)
        self.recompute()

    def _hide_confirm(self) -> None:
        self.confirm_button.layout.display = self.cancel_button.layout.display = "none"
        self.diff.value = ""

    def propose_save(self) -> list[str]:
        """Show what would change in rubric.yml; the file is written only by the confirm button."""
        lines = triage.diff_rubric(self.saved, self.rubric)
        if not lines:
            self.diff.value = _note("Nothing to save: the settings are those of rubric.yml.")
            return lines
        items = "".join(f"<li><code>{esc(line)}</code></li>" for line in lines)
        self.diff.value = (
            f"<p>Writing {esc(self.rubric_path)} changes:</p><ul>{items}</ul>"
            "<p>Every comment of the file is kept. Write it?</p>"
        )
        self.confirm_button.layout.display = self.cancel_button.layout.display = None
        return lines

    def save(self) -> list[str]:
        """Write the settings to rubric.yml (only those changed here, so others' edits stay)."""
        try:
            lines = triage.save_rubric(self.rubric, self.rubric_path, base=self.saved)
        except (ValueError, ReviewlibError) as exc:
            self.diff.value = _note(f"Not saved: {exc}", _ERROR)
            return []
        self.saved = load_rubric(self.rubric_path)
        self.rubric = self.saved
        self.baseline = self.scores = self._score(self.saved)
        self._set_controls(self.saved)
        self._hide_confirm()
        self.render()
        self.diff.value = _note(
            f"Saved {self.rubric_path.name}: {len(lines)} setting(s) changed. "
            "The batch build now scores with it."
        )
        return lines


# --- brief preview ------------------------------------------------------------------------------


class BriefPreview(_Panel):
    """Pick a brief and see it inline, built by its own notebook exactly as `reviewlib build` would."""

    def __init__(
        self, review: Review, outputs: Path | str = "", notebooks: Path | str = paths.NOTEBOOKS
    ):
        from reviewlib import slices

        self.review, self.notebooks = review, Path(notebooks)
        self.outputs = Path(outputs).resolve() if outputs else paths.OUTPUTS
        self._slices = slices
        self.kind = w.Dropdown(options=list(slices.KINDS), value="overview", description="Brief")
        self.value = w.Dropdown(options=[], description="")
        self.kind.observe(lambda _: self._values(), names="value")
        self.button = w.Button(description="Preview", icon="eye")
        self.button.on_click(lambda _: self.preview())
        self.status = w.HTML()
        self.page = w.HTML()
        self.widget = w.VBox([w.HBox([self.kind, self.value, self.button]), self.status, self.page])
        self._values()

    def _values(self) -> None:
        kind = self.kind.value
        values = self._slices.allowed_values(kind, self.review.inputs_dir)
        names = self.review.reference.name_of
        self.value.options = [(names.get(v, v) if kind == "country" else v, v) for v in values]
        self.value.layout.display = None if values else "none"

    def preview(self) -> str:
        """Run the brief's notebook (in a kernel kept warm between previews) and show its HTML page."""
        from reviewlib.build import NOTEBOOK
        from reviewlib.export import to_html
        from reviewlib.runner import WarmKernelEngine, run_notebook

        kind, slices = self.kind.value, self._slices
        parameters = {
            "inputs_dir": str(Path(self.review.inputs_dir).resolve()),
            "outputs_dir": str(self.outputs),
        }
        if kind in slices.PARAMETER:
            parameters[slices.PARAMETER[kind]] = self.value.value
        self.status.value = "<i>Building the brief…</i>"
        if not getattr(BriefPreview, "_stop_registered", False):
            atexit.register(WarmKernelEngine.stop)
            BriefPreview._stop_registered = True
        result = run_notebook(self.notebooks / NOTEBOOK[kind], parameters)
        if not result.ok:
            where = f" in cell {result.cell}" if result.cell is not None else ""
            self.status.value = _note(f"The brief failed{where}: {result.error}", _ERROR)
            self.page.value = ""
            return ""
        page = to_html(result.notebook)
        self.status.value = _note(
            f"Built in {result.seconds:.1f} s from the saved inputs and rubric.yml."
        )
        self.page.value = (
            f'<iframe sandbox="" title="Preview of the brief" srcdoc="{html.escape(page, quote=True)}" '
            'style="width:100%;height:640px;border:1px solid #ccc;background:#fff"></iframe>'
        )
        return page
