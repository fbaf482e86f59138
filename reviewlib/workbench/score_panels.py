"""The scoring workbench: scores and balance as tables and charts, what-if weights, a brief preview.

No review logic lives here: scores are `reviewlib.scoring` with the rubric changed by
`rubric_edit.rubric_with`; a preview runs the brief's own notebook and exports it as `reviewlib build`
does. Every control is an attribute of its panel, so tests drive it from Python.
"""

from __future__ import annotations

import time
from pathlib import Path

import ipywidgets as w
import pandas as pd

from reviewlib import paths
from reviewlib.brief.blocks import esc
from reviewlib.errors import ReviewlibError
from reviewlib.gather.review import Review
from reviewlib.scoring import rubric_edit
from reviewlib.scoring.rubric import KEYWORD_MODES, SOURCES, Rubric, load_rubric
from reviewlib.scoring.scores import Scores, match_criteria, score_statements
from reviewlib.terms import INTERNAL_LABEL, KINDS, PILLAR_LABELS, PILLARS, TYPE_LABELS
from reviewlib.workbench.panel import ERROR, Panel, note, readable_table

__all__ = ["ScorePanel", "VIEWS"]


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
        style={"description_width": "11em"},
        layout=w.Layout(width="27em"),
    )


class ScorePanel(Panel):
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

        self._setting_controls()
        self._action_controls()
        self._quiet = False
        self.widget = self._layout()
        self.render()

    def _setting_controls(self) -> None:
        """A slider per weight and cut-off, and the keyword mode, set from the saved rubric."""
        saved = self.saved
        ranges = {
            "achievement": (0, 3),
            "good_practice": (0, 3),
            "gap": (-3, 0),
            "proposal": (-1, 1),
        }
        self.kind_sliders = {
            k: _slider(saved.kind_weights[k], *ranges[k], k.replace("_", " ")) for k in KINDS
        }
        self.source_sliders = {
            s: _slider(
                saved.source_weights[s],
                0,
                3,
                "Member State on itself" if s == "member_state_self" else TYPE_LABELS.get(s, s),
            )
            for s in SOURCES
        }
        self.cutoff_sliders = {
            x.level: _slider(x.min_share, 0, 1, f"level {x.level}: {x.label}", 0.01)
            for x in saved.levels
            if x.level > 1
        }
        self.keyword_mode = w.Dropdown(
            options=list(KEYWORD_MODES),
            value=saved.keyword_mode,
            description="Keywords",
            style={"description_width": "12em"},
        )
        for control in self._controls():
            control.observe(lambda _: self.recompute(), names="value")

    def _action_controls(self) -> None:
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
        self.save_button.add_class("reviewlib-save-rubric")
        self.confirm_button = w.Button(
            description="Write rubric.yml", button_style="danger", layout=w.Layout(display="none")
        )
        self.cancel_button = w.Button(description="Cancel", layout=w.Layout(display="none"))
        self.diff = w.HTML()
        self.diff.add_class("reviewlib-rubric-message")
        self.summary = w.HTML()
        self.summary.add_class("reviewlib-score-summary")
        self.table = w.HTML()
        self.view.observe(lambda _: self.render(), names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.save_button.on_click(lambda _: self.propose_save())
        self.confirm_button.on_click(lambda _: self.save())
        self.cancel_button.on_click(lambda _: self._hide_confirm())

    def _layout(self) -> w.Widget:
        """Settings on the left (two tabs, so that they fit a laptop's screen), and beside them
        what they change: the save buttons and their message, the summary and the table."""
        settings = w.Tab(
            children=[
                w.VBox(
                    [
                        w.HTML("<b>Weight of each kind of statement</b>"),
                        *self.kind_sliders.values(),
                        w.HTML("<b>Level cut-offs (share of criteria met)</b>"),
                        *self.cutoff_sliders.values(),
                        self.keyword_mode,
                    ]
                ),
                w.VBox([w.HTML("<b>Weight of each source</b>"), *self.source_sliders.values()]),
            ],
            titles=["Kinds and cut-offs", "Sources"],
            layout=w.Layout(width="29em", flex="0 0 auto"),
        )
        self.table.layout = w.Layout(max_height="26em", overflow="auto")
        results = w.VBox(
            [
                w.HBox(
                    [self.reset_button, self.save_button, self.confirm_button, self.cancel_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                self.diff,
                self.summary,
                self.view,
                self.table,
            ],
            layout=w.Layout(flex="1 1 30em", min_width="24em"),
        )
        results.add_class("reviewlib-score-results")
        return w.HBox([settings, results], layout=w.Layout(flex_flow="row wrap"))

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
            rubric = rubric_edit.rubric_with(self.saved, self.changes())
        except (ValueError, ReviewlibError) as exc:
            self.summary.value = note(f"Not recomputed: {exc}", ERROR)
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
            f"<p><b>{esc(INTERNAL_LABEL.capitalize())}.</b></p><p>Against rubric.yml: <b>{len(changed)}</b> of {total} Member State × pillar "
            f"levels change ({int((now > before).sum())} up, {int((now < before).sum())} down); "
            f"{int(statuses)} commitments change status.</p>"
        )
        self.table.value = getattr(self, f"_{self.view.value}")()

    def _countries(self) -> str:
        keys = ["iso3", "pillar"]
        saved = self.baseline.country_scores[[*keys, "level"]].rename(columns={"level": "saved"})
        table = self.scores.country_scores[
            ["iso3", "country", "regional_group", "pillar", "level", "label"]
        ].merge(saved, on=keys, how="left")
        pillars = [p for p in PILLARS if p in self.rubric.pillars]
        head = "".join(f'<th scope="col">{esc(PILLAR_LABELS[p])}</th>' for p in pillars)
        states: dict[str, tuple[str, str, dict[str, str]]] = {}  # in the order of the scores
        for iso3, country, group, pillar, level, label, old in table.itertuples(
            index=False, name=None
        ):
            cells = states.setdefault(iso3, (country, group, {}))[2]
            text = "–" if pd.isna(level) else str(int(level))
            if (0 if pd.isna(old) else old) != (0 if pd.isna(level) else level):
                text = f"{'–' if pd.isna(old) else int(old)} → {text}"
                cells[pillar] = (
                    f'<td class="num" style="background:#fff3bf" title="{esc(label)}"><b>{text}</b></td>'
                )
            else:
                cells[pillar] = f'<td class="num" title="{esc(label)}">{text}</td>'
        rows = [
            f"<tr><td>{esc(country)} ({esc(iso3)})</td><td>{esc(group)}</td>"
            + "".join(cells.get(p, "<td></td>") for p in pillars)
            + "</tr>"
            for iso3, (country, group, cells) in states.items()
        ]
        key = "; ".join(f"{x.level} {x.label}" for x in self.rubric.levels)
        return (
            f"<p><small>Levels: {esc(key)}; – {esc(self.rubric.insufficient_label)}. "
            "Highlighted: changed from rubric.yml.</small></p>"
            f'<table><thead><tr><th scope="col">Member State</th><th scope="col">Group</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _commitments(self) -> str:
        c = self.scores.coverage.assign(saved_status=self.baseline.coverage["status"].to_numpy())
        return readable_table(
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
        p = self.scores.pillar_summary.merge(self.scores.pillar_levels, on="pillar").assign(
            saved_mean=self.baseline.pillar_levels["mean_level"].to_numpy()
        )
        return readable_table(
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
        r = self.scores.region_summary.merge(self.scores.region_levels, on="regional_group").assign(
            saved_mean=self.baseline.region_levels["mean_level"].to_numpy()
        )
        return readable_table(
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
        return readable_table(
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
        lines = rubric_edit.diff_rubric(self.saved, self.rubric)
        if not lines:
            self.diff.value = note("Nothing to save: the settings are those of rubric.yml.")
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
            lines = rubric_edit.save_rubric(self.rubric, self.rubric_path, base=self.saved)
        except (ValueError, ReviewlibError) as exc:
            self.diff.value = note(f"Not saved: {exc}", ERROR)
            return []
        self.saved = load_rubric(self.rubric_path)
        self.rubric = self.saved
        self.baseline = self.scores = self._score(self.saved)
        self._set_controls(self.saved)
        self._hide_confirm()
        self.render()
        self.diff.value = note(
            f"Saved {self.rubric_path.name}: {len(lines)} setting(s) changed. "
            "The batch build now scores with it."
        )
        return lines
