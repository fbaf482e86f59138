"""Array helpers for counting statements fast: categories as integer codes, ';'-joined id lists
exploded and joined back, distinct counts per group — numpy passes instead of a Python step a row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["codes_of", "expand", "split_ids", "join_by", "count_distinct"]


def codes_of(values: pd.Series | np.ndarray, categories: list[str] | tuple[str, ...]) -> np.ndarray:
    """The position of each value in `categories`, -1 where it is not one of them."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    found = pd.Index(list(categories), dtype=object).get_indexer(pd.Index(uniques, dtype=object))
    return np.append(found, -1)[codes].astype(np.int64)


def expand(codes: np.ndarray, lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, values) where row i holds lists[codes[i]]: a vectorised explode."""
    lengths = np.array([len(x) for x in lists], dtype=np.int64)
    flat = np.array([v for x in lists for v in x] + [""], dtype=object)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    row_lengths = lengths[codes] if len(codes) else np.zeros(0, np.int64)
    rows = np.repeat(np.arange(len(codes)), row_lengths)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(row_lengths) - row_lengths, row_lengths)
    return rows, flat[np.repeat(starts[codes], row_lengths) + within]


def split_ids(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, ids) for a column of ';'-joined ids, split once per distinct value."""
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    return expand(codes, [[p.strip() for p in str(u).split(";") if p.strip()] for u in uniques])


def join_by(
    group: np.ndarray,
    values: np.ndarray,
    n_groups: int,
    order: np.ndarray | None = None,
    limit: int | None = None,
) -> np.ndarray:
    """';'-joined values per group 0..n_groups-1 (in `order`, else as given); '' for an empty group."""
    order = np.argsort(group, kind="stable") if order is None else order
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
    picked = values[order]
    if limit is None:
        return np.array(
            [";".join(picked[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)],
            dtype=object,
        )
    return np.array(
        [
            ";".join(picked[a : min(b, a + limit)])
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ],
        dtype=object,
    )


def count_distinct(group: np.ndarray, item: np.ndarray, n_groups: int, n_items: int) -> np.ndarray:
    """How many distinct items (codes 0..n_items-1; -1 ignored) each group has."""
    seen = np.zeros(n_groups * n_items, bool)
    keep = item >= 0
    seen[group[keep] * n_items + item[keep]] = True
    return seen.reshape(n_groups, n_items).sum(axis=1)
