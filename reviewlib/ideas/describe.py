"""What the pool says about each idea once its members are known: support, status, label, rank.

- **Support**: the distinct submitters, stakeholder types and regional groups of the members,
  and whether Member States and non-governmental contributors back the idea together.
- **Status**, measured on English text only: an idea is compared with the GPA through the centre
  of its members that have English text (`text_en`); ``restates`` when that centre is at least
  ``restatement_similarity`` from a commitment, ``new`` otherwise, ``not_compared`` when no member
  has English text. Each statement gets its own status the same way.
- **Nearest commitment** is named (``builds_on``: id and short title) only when its similarity
  is at least ``nearest_similarity``, below which it was measured to be noise.
- **Label**: a neutral English sentence (`reviewlib.ideas.labels`) from the members closest to
  the centre, preferring one that reads as an instruction in no one's voice; a label the
  secretariat gave wins. An idea with no English text keeps its most central member's first
  sentence in its own language.
- **Id**: ``IDEA-`` and a hash of the member first received (then the smallest statement id), so
  an idea keeps its id when later contributions join it.
- **Rank** (within each kind, 1 = best, ties by id): see `reviewlib.ideas.pool`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # (imported where a matrix is made: a pool read from the cache needs none)
    from scipy import sparse

from reviewlib.ideas.curation import Curation
from reviewlib.ideas.labels import first_sentence, has_voice, is_imperative, neutral_label
from reviewlib.terms import (
    IDEA_STATUS_LABELS,
    NON_GOVERNMENTAL,
    REGIONAL_GROUPS,
    STAKEHOLDER_TYPES,
)

__all__ = ["STATEMENT_COLUMNS", "SUMMARY_COLUMNS", "KINDS", "describe"]

KINDS = ("proposal", "good_practice")
LABEL_CANDIDATES = 5  # members closest to the centre considered for the label
STATEMENT_COLUMNS = [
    *("statement_id", "idea_id", "kind", "language", "submitter", "stakeholder_type"),
    *("regional_group", "pillar", "themes", "joined_by", "similarity_to_centre", "status"),
    *("nearest_commitment", "nearest_similarity", "is_restatement", "text", "text_en"),
    "text_en_source",
]
SUMMARY_COLUMNS = [
    *("idea_id", "kind", "rank", "rank_score", "label", "label_source", "label_language"),
    *("status", "status_label", "n_statements", "statement_ids", "submitters", "n_submitters"),
    *("stakeholder_types", "n_stakeholder_types", "regional_groups", "n_regional_groups"),
    *("states_and_non_state", "pillar", "themes", "languages", "n_not_compared", "novelty"),
    *("nearest_commitment", "nearest_similarity", "builds_on", "is_restatement"),
]


def _distinct(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """Per group: the distinct ';'-separated values of a column, sorted and joined, and their count."""
    values = frame[["_group"]].assign(value=frame[column].str.split(";")).explode("value")
    values["value"] = values["value"].fillna("").str.strip()
    values = values[values["value"].ne("")].drop_duplicates().sort_values(["_group", "value"])
    grouped = values.groupby("_group")["value"]
    return grouped.agg(";".join), grouped.size()


def _to_own_centre(
    x: sparse.csr_matrix, centres: sparse.csr_matrix, labels: np.ndarray
) -> np.ndarray:
    """Cosine of each row with its own group's centre, reading only the centre's values at the
    row's non-zero features (no row-by-centre copy, which would be n x vocabulary)."""
    coo = x.tocoo()
    centres = centres.tocsr(copy=True)
    centres.sum_duplicates()  # canonical form: looking up a value is then a binary search
    values = np.asarray(centres[labels[coo.row], coo.col]).ravel()
    return np.bincount(coo.row, weights=coo.data * values, minlength=x.shape[0])


