"""Which evidence counts for which criterion: statements matched to criteria, GLOTIP rules checked.

A statement about a Member State counts for a criterion of its own pillar when it names one of
the criterion's commitments; its text's keywords count as the rubric's `matching.keywords` says.
Keywords are matched as in themes.csv (case and accents folded, a trailing * for any ending), in
one pass per text. A GLOTIP rule looks at the "Total" rows of a Member State up to the rubric's
last year: reported, recorded (above 0, "<5" included) or rising (see inputs/rubric.yml).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from reviewlib.classify import fold
from reviewlib.coverage import codes_of, expand, join_by
from reviewlib.errors import RubricError
from reviewlib.indicators import country_summary
from reviewlib.reference import Reference
from reviewlib.rubric import GLOTIP_INDICATORS, Criterion, Rubric

__all__ = [
    "MATCH_COLUMNS",
    "match_criteria",
    "match_positions",
    "glotip_totals",
    "indicator_results",
    "check_rubric",
]

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


def _fold_all(texts: pd.Series) -> pd.Series:
    """classify.fold for every text; plain lower-casing where a text is ASCII (the same result)."""
    ascii_ = texts.map(str.isascii).astype(bool)
    out = texts.str.lower()
    if not ascii_.all():
        out[~ascii_] = texts[~ascii_].map(fold)
    return out


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
    hits = (
        _fold_all(pd.Series(texts, dtype=object).fillna("").astype(str))
        .str.findall(pattern)
        .explode()
        .dropna()
    )
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


# --- GLOTIP ---------------------------------------------------------------------------------


def glotip_totals(
    reference: Reference, rubric: Rubric, meeting_year: int | None
) -> tuple[pd.DataFrame, int | None]:
    """Total rows for Member States up to the last year; one row per State, indicator and year."""
    ind = reference.indicators
    needed = {"iso3", "indicator", "dimension", "sex", "age", "year", "value", "suppressed"}
    if ind is None or ind.empty or not needed.issubset(ind.columns):
        return pd.DataFrame(columns=sorted(needed)), None
    members = set(reference.member_states["iso3"])
    totals = ind[
        ind["dimension"].eq("Total")
        & ind["sex"].eq("Total")
        & ind["age"].eq("Total")
        & ind["iso3"].isin(members)
    ]
    if totals.empty:
        return totals, None
    setting = rubric.glotip_last_year
    if isinstance(setting, int):
        last = setting
    elif setting == "review" and meeting_year:
        last = meeting_year - 1
    else:
        last = int(totals["year"].max())
    totals = totals[totals["year"].le(last)].sort_values(
        ["iso3", "indicator", "year", "value"], na_position="first"
    )
    totals = totals.drop_duplicates(["iso3", "indicator", "year"], keep="last").reset_index(
        drop=True
    )
    return totals, last


def indicator_results(totals: pd.DataFrame, last: int | None, rubric: Rubric) -> pd.DataFrame:
    """Per State and criterion with a GLOTIP rule: does it hold, and which rows were looked at."""
    frames = [
        pd.DataFrame(
            {
                "iso3": pd.Series(dtype=object),
                "criterion": pd.Series(dtype=object),
                "indicator_holds": pd.Series(dtype=bool),
                "indicator_rows": pd.Series(dtype=object),
                "n_indicator_rows": pd.Series(dtype=np.int64),
            }
        )
    ]
    for c in rubric.criteria:
        if c.indicator is None or last is None or totals.empty:
            continue
        rule = c.indicator
        rows = totals if not rule.names else totals[totals["indicator"].isin(rule.names)]
        span = rubric.trend_years if rule.rule == "rising" else rubric.recent_years
        rows = rows[rows["year"].gt(last - span)]
        if rows.empty:
            continue
        if rule.rule == "reported":
            holds = rows.groupby("iso3").size().gt(0)
        elif rule.rule == "recorded":
            holds = (rows["value"].gt(0) | rows["suppressed"]).groupby(rows["iso3"]).any()
        else:
            ends = country_summary(rows)
            known = ~ends["latest_suppressed"].astype(bool) & ends["latest_value"].notna()
            up = np.where(
                ends["first_suppressed"].astype(bool),
                ends["latest_value"].ge(5),
                ends["latest_value"].gt(ends["first_value"]),
            )
            holds = (ends["years_reported"].ge(2) & known & up).groupby(ends["iso3"]).any()
        states, codes = np.unique(rows["iso3"].to_numpy(dtype=object), return_inverse=True)
        refs = (rows["iso3"] + "|" + rows["indicator"] + "|" + rows["year"].astype(str)).to_numpy(
            dtype=object
        )
        frames.append(
            pd.DataFrame(
                {
                    "iso3": states,
                    "criterion": c.id,
                    "indicator_holds": holds.reindex(states, fill_value=False).to_numpy(dtype=bool),
                    "indicator_rows": join_by(codes, refs, len(states)),
                    "n_indicator_rows": np.bincount(codes, minlength=len(states)),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def check_rubric(rubric: Rubric, reference: Reference, totals: pd.DataFrame) -> None:
    known = set(reference.commitments["commitment"])
    names = set(GLOTIP_INDICATORS) | (set(totals["indicator"]) if len(totals) else set())
    for pillar in rubric.pillars:
        for i, c in enumerate(rubric.criteria_of(pillar)):
            key = f"{rubric.file}: pillars.{pillar}.criteria[{i}]"
            for j, cid in enumerate(c.commitments):
                if cid not in known:
                    raise RubricError(
                        f"{key}.commitments[{j}] '{cid}' is not a commitment in commitments.csv"
                    )
            for j, name in enumerate(c.indicator.names if c.indicator else ()):
                if name not in names:
                    where = f"{key}.indicator.name" + (
                        f"[{j}]" if len(c.indicator.names) > 1 else ""
                    )
                    raise RubricError(
                        f"{where} '{name}' is not a GLOTIP indicator; use one of "
                        f"{', '.join(sorted(names))}"
                    )
