"""The panels of the gathering notebook: the validation summary, the ledger and triage of statements.

No review logic lives here; the triage panel is `reviewlib.workbench.triage_panel`, shown here
with the others. Every control is an attribute of its panel, so tests drive a panel
from Python exactly as a click in JupyterLab would.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from reviewlib.brief.blocks import Block, esc
from reviewlib.gather.ledger import STATUSES
from reviewlib.gather.review import Review
from reviewlib.workbench.panel import Panel, readable_table
from reviewlib.workbench.triage_panel import TriagePanel

__all__ = ["summary_view", "LedgerPanel", "TriagePanel"]

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
        f"<b>{s['rejected']}</b> rejected; {s['unreadable_files']} files could not be read; "
        f"{s['skipped_files']} passed over (not contributions)</li>"
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
            *((s.replace("_", " "), s) for s in STATUSES),
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
