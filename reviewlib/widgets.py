"""The panels of the interactive notebooks: triage statements, try rubric weights, preview a brief.

No review logic lives here. Filtering, saving and undoing decisions are `reviewlib.triage`;
scores are `reviewlib.scoring` with the rubric changed by `triage.rubric_with`; a preview runs
the brief's own notebook and exports it as `reviewlib build` does. Every control is an attribute
of its panel, so tests drive a panel from Python exactly as a click in JupyterLab would.
"""

from __future__ import annotations

import atexit
import getpass
import html
import os
import time
from pathlib import Path

import ipywidgets as w
import pandas as pd

from reviewlib import paths, triage
from reviewlib.briefs import TYPE_LABELS, Block, esc, figure, table
from reviewlib.decisions import apply_decisions, read_decisions
from reviewlib.errors import ReviewlibError
from reviewlib.inputs import Review, read_contributions
from reviewlib.reference import DECISIONS, KINDS, PILLAR_LABELS, PILLARS, resolve_pillar
from reviewlib.rubric import KEYWORD_MODES, SOURCES, Rubric, load_rubric
from reviewlib.scoring import Scores, match_criteria, score_statements

__all__ = [
    "summary_view",
    "LedgerPanel",
    "TriagePanel",
    "ScorePanel",
    "BriefPreview",
    "scores_view",
    "balance_view",
    "default_reviewer",
]

_ANY = ("any", "")
_OK = "color:#1a6b2f"
_ERROR = "color:#a40000"


def _note(text: str, style: str = _OK) -> str:
    return f'<span style="{style}">{esc(text)}</span>'


def _table(
    frame: pd.DataFrame, columns: dict[str, str], numeric=(), empty: str = "Nothing to show."
):
    """briefs.table with numbers made readable: shares as percentages, other decimals to two places."""
    shown = frame[list(columns)].copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            pattern = "{:.0%}" if "share" in column else "{:.2f}"
            shown[column] = shown[column].map(
                lambda v, p=pattern: "–" if pd.isna(v) else p.format(v)
            )
    return table(shown, columns, numeric, empty)


def default_reviewer(reviewer: str = "") -> str:
    """The name decisions are saved under: the notebook's parameter, else the JupyterHub or login name."""
    return reviewer.strip() or os.environ.get("JUPYTERHUB_USER", "") or getpass.getuser()


class _Panel:
    """Displays as its widget in a notebook."""

    widget: w.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# --- validation summary and ledger ----------------------------------------------------------------


def summary_view(review: Review) -> Block:
    """What was read: files, contributions, statements accepted, with a warning, rejected."""
    s = review.summary()
    problems = int(review.ledger["status"].ne("accepted").sum())
    text = (
        f"<p><b>{esc(review.config.title)}</b></p><ul>"
        f"<li>{s['files']} files read, {s['contributions']} contributions, {len(review.statements)} statements</li>"
        f"<li>{s['accepted']} rows accepted, {s['accepted_with_warning']} accepted with a warning, "
        f"<b>{s['rejected']}</b> rejected; {s['unreadable_files']} files could not be read</li>"
        f"<li>{len(review.decisions)} triage decisions read from triage.csv</li></ul>"
        f"<p>{problems} ledger entries need a look: filter the ledger below.</p>"
    )
    return Block(text)


class LedgerPanel(_Panel):
    """The ledger, filterable by status, file and words in the message."""

    LIMIT = 200

    def __init__(self, review: Review):
        self.ledger = review.ledger
        statuses = [
            ("warnings and rejections", "problems"),
            ("everything", ""),
            *((s.replace("_", " "), s) for s in ("accepted", "accepted_with_warning", "rejected")),
        ]
        self.status = w.Dropdown(options=statuses, value="problems", description="Status")
        self.file = w.Dropdown(
            options=[_ANY, *((f, f) for f in sorted(self.ledger["file"].unique()))],
            value="",
            description="File",
        )
        self.text = w.Text(
            description="Words", placeholder="in the message", continuous_update=False
        )
        self.count = w.HTML()
        self.table = w.HTML()
        for control in (self.status, self.file, self.text):
            control.observe(lambda _: self.refresh(), names="value")
        self.widget = w.VBox([w.HBox([self.status, self.file, self.text]), self.count, self.table])
        self.refresh()

    def rows(self) -> pd.DataFrame:
        ledger = self.ledger
        if self.status.value == "problems":
            ledger = ledger[ledger["status"].ne("accepted")]
        elif self.status.value:
            ledger = ledger[ledger["status"].eq(self.status.value)]
        if self.file.value:
            ledger = ledger[ledger["file"].eq(self.file.value)]
        if self.text.value.strip():
            ledger = ledger[
                ledger["message"].str.contains(self.text.value.strip(), case=False, regex=False)
            ]
        return ledger

    def refresh(self) -> None:
        rows = self.rows()
        shown = rows.head(self.LIMIT).astype(object).fillna("")
        self.count.value = f"{len(rows)} of {len(self.ledger)} entries" + (
            f" (the first {self.LIMIT} shown)" if len(rows) > self.LIMIT else ""
        )
        self.table.value = _table(
            shown,
            {
                "file": "File",
                "row": "Row",
                "statement_id": "Statement",
                "status": "Status",
                "column": "Column",
                "message": "Message",
            },
            empty="No entry matches.",
        ).markup


