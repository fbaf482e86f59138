"""Bulk confirmation of the statements read from documents whose suggestions are sure enough.

An officer sets how sure a suggestion must be, sees how many statements that confirms, and
confirms them in one click; each is saved to triage.csv as a decision of its own (with name and
time), so it can be undone or corrected in the triage panel like any other. No review logic
lives here: choosing and saving are `reviewlib.workbench.triage.confirm_suggested`.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from reviewlib.errors import ReviewlibError
from reviewlib.gather.decisions import read_decisions
from reviewlib.gather.review import Review
from reviewlib.workbench import triage
from reviewlib.workbench.panel import ERROR, Panel, default_reviewer, note, remember_reviewer

__all__ = ["ConfirmPanel"]


class ConfirmPanel(Panel):
    """How many suggested statements wait, and a button that keeps those at least this sure."""

    def __init__(self, review: Review, reviewer: str = "", min_confidence: float = 0.8):
        self.inputs = Path(review.inputs_dir)
        self.suggested = review.suggested
        self.reviewer = w.Text(
            value=default_reviewer(reviewer), description="Your name", continuous_update=False
        )
        self.min_confidence = w.FloatSlider(
            value=min_confidence, min=0.0, max=1.0, step=0.05, description="At least"
        )
        self.count = w.HTML()
        self.button = w.Button(description="Confirm these", button_style="success")
        self.button.add_class("reviewlib-confirm")
        self.status = w.HTML()
        self.min_confidence.observe(lambda _: self.refresh(), names="value")
        self.button.on_click(lambda _: self.confirm())
        self.widget = w.VBox(
            [w.HBox([self.min_confidence, self.count]), w.HBox([self.reviewer, self.button])]
            + [self.status]
        )
        self.refresh()

    def waiting(self):
        """The suggested statements no one has decided on yet, at least as sure as the slider."""
        if self.suggested.empty:
            return self.suggested
        decided = set(read_decisions(self.inputs)["statement_id"])
        s = self.suggested[~self.suggested["statement_id"].isin(decided)]
        return s[s["confidence"].astype(float).ge(self.min_confidence.value)]

    def refresh(self) -> None:
        chosen = len(self.waiting())
        self.count.value = (
            f"<b>{chosen}</b> of {len(self.suggested)} statements read from documents are "
            f"suggested at least this sure and wait for a decision"
        )
        self.button.disabled = chosen == 0

    def confirm(self) -> None:
        try:
            done = triage.confirm_suggested(
                self.inputs,
                self.waiting(),
                reviewer=self.reviewer.value,
                min_confidence=self.min_confidence.value,
            )
        except (ValueError, ReviewlibError) as exc:
            self.status.value = note(f"Not saved: {exc}", ERROR)
            return
        remember_reviewer(self.reviewer.value)
        self.status.value = note(
            f"Confirmed {len(done)} statements as suggested; they count from the next build, "
            "and each can be corrected or undone in the triage panel."
        )
        self.refresh()
