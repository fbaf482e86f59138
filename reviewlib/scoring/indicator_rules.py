"""GLOTIP rules of the rubric: which UNODC figures a Member State has, and whether a criterion's
rule holds on them.

A rule looks at the "Total" rows of a Member State up to the rubric's last year (by default the
latest data year of the UNODC editions published by the review's as_of): reported (any
row), recorded (above 0, "<5" included) or rising (the latest year above the first; see
inputs/rubric.yml).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewlib.gather.dated import published_last_year
from reviewlib.gather.indicators import country_summary
from reviewlib.gather.reference import Reference
from reviewlib.scoring.arrays import join_by
from reviewlib.scoring.rubric import Rubric

__all__ = ["glotip_totals", "indicator_results"]


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
    published = published_last_year(reference.editions, reference.as_of)
    if isinstance(setting, int):
        last = setting
    elif setting == "published" and published is not None:
        last = published
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
