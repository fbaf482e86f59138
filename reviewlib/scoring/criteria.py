"""Which statements count for which criterion of the rubric.

A statement about a Member State counts for a criterion of its own pillar when it names one of
the criterion's commitments; its text's keywords count as the rubric's `matching.keywords` says.
Keywords are matched as in themes.csv (case and accents folded, a trailing * for any ending), in
one pass per text. (GLOTIP rules are `reviewlib.scoring.indicator_rules`.)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from reviewlib.scoring.arrays import codes_of, expand
from reviewlib.scoring.rubric import Criterion, Rubric
from reviewlib.text import fold, fold_all

__all__ = ["MATCH_COLUMNS", "match_criteria", "match_positions", "counted_commitments"]

MATCH_COLUMNS = ["statement_id", "criterion", "matched_by"]


def _keyword_regex(keyword: str) -> str:
    words = fold(keyword.rstrip("*")).split()
    body = r"[\W_]+".join(re.escape(w) for w in words)
    return body + (r"\w*" if keyword.strip().endswith("*") else "")


def _pillar_pattern(criteria: tuple[Criterion, ...]) -> re.Pattern[str] | None:
    """One pass per text: at every word start, the keyword of most words that matches there."""
    keywords = sorted(
        {k for c in criteria for k in c.keywords}, key=lambda k: (-len(fold(k).split()), -len(k), k)
    )
    if not keywords:
        return None
    return re.compile(r"(?<!\w)(?=(" + "|".join(_keyword_regex(k) for k in keywords) + r")(?!\w))")


def match_positions(
    statements: pd.DataFrame,
    rubric: Rubric,
    pillars: np.ndarray | None = None,
    about: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row positions, criterion indexes, matched by keyword?) sorted by row, then rubric order.

    `pillars` (index in rubric.pillars) and `about` (has a country scope) may be given when known.
    """
    pillars = codes_of(statements["pillar"], rubric.pillars) if pillars is None else pillars
    about = statements["scope_iso3"].fillna("").ne("").to_numpy() if about is None else about
    candidate = np.flatnonzero((pillars >= 0) & about)
    c_codes, c_uniques = pd.factorize(
        statements["commitments"].fillna("").to_numpy(dtype=object)[candidate], sort=False
    )
    combos, codes = np.unique(
        pillars[candidate] * (len(c_uniques) + 1) + c_codes, return_inverse=True
    )
    index = {c.id: i for i, c in enumerate(rubric.criteria)}
    by_combo, named_any = [], []
    for combo in combos:
        named = {x.strip() for x in str(c_uniques[combo % (len(c_uniques) + 1)]).split(";")}
        crits = rubric.criteria_of(rubric.pillars[combo // (len(c_uniques) + 1)])
        by_combo.append([index[c.id] for c in crits if named.intersection(c.commitments)])
        named_any.append(any(named.intersection(c.commitments) for c in crits))
    rows, crit = expand(codes.reshape(-1), by_combo)
    rows, crit = candidate[rows], crit.astype(np.int64)
    found = [(rows, crit, np.zeros(len(rows), bool))]
    if rubric.keyword_mode != "never" and len(candidate):
        use = (
            candidate
            if rubric.keyword_mode == "always"
            else candidate[~np.array(named_any, bool)[codes.reshape(-1)]]
        )
        texts = statements["text"].to_numpy(dtype=object)
        for p, pillar in enumerate(rubric.pillars):
            where = use[pillars[use] == p]
            k_rows, k_crit = _keyword_matches(texts[where], rubric.criteria_of(pillar), index)
            found.append((where[k_rows], k_crit, np.ones(len(k_rows), bool)))
    rows, crit, by_keyword = (np.concatenate(x) for x in zip(*found, strict=True))
    key = rows * len(rubric.criteria) + crit
    order = np.lexsort((by_keyword, key))  # a commitment match is kept over a keyword one
    first = np.ones(len(order), bool)
    first[1:] = key[order][1:] != key[order][:-1]
    order = order[first]
    return rows[order], crit[order], by_keyword[order]


def match_criteria(statements: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Which criteria each statement about a country counts for: statement_id, criterion, matched_by.

    Independent of the weights, so it can be kept while weights are tried out in the notebook.
    """
    rows, crit, by_keyword = match_positions(statements.reset_index(drop=True), rubric)
    return pd.DataFrame(
        {
            "statement_id": statements["statement_id"].to_numpy(dtype=object)[rows],
            "criterion": np.array([c.id for c in rubric.criteria] + [""], dtype=object)[crit],
            "matched_by": np.where(by_keyword, "keyword", "commitment").astype(object),
        }
    )


def _keyword_matches(
    texts: np.ndarray, criteria: tuple[Criterion, ...], index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    pattern = _pillar_pattern(criteria)
    if pattern is None or not len(texts):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    hits = fold_all(pd.Series(texts, dtype=object)).str.findall(pattern).explode().dropna()
    own = {
        index[c.id]: re.compile(
            "|".join(f"(?:{_keyword_regex(k)})" for k in c.keywords) + r"(?!\w)"
        )
        for c in criteria
        if c.keywords
    }
    codes, fragments = pd.factorize(hits.to_numpy(dtype=object), sort=False)
    rows, crit = expand(codes, [[i for i, p in own.items() if p.match(f)] for f in fragments])
    return hits.index.to_numpy()[rows], crit.astype(np.int64)


def counted_commitments(statements: pd.DataFrame, rubric: Rubric) -> pd.Series:
    """The commitments each statement counts for: those it names; for a statement naming none,
    those of the rubric's criteria of its pillar whose keywords its text holds (whatever its
    scope), so that a statement nobody tagged is still counted where it belongs."""
    named = statements["commitments"].fillna("").astype(str)
    if rubric.keyword_mode == "never":
        return named.copy()
    untagged = statements.reset_index(drop=True)
    plain = untagged["commitments"].fillna("").eq("").to_numpy()
    rows, crit, by_keyword = match_positions(untagged, rubric, about=np.ones(len(untagged), bool))
    keep = by_keyword & plain[rows]
    found: dict[int, list[str]] = {}
    for r, k in zip(rows[keep].tolist(), crit[keep].tolist(), strict=True):
        found.setdefault(r, []).extend(rubric.criteria[k].commitments)
    inferred = pd.Series(
        [";".join(dict.fromkeys(found.get(i, []))) for i in range(len(untagged))],
        index=statements.index,
        dtype=object,
    )
    return named.where(named.ne(""), inferred)
