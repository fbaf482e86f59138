"""The row checks' results kept by file, so that reading the review after a new contribution checks
only that file's rows.

`check_rows` checks every row of every contribution file each time the review is read: a third
of the reading, and it grows with the contributions. What it makes of a file's rows depends
only on those rows, the reference tables, review.yml and the code, with one exception: a
statement id used in two files is rejected in the second. `checked` keeps each file's results
(in memory, and in the disk cache for the next process) under a digest of the file's rows, and
checks only the rows of the files it does not know. When a statement id is in more than one
file, or the kept and the new results do not fit together (a column of another type), every
row is checked at once, as `check_rows` alone would, and nothing is kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib.gather.checks import check_rows
from reviewlib.gather.reference import Reference
from reviewlib.gather.settings import ReviewConfig

SLOT = "checked"  # the disk cache's slot (one value per inputs folder)
_FILE, _AT = "_file_digest", "_at"  # a kept row's file and its place among the file's rows
_SUGGESTION = ("confidence", "pillar_cues")  # columns only statements read from documents fill


@dataclass(frozen=True)
class Kept:
    """The statements and ledger rows of the files last checked, each with its file's digest and
    its place among that file's rows; `key` is what they were checked against."""

    key: str
    statements: pd.DataFrame
    ledger: pd.DataFrame


_KEPT: dict[str, Kept] = {}  # the results kept last in this process (one set)


def checked(
    rows: pd.DataFrame,
    reference: Reference,
    config: ReviewConfig,
    inputs: Path | None = None,
    against: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`check_rows(rows, reference, config)`, with the rows of the files checked before (against
    the same reference tables, settings and code: `against`, a digest of them) not checked
    again. Without `against`, every row is checked and nothing is kept."""
    if against is None or rows.empty:
        return check_rows(rows, reference, config)
    digests, first = _file_digests(rows)
    key = hashlib.sha256(f"{against}\0{config!r}".encode()).hexdigest()
    kept = _kept(key, inputs)
    known = set(kept.ledger[_FILE]) if kept is not None else set()
    new = ~pd.Series(digests).isin(known).to_numpy()
    if kept is None or new.all():
        together = _tagged(rows, reference, config, digests, np.arange(len(rows)), first)
    elif not new.any():
        together = _keep_only(kept, digests)
        new = None  # (nothing new to keep)
    else:
        where = np.flatnonzero(new)
        fresh = _tagged(rows.iloc[where], reference, config, digests[where], where, first)
        together = _joined(_keep_only(kept, digests), fresh)
    # (kept results never hold an id in two files: only a reading that checked rows can)
    if together is None or (new is not None and _id_in_two_files(together[1])):
        _KEPT.clear()
        return check_rows(rows, reference, config)
    statements, ledger = _in_file_order(*together, digests, first)
    if new is not None:
        _remember(Kept(key, statements, ledger), inputs)
    return _plain(statements), _plain(ledger)


def _file_digests(rows: pd.DataFrame) -> tuple[np.ndarray, dict[str, int]]:
    """Each row's file digest (the file's name and every non-empty column of its rows), and the
    position of each file's first row. A column no row of a file fills counts for nothing, so a
    file's digest does not depend on the columns other files bring (documents have their own)."""
    labels = rows["file"].astype(str).to_numpy()
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    ends = np.r_[starts[1:], len(labels)]
    text = rows.astype(str).where(rows.notna(), "")
    hashed = {c: pd.util.hash_array(text[c].to_numpy(dtype=object)) for c in text.columns}
    filled = {c: text[c].ne("").to_numpy() for c in text.columns}
    digests = np.empty(len(rows), dtype=object)
    first: dict[str, int] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        h = hashlib.sha256(labels[start].encode() + b"\0")
        for column in sorted(text.columns):
            if filled[column][start:end].any():
                h.update(column.encode() + b"\0" + hashed[column][start:end].tobytes())
        digest = h.hexdigest()
        digests[start:end] = digest
        first[digest] = start
    return digests, first


def _tagged(rows, reference, config, digests, where, first) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`check_rows` of these rows (at `where` among all those read), each result row tagged
    with its file's digest and its place among that file's rows."""
    statements, ledger = check_rows(rows, reference, config)
    at = where - np.array([first[d] for d in digests], dtype=int)
    # a statement is a ledger row that was not rejected, in the same order
    accepted = ledger["status"].ne("rejected").to_numpy()
    ledger = ledger.assign(**{_FILE: digests, _AT: at})
    statements = statements.assign(**{_FILE: digests[accepted], _AT: at[accepted]})
    return statements, ledger


def _keep_only(kept: Kept, digests: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    present = set(digests.tolist())
    return (
        kept.statements[kept.statements[_FILE].isin(present)],
        kept.ledger[kept.ledger[_FILE].isin(present)],
    )


def _joined(old, new) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The kept and the new results as one, or None when their columns do not fit together."""
    parts = []
    old = (_with_suggestion_columns(old[0]), old[1])
    new = (_with_suggestion_columns(new[0]), new[1])
    for a, b in zip(old, new, strict=True):
        if list(a.columns) != list(b.columns):
            return None
        for column in a.columns:
            if len(a) and len(b) and a[column].dtype != b[column].dtype:
                return None
        parts.append(pd.concat([a, b], ignore_index=True) if len(b) else a)
    return parts[0], parts[1]


def _with_suggestion_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Statements as `check_rows` gives them when some were read from documents: the
    confidence of a suggestion and its cues (empty for the others)."""
    if "confidence" in frame.columns:
        return frame
    cues = pd.Series([None] * len(frame), index=frame.index, dtype=object)  # (None, not NaN)
    frame = frame.assign(confidence=float("nan"), pillar_cues=cues)
    return frame[[c for c in frame.columns if c not in (_FILE, _AT)] + [_FILE, _AT]]


def _id_in_two_files(ledger: pd.DataFrame) -> bool:
    return bool((ledger.groupby("statement_id", sort=False)[_FILE].nunique() > 1).any())


def _in_file_order(statements, ledger, digests, first):
    """The results in the order of the rows read, as `check_rows` gives them; the confidence of
    suggestions and their cues only when some statement is one (as `check_rows` has them)."""

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        place = frame[_FILE].map(first).to_numpy() + frame[_AT].to_numpy()
        return frame.iloc[np.argsort(place, kind="stable")].reset_index(drop=True)

    statements = ordered(statements)
    if "confidence" in statements and not statements["status"].eq("suggested").any():
        statements = statements.drop(columns=list(_SUGGESTION))
    return statements, ordered(ledger)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The results without their tags, apart from those kept (the caller may change them)."""
    return frame.drop(columns=[_FILE, _AT]).copy()


def _kept(key: str, inputs: Path | None) -> Kept | None:
    """The results kept here, or in the disk cache by the last process, for `key`."""
    if key in _KEPT:
        return _KEPT[key]
    if inputs is None:
        return None
    from reviewlib.gather import cache as disk

    found = disk.load(inputs, key, slot=SLOT)
    if isinstance(found, Kept) and found.key == key:
        _KEPT.clear()
        _KEPT[key] = found
        return found
    return None


def _remember(kept: Kept, inputs: Path | None) -> None:
    _KEPT.clear()
    _KEPT[kept.key] = kept
    if inputs is not None:
        from reviewlib.gather import cache as disk

        disk.save(inputs, kept.key, kept, slot=SLOT)
