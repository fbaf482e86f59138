"""Digests that decide what a build redoes: of the inputs a brief reads (its slice of statements
and GLOTIP rows, the ideas of the review's pool it shows, the shared settings and reference
tables), and of everything that decides a
brief (those inputs, the notebook, its parameters and reviewlib's code).
"""

from __future__ import annotations

import hashlib
import json
import weakref
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.brief.slices import Slice, idea_ids, indicators, statements
from reviewlib.gather.cache import code_digest
from reviewlib.ideas.pool import pool

__all__ = ["shared_digest", "input_digest", "build_digest", "code_digest"]

_ROW_HASHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _row_hashes(review, table: str) -> tuple[pd.Series, str]:
    """One 64-bit hash per row of a review's table (every column as text), computed once per review."""
    cache = _ROW_HASHES.setdefault(review, {})
    if table not in cache:
        if table == "ideas":  # the pool's summary, a row per idea, by kind then idea id
            frame = pool(review).summary.sort_values(["kind", "idea_id"])
            frame = frame.set_index(frame["idea_id"].to_numpy())
        else:
            frame = review.statements if table == "statements" else review.reference.indicators
        hashes = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
        cache[table] = (pd.Series(hashes, index=frame.index), ",".join(frame.columns))
    return cache[table]


def _frame_digest(review, table: str, part: pd.DataFrame, sort: str | None = None) -> str:
    """The digest of `part`, a selection of rows of one of the review's tables, in a stable order."""
    hashes, columns = _row_hashes(review, table)
    chosen = hashes.loc[part.index]
    if sort and sort in part.columns:
        chosen = chosen.iloc[part[sort].argsort(kind="stable").to_numpy()]
    return hashlib.sha256(columns.encode() + chosen.to_numpy().tobytes()).hexdigest()


@lru_cache(maxsize=16)
def _files_digest(files: tuple[Path, ...], stamps: tuple[tuple[int, int], ...]) -> str:
    h = hashlib.sha256()
    for file in files:
        h.update(file.name.encode())
        h.update(file.read_bytes() if file.exists() else b"-")
    return h.hexdigest()


def shared_digest(inputs: Path) -> str:
    """Everything every brief reads: review.yml, the rubric and the reference tables but GLOTIP."""
    inputs = Path(inputs)
    folder = paths.reference_dir(inputs)
    files = [paths.review_file(inputs), paths.rubric_file(inputs)] + sorted(
        p for p in folder.glob("*.csv") if p.name != "indicators.csv"
    )
    stamps = tuple(
        (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else (0, 0) for p in files
    )
    return _files_digest(tuple(files), stamps)


def _ideas_digest(review, part: Slice, rows: pd.DataFrame) -> str:
    """The ideas a brief shows, as the pool describes them (a new proposal elsewhere that changes
    their support, status or rank changes this too)."""
    hashes, columns = _row_hashes(review, "ideas")  # each idea's row as in the whole pool
    chosen = idea_ids(review, part, rows)
    if chosen is not None:
        hashes = hashes[hashes.index.isin(list(chosen))]
    return hashlib.sha256(columns.encode() + hashes.to_numpy().tobytes()).hexdigest()


def input_digest(review, part: Slice) -> str:
    """The digest of the inputs a brief reads (shown in its footer)."""
    rows = statements(review, part)
    h = hashlib.sha256()
    for piece in (
        part.kind,
        part.value,
        shared_digest(review.inputs_dir),
        _frame_digest(review, "statements", rows, "statement_id"),
        _frame_digest(review, "indicators", indicators(review, part)),
        _ideas_digest(review, part, rows),
    ):
        h.update(str(piece).encode() + b"\0")
    return h.hexdigest()


FOLDERS = ("inputs_dir", "outputs_dir")


def build_digest(inputs_digest: str, notebook: Path, parameters: dict) -> str:
    """What decides a rebuild: the inputs read, the notebook, its parameters and reviewlib's code.

    No path is in it: the folders a brief is given (their content is in `inputs_digest`) and
    the notebook's place are left out, so that a project moved or copied elsewhere rebuilds
    nothing."""
    shown = {k: v for k, v in parameters.items() if k not in FOLDERS}
    h = hashlib.sha256()
    for piece in (
        inputs_digest,
        code_digest(),
        notebook.read_bytes(),
        json.dumps(shown, sort_keys=True, default=str).encode(),
    ):
        h.update(piece if isinstance(piece, bytes) else piece.encode())
        h.update(b"\0")
    return h.hexdigest()
