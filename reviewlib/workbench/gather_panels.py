"""The panels of the gathering notebook: the validation summary, the ledger and triage of statements.

No review logic lives here: filtering, saving and undoing decisions are
`reviewlib.workbench.triage`. Every control is an attribute of its panel, so tests drive a panel
from Python exactly as a click in JupyterLab would.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from reviewlib import paths
from reviewlib.brief.blocks import Block, esc
from reviewlib.errors import ReviewlibError
from reviewlib.gather.checks import check_rows
from reviewlib.gather.decisions import apply_decisions, read_decisions
from reviewlib.gather.review import Review, read_contributions
from reviewlib.gather.spellings import resolve_pillar
from reviewlib.terms import DECISIONS, KINDS, PILLAR_LABELS, PILLARS, TYPE_LABELS
from reviewlib.workbench import triage
from reviewlib.workbench.panel import ERROR, Panel, default_reviewer, note, readable_table

__all__ = [
    "summary_view",
    "LedgerPanel",
    "TriagePanel",
    "default_reviewer",
]

_ANY = ("any", "")


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


class LedgerPanel(Panel):
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
        self.table.value = readable_table(
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
    rows, _ = read_contributions(paths.contributions_dir(review.inputs_dir))
    statements, _ = check_rows(rows, review.reference, review.config)
    return statements.sort_values("statement_id", kind="stable").reset_index(drop=True)


class TriagePanel(Panel):
    """Filter statements, page through them, and save a decision on each (saved at once to triage.csv)."""

    def __init__(self, review: Review, reviewer: str = ""):
        self.review = review
        self.inputs = Path(review.inputs_dir)
        self.submitted = _submitted(review)
        self.ids = set(self.submitted["statement_id"])
        ref = review.reference
        themes = list(zip(ref.themes["label"], ref.themes["theme"], strict=True))
        self.filters = self._filter_controls(themes)
        for control in self.filters.values():
            control.observe(lambda _: self._filtered(), names="value")
        self._navigation_controls()
        self._decision_controls(reviewer, themes)
        self.position = 0
        self.selection = self.submitted.iloc[0:0]
        self._quiet = False
        self._reload()
        self.widget = self._layout()
        self._filtered()

    def _filter_controls(self, themes: list[tuple[str, str]]) -> dict[str, w.Widget]:
        ref, s = self.review.reference, self.submitted
        places = sorted(
            {*s["country"], *s["scope_iso3"]} - {""}, key=lambda iso: ref.name_of.get(iso, iso)
        )
        pillars = [_ANY, *((PILLAR_LABELS[p], p) for p in PILLARS), ("no pillar", triage.NO_PILLAR)]
        decisions = [
            _ANY,
            ("none yet", triage.UNDECIDED),
            *((d.replace("_", " "), d) for d in DECISIONS),
        ]
        return {
            "pillar": w.Dropdown(options=pillars, description="Pillar"),
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
            "decision": w.Dropdown(options=decisions, description="Decision"),
            "text": w.Text(
                description="Words",
                placeholder="in the text, contributor or note",
                continuous_update=False,
            ),
        }

    def _navigation_controls(self) -> None:
        self.count = w.HTML()
        self.prev_button = w.Button(description="◀ Previous", layout=w.Layout(width="auto"))
        self.next_button = w.Button(description="Next ▶", layout=w.Layout(width="auto"))
        self.position_label = w.HTML()
        self.prev_button.on_click(lambda _: self.show(self.position - 1))
        self.next_button.on_click(lambda _: self.show(self.position + 1))
        self.card = w.HTML()

    def _decision_controls(self, reviewer: str, themes: list[tuple[str, str]]) -> None:
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

    def _layout(self) -> w.Widget:
        f = self.filters
        wrap = w.Layout(flex_flow="row wrap")
        return w.VBox(
            [
                w.HBox([f["pillar"], f["theme"], f["kind"], f["decision"]], layout=wrap),
                w.HBox(
                    [f["stakeholder_type"], f["country"], f["language"], f["text"]], layout=wrap
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
            self.status.value = note(f"Not saved: {exc}", ERROR)
            return
        self._reload()
        self._filtered(keep=sid)
        gone = "" if self.current_id == sid else " (it no longer matches the filters)"
        shown = row["decision"].replace("_", " ") or "corrections"
        self.status.value = note(
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
            self.status.value = note(str(exc), ERROR)
            return
        if result is None:
            self.status.value = note(f"Nothing to undo for {self.reviewer.value}.", ERROR)
            return
        self._reload()
        self._filtered(keep=result.statement_id)
        self.status.value = note(result.message[0].upper() + result.message[1:] + ".")
