"""Digests that decide what a build redoes: of the inputs a brief reads (its slice of statements
and GLOTIP rows, the ideas of the review's pool it shows, the shared settings and reference
tables), and of everything that decides a
brief (those inputs, the notebook, its parameters and reviewlib's code).
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import paths
from reviewlib.brief.slices import Slice, indicator_rows, shown_idea_ids, statement_rows
from reviewlib.gather.cache import code_digest
from reviewlib.ideas.pool import pool

__all__ = ["shared_digest", "input_digest", "build_digest", "code_digest"]

_ROW_HASHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# What no brief shows of an idea: the measures behind its rank and status, and its rank in the
# whole pool. What they decide for a brief is in its digest all the same: the status, the
# commitment the idea builds on, and the order of the brief's own ideas (which come first, which
# are its options). A proposal or good practice pooled or set aside anywhere moves these
# measures for every idea a little (the words' weights are the whole pool's), and the ranks of
# the ideas below it; each would otherwise rebuild every brief that shows an idea, for the
# same page.
UNSHOWN = ("rank_score", "novelty", "nearest_similarity", "rank")


def _table(review, table: str) -> pd.DataFrame:
    return review.statements if table == "statements" else review.reference.indicators


def _row_hashes(review, table: str) -> tuple[pd.Series, str]:
    """One 64-bit hash per row of a review's table (every column as text), computed once per
    review; indexed by idea id for the ideas, else by row position."""
    cache = _ROW_HASHES.setdefault(review, {})
    if table not in cache:
        if table == "ideas":  # the pool's summary, a row per idea, by kind then idea id
            frame = pool(review).summary.drop(columns=list(UNSHOWN), errors="ignore")
            frame = frame.sort_values(["kind", "idea_id"])
            index = frame["idea_id"].to_numpy()
        else:
            frame, index = _table(review, table), None
        hashes = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
        cache[table] = (pd.Series(hashes, index=index), ",".join(frame.columns))
    return cache[table]


def _rows_digest(review, table: str, rows: np.ndarray | None, sort: str | None = None) -> str:
    """The digest of some rows of one of the review's tables (`rows`: their positions, None for
    all), in a stable order: by the column `sort` when given, else as in the table."""
    hashes, columns = _row_hashes(review, table)
    chosen = hashes.to_numpy()
    if rows is not None:
        chosen = chosen[rows]
    if sort and sort in _table(review, table).columns:
        keys = _table(review, table)[sort].to_numpy()
        chosen = chosen[np.argsort(keys if rows is None else keys[rows], kind="stable")]
    return hashlib.sha256(columns.encode() + chosen.tobytes()).hexdigest()


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


def _shared(review) -> str:
    """`shared_digest` of the review's folder, looked at once per review (its every brief)."""
    cache = _ROW_HASHES.setdefault(review, {})  # beside the row hashes of the same review
    if "shared" not in cache:
        cache["shared"] = shared_digest(review.inputs_dir)
    return cache["shared"]


def _ideas_digest(review, part: Slice, statement_ids: Iterable[str]) -> str:
    """The ideas a brief shows, as the pool describes them but for what no brief shows
    (`UNSHOWN`), and in the order the brief shows them (a new proposal elsewhere that changes
    their support, status or order changes this too)."""
    hashes, columns = _row_hashes(review, "ideas")  # each idea's row as in the whole pool
    shown = shown_idea_ids(review, part, statement_ids)
    if shown is None:  # the whole pool, in its order: by kind, then rank
        order = pool(review).summary["idea_id"]
    else:
        hashes, order = hashes[hashes.index.isin(shown)], shown
    h = hashlib.sha256(columns.encode() + hashes.to_numpy().tobytes())
    h.update("\0".join(order).encode())
    return h.hexdigest()


def input_digest(review, part: Slice) -> str:
    """The digest of the inputs a brief reads (shown in its footer)."""
    rows = statement_rows(review, part)
    ids = review.statements["statement_id"].to_numpy()
    h = hashlib.sha256()
    for piece in (
        part.kind,
        part.value,
        _shared(review),
        _rows_digest(review, "statements", rows, "statement_id"),
        _rows_digest(review, "indicators", indicator_rows(review, part)),
        _ideas_digest(review, part, ids if rows is None else ids[rows]),
    ):
        h.update(str(piece).encode() + b"\0")
    return h.hexdigest()


FOLDERS = ("inputs_dir", "outputs_dir")


def build_digest(inputs_digest: str, notebook: bytes, parameters: dict) -> str:
    """What decides a rebuild: the inputs read, the notebook (its bytes), its parameters and
    reviewlib's code.

    No path is in it: the folders a brief is given (their content is in `inputs_digest`) and
    the notebook's place are left out, so that a project moved or copied elsewhere rebuilds
    nothing."""
    shown = {k: v for k, v in parameters.items() if k not in FOLDERS}
    h = hashlib.sha256()
    for piece in (
        inputs_digest,
        code_digest(),
        notebook,
        json.dumps(shown, sort_keys=True, default=str).encode(),
    ):
        h.update(piece if isinstance(piece, bytes) else piece.encode())
        h.update(b"\0")
    return h.hexdigest()
