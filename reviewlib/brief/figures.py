"""Figures that say where they come from: every number a brief prints is a cell of a published
table (`outputs/tables/NAME.csv`), named by the table, the key of its row and its column.

A sentence of a brief is a tuple of parts, text or `Figure`; the blocks render a figure as
`<span class="figure" data-table=… data-key=… data-column=…>`, so that a test (or a reader with
the tables open) can check every number against the table it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["Figure", "Sentence", "figure", "plain", "plural", "cell"]


@dataclass(frozen=True)
class Figure:
    """A value shown in a brief, and the table cell it is."""

    shown: str
    table: str
    key: tuple[tuple[str, str], ...]
    column: str

    def __str__(self) -> str:
        return self.shown

    @property
    def key_text(self) -> str:
        """The row's key as written in the page: "commitment=PRE-03;pillar=prevention"."""
        return ";".join(f"{k}={v}" for k, v in self.key)


Sentence = tuple["str | Figure", ...]


def cell(table: pd.DataFrame, key: Mapping[str, str], column: str) -> object:
    """The value of one cell of a table, found by its key columns."""
    match = pd.Series(True, index=table.index)
    for k, v in key.items():
        match &= table[k].astype(str).eq(str(v))
    rows = table.loc[match, column]
    if len(rows) != 1:
        raise KeyError(f"{len(rows)} rows of the table match {dict(key)} for {column!r}")
    return rows.iloc[0]


def figure(
    table_name: str,
    table: pd.DataFrame,
    key: Mapping[str, str],
    column: str,
    shown: str | None = None,
) -> Figure:
    """The cell `column` of the row of `table` with `key`, as shown ("1,234" for a count)."""
    value = cell(table, key, column)
    if shown is None:
        shown = (
            f"{int(value):,}"
            if isinstance(value, int | float) and value == int(value)
            else str(value)
        )
    return Figure(shown, table_name, tuple((k, str(v)) for k, v in key.items()), column)


def plural(n: Figure, one: str, many: str | None = None) -> Sentence:
    """A figure and its noun: (Figure 1, " gap") or (Figure 3, " gaps")."""
    word = one if n.shown == "1" else (many or one + "s")
    return (n, f" {word}")


def plain(parts: Iterable[str | Figure]) -> str:
    """A sentence as plain text (for the index page and the page title)."""
    return "".join(str(p) for p in parts)
