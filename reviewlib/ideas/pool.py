"""The pool of ideas: proposals that say the same thing grouped into ideas, ranked by support and novelty.

Statements of kind ``proposal`` and ``good_practice`` are pooled (good practices are grouped
on their own and flagged by ``kind``); those the secretariat ``set_aside`` are left out, and a
statement it ``merge``d into another joins that statement's idea.

How statements are grouped. Each text is normalised (``reviewlib.ideas.normalise``: stop words out,
Snowball stems per language, accents folded, phrases from ``synonyms.csv`` replaced by one
canonical token, so that French, Spanish and Russian proposals can meet English ones) and
turned into TF-IDF on words and on characters; similarity is the cosine in that space. Each
statement is linked to its 30 most similar statements, chosen among 60 candidates found in a
small LSA space and re-scored exactly (a block of rows at a time, never an n x n matrix). Along
those links, the two groups with the highest *average* pairwise similarity are merged, again
and again, while it is at least ``threshold`` (average linkage). Linked pairs count with their
exact similarity, the other pairs through a seeded random projection (unbiased), so that large
groups of paraphrases are not split. The result does not depend on the order of the rows.

Per idea: support (distinct submitters, stakeholder types, regional groups, and whether both
Member States and non-governmental contributors back it), pillar (most common, ties
alphabetical), themes, languages, and novelty = 1 - cosine similarity between the idea's centre
and the nearest GPA commitment (``commitments.csv`` text, same vector space, clipped to 0-1).
An idea whose similarity is at least ``restatement_similarity`` is a restatement (in ``ideas``,
each statement is also flagged by its own similarity; the headline counts whole ideas). The
label is the text of the member closest to the idea's centre, preferring the review's language.

Rank (within each kind; 1 = best, ties broken by idea_id)::

    rank_score = (w_support   * log(1 + n_submitters) / log(1 + largest n_submitters)
                + w_diversity * (n_stakeholder_types / 9 + n_regional_groups / 5) / 2
                + w_novelty   * novelty
                + w_bridge    * states_and_non_state) / (sum of the weights)

Defaults are in ``DEFAULTS``; the ``ideas:`` section of review.yml overrides them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from reviewlib import files, paths
from reviewlib.errors import InputError
from reviewlib.ideas import normalise
from reviewlib.ideas.grouping import METHOD, Method, group_vectors
from reviewlib.terms import NON_GOVERNMENTAL, REGIONAL_GROUPS, STAKEHOLDER_TYPES

__all__ = ["DEFAULTS", "IdeaPool", "pool", "pool_statements", "write_tables"]

DEFAULTS: dict[str, Any] = {
    "threshold": 0.15,
    "restatement_similarity": 0.38,
    "weights": {"support": 0.4, "diversity": 0.2, "novelty": 0.3, "bridge": 0.1},
}
KINDS = ("proposal", "good_practice")
N_STAKEHOLDER_TYPES, N_REGIONAL_GROUPS = len(STAKEHOLDER_TYPES), len(REGIONAL_GROUPS)
LABEL_WORDS = 25


STATEMENT_COLUMNS = [
    "statement_id",
    "idea_id",
    "kind",
    "language",
    "submitter",
    "stakeholder_type",
    "regional_group",
    "pillar",
    "themes",
    "joined_by",
    "similarity_to_centre",
    "nearest_commitment",
    "nearest_similarity",
    "is_restatement",
    "text",
]
SUMMARY_COLUMNS = [
    "idea_id",
    "kind",
    "rank",
    "rank_score",
    "label",
    "n_statements",
    "statement_ids",
    "submitters",
    "n_submitters",
    "stakeholder_types",
    "n_stakeholder_types",
    "regional_groups",
    "n_regional_groups",
    "states_and_non_state",
    "pillar",
    "themes",
    "languages",
    "novelty",
    "nearest_commitment",
    "nearest_similarity",
    "is_restatement",
]


@dataclass(frozen=True)
class IdeaPool:
    """Ideas distilled from the proposals: ``ideas`` has one row per statement, ``summary`` one per idea."""

    ideas: pd.DataFrame
    summary: pd.DataFrame
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def _proposals(self) -> pd.DataFrame:
        return self.summary[self.summary["kind"].eq("proposal")]

    def new_ideas(self) -> pd.DataFrame:
        """Proposal ideas that are not restatements of a commitment, best first."""
        ideas = self._proposals()
        return (
            ideas[~ideas["is_restatement"].astype(bool)].sort_values("rank").reset_index(drop=True)
        )

    def restatement_count(self) -> int:
        """How many proposals (statements) restate a commitment already in the GPA."""
        ideas = self._proposals()
        return int(ideas.loc[ideas["is_restatement"].astype(bool), "n_statements"].sum())

    def headline(self) -> str:
        k, m = self.restatement_count(), len(self.new_ideas())
        restate = (
            "1 proposal restates a commitment" if k == 1 else f"{k} proposals restate commitments"
        )
        new = "1 idea is new" if m == 1 else f"{m} ideas are new"
        return f"{restate} already in the GPA; {new}"

    def top(
        self,
        pillar: str | None = None,
        n: int = 10,
        *,
        new_only: bool = False,
        kind: str = "proposal",
    ) -> pd.DataFrame:
        """The n best-ranked ideas of one kind, optionally of one pillar and new ones only."""
        ideas = self.summary[self.summary["kind"].eq(kind)]
        if pillar:
            ideas = ideas[ideas["pillar"].eq(pillar)]
        if new_only:
            ideas = ideas[~ideas["is_restatement"].astype(bool)]
        return ideas.sort_values("rank").head(n).reset_index(drop=True)


def settings_from(config: Mapping[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """DEFAULTS updated by review.yml's ``ideas:`` section and by explicit arguments, checked."""
    merged = {**DEFAULTS, "weights": dict(DEFAULTS["weights"])}
    for source in (config or {}, {k: v for k, v in overrides.items() if v is not None}):
        if not isinstance(source, Mapping):
            raise InputError("review.yml 'ideas:' must be a mapping of settings")
        for key, value in source.items():
            if key not in DEFAULTS:
                raise InputError(
                    f"review.yml 'ideas:' has no setting '{key}' (known: {', '.join(DEFAULTS)})"
                )
            if key == "weights" and not isinstance(value, Mapping):
                raise InputError(
                    "review.yml 'ideas: weights:' must map support, diversity, novelty, bridge"
                )
            merged[key] = {**merged["weights"], **value} if key == "weights" else value
    try:
        for key in ("threshold", "restatement_similarity"):
            merged[key] = float(merged[key])
        merged["weights"] = {k: float(v) for k, v in merged["weights"].items()}
    except (TypeError, ValueError) as error:
        raise InputError(f"review.yml 'ideas:' settings must be numbers ({error})") from None
    if not (0 < merged["threshold"] <= 1 and 0 < merged["restatement_similarity"] <= 1):
        raise InputError(
            "review.yml 'ideas:' threshold and restatement_similarity must be between 0 and 1"
        )
    unknown = set(merged["weights"]) - set(DEFAULTS["weights"])
    if unknown or sum(merged["weights"].values()) <= 0 or min(merged["weights"].values()) < 0:
        raise InputError(
            "review.yml 'ideas: weights:' takes support, diversity, novelty and bridge, "
            "non-negative and not all zero"
        )
    return merged


