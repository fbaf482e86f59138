"""Statements read from documents wait, `suggested`, until an officer confirms them in triage.

A triage decision on a suggested statement — keep, merge or set aside, with the kind, pillar or
themes corrected or not — confirms it: from then on it is a statement like any other. Until then
it is kept apart (`Review.suggested`), shown in the triage panel and the ledger, and never counted,
scored, grouped into ideas or quoted in a brief. The pillar of a waiting statement weighs the
cues the rules found with the view of a model trained on the statements that count (`learned`).
"""

from __future__ import annotations

import pandas as pd

from reviewlib.gather.learned import suggest_pillars

SUGGESTED = "suggested"

__all__ = ["SUGGESTED", "hold_suggested"]


def hold_suggested(
    statements: pd.DataFrame, ledger: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the statements that count, the suggested ones still waiting, the ledger saying which).

    `statements` carry the triage decisions (a `decision` column; empty = none yet)."""
    if statements.empty or not statements["status"].eq(SUGGESTED).any():
        return statements, statements.iloc[0:0], ledger
    decided = statements["decision"].fillna("").ne("")
    suggested = statements["status"].eq(SUGGESTED)
    confirmed_ids = set(statements.loc[suggested & decided, "statement_id"])
    ledger = ledger.copy()
    confirmed = ledger["statement_id"].isin(confirmed_ids) & ledger["status"].eq(SUGGESTED)
    # Confirmed, a statement keeps the warnings of its checks (the suggestion is said in 'kind').
    warned = ledger["column"].fillna("").map(lambda c: bool(set(c.split(";")) - {"", "kind"}))
    ledger.loc[confirmed, "status"] = "accepted"
    ledger.loc[confirmed & warned, "status"] = "accepted_with_warning"
    ledger.loc[confirmed, "message"] = "confirmed in triage; " + ledger.loc[confirmed, "message"]
    status = ledger.loc[confirmed].set_index("statement_id")["status"]
    out = statements.copy()
    out.loc[suggested & decided, "status"] = out.loc[suggested & decided, "statement_id"].map(
        status
    )
    waiting = out[suggested & ~decided].reset_index(drop=True)
    counted = out[~(suggested & ~decided)].drop(
        columns=["confidence", "pillar_cues"], errors="ignore"
    )
    waiting, said = suggest_pillars(waiting, counted)
    filled = ledger["statement_id"].isin(said) & ledger["status"].eq(SUGGESTED)
    ledger.loc[filled, "message"] = (
        ledger.loc[filled, "message"] + "; " + ledger.loc[filled, "statement_id"].map(said)
    )
    return counted.reset_index(drop=True), waiting, ledger
