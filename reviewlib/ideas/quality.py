"""How good the pool of ideas is, measured against proposals whose ideas are known.

A labelled table has the columns of ``Review.statements`` that the pool reads plus ``group`` (the
idea each proposal belongs to) and ``restates`` (the commitment it only repeats, ``?`` when that
is arguable, empty when it is new). The measures:

- **ARI**: adjusted Rand index between the known groups and the pool's ideas (1 = the same).
- **Support precision**: for each idea with at least two members, the share of its members that
  belong to its most common known group; averaged over those ideas. It says how far an idea's
  support can be trusted: 0.9 means one supporter in ten is counted for an idea it did not put.
- **Restatement precision and recall**, per language and by whether the proposal has English
  text: a proposal's own status (``restates``) against ``restates`` (rows marked ``?`` are left
  out). A proposal with no English text is never compared: its share ``not_compared`` is given
  instead, and it must never be ``new``.

`measure` gives one row per part of the table (``part`` column: e.g. the tuning part and the part
kept out of all tuning) and the whole, so the held-out figures are reported apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from reviewlib.ideas.pool import IdeaPool, pool_statements

__all__ = ["support_precision", "restatement_scores", "measure"]


def support_precision(groups: pd.Series, ideas: pd.Series) -> float:
    """Mean over ideas with ≥ 2 members of the share of members in the idea's main group."""
    frame = pd.DataFrame({"group": groups.to_numpy(), "idea": ideas.to_numpy()})
    shares = [
        members["group"].value_counts().iloc[0] / len(members)
        for _, members in frame.groupby("idea")
        if len(members) >= 2
    ]
    return float(np.mean(shares)) if shares else float("nan")


def restatement_scores(rows: pd.DataFrame) -> dict[str, float]:
    """Precision, recall and counts of ``status == restates`` against ``restates`` (not '?')."""
    rows = rows[rows["restates"].ne("?")]
    truth = rows["restates"].ne("")
    said = rows["status"].eq("restates")
    hits = int((truth & said).sum())
    return {
        "n": len(rows),
        "restating": int(truth.sum()),
        "precision": hits / int(said.sum()) if said.any() else float("nan"),
        "recall": hits / int(truth.sum()) if truth.any() else float("nan"),
        "not_compared": float(rows["status"].eq("not_compared").mean()) if len(rows) else 0.0,
        "new_without_english": int((rows["status"].eq("new") & rows["text_en"].eq("")).sum()),
    }


def _joined(labelled: pd.DataFrame, result: IdeaPool) -> pd.DataFrame:
    status = result.ideas[["statement_id", "idea_id", "status"]]
    return labelled.merge(status, on="statement_id", how="inner")


def measure(
    labelled: pd.DataFrame,
    commitments: pd.DataFrame,
    synonyms: pd.DataFrame | None = None,
    **settings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(grouping: one row per part with n, ideas, ARI and support precision; restatement: one
    row per part, language and whether the proposal has English text). Each part is pooled on
    its own, as a review would be."""
    labelled = labelled.fillna("")
    if "text_en" not in labelled:
        labelled = labelled.assign(text_en="")
    labelled = labelled.assign(
        text_en=labelled["text_en"].where(
            labelled["text_en"].ne("") | labelled["language"].ne("en"), labelled["text"]
        )
    )
    parts = {"all": labelled}
    if "part" in labelled:
        parts |= {p: labelled[labelled["part"].eq(p)] for p in sorted(labelled["part"].unique())}
    grouping, restating = [], []
    for name, rows in parts.items():
        joined = _joined(rows, pool_statements(rows, commitments, synonyms=synonyms, **settings))
        grouping.append(
            {
                "part": name,
                "proposals": len(joined),
                "groups": joined["group"].nunique(),
                "ideas": joined["idea_id"].nunique(),
                "ari": round(adjusted_rand_score(joined["group"], joined["idea_id"]), 3),
                "support_precision": round(
                    support_precision(joined["group"], joined["idea_id"]), 3
                ),
            }
        )
        english = np.where(
            joined["language"].eq("en"),
            "English",
            np.where(joined["text_en"].ne(""), "with English text", "no English text"),
        )
        for (language, text), subset in joined.groupby([joined["language"], english]):
            restating.append(
                {"part": name, "language": language, "text": text} | restatement_scores(subset)
            )
    return pd.DataFrame(grouping), pd.DataFrame(restating)