def pool(review: Any) -> IdeaPool:
    """The pool of ideas of a loaded review (statements, commitments, synonyms, review.yml settings)."""
    synonyms = getattr(review.reference, "synonyms", None)
    if synonyms is None or len(synonyms) == 0:
        file = paths.reference_dir(review.inputs_dir) / "synonyms.csv"
        synonyms = pd.read_csv(file, dtype=str, keep_default_na=False) if file.exists() else None
    settings = settings_from((review.config.raw or {}).get("ideas") or {})
    method = replace(METHOD, label_language=getattr(review.config, "language", "") or "en")
    return pool_statements(
        review.statements,
        review.reference.commitments,
        weights=settings["weights"],
        threshold=settings["threshold"],
        synonyms=synonyms,
        restatement_similarity=settings["restatement_similarity"],
        method=method,
    )


def pool_statements(
    statements: pd.DataFrame,
    commitments: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    threshold: float | None = None,
    synonyms: pd.DataFrame | None = None,
    restatement_similarity: float | None = None,
    method: Method = METHOD,
) -> IdeaPool:
    """Group proposals and good practices into ideas and describe each; same input, same ideas.

    ``statements`` has the columns of ``Review.statements`` (only statement_id, kind and text are
    required); ``method`` is for measuring the choices, not for everyday use."""
    settings = settings_from(
        None, weights=weights, threshold=threshold, restatement_similarity=restatement_similarity
    )
    frame, merged_into = _prepare(statements)
    commitments = commitments.sort_values("commitment").reset_index(drop=True)
    thesaurus = normalise.Thesaurus.from_frame(
        synonyms if method.synonyms else None, stem=method.stem
    )
    docs = normalise.normalise_all(
        list(frame["text"]) + list(commitments["text"].astype(str)),
        list(frame["language"]) + ["en"] * len(commitments),
        stem=method.stem,
        thesaurus=thesaurus,
    )
    vectors = normalise.vectorise(docs, word_weight=method.word_weight)
    x, xc = vectors[: len(frame)], vectors[len(frame) :]
    labels = np.full(len(frame), -1, dtype=np.int64)
    position = {sid: i for i, sid in enumerate(frame["statement_id"])}
    offset = 0
    for kind in KINDS:
        own = np.flatnonzero(
            frame["kind"].eq(kind).to_numpy() & ~frame["statement_id"].isin(merged_into).to_numpy()
        )
        groups = group_vectors(x[own], settings["threshold"], method=method)
        labels[own] = groups + offset
        offset += int(groups.max()) + 1 if len(groups) else 0
    for sid, target in merged_into.items():
        labels[position[sid]] = labels[position[target]]
    return _describe(frame, labels, merged_into, x, xc, commitments, settings, method)


