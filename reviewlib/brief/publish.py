"""Write the ledger, every derived table and the zero-draft elements of a review to outputs/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.brief.slices import Slice, latest_input
from reviewlib.files import write_csv, write_tables
from reviewlib.gather.review import Review
from reviewlib.ideas.pool import IdeaPool, pool
from reviewlib.ideas.zero_draft import write_zero_draft
from reviewlib.scoring.balance import assess, balance_table
from reviewlib.scoring.scores import score

ZERO_DRAFT = "zero_draft_elements.docx"


def derived_tables(review: Review, ideas: IdeaPool | None = None) -> dict[str, pd.DataFrame]:
    """The tables DESIGN.md lists, computed from the review."""
    tables = {"statements": review.statements, "contributions": review.contributions}
    tables["balance"] = balance_table(assess(review))
    # Scores need a rubric; a review folder without rubric.yml gets the other tables only.
    if paths.rubric_file(review.inputs_dir).exists():
        tables.update(score(review).tables())
    ideas = ideas if ideas is not None else pool(review)  # the one pool of the review
    tables["ideas"] = ideas.ideas
    tables["idea_summary"] = ideas.summary
    return tables


def write_outputs(review: Review, outputs: Path = paths.OUTPUTS) -> list[Path]:
    """outputs/ledger.csv, outputs/tables/* and the zero-draft elements; returns the files written."""
    ideas = pool(review)
    latest = latest_input(review, Slice("overview"))  # the date of the latest contribution
    write_csv(review.ledger, paths.ledger_file(outputs))
    written = [
        paths.ledger_file(outputs),
        *write_tables(derived_tables(review, ideas), paths.tables_dir(outputs)),
    ]
    written.append(
        write_zero_draft(
            ideas,
            Path(outputs) / ZERO_DRAFT,
            title=review.config.title,
            illustrative=review.config.illustrative,
            illustrative_note=review.config.illustrative_note,
            as_of=dt.date.fromisoformat(latest) if latest else None,
        )
    )
    return written
