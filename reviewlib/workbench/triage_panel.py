"""The triage panel of the gathering notebook: filter statements, page through them, decide.

No review logic lives here: filtering, saving and undoing are `reviewlib.workbench.triage`.
Every save sends only what the officer changed, with the row as the card showed it, so a change
someone else saved meanwhile is kept, or, when it is to the same field, shown with who and when
and a choice (keep mine / keep theirs). A click always wins over a note being typed: the note
travels with the click. The card stays on the statement just edited, even when it no longer
matches the filters. Every control is an attribute of the panel, so tests drive it from Python
exactly as a click in JupyterLab would.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from reviewlib import paths
from reviewlib.brief.blocks import esc
from reviewlib.errors import ReviewlibError
from reviewlib.gather.checks import check_rows
from reviewlib.gather.decisions import apply_decisions, read_decisions
from reviewlib.gather.review import Review, read_contributions
from reviewlib.gather.spellings import resolve_pillar
from reviewlib.terms import DECISIONS, KINDS, PILLAR_LABELS, PILLARS, TYPE_LABELS
from reviewlib.workbench import triage
from reviewlib.workbench.panel import ERROR, Panel, default_reviewer, note, remember_reviewer

__all__ = ["TriagePanel"]

_ANY = ("any", "")
_WRAP = w.Layout(flex_flow="row wrap", align_items="center")


def _submitted(review: Review) -> pd.DataFrame:
    """The statements as submitted, before any triage decision (read again only if there are decisions)."""
    if review.decisions.empty and review.suggested.empty:
        return review.statements
    rows, _ = read_contributions(paths.contributions_dir(review.inputs_dir), review.config.intake)
    statements, _ = check_rows(rows, review.reference, review.config)
    if not review.suggested.empty:  # with the pillars the model suggested where rules found none
        waiting = review.suggested.set_index("statement_id")
        ids = statements["statement_id"].isin(waiting.index)
        for column in ("pillar", "pillar_source", "confidence"):
            statements.loc[ids, column] = statements.loc[ids, "statement_id"].map(waiting[column])
    return statements.sort_values("statement_id", kind="stable").reset_index(drop=True)


class TriagePanel(Panel):
    """Filter statements, page through them, and save a decision on each (saved at once to triage.csv)."""

    def __init__(self, review: Review, reviewer: str = ""):
        self.review = review
        self.inputs = Path(review.inputs_dir)
        self.submitted = _submitted(review)
        self.ids = set(self.submitted["statement_id"])
        self.filters = self._filter_controls()
        for control in self.filters.values():
            control.observe(lambda _: self._filtered(), names="value")
        self._navigation_controls()
        self._decision_controls(reviewer)
        self.position = 0
        self.selection = self.submitted.iloc[0:0]
        self.seen: dict[str, str] | None = None  # the saved row the card shows
        self.note_pending = False
        self.conflict: tuple[str, dict, dict] | None = None
        self._quiet = False
        self._reload()
        self.widget = self._layout()
        self._filtered()

    # controls ---------------------------------------------------------------------------------
    def _filter_controls(self) -> dict[str, w.Widget]:
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
        themes = list(zip(ref.themes["label"], ref.themes["theme"], strict=True))
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
        self.next_button.add_class("reviewlib-next")
        self.position_label = w.HTML()
        self.prev_button.on_click(lambda _: self.show(self.position - 1))
        self.next_button.on_click(lambda _: self.show(self.position + 1))
        # A long statement scrolls inside its card: the controls stay in sight.
        self.card = w.HTML(layout=w.Layout(max_height="16em", overflow="auto"))

    def _decision_controls(self, reviewer: str) -> None:
        self.reviewer = w.Text(
            value=default_reviewer(reviewer),
            description="Your name",
            placeholder="asked once, then remembered",
            continuous_update=False,
        )
        self.reviewer.add_class("reviewlib-reviewer")
        self.reviewer.observe(lambda change: remember_reviewer(change["new"]), names="value")
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
            layout=w.Layout(width="14em"),
        )
        for button, decision in (
            (self.keep_button, "keep"),
            (self.set_aside_button, "set_aside"),
            (self.merge_button, "merge"),
        ):
            button.add_class(f"reviewlib-{decision.replace('_', '-')}")
            button.on_click(lambda _, d=decision: self.decide(d))
        self.kind = w.Dropdown(
            options=[("as submitted", ""), *((k.replace("_", " "), k) for k in KINDS)],
            description="Kind",
        )
        self.kind.observe(lambda c: self._corrected({"kind": c["new"]}), names="value")
        self.pillar = w.Dropdown(options=[("as submitted", "")], description="Pillar")
        self.pillar.add_class("reviewlib-pillar")
        self.pillar.observe(lambda c: self._corrected({"pillar": c["new"]}), names="value")
        self.theme_boxes = {}
        for label, theme in zip(
            self.review.reference.themes["label"],
            self.review.reference.themes["theme"],
            strict=True,
        ):
            box = w.Checkbox(description=label, indent=False, layout=w.Layout(width="auto"))
            box.add_class(f"reviewlib-theme-{theme}")
            box.observe(lambda _: self._corrected({"themes": self._themes_edit()}), names="value")
            self.theme_boxes[theme] = box
        self.note = w.Textarea(
            description="Note",
            placeholder="why (saved with your next click, or with Save note)",
            layout=w.Layout(width="36em", height="4.5em"),
        )
        self.note.add_class("reviewlib-note")
        self.note.observe(self._typed, names="value")
        self.save_note_button = w.Button(description="Save note", layout=w.Layout(width="auto"))
        self.save_note_button.add_class("reviewlib-save-note")
        self.save_note_button.on_click(lambda _: self._save({}))
        self.undo_button = w.Button(
            description="Undo my last change", icon="undo", layout=w.Layout(width="auto")
        )
        self.undo_button.add_class("reviewlib-undo")
        self.undo_button.on_click(lambda _: self.undo())
        self.status = w.HTML()
        self.status.add_class("reviewlib-status")
        self.mine_button = w.Button(description="Keep mine", button_style="danger")
        self.theirs_button = w.Button(description="Keep theirs")
        self.mine_button.on_click(lambda _: self.resolve(mine=True))
        self.theirs_button.on_click(lambda _: self.resolve(mine=False))
        self.choice = w.HBox(
            [self.mine_button, self.theirs_button], layout=w.Layout(display="none")
        )

    def _layout(self) -> w.Widget:
        f = self.filters
        return w.VBox(
            [
                w.HBox([f["pillar"], f["theme"], f["kind"], f["decision"]], layout=_WRAP),
                w.HBox(
                    [f["stakeholder_type"], f["country"], f["language"], f["text"]], layout=_WRAP
                ),
                w.HBox(
                    [self.count, self.prev_button, self.position_label, self.next_button],
                    layout=_WRAP,
                ),
                self.card,
                w.HBox(
                    [
                        self.keep_button,
                        self.set_aside_button,
                        self.merge_button,
                        self.merge_into,
                        self.reviewer,
                        self.undo_button,
                    ],
                    layout=_WRAP,
                ),
                # Feedback right under the buttons that caused it, before the corrections.
                self.status,
                self.choice,
                w.HBox([self.note, self.save_note_button], layout=_WRAP),
                w.HBox([self.kind, self.pillar], layout=_WRAP),
                w.HTML("<b>Themes</b> <small>(tick or untick one: the others stay)</small>"),
                w.GridBox(
                    list(self.theme_boxes.values()),
                    layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(28em, 1fr))"),
                ),
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

    def chosen_themes(self) -> list[str]:
        return [theme for theme, box in self.theme_boxes.items() if box.value]

    def _submitted_themes(self, sid: str) -> set[str]:
        themes = self.submitted.loc[self.submitted["statement_id"].eq(sid), "themes"].iloc[0]
        return {t for t in themes.split(";") if t}

    def _themes_edit(self) -> list[str] | str:
        """The themes ticked, or "" (as submitted) when they are the contributor's own."""
        chosen = self.chosen_themes()
        return "" if set(chosen) == self._submitted_themes(self.current_id or "") else chosen

    @property
    def current_id(self) -> str | None:
        return (
            None
            if self.selection.empty
            else str(self.selection.iloc[self.position]["statement_id"])
        )

    def _filtered(self, keep: str | None = None, pin: str | None = None) -> None:
        """Select the statements matching the filters; `pin` stays in the list even when it no
        longer matches (the statement just edited), until the filters change."""
        keep = keep if keep is not None else self.current_id
        if self.note_pending and pin is None:
            self._save({}, refresh=False)  # a note typed before the filters changed is kept
        selection = triage.select_statements(self.statements, **self.filter_values())
        pinned = pin is not None and not selection["statement_id"].eq(pin).any()
        if pinned:
            extra = self.statements[self.statements["statement_id"].eq(pin)]
            selection = pd.concat([selection, extra]).sort_values("statement_id", kind="stable")
        self.selection = selection.reset_index(drop=True)
        self.count.value = (
            f"<b>{len(self.selection) - pinned}</b> of {len(self.statements)} statements match"
            + (" (and the one you just changed)" if pinned else "")
        )
        where = self.selection.index[self.selection["statement_id"].eq(keep)] if keep else []
        self.show(int(where[0]) if len(where) else self.position, save_note=False)

    def _saved_row(self, sid: str) -> dict[str, str] | None:
        rows = read_decisions(self.inputs)
        rows = rows[rows["statement_id"].eq(sid)]
        return None if rows.empty else {c: str(v) for c, v in rows.iloc[-1].items()}

    def show(self, position: int, save_note: bool = True) -> None:
        """Show the statement at this position of the filtered list (clamped to the list); a
        note typed for the statement shown before is saved first."""
        if save_note and self.note_pending and not self._save({}, refresh=False):
            return  # the note could not be saved: stay, the status says why
        self.position = max(0, min(position, len(self.selection) - 1))
        empty = self.selection.empty
        for control in (
            self.keep_button,
            self.set_aside_button,
            self.merge_button,
            self.kind,
            self.pillar,
            self.note,
            self.save_note_button,
            self.merge_into,
            *self.theme_boxes.values(),
        ):
            control.disabled = empty
        self.prev_button.disabled = empty or self.position == 0
        self.next_button.disabled = empty or self.position >= len(self.selection) - 1
        self.note_pending, self.conflict = False, None
        self.choice.layout.display = "none"
        if empty:
            self.position_label.value = ""
            self.card.value = "<p><i>No statement matches these filters.</i></p>"
            self.seen = None
            return
        self.position_label.value = f"&nbsp;{self.position + 1} / {len(self.selection)}&nbsp;"
        sid = str(self.selection.iloc[self.position]["statement_id"])
        self.seen = self._saved_row(sid)
        row = self.statements[self.statements["statement_id"].eq(sid)].iloc[0]
        original = self.submitted.loc[self.submitted["statement_id"].eq(sid)].iloc[0]
        self._set_controls(self.seen, row, original)
        self.card.value = self._card(row, self.seen)

    def _set_controls(self, seen: dict | None, row: pd.Series, original: pd.Series) -> None:
        """The controls show the statement as saved, without saving anything."""
        self._quiet = True
        try:
            self.pillar.options = [
                (f"as submitted ({original['pillar'] or 'none'})", ""),
                *((PILLAR_LABELS[p], p) for p in PILLARS),
            ]
            self.pillar.value = (resolve_pillar(seen["pillar"]) or "") if seen else ""
            self.kind.options = [
                (f"as submitted ({original['kind'].replace('_', ' ')})", ""),
                *((k.replace("_", " "), k) for k in KINDS),
            ]
            self.kind.value = (seen.get("kind") or "") if seen else ""
            themes = self._submitted_themes(original["statement_id"])
            if seen and seen["themes"]:
                themes = set(seen["themes"].split(";"))
            for theme, box in self.theme_boxes.items():
                box.value = theme in themes
            self.note.value = seen["note"] if seen else ""
            self.merge_into.value = seen["merge_into"] if seen else ""
        finally:
            self._quiet = False

    def _card(self, row: pd.Series, decided: dict | None) -> str:
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
        if row["status"] == "suggested":
            decision += (
                f" · <b>suggested</b> from a document (confidence {float(row['confidence']):.2f}):"
                " not counted until you decide; correct the kind or pillar first if wrong"
            )
        return (
            f'<div class="reviewlib-statement" style="border-left:4px solid #00558c;padding:0 0.8em">'
            f"<p><b>{esc(row['statement_id'])}</b> · {esc(row['kind'].replace('_', ' '))} · pillar {esc(pillar)}"
            f" · themes {esc(row['themes'].replace(';', ', ') or 'none')}"
            f" · commitments {esc(row['commitments'].replace(';', ', ') or 'none')} · about {esc(row['scope'])}</p>"
            f"<p>Decision: {decision}</p>"
            f"<blockquote style='white-space:pre-wrap;margin:0.3em 0'>{esc(row['text'])}</blockquote>{evidence}"
            f"<p><small>From {esc(row['submitter'])} ({esc(who)}{', ' + esc(country) if country else ''}) — "
            f"contribution {esc(row['contribution_id'])}, {esc(row['file'])} row {esc(row['row'])}; "
            f"received {esc(row['received'] or 'no date')}; language {esc(row['language'] or 'not given')}"
            f"</small></p></div>"
        )

    # saving -----------------------------------------------------------------------------------
    def _typed(self, change) -> None:
        if self._quiet or self.current_id is None:
            return
        self.note_pending = change["new"] != (self.seen or {}).get("note", "")
        if self.note_pending:
            self.status.value = note("Note not saved yet: it is saved with your next click.")

    def _save(self, edits: dict, seen: dict | None | object = None, refresh: bool = True) -> bool:
        """Save these fields (and a note being typed) of the statement shown; True when saved."""
        sid = self.current_id
        if sid is None:
            return False
        edits = dict(edits)
        if self.note_pending:
            edits["note"] = self.note.value
        if not edits:
            self.status.value = note("Nothing to save: the note is as saved.")
            return True
        try:
            row = triage.save_decision(
                self.inputs,
                sid,
                reviewer=self.reviewer.value,
                known_ids=self.ids,
                seen=self.seen if seen is None else seen,
                **edits,
            )
        except triage.Conflict as exc:
            self.conflict = (sid, edits, exc.theirs)
            self.status.value = note(str(exc), ERROR)
            self.choice.layout.display = None
            return False
        except (ValueError, ReviewlibError) as exc:
            self.status.value = note(f"Not saved: {exc}", ERROR)
            return False
        remember_reviewer(self.reviewer.value)
        self.note_pending, self.conflict = False, None
        self.choice.layout.display = "none"
        kept = [
            f"{f.replace('_', ' ')} '{row[f]}'"
            for f in ("decision", "kind", "pillar", "themes", "note")
            if f not in edits and row[f] != (self.seen or {}).get(f, "")
        ]
        self._reload()
        if refresh:
            self._filtered(keep=sid, pin=sid)
        shown = row["decision"].replace("_", " ") or "corrections"
        self.status.value = note(
            f"Saved {sid}: {shown}, by {row['reviewer']} at {row['at']}"
            + (f" (kept what was saved meanwhile: {'; '.join(kept)})" if kept else "")
            + "."
        )
        return True

    def decide(self, decision: str) -> None:
        """Save keep, merge (into the statement in merge_into) or set_aside for the statement shown."""
        edits = {"decision": decision}
        if decision == "merge":
            edits["merge_into"] = self.merge_into.value
        self._save(edits)

    def _corrected(self, edits: dict) -> None:
        if not self._quiet:
            self._save(edits)

    def resolve(self, mine: bool) -> None:
        """After a conflict: save this officer's change over theirs, or take theirs."""
        if self.conflict is None:
            return
        sid, edits, theirs = self.conflict
        if mine and sid == self.current_id:
            self.note_pending = False
            self._save(edits, seen=theirs)
            return
        self.conflict = None
        self._reload()
        self._filtered(keep=sid, pin=sid)
        self.status.value = note(f"Kept {theirs['reviewer']}'s change of {sid}.")

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
        self.note_pending = False
        self._filtered(keep=result.statement_id, pin=result.statement_id)
        self.status.value = note(result.message[0].upper() + result.message[1:] + ".")