def _prepare(statements: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Pooled statements sorted by id, and {merged statement: the statement whose idea it joins}."""
    frame = statements.copy()
    for column in [
        "submitter",
        "stakeholder_type",
        "regional_group",
        "pillar",
        "themes",
        "language",
        "kind",
        "text",
        "decision",
        "merged_into",
    ]:
        frame[column] = frame[column].fillna("").astype(str) if column in frame else ""
    frame["statement_id"] = frame["statement_id"].astype(str)
    frame["language"] = frame["language"].str.strip().str.lower()
    keep = frame["kind"].isin(KINDS) & ~frame["decision"].str.strip().eq("set_aside")
    frame = frame[keep].sort_values("statement_id", kind="stable").drop_duplicates("statement_id")
    frame = frame.reset_index(drop=True)
    pooled = set(frame["statement_id"])
    targets = dict(zip(frame["statement_id"], frame["merged_into"].str.strip(), strict=True))
    merging = set(
        frame.loc[
            frame["decision"].str.strip().eq("merge") & frame["merged_into"].str.strip().ne(""),
            "statement_id",
        ]
    )
    merged_into: dict[str, str] = {}
    for sid in sorted(merging):
        seen, target = {sid}, targets[sid]
        while target in merging and target not in seen:  # follow A -> B -> C to the end
            seen.add(target)
            target = targets[target]
        if target in pooled and target not in seen:  # a cycle or a target not pooled: no merge
            merged_into[sid] = target
    return frame, merged_into


def _trim(text: str, words: int = LABEL_WORDS) -> str:
    parts = " ".join(str(text).split()).split(" ")
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + " …"


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
    return summary


def _pillar_kind_label(frame: pd.DataFrame, summary: pd.DataFrame, method: Method) -> pd.DataFrame:
    """Each idea's pillar (most common, ties alphabetical), its kind, and its label: the member
    closest to the centre, preferring the review's language."""
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
    own = frame[frame["joined_by"].eq("similarity")].drop_duplicates("_group").set_index("_group")
    summary["kind"] = own["kind"].reindex(summary.index)
    central = frame.assign(
        _other=frame["language"].ne(method.label_language), _far=-frame["similarity_to_centre"]
    )
    central = central.sort_values(["_group", "_other", "_far", "statement_id"]).drop_duplicates(
        "_group"
    )
    summary["label"] = central.set_index("_group")["text"].reindex(summary.index).map(_trim)
    return summary


def _describe(
    frame: pd.DataFrame,
    labels: np.ndarray,
    merged_into: Mapping[str, str],
    x: sparse.csr_matrix,
    xc: sparse.csr_matrix,
    commitments: pd.DataFrame,
    settings: Mapping[str, Any],
    method: Method,
) -> IdeaPool:
    if len(frame) == 0:
        empty = pd.DataFrame(columns=STATEMENT_COLUMNS), pd.DataFrame(columns=SUMMARY_COLUMNS)
        return IdeaPool(*empty, dict(settings))
    n, n_groups = len(frame), int(labels.max()) + 1
    member_of = sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(n_groups, n))
    centres = normalize(member_of @ x)
    ids = np.array(commitments["commitment"].astype(str).tolist() + [""])
    restate = settings["restatement_similarity"]
    frame = frame.assign(
        _group=labels,
        joined_by=np.where(frame["statement_id"].isin(merged_into), "merge", "similarity"),
        similarity_to_centre=np.round(_to_own_centre(x, centres, labels), 4),
    )
    best, best_sim = _nearest((x @ xc.T).toarray())
    frame["nearest_commitment"], frame["nearest_similarity"] = ids[best], best_sim
    frame["is_restatement"] = (best >= 0) & (best_sim >= restate)

    by_group = frame.groupby("_group")
    summary = pd.DataFrame(
        {"n_statements": by_group.size(), "statement_ids": by_group["statement_id"].agg(";".join)}
    )
    summary = _pillar_kind_label(frame, _support(frame, summary), method)
    idea_best, idea_sim = _nearest((centres @ xc.T).toarray())
    summary["nearest_commitment"], summary["nearest_similarity"] = ids[idea_best], idea_sim
    summary["novelty"] = np.round(np.clip(1 - idea_sim, 0, 1), 4)
    summary["is_restatement"] = (idea_best >= 0) & (idea_sim >= restate)
    summary["idea_id"] = [
        "IDEA-" + hashlib.sha1("\n".join(sorted(m.split(";"))).encode()).hexdigest()[:12]
        for m in summary["statement_ids"]
    ]
    summary = _rank(summary.rename_axis("_group").reset_index(), settings["weights"])
    frame = frame.merge(summary[["_group", "idea_id"]], on="_group", how="left")
    ideas = frame[STATEMENT_COLUMNS].sort_values(["idea_id", "statement_id"]).reset_index(drop=True)
    summary = summary.assign(_order=summary["kind"].map(KINDS.index)).sort_values(
        ["_order", "rank"]
    )
    return IdeaPool(ideas, summary[SUMMARY_COLUMNS].reset_index(drop=True), dict(settings))


def _rank(summary: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Add rank_score (the formula in the module docstring) and rank within each kind."""
    summary = summary.copy()
    largest = summary.groupby("kind")["n_submitters"].transform("max").clip(lower=1)
    support = np.log1p(summary["n_submitters"]) / np.log1p(largest)
    diversity = (
        summary["n_stakeholder_types"] / N_STAKEHOLDER_TYPES
        + summary["n_regional_groups"] / N_REGIONAL_GROUPS
    ) / 2
    score = (
        weights["support"] * support
        + weights["diversity"] * diversity
        + weights["novelty"] * summary["novelty"]
        + weights["bridge"] * summary["states_and_non_state"].astype(float)
    )
    summary["rank_score"] = (score / sum(weights.values())).round(4)
    summary = summary.sort_values(["kind", "rank_score", "idea_id"], ascending=[True, False, True])
    summary["rank"] = summary.groupby("kind").cumcount() + 1
    return summary


def write_tables(pool: IdeaPool, tables_dir: Path) -> list[Path]:
    """Write ideas.csv and idea_summary.csv (atomic, formula-safe); returns the paths."""
    tables = {"ideas": pool.ideas, "idea_summary": pool.summary}
    return files.write_tables(tables, Path(tables_dir), workbook=None)
