"""Group unit vectors by average linkage along sparse nearest-neighbour links, never n x n.

For each row: candidate neighbours from a seeded LSA (or, for up to `exact_candidates` rows,
where that costs more than it saves, by their exact similarity), re-scored exactly with the
sparse vectors, the best `neighbours` kept as links. Along those links, the two groups whose
average pairwise similarity is highest are merged while it is at least the threshold; linked
pairs count exactly and the others through a seeded random projection (unbiased), so large
groups of paraphrases do not split. On small data this equals scipy's average linkage (a test
holds it).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # (imported where a matrix is made: a pool read from the cache needs none)
    from scipy import sparse

__all__ = ["METHOD", "Method", "group_vectors"]


@dataclass(frozen=True)
class Method:
    """How texts become vectors and groups; fixed in code, varied only to measure the choices."""

    stem: bool = True
    synonyms: bool = True
    word_weight: float = 0.6
    lsa: int = 100  # LSA dimensions, used only to pick candidate neighbours
    candidates: int = 60  # candidates per statement, re-scored exactly
    # up to this many rows the candidates are the most similar rows outright: an LSA of a few
    # hundred statements costs more (a third of a second for the demo's) than their exact
    # similarities, which it only approximates
    exact_candidates: int = 1000
    neighbours: int = 30  # links kept per statement
    sketch: int = 256  # random projection standing in for the pairs that are not linked
    member_floor: float = 1.2  # × threshold: the least mean similarity of a member to the rest
    label_language: str = "en"


METHOD = Method()


def group_vectors(x: sparse.csr_matrix, threshold: float, *, method: Method = METHOD) -> np.ndarray:
    """Average-linkage groups of unit row vectors along their nearest-neighbour links: 0, 1, 2 …"""
    if x.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    sketch = _sketch(x, method.sketch)
    links = _neighbour_links(x, sketch, method)
    return _average_linkage(sketch, links, threshold)


def _sketch(x: sparse.csr_matrix, dims: int) -> np.ndarray:
    """A seeded random projection of the rows: it keeps dot products on average, whatever the
    corpus (unlike LSA, which bends them towards what the corpus is mostly about)."""
    if x.shape[1] <= dims:  # nothing to gain: keep the exact vectors
        return (
            x.toarray().astype(np.float32) if x.shape[1] else np.zeros((x.shape[0], 1), np.float32)
        )
    return _projection(x.shape[1], dims, x.dtype).transform(x).astype(np.float32)


@lru_cache(maxsize=2)
def _projection(features: int, dims: int, dtype: np.dtype):
    """The seeded random projection of rows of `features` columns: it depends on their number
    alone, so the kinds of one pool (their rows have the same columns) share it, made once (a
    tenth of a second each)."""
    # scikit-learn is imported where it is used: a build whose pool of ideas is in the disk
    # cache never loads it (a second of starting up)
    from scipy import sparse
    from sklearn.random_projection import SparseRandomProjection

    projection = SparseRandomProjection(n_components=dims, dense_output=True, random_state=0)
    return projection.fit(sparse.csr_matrix((1, features), dtype=dtype))


def _lsa(x: sparse.csr_matrix, dims: int) -> np.ndarray:
    rank = min(dims, x.shape[0] - 1, x.shape[1] - 1)
    if rank < 2:
        return x.toarray().astype(np.float32)
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    svd = TruncatedSVD(n_components=rank, algorithm="randomized", n_iter=5, random_state=0)
    return normalize(svd.fit_transform(x)).astype(np.float32)


def _pair_dots(a: sparse.csr_matrix | np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Dot products of the row pairs (rows[i], cols[i]), a chunk at a time."""
    from scipy import sparse

    out = np.empty(len(rows), dtype=np.float64)
    for start in range(0, len(rows), 10_000):
        part = slice(start, start + 10_000)
        if sparse.issparse(a):
            out[part] = np.asarray(a[rows[part]].multiply(a[cols[part]]).sum(axis=1)).ravel()
        else:
            out[part] = np.einsum("ij,ij->i", a[rows[part]], a[cols[part]], dtype=np.float64)
    return out


_CHUNK = 64