def _nearest(sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the most similar commitment (-1 when there is none) and the similarity."""
    if sims.shape[1] == 0:
        return np.full(len(sims), -1), np.zeros(len(sims))
    return sims.argmax(axis=1), np.round(sims.max(axis=1), 4)


def _support(frame: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Who backs each idea: submitters, stakeholder types, regional groups, themes, languages,
    and whether Member States and non-governmental contributors back it together."""
    for column, plural in (
        ("submitter", "submitters"),
        ("stakeholder_type", "stakeholder_types"),
        ("regional_group", "regional_groups"),
        ("themes", "themes"),
        ("language", "languages"),
    ):
        joined, count = _distinct(frame, column)
        summary[plural] = joined.reindex(summary.index, fill_value="")
        if column not in ("themes", "language"):
            summary["n_" + plural] = count.reindex(summary.index, fill_value=0).astype(int)
    types = summary["stakeholder_types"].str.split(";")
    summary["states_and_non_state"] = types.map(
        lambda t: "member_state" in t and bool(set(NON_GOVERNMENTAL) & set(t))
    )
    summary["n_not_compared"] = (
        frame["status"].eq("not_compared").groupby(frame["_group"]).sum().astype(int)
    )
    return summary


def _pillar_and_kind(frame: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Each idea's pillar (most common among its members, ties alphabetical) and its kind."""
    pillars = (
        frame[frame["pillar"].ne("")]
        .groupby(["_group", "pillar"])
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["_group", "count", "pillar"], ascending=[True, False, True])
    )
    summary["pillar"] = (
        pillars.drop_duplicates("_group")
        .set_index("_group")["pillar"]
        .reindex(summary.index, fill_value="")
    )
    summary["kind"] = frame.groupby("_group")["kind"].first().reindex(summary.index)
    return summary


def _label(members: list[tuple[str, str, str]]) -> tuple[str, str]:
    """(label, its language) of one idea from its members' (English text, text, language),
    closest to the centre first."""
    english = [text_en for text_en, _, _ in members if text_en != ""]
    if not english:
        _, text, language = members[0]
        return first_sentence(text), language
    labels = [neutral_label(t) for t in english[:LABEL_CANDIDATES]]
    for test in (lambda s: is_imperative(s) and not has_voice(s), lambda s: not has_voice(s)):
        for label in labels:
            if test(label):
                return label, "en"
    return labels[0], "en"


def _labels(frame: pd.DataFrame, summary: pd.DataFrame, curation: Curation) -> pd.DataFrame:
    """Label, its source (rule or secretariat) and language of every idea."""
    ordered = frame.assign(_far=-frame["similarity_to_centre"]).sort_values(
        ["_group", "_far", "statement_id"]
    )
    members: dict[int, list[tuple[str, str, str]]] = {}  # (plain rows: a frame each is slow)
    columns = [ordered[c] for c in ("_group", "text_en", "text", "language")]
    for group, *row in zip(*columns, strict=True):
        members.setdefault(group, []).append(tuple(row))
    chosen = {g: _label(m) for g, m in members.items()}
    summary["label"] = [chosen[g][0] for g in summary.index]
    summary["label_language"] = [chosen[g][1] for g in summary.index]
    summary["label_source"] = "rule"
    group_of = dict(zip(frame["statement_id"], frame["_group"], strict=True))
    for anchor, label in curation.renames.items():
        if anchor in group_of:
            summary.loc[group_of[anchor], ["label", "label_language", "label_source"]] = [
                label,
                "en",
                "secretariat",
            ]
    return summary


def _ids(frame: pd.DataFrame, summary: pd.DataFrame) -> pd.Series:
    """IDEA- and a hash of each idea's first member (first received, then smallest id)."""
    first = (
        frame.assign(_when=frame["received"].replace("", "9999-99-99"))
        .sort_values(["_group", "_when", "statement_id"])
        .drop_duplicates("_group")
        .set_index("_group")["statement_id"]
    )
    return pd.Series(
        ["IDEA-" + hashlib.sha1(first[g].encode()).hexdigest()[:12] for g in summary.index],
        index=summary.index,
    )


def _statuses(compared: np.ndarray, best: np.ndarray, sim: np.ndarray, restate: float):
    status = np.where(compared, np.where((best >= 0) & (sim >= restate), "restates", "new"), "")
    return np.where(compared, status, "not_compared")


def describe(
    frame: pd.DataFrame,
    labels: np.ndarray,
    x: sparse.csr_matrix,
    xc: sparse.csr_matrix,
    commitments: pd.DataFrame,
    settings: Mapping[str, Any],
    curation: Curation,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per statement, one row per idea) for pooled statements grouped as ``labels``."""
    from scipy import sparse
    from sklearn.preprocessing import normalize  # where used: see grouping._sketch

    n, n_groups = len(frame), int(labels.max()) + 1
    member_of = sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(n_groups, n))
    compared = frame["text_en"].ne("").to_numpy()
    ids = np.array(commitments["commitment"].astype(str).tolist() + [""])
    titles = dict(zip(commitments["commitment"], commitments["title"], strict=True))
    restate, floor = settings["restatement_similarity"], settings["nearest_similarity"]
    frame = frame.assign(
        _group=labels,
        similarity_to_centre=np.round(_to_own_centre(x, normalize(member_of @ x), labels), 4),
    )
    best, best_sim = _nearest((x @ xc.T).toarray())
    best_sim = np.where(compared, best_sim, 0.0)
    frame["nearest_commitment"] = np.where(compared & (best_sim >= floor), ids[best], "")
    frame["nearest_similarity"] = best_sim
    frame["status"] = _statuses(compared, best, best_sim, restate)
    frame["is_restatement"] = frame["status"].eq("restates")

    by_group = frame.groupby("_group")
    summary = pd.DataFrame(
        {"n_statements": by_group.size(), "statement_ids": by_group["statement_id"].agg(";".join)}
    )
    summary = _labels(frame, _support(frame, _pillar_and_kind(frame, summary)), curation)
    english_of = member_of.multiply(compared.astype(float)).tocsr()
    has_english = np.asarray(english_of.sum(axis=1)).ravel() > 0
    idea_best, idea_sim = _nearest((normalize(english_of @ x) @ xc.T).toarray())
    idea_sim = np.where(has_english, idea_sim, 0.0)
    shown = has_english & (idea_sim >= floor) & (idea_best >= 0)
    summary["nearest_commitment"] = np.where(shown, ids[idea_best], "")
    summary["nearest_similarity"] = idea_sim
    summary["builds_on"] = [
        f"{c} — {titles.get(c, '')}".rstrip(" —") if c else ""
        for c in summary["nearest_commitment"]
    ]
    summary["novelty"] = np.where(has_english, np.round(np.clip(1 - idea_sim, 0, 1), 4), np.nan)
    summary["status"] = _statuses(has_english, idea_best, idea_sim, restate)
    summary["status_label"] = summary["status"].map(IDEA_STATUS_LABELS)
    summary["is_restatement"] = summary["status"].eq("restates")
    summary["idea_id"] = _ids(frame, summary)
    summary = rank(summary.rename_axis("_group").reset_index(), settings["weights"])
    frame = frame.merge(summary[["_group", "idea_id"]], on="_group", how="left")
    ideas = frame[STATEMENT_COLUMNS].sort_values(["idea_id", "statement_id"]).reset_index(drop=True)
    summary = summary.assign(_order=summary["kind"].map(KINDS.index)).sort_values(
        ["_order", "rank"]
    )
    return ideas, summary[SUMMARY_COLUMNS].reset_index(drop=True)


def rank(summary: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Add rank_score (the formula in `reviewlib.ideas.pool`) and rank within each kind. An idea
    not compared with the GPA counts no novelty."""
    summary = summary.copy()
    largest = summary.groupby("kind")["n_submitters"].transform("max").clip(lower=1)
    support = np.log1p(summary["n_submitters"]) / np.log1p(largest)
    diversity = (
        summary["n_stakeholder_types"] / len(STAKEHOLDER_TYPES)
        + summary["n_regional_groups"] / len(REGIONAL_GROUPS)
    ) / 2
    score = (
        weights["support"] * support
        + weights["diversity"] * diversity
        + weights["novelty"] * summary["novelty"].fillna(0.0)
        + weights["bridge"] * summary["states_and_non_state"].astype(float)
    )
    summary["rank_score"] = (score / sum(weights.values())).round(4)
    summary = summary.sort_values(["kind", "rank_score", "idea_id"], ascending=[True, False, True])
    summary["rank"] = summary.groupby("kind").cumcount() + 1
    return summary
