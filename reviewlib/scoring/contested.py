"""Where Member States and non-governmental contributors disagree: per GPA commitment, how many
of each report achievements or good practices and how many report gaps, and whether the two
sides point opposite ways (published as tables/contested.csv).

A commitment is contested when at least `MIN_SIDE` Member States mostly report achievements
while at least `MIN_SIDE` non-governmental contributors mostly report gaps on it — or the
other way round. Contributors are counted, not statements, so one voice is one voice.
"""

from __future__ import annotations

import pandas as pd

from reviewlib.scoring.arrays import split_ids
from reviewlib.terms import NON_GOVERNMENTAL

MIN_SIDE = 2
COUNTS = ("states_positive", "states_critical", "ngo_positive", "ngo_critical")
_TONE = {"achievement": "positive", "good_practice": "positive", "gap": "critical"}


def contested(statements: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """One row per commitment with any such report: the four counts, whether it is contested,
    and the statements behind them; contested first, most voices first."""
    s = statements[statements["kind"].isin(_TONE)]
    side = s["stakeholder_type"].map(
        lambda t: "states" if t == "member_state" else "ngo" if t in NON_GOVERNMENTAL else ""
    )
    s = s.assign(side=side, tone=s["kind"].map(_TONE))[side.ne("")]
    rows, named = split_ids(s["counted_commitments"])
    s = s.iloc[rows].assign(commitment=named).reset_index(drop=True)
    counts = (
        s.assign(column=s["side"] + "_" + s["tone"])
        .groupby(["commitment", "column"])["submitter"]
        .nunique()
        .unstack(fill_value=0)
        .reindex(columns=list(COUNTS), fill_value=0)
    )
    ids = s.groupby("commitment")["statement_id"].agg(lambda x: ";".join(sorted(set(x))))
    table = counts.join(ids.rename("statement_ids")).reset_index()
    titles = coverage.set_index("commitment")["title"]
    table.insert(1, "title", table["commitment"].map(titles).fillna(""))
    states_up = table["states_positive"].ge(MIN_SIDE) & table["states_positive"].gt(
        table["states_critical"]
    )
    ngo_down = table["ngo_critical"].ge(MIN_SIDE) & table["ngo_critical"].gt(table["ngo_positive"])
    states_down = table["states_critical"].ge(MIN_SIDE) & table["states_critical"].gt(
        table["states_positive"]
    )
    ngo_up = table["ngo_positive"].ge(MIN_SIDE) & table["ngo_positive"].gt(table["ngo_critical"])
    table.insert(6, "contested", (states_up & ngo_down) | (states_down & ngo_up))
    table["_voices"] = table[list(COUNTS)].sum(axis=1)
    return (
        table.sort_values(["contested", "_voices", "commitment"], ascending=[False, False, True])
        .drop(columns="_voices")
        .reset_index(drop=True)
    )
