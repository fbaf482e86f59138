"""Figures that say where they come from: every number a brief prints is a cell of a published
table (`outputs/tables/NAME.csv`), named by the table, the key of its row and its column.

A sentence of a brief is a tuple of parts, text or `Figure`; the blocks render a figure as
`<span class="figure" data-table=… data-key=… data-column=…>`, so that a test (or a reader with
the tables open) can check every number against the table it came from.
"""

from __future__ import annotations

import weakref
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
    columns, wanted = tuple(key), tuple(str(v) for v in key.values())
    rows = _rows(table, columns).get(wanted, [])
    if len(rows) != 1 or _key_at(table, columns, rows[0]) != wanted:  # the table changed
        rows = _rows(table, columns, again=True).get(wanted, [])
    if len(rows) != 1:
        raise KeyError(f"{len(rows)} rows of the table match {dict(key)} for {column!r}")
    return table[column].iat[rows[0]]


# Where the rows of a table are, by the text of their key columns: found once per table and
# key columns, as a brief looks up dozens of cells in the same few tables (a boolean mask over
# the whole table for each cell cost more than the rest of some briefs).
_LOOKUPS: dict[tuple[int, tuple[str, ...]], tuple[weakref.ref, int, dict]] = {}


def _key_at(table: pd.DataFrame, columns: tuple[str, ...], row: int) -> tuple[str, ...]:
    return tuple(str(table[c].iat[row]) for c in columns)


def _rows(
    table: pd.DataFrame, columns: tuple[str, ...], again: bool = False
) -> dict[tuple[str, ...], list[int]]:
    slot = (id(table), columns)
    known = _LOOKUPS.get(slot)
    if not again and known is not None and known[0]() is table and known[1] == len(table):
        return known[2]
    texts = [table[c].astype(str).tolist() for c in columns]  # plain lists: quick to walk
    keys = zip(*texts, strict=True) if columns else [()] * len(table)
    where: dict[tuple[str, ...], list[int]] = {}
    for row, values in enumerate(keys):
        where.setdefault(values, []).append(row)
    forget = lambda _, slot=slot: _LOOKUPS.pop(slot, None)  # noqa: E731 - when the table goes
    _LOOKUPS[slot] = (weakref.ref(table, forget), len(table), where)
    return where


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