# --- triage -------------------------------------------------------------------------------------


def _submitted(review: Review) -> pd.DataFrame:
    """The statements as submitted, before any triage decision (read again only if there are decisions)."""
    if review.decisions.empty:
        return review.statements
    from reviewlib.validate import check_rows

    rows, _ = read_contributions(paths.contributions_dir(review.inputs_dir))
    statements, _ = check_rows(rows, review.reference, review.config)
    return statements.sort_values("statement_id", kind="stable").reset_index(drop=True)


class TriagePanel(_Panel):
    """Filter statements, page through them, and save a decision on each (saved at once to triage.csv)."""

    def __init__(self, review: Review, reviewer: str = ""):
        self.review = review
        self.inputs = Path(review.inputs_dir)
        ref = review.reference
        self.submitted = _submitted(review)
        self.ids = set(self.submitted["statement_id"])
        s = self.submitted
        places = sorted(
            {*s["country"], *s["scope_iso3"]} - {""}, key=lambda iso: ref.name_of.get(iso, iso)
        )
        themes = list(zip(ref.themes["label"], ref.themes["theme"], strict=True))
        self.filters = {
            "pillar": w.Dropdown(
                options=[
                    _ANY,
                    *((PILLAR_LABELS[p], p) for p in PILLARS),
                    ("no pillar", triage.NO_PILLAR),
                ],
                description="Pillar",
            ),
            "theme": w.Dropdown(options=[_ANY, *themes], description="Theme"),
            "kind": w.Dropdown(
                options=[_ANY, *((k.replace("_", " "), k) for k in KINDS)], description="Kind"
            ),
            "stakeholder_type": w.Dropdown(
                options=[_ANY, *((TYPE_LABELS[t], t) for t in TYPE_LABELS)],
                description="Contributor",
            ),
            "country": w.Dropdown(
                options=[_ANY, *((f"{ref.name_of.get(i, i)} ({i})", i) for i in places)],
                description="Country",
            ),
            "language": w.Dropdown(
                options=[_ANY, *((x, x) for x in sorted(set(s["language"]) - {""}))],
                description="Language",
            ),
            "decision": w.Dropdown(
                options=[
                    _ANY,
                    ("none yet", triage.UNDECIDED),
                    *((d.replace("_", " "), d) for d in DECISIONS),
                ],
                description="Decision",
            ),
            "text": w.Text(
                description="Words",
                placeholder="in the text, contributor or note",
                continuous_update=False,
            ),
        }
        for control in self.filters.values():
            control.observe(lambda _: self._filtered(), names="value")
        self.count = w.HTML()
        self.prev_button = w.Button(description="◀ Previous", layout=w.Layout(width="auto"))
        self.next_button = w.Button(description="Next ▶", layout=w.Layout(width="auto"))
        self.position_label = w.HTML()
        self.prev_button.on_click(lambda _: self.show(self.position - 1))
        self.next_button.on_click(lambda _: self.show(self.position + 1))
        self.card = w.HTML()

        self.reviewer = w.Text(value=default_reviewer(reviewer), description="Reviewer")
        self.keep_button = w.Button(
            description="Keep", button_style="success", tooltip="Keep this statement"
        )
        self.set_aside_button = w.Button(
            description="Set aside",
            button_style="warning",
            tooltip="Off-topic or unusable: not counted",
        )
        self.merge_button = w.Button(
            description="Merge into →",
            button_style="info",
            tooltip="Says the same as another statement: counted once, as a citation of it",
        )
        self.merge_into = w.Combobox(
            options=sorted(self.ids),
            placeholder="statement id",
            ensure_option=True,
            description="",
            layout=w.Layout(width="14em"),
        )
        for button, decision in (
            (self.keep_button, "keep"),
            (self.set_aside_button, "set_aside"),
            (self.merge_button, "merge"),
        ):
            button.add_class(f"reviewlib-{decision.replace('_', '-')}")
            button.on_click(lambda _, d=decision: self.decide(d))
        self.pillar = w.Dropdown(options=[("as submitted", "")], description="Pillar")
        self.pillar.add_class("reviewlib-pillar")
        self.themes = w.SelectMultiple(options=themes, rows=6, description="Themes")
        self.note = w.Textarea(
            description="Note",
            placeholder="why (saved when you leave the box)",
            continuous_update=False,
            layout=w.Layout(width="40em"),
        )
        for control in (self.pillar, self.themes, self.note):
            control.observe(self._corrected, names="value")
        self.undo_button = w.Button(
            description="Undo my last change", icon="undo", layout=w.Layout(width="auto")
        )
        self.undo_button.add_class("reviewlib-undo")
        self.undo_button.on_click(lambda _: self.undo())
        self.status = w.HTML()

        self.position = 0
        self.selection = self.submitted.iloc[0:0]
        self._quiet = False
        self._reload()
        f = self.filters
        self.widget = w.VBox(
            [
                w.HBox(
                    [f["pillar"], f["theme"], f["kind"], f["decision"]],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox(
                    [f["stakeholder_type"], f["country"], f["language"], f["text"]],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox([self.count, self.prev_button, self.position_label, self.next_button]),
                self.card,
                w.HBox([self.reviewer, self.undo_button]),
                w.HBox(
                    [self.keep_button, self.set_aside_button, self.merge_button, self.merge_into]
                ),
                w.HBox(
                    [
                        self.pillar,
                        self.themes,
                        w.HTML("<small>Ctrl- or ⌘-click<br>to choose several</small>"),
                    ]
                ),
                self.note,
                self.status,
            ]
        )
        self._filtered()

    # state ------------------------------------------------------------------------------------
    def _reload(self) -> None:
        """Decisions as saved now (by anyone), applied to the statements as submitted."""
        self.decisions = read_decisions(self.inputs).set_index("statement_id", drop=False)
        self.statements, _ = apply_decisions(
            self.submitted, self.decisions.reset_index(drop=True), self.review.reference
        )

    def filter_values(self) -> dict[str, str]:
        return {name: control.value for name, control in self.filters.items()}

    @property
    def current_id(self) -> str | None:
        return (
            None
            if self.selection.empty
            else str(self.selection.iloc[self.position]["statement_id"])
        )

    def _filtered(self, keep: str | None = None) -> None:
        keep = keep if keep is not None else self.current_id
        self.selection = triage.select_statements(
            self.statements, **self.filter_values()
        ).reset_index(drop=True)
        self.count.value = (
            f"<b>{len(self.selection)}</b> of {len(self.statements)} statements match"
        )
        where = self.selection.index[self.selection["statement_id"].eq(keep)] if keep else []
        self.show(int(where[0]) if len(where) else self.position)

    def show(self, position: int) -> None:
        """Show the statement at this position of the filtered list (clamped to the list)."""
        self.position = max(0, min(position, len(self.selection) - 1))
        empty = self.selection.empty
        for control in (
            self.keep_button,
            self.set_aside_button,
            self.merge_button,
            self.pillar,
            self.themes,
            self.note,
            self.merge_into,
        ):
            control.disabled = empty
        self.prev_button.disabled = empty or self.position == 0
        self.next_button.disabled = empty or self.position >= len(self.selection) - 1
        if empty:
            self.position_label.value = ""
            self.card.value = "<p><i>No statement matches these filters.</i></p>"
            return
        self.position_label.value = f"&nbsp;{self.position + 1} / {len(self.selection)}&nbsp;"
        row = self.selection.iloc[self.position]
        sid = row["statement_id"]
        decided = self.decisions.loc[sid] if sid in self.decisions.index else None
        original = self.submitted.loc[self.submitted["statement_id"].eq(sid)].iloc[0]
        self._quiet = True
        try:
            self.pillar.options = [
                (f"as submitted ({original['pillar'] or 'none'})", ""),
                *((PILLAR_LABELS[p], p) for p in PILLARS),
            ]
            self.pillar.value = (
                (resolve_pillar(decided["pillar"]) or "") if decided is not None else ""
            )
            self.themes.value = tuple(t for t in row["themes"].split(";") if t in self.themes_ids())
            self.note.value = decided["note"] if decided is not None else ""
            self.merge_into.value = decided["merge_into"] if decided is not None else ""
        finally:
            self._quiet = False
        self.card.value = self._card(row, decided)

    def themes_ids(self) -> set[str]:
        return {value for _, value in self.themes.options}

    def _card(self, row: pd.Series, decided: pd.Series | None) -> str:
        ref = self.review.reference
        who = TYPE_LABELS.get(row["stakeholder_type"], row["stakeholder_type"])
        country = ref.name_of.get(row["country"], "")
        pillar = row["pillar"] or "none"
        if row["pillar_source"] and row["pillar_source"] != "given":
            pillar += f" ({row['pillar_source']})"
        if decided is None:
            decision = "<i>none yet</i>"
        else:
            what = decided["decision"].replace("_", " ") or "no call (corrections only)"
            if decided["decision"] == "merge":
                what += f" into {esc(decided['merge_into'])}"
            decision = f"<b>{esc(what)}</b> — {esc(decided['reviewer'])}, {esc(decided['at'])}" + (
                f"; note: {esc(decided['note'])}" if decided["note"] else ""
            )
        evidence = (
            f"<p><small>Evidence: {esc(row['evidence'])}</small></p>" if row["evidence"] else ""
        )
        return (
            f'<div class="reviewlib-statement" style="border-left:4px solid #00558c;padding:0 0.8em">'
            f"<p><b>{esc(row['statement_id'])}</b> · {esc(row['kind'].replace('_', ' '))} · pillar {esc(pillar)}"
            f" · themes {esc(row['themes'].replace(';', ', ') or 'none')}"
            f" · commitments {esc(row['commitments'].replace(';', ', ') or 'none')} · about {esc(row['scope'])}</p>"
            f"<blockquote style='white-space:pre-wrap'>{esc(row['text'])}</blockquote>{evidence}"
            f"<p><small>From {esc(row['submitter'])} ({esc(who)}{', ' + esc(country) if country else ''}) — "
            f"contribution {esc(row['contribution_id'])}, {esc(row['file'])} row {esc(row['row'])}; "
            f"received {esc(row['received'] or 'no date')}; language {esc(row['language'] or 'not given')}"
            f"</small></p><p>Decision: {decision}</p></div>"
        )

    # saving -----------------------------------------------------------------------------------
    def _save(self, decision: str | None) -> None:
        sid = self.current_id
        if sid is None:
            return
        decided = self.decisions.loc[sid] if sid in self.decisions.index else None
        if decision is None:  # a correction keeps the decision in force
            decision = decided["decision"] if decided is not None else ""
        original = self.submitted.loc[self.submitted["statement_id"].eq(sid), "themes"].iloc[0]
        chosen = [t for t in self.themes.value]
        themes = "" if set(chosen) == {t for t in original.split(";") if t} else chosen
        try:
            row = triage.save_decision(
                self.inputs,
                sid,
                decision=decision,
                merge_into=self.merge_into.value if decision == "merge" else "",
                pillar=self.pillar.value,
                themes=themes,
                note=self.note.value,
                reviewer=self.reviewer.value,
                known_ids=self.ids,
            )
        except (ValueError, ReviewlibError) as exc:
            self.status.value = _note(f"Not saved: {exc}", _ERROR)
            return
        self._reload()
        self._filtered(keep=sid)
        gone = "" if self.current_id == sid else " (it no longer matches the filters)"
        shown = row["decision"].replace("_", " ") or "corrections"
        self.status.value = _note(
            f"Saved {sid}: {shown}, by {row['reviewer']} at {row['at']}{gone}."
        )

    def decide(self, decision: str) -> None:
        """Save keep, merge (into the statement in merge_into) or set_aside for the statement shown."""
        self._save(decision)

    def _corrected(self, change) -> None:
        if not self._quiet:
            self._save(None)

    def undo(self) -> None:
        """Take back this reviewer's latest change."""
        try:
            result = triage.undo_last(self.inputs, self.reviewer.value)
        except (ValueError, ReviewlibError) as exc:
            self.status.value = _note(str(exc), _ERROR)
            return
        if result is None:
            self.status.value = _note(f"Nothing to undo for {self.reviewer.value}.", _ERROR)
            return
        self._reload()
        self._filtered(keep=result.statement_id)
        self.status.value = _note(result.message[0].upper() + result.message[1:] + ".")


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
