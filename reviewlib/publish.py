"""Write the ledger and every derived table of a review to outputs/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.balance import assess, balance_table
from reviewlib.inputs import Review
from reviewlib.scoring import score
from reviewlib.tables import write_csv, write_tables


def derived_tables(review: Review) -> dict[str, pd.DataFrame]:
    """The tables DESIGN.md lists, computed from the review (later parts add theirs here)."""
    tables = {"statements": review.statements, "contributions": review.contributions}
    tables["balance"] = balance_table(assess(review))
    # Scores need a rubric; a review folder without rubric.yml gets the intake tables only.
    if paths.rubric_file(review.inputs_dir).exists():
        tables.update(score(review).tables())
    return tables


def write_outputs(review: Review, outputs: Path = paths.OUTPUTS) -> list[Path]:
    """outputs/ledger.csv and outputs/tables/*; returns the files written."""
    write_csv(review.ledger, paths.ledger_file(outputs))
    return [paths.ledger_file(outputs), *write_tables(derived_tables(review), paths.tables_dir(outputs))]
