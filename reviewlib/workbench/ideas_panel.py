"""The curation panel of the pool of ideas (notebook 20_ideas): rename an idea, move a proposal to
another idea, split an idea, and add or correct a statement's English text.

No review logic lives here: saving is `reviewlib.workbench.curation`, the pool is
`reviewlib.ideas.pool`. Every control is an attribute of the panel, so tests drive it from Python
exactly as clicks in JupyterLab would. A saved decision shows in the pool when the notebook runs
again (the review is read anew with the decisions in inputs/decisions/).
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from reviewlib.brief.blocks import esc
from reviewlib.errors import ReviewlibError
from reviewlib.gather.review import Review
from reviewlib.ideas.pool import IdeaPool, pool
from reviewlib.terms import TRANSLATION_LABELS
from reviewlib.workbench import curation
from reviewlib.workbench.panel import ERROR, Panel, default_reviewer, note, remember_reviewer

__all__ = ["IdeasPanel", "pool_view", "import_machine_translations"]


def import_machine_translations(inputs: str | Path, file: str, reviewer: str, tool: str) -> str:
    """Import a translation tool's CSV (statement_id, text_en) as machine translations, when a
    file is named; a sentence saying what was done."""
    if not file:
        return "No machine translations to import."
    from reviewlib.gather.review import load_review

    known = load_review(inputs).statements["statement_id"]
    saved = curation.import_translations(
        inputs,
        file,
        reviewer=default_reviewer(reviewer),
        tool=tool or "a translation tool",
        known_ids=known,
    )
    return f"{saved} machine translations saved to decisions/translations.csv."


def pool_view(review: Review) -> w.HTML:
    """The pool in one sentence, and how many proposals still lack English text."""
    ideas = pool(review)
    missing = ideas.uncompared_proposals()
    text = f"<p>{esc(ideas.headline())}.</p>"
    if missing:
        text += (
            f"<p>{missing} proposal{'s have' if missing != 1 else ' has'} no English text and "
            "could not be compared with the GPA: add the English below.</p>"
        )
    return w.HTML(text)


class IdeasPanel(Panel):
    """Choose an idea; rename it, move one of its proposals, split it, or fix English text."""

    def __init__(self, review: Review, reviewer: str = ""):
        self.review = review
        self.inputs = Path(review.inputs_dir)
        self.pool: IdeaPool = pool(review)
        self.ids = set(review.statements["statement_id"])
        summary = self.pool.summary
        options = [
            (f"{r.rank}. {r.label[:90]} ({r.n_submitters}, {r.status_label})", r.idea_id)
            for r in summary.itertuples(index=False)
        ]
        self.reviewer = w.Text(value=default_reviewer(reviewer), description="Reviewer")
        self.reviewer.observe(lambda change: remember_reviewer(change["new"]), names="value")
        self.idea = w.Dropdown(options=options, description="Idea", layout={"width": "95%"})
        self.members = w.HTML()
        self.label = w.Text(description="New label", layout={"width": "95%"})
        self.rename = w.Button(description="Rename")
        self.moving = w.Dropdown(description="Proposal")
        self.target = w.Dropdown(options=options, description="Move to", layout={"width": "95%"})
        self.move = w.Button(description="Move")
        self.parting = w.SelectMultiple(description="Split off", rows=6, layout={"width": "95%"})
        self.split = w.Button(description="Split")
        self.statement = w.Dropdown(description="Statement")
        self.english = w.Textarea(description="English", layout={"width": "95%", "height": "5em"})
        self.save_english = w.Button(description="Save English text")
        self.status = w.HTML()
        self.idea.observe(lambda _: self.show(), names="value")
        self.statement.observe(lambda _: self._show_english(), names="value")
        self.rename.on_click(lambda _: self._do(self._rename))
        self.move.on_click(lambda _: self._do(self._move))
        self.split.on_click(lambda _: self._do(self._split))
        self.save_english.on_click(lambda _: self._do(self._english))
        self.widget = w.VBox(
            [
                self.reviewer,
                self.idea,
                self.members,
                w.HBox([self.label, self.rename]),
                w.HBox([self.moving, self.target, self.move]),
                w.HBox([self.parting, self.split]),
                w.HBox([self.statement, self.save_english]),
                self.english,
                self.status,
            ]
        )
        self.show()

    def _members(self) -> pd.DataFrame:
        return self.pool.ideas[self.pool.ideas["idea_id"].eq(self.idea.value)]

    def show(self) -> None:
        """The chosen idea's members, and the choices that name them."""
        members = self._members()
        rows = "".join(
            f"<li><b>{esc(r.statement_id)}</b> {esc(r.submitter)}: "
            f"{esc(r.text_en or r.text)}"
            f"{' <i>(' + esc(TRANSLATION_LABELS.get(r.text_en_source, '')) + ')</i>' if r.text_en_source not in ('original', '') else ''}"
            f"{' <i>(no English text)</i>' if not r.text_en else ''}</li>"
            for r in members.itertuples(index=False)
        )
        self.members.value = f"<ul>{rows}</ul>"
        ids = list(members["statement_id"])
        self.moving.options = ids
        self.parting.options = ids
        self.statement.options = ids
        self.label.value = ""
        self._show_english()

    def _show_english(self) -> None:
        rows = self.review.statements.set_index("statement_id")
        sid = self.statement.value
        self.english.value = str(rows.at[sid, "text_en"]) if sid in rows.index else ""

    def _first_member(self, idea_id: str) -> str:
        return str(
            self.pool.ideas.loc[self.pool.ideas["idea_id"].eq(idea_id), "statement_id"].iat[0]
        )

    def _rename(self) -> str:
        row = curation.save_idea_decision(
            self.inputs,
            "rename",
            [self._first_member(self.idea.value)],
            label=self.label.value,
            reviewer=self.reviewer.value,
            known_ids=self.ids,
        )
        return f"renamed: {row['label']}"

    def _move(self) -> str:
        if self.target.value == self.idea.value:
            raise ValueError("choose another idea to move the proposal to")
        row = curation.save_idea_decision(
            self.inputs,
            "move",
            [self.moving.value],
            target=self._first_member(self.target.value),
            reviewer=self.reviewer.value,
            known_ids=self.ids,
        )
        return f"moved {row['statement_ids']} to the idea of {row['target']}"

    def _split(self) -> str:
        if len(self.parting.value) in (0, len(self.parting.options)):
            raise ValueError("choose some, not all, of the idea's proposals to split off")
        row = curation.save_idea_decision(
            self.inputs,
            "split",
            list(self.parting.value),
            reviewer=self.reviewer.value,
            known_ids=self.ids,
        )
        return f"split off {row['statement_ids'].replace(';', ', ')} as a new idea"

    def _english(self) -> str:
        row = curation.save_translation(
            self.inputs,
            self.statement.value,
            self.english.value,
            reviewer=self.reviewer.value,
            known_ids=self.ids,
        )
        return f"English text of {row['statement_id']} saved"

    def _do(self, action) -> None:
        try:
            done = action()
        except (ValueError, ReviewlibError) as error:
            self.status.value = note(str(error), ERROR)
            return
        self.status.value = note(
            f"Saved ({self.reviewer.value.strip()}): {done}. Run the notebook again to see the "
            "pool with it."
        )