def _top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest values of each row (width a multiple of _CHUNK). The k
    largest lie in the k chunks of _CHUNK columns with the largest maxima, so only those chunks
    are partially sorted: much cheaper than a partial sort of whole rows."""
    rows, width = sims.shape
    chunks = width // _CHUNK
    if chunks <= 2 * k:
        return np.argpartition(sims, width - k, axis=1)[:, width - k :]
    maxima = sims.reshape(rows, chunks, _CHUNK).max(axis=2)
    best_chunks = np.argpartition(maxima, chunks - k, axis=1)[:, chunks - k :]
    cols = (best_chunks[:, :, None] * _CHUNK + np.arange(_CHUNK)).reshape(rows, k * _CHUNK)
    values = np.take_along_axis(sims, cols, axis=1)
    best = np.argpartition(values, values.shape[1] - k, axis=1)[:, values.shape[1] - k :]
    return np.take_along_axis(cols, best, axis=1)


def _neighbour_links(
    x: sparse.csr_matrix, sketch: np.ndarray, method: Method
) -> list[dict[int, float]]:
    """Link each row both ways to its ``neighbours`` most similar rows (exact cosine) among the
    ``candidates`` nearest in LSA space (up to ``exact_candidates`` rows: the nearest outright).
    A link holds exact minus sketched similarity. Candidates' similarities are computed for a
    block of rows at a time (about 8 MB), never n x n."""
    n = x.shape[0]
    k = min(method.candidates, n - 1)
    links: list[dict[int, float]] = [{} for _ in range(n)]
    if k <= 0:
        return links
    space = _lsa(x, method.lsa) if n - 1 > k and n > method.exact_candidates else None
    if space is not None:  # pad to whole chunks of _CHUNK columns for _top_k
        space = np.vstack([space, np.zeros((-n % _CHUNK, space.shape[1]), np.float32)])
    block = max(1, min(n, (1 << 21) // n))
    for start in range(0, n, block):
        stop = min(n, start + block)
        if k == n - 1:  # few rows: every other row is a candidate
            others = np.arange(n)
            cand = np.array([np.delete(others, i) for i in range(start, stop)])
        else:
            if space is None:  # exact similarities, padded as LSA space is
                sims = np.full((stop - start, n + -n % _CHUNK), -np.inf, np.float32)
                sims[:, :n] = (x[start:stop] @ x.T).toarray()
            else:
                sims = space[start:stop] @ space.T
            sims[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            sims[:, n:] = -np.inf
            cand = _top_k(sims, k)
        rows = np.repeat(np.arange(start, stop), cand.shape[1])
        exact = np.round(_pair_dots(x, rows, cand.ravel()), 6).reshape(cand.shape)
        keep = min(method.neighbours, cand.shape[1])
        best = np.argsort(-exact, axis=1, kind="stable")[:, :keep]
        rows = np.repeat(np.arange(start, stop), keep)
        cols = np.take_along_axis(cand, best, axis=1).ravel()
        fixes = np.take_along_axis(exact, best, axis=1).ravel() - _pair_dots(sketch, rows, cols)
        for i, j, fix in zip(rows.tolist(), cols.tolist(), fixes.tolist(), strict=True):
            links[i][j] = links[j][i] = fix
    return links


def _average_linkage(
    sketch: np.ndarray, links: list[dict[int, float]], threshold: float
) -> np.ndarray:
    """Merge linked groups, best average similarity first, while it is at least ``threshold``.

    Average similarity of groups A and B = (sum_A . sum_B + fixes) / (|A| |B|): the sums are of
    sketched vectors, and each link between A and B adds back its exact-minus-sketched
    difference, so linked pairs count exactly and the others by an unbiased estimate. The heap
    holds each group's best neighbour; merging never raises an average (average linkage is
    reducible), so an out-of-date entry is an upper bound and is simply recomputed."""
    n = len(sketch)
    sums = sketch.astype(np.float64)
    size = np.ones(n)
    version = [0] * n
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    heap: list[tuple[float, int, int, int, int]] = []

    def push_best(a: int) -> None:
        others = sorted(links[a])
        if not others:
            return
        fixes = np.fromiter((links[a][b] for b in others), dtype=np.float64, count=len(others))
        avg = np.round((sums[others] @ sums[a] + fixes) / (size[others] * size[a]), 6)
        i = int(np.argmax(avg))
        if avg[i] >= threshold - 1e-6:
            heapq.heappush(heap, (-float(avg[i]), a, others[i], version[a], version[others[i]]))

    for i in range(n):
        push_best(i)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if version[a] < 0:
            continue
        if version[a] != va or version[b] != vb:
            push_best(a)
            continue
        keep, gone = (a, b) if len(links[a]) >= len(links[b]) else (b, a)
        gone_links, links[gone] = links[gone], {}
        gone_links.pop(keep, None)
        links[keep].pop(gone, None)
        for c, fix in gone_links.items():
            del links[c][gone]
            links[keep][c] = links[c][keep] = links[keep].get(c, 0.0) + fix
        sums[keep] += sums[gone]
        size[keep] += size[gone]
        members[keep].extend(members.pop(gone))
        version[keep] += 1
        version[gone] = -1
        push_best(keep)
    labels = np.empty(n, dtype=np.int64)
    for label, group in enumerate(sorted(sorted(g) for g in members.values())):
        labels[group] = label
    return labels
