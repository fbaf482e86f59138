"""The pool of ideas: one per review, proposals that say the same thing grouped into ideas,
described once and ranked; every brief, table and Word file reads the same ideas from it.

Statements of kind ``proposal`` and ``good_practice`` are pooled (good practices are grouped
on their own and flagged by ``kind``); those the secretariat ``set_aside`` are left out, a
statement it ``merge``d into another joins that statement's idea, and the secretariat's
curation (`reviewlib.ideas.curation`: move, split, rename) is applied on top.

How statements are grouped. Each statement is read in English where it has an English
rendering (``text_en``), else in its own language. The text is normalised
(``reviewlib.ideas.normalise``: stop words out, Snowball stems per language, accents folded,
phrases from ``synonyms.csv`` replaced by one canonical token, so that a proposal with no
English text can still meet English ones) and turned into TF-IDF on words and on characters;
similarity is the cosine in that space. Each statement is linked to its 30 most similar
statements, chosen among 60 candidates found in a small LSA space and re-scored exactly (a block
of rows at a time, never an n x n matrix). Along those links, the two groups with the highest
*average* pairwise similarity are merged, again and again, while it is at least ``threshold``
(average linkage). The result does not depend on the order of the rows.

What each idea says (support, status against the GPA on English text only, the commitment it
builds on, its neutral label and its stable id) is `reviewlib.ideas.describe`.

Rank (within each kind; 1 = best, ties broken by idea_id)::

    rank_score = (w_support   * log(1 + n_submitters) / log(1 + largest n_submitters)
                + w_diversity * (n_stakeholder_types / 9 + n_regional_groups / 5) / 2
                + w_novelty   * novelty   (0 for an idea not compared with the GPA)
                + w_bridge    * states_and_non_state) / (sum of the weights)

Defaults are in ``DEFAULTS``; the ``ideas:`` section of review.yml overrides them. The threshold,
``restatement_similarity`` and ``nearest_similarity`` were chosen on the tuning part of
``tests/data/ideas/labelled.csv`` and the demo (see `reviewlib.ideas.quality`).
"""

from __future__ import annotations

import hashlib
import importlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reviewlib import files, paths
from reviewlib.errors import InputError
from reviewlib.gather import cache as disk
from reviewlib.ideas import normalise
from reviewlib.ideas.curation import Curation, read_curation
from reviewlib.ideas.describe import KINDS, STATEMENT_COLUMNS, SUMMARY_COLUMNS, describe
from reviewlib.ideas.grouping import METHOD, Method, group_vectors

__all__ = [
    "DEFAULTS",
    "IdeaPool",
    "Method",
    "pool",
    "pool_statements",
    "write_tables",
    "STATEMENT_COLUMNS",
    "SUMMARY_COLUMNS",
]

DEFAULTS: dict[str, Any] = {
    "threshold": 0.15,
    "restatement_similarity": 0.28,
    "nearest_similarity": 0.2,
    "weights": {"support": 0.4, "diversity": 0.2, "novelty": 0.3, "bridge": 0.1},
}
_SIMILARITIES = ("threshold", "restatement_similarity", "nearest_similarity")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class IdeaPool:
    """Ideas distilled from the proposals: ``ideas`` has one row per statement, ``summary`` one per
    idea. A slice of it (`only` the ideas a brief shows, found with `ideas_of`) keeps each idea whole, with its review-wide figures."""

    ideas: pd.DataFrame
    summary: pd.DataFrame
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def _proposals(self) -> pd.DataFrame:
        return self.summary[self.summary["kind"].eq("proposal")]

    def new_ideas(self) -> pd.DataFrame:
        """Proposal ideas that are new against the GPA (compared on English text), best first."""
        ideas = self._proposals()
        return ideas[ideas["status"].eq("new")].sort_values("rank").reset_index(drop=True)

    @cached_property
    def new_idea_ids(self) -> tuple[str, ...]:
        """The ids of `new_ideas`, best first (made once per pool: every brief's slice asks)."""
        return tuple(self.new_ideas()["idea_id"])

    def count(self, status: str) -> int:
        """How many proposal ideas have a status: new, restates or not_compared."""
        return int(self._proposals()["status"].eq(status).sum())

    def uncompared_proposals(self) -> int:
        """How many proposals (statements) have no English text, so were not compared."""
        rows = self.ideas[self.ideas["kind"].eq("proposal")]
        return int(rows["status"].eq("not_compared").sum())

    def headline(self) -> str:
        """The pool in one sentence, in one consistent form: proposals, ideas, and what the ideas
        are against the GPA."""
        ideas = self._proposals()
        text = (
            f"{_plural(int(ideas['n_statements'].sum()), 'proposal', 'proposals')} in "
            f"{_plural(len(ideas), 'idea', 'ideas')}; "
            f"{_plural(self.count('restates'), 'idea restates', 'ideas restate')} what the GPA "
            f"already says; {self.count('new')} {'is' if self.count('new') == 1 else 'are'} new"
        )
        if not_compared := self.count("not_compared"):
            text += f"; {not_compared} could not be compared with the GPA (no English text)"
        return text

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
            ideas = ideas[ideas["status"].eq("new")]
        return ideas.sort_values("rank").head(n).reset_index(drop=True)

    @cached_property
    def _idea_of(self) -> dict[str, str]:
        """{statement id: the id of its idea}, made once per pool (every brief's slice asks)."""
        return dict(zip(self.ideas["statement_id"], self.ideas["idea_id"], strict=True))

    @cached_property
    def pillar_of(self) -> dict[str, str]:
        """{idea id: the idea's pillar}."""
        return dict(zip(self.summary["idea_id"], self.summary["pillar"], strict=True))

    def ideas_of(self, statement_ids: Iterable[str]) -> set[str]:
        """The ids of the ideas with at least one member among ``statement_ids``."""
        idea_of = self._idea_of
        return {idea_of[s] for s in statement_ids if s in idea_of}

    def only(self, idea_ids: set[str]) -> IdeaPool:
        """These ideas, whole: same ids, labels, members, support, status and rank as here."""
        return IdeaPool(
            self.ideas[self.ideas["idea_id"].isin(idea_ids)].reset_index(drop=True),
            self.summary[self.summary["idea_id"].isin(idea_ids)].reset_index(drop=True),
            self.settings,
        )


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
        for key in _SIMILARITIES:
            merged[key] = float(merged[key])
        merged["weights"] = {k: float(v) for k, v in merged["weights"].items()}
    except (TypeError, ValueError) as error:
        raise InputError(f"review.yml 'ideas:' settings must be numbers ({error})") from None
    for key in _SIMILARITIES:  # NaN fails every comparison: it must fail this one too
        if not 0 < merged[key] <= 1:
            raise InputError(
                f"review.yml 'ideas: {key}' must be a number above 0 and at most 1, "
                f"not {merged[key]!r}"
            )
    for key, value in merged["weights"].items():
        if not 0 <= value < math.inf:
            raise InputError(
                f"review.yml 'ideas: weights: {key}' must be a finite number of 0 or more, "
                f"not {value!r}"
            )
    unknown = set(merged["weights"]) - set(DEFAULTS["weights"])
    if unknown or sum(merged["weights"].values()) <= 0:
        raise InputError(
            "review.yml 'ideas: weights:' takes support, diversity, novelty and bridge, "
            "non-negative and not all zero"
        )
    return merged


# What pooling imports where it is used (normalise, grouping, describe): scikit-learn takes about
# a second to load. A build whose pool of ideas is in the disk cache never loads it; the process
# kept ready for the next build loads it while it waits (`load_libraries`), so that a build it
# runs after a decision on a proposal, which pools the ideas again, does not load it each time.
LIBRARIES = (
    "sklearn.feature_extraction.text",
    "sklearn.random_projection",
    "sklearn.decomposition",
    "sklearn.preprocessing",
)


def load_libraries() -> None:
    """Import what pooling ideas uses (`LIBRARIES`)."""
    for name in LIBRARIES:
        importlib.import_module(name)


def pool(review: Any) -> IdeaPool:
    """The one pool of ideas of a loaded review (statements, commitments, synonyms, review.yml
    settings and the secretariat's curation); computed once per review object."""
    try:
        hash(review)
    except TypeError:  # a stand-in for a review that cannot be remembered: compute it
        return _pool_of.__wrapped__(review)
    return _pool_of(review)


@lru_cache(maxsize=4)
def _pool_of(review: Any) -> IdeaPool:
    synonyms = getattr(review.reference, "synonyms", None)
    if synonyms is None or len(synonyms) == 0:
        file = paths.reference_dir(review.inputs_dir) / "synonyms.csv"
        synonyms = pd.read_csv(file, dtype=str, keep_default_na=False) if file.exists() else None
    settings = settings_from((review.config.raw or {}).get("ideas") or {})
    method = replace(METHOD, label_language=getattr(review.config, "language", "") or "en")
    decisions = getattr(review, "idea_decisions", None)
    tables = {  # a statement that is not pooled (an achievement, one set aside) changes nothing
        "statements": _prepare(review.statements)[0],
        "commitments": review.reference.commitments,
        "synonyms": synonyms,
        "idea_decisions": decisions,
    }
    key = _pool_key(tables, settings, method)
    # One pool per review: the build, each kernel and the workbench read it from the disk
    # cache (see reviewlib.gather.cache) instead of pooling the same statements again.
    inputs = Path(review.inputs_dir)
    slot = f"ideas\0{getattr(review.config, 'milestone', None)!r}"
    found = disk.load(inputs, key, slot) if inputs.exists() else None
    if isinstance(found, IdeaPool):
        return found
    stems = _stems_key() if inputs.exists() else None
    if stems:  # the words stemmed when these inputs were last pooled, by whichever process
        normalise.learn_stems(disk.load(inputs, stems, "stems"))
    known = normalise.stem_count()
    made = pool_statements(
        review.statements,
        review.reference.commitments,
        weights=settings["weights"],
        threshold=settings["threshold"],
        synonyms=synonyms,
        restatement_similarity=settings["restatement_similarity"],
        nearest_similarity=settings["nearest_similarity"],
        method=method,
        decisions=decisions,
    )
    if inputs.exists():
        disk.save(inputs, key, made, slot)
    if stems and normalise.stem_count() > known:  # words not stemmed before
        disk.save(inputs, stems, normalise.known_stems(), "stems")
    return made


def _stems_key() -> str:
    """What a word's stem depends on: the stemmers' version and reviewlib's code."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        stemmers = version("snowballstemmer")
    except PackageNotFoundError:
        stemmers = "?"
    return hashlib.sha256(f"{stemmers}\0{disk.code_digest()}".encode()).hexdigest()


def _pool_key(tables: Mapping[str, pd.DataFrame | None], settings: Mapping, method: Method) -> str:
    """Everything a pool is made from: every cell of its tables, the settings, the method, and
    reviewlib's code and the library versions the saved pool depends on."""
    given = {name: table for name, table in tables.items() if table is not None}
    pieces = (
        files.tables_digest(given),
        repr(sorted(tables)),
        repr(sorted(settings.items())),
        repr(method),
        disk.code_digest(),
        disk.versions(),
    )
    return hashlib.sha256("\0".join(pieces).encode()).hexdigest()


def pool_statements(
    statements: pd.DataFrame,
    commitments: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    threshold: float | None = None,
    synonyms: pd.DataFrame | None = None,
    restatement_similarity: float | None = None,
    nearest_similarity: float | None = None,
    method: Method = METHOD,
    decisions: pd.DataFrame | None = None,
) -> IdeaPool:
    """Group proposals and good practices into ideas and describe each; same input, same ideas.

    ``statements`` has the columns of ``Review.statements`` (only statement_id, kind and text are
    required; without ``text_en``, statements in English are their own English text);
    ``decisions`` is ``Review.idea_decisions``; ``method`` is for measuring the choices."""
    settings = settings_from(
        None,
        weights=weights,
        threshold=threshold,
        restatement_similarity=restatement_similarity,
        nearest_similarity=nearest_similarity,
    )
    frame, merged_into = _prepare(statements)
    curation = read_curation(decisions)
    commitments = commitments.sort_values("commitment").reset_index(drop=True)
    if "title" not in commitments:
        commitments = commitments.assign(title="")
    if len(frame) == 0:
        return IdeaPool(
            pd.DataFrame(columns=STATEMENT_COLUMNS), pd.DataFrame(columns=SUMMARY_COLUMNS), settings
        )
    thesaurus = normalise.Thesaurus.from_frame(
        synonyms if method.synonyms else None, stem=method.stem
    )
    english = frame["text_en"].ne("")
    docs = normalise.normalise_all(
        list(frame["text_en"].where(english, frame["text"]))
        + list(commitments["text"].astype(str)),
        list(frame["language"].where(~english, "en")) + ["en"] * len(commitments),
        stem=method.stem,
        thesaurus=thesaurus,
    )
    vectors = normalise.vectorise(docs, word_weight=method.word_weight)
    x, xc = vectors[: len(frame)], vectors[len(frame) :]
    labels = _group(frame, x, merged_into, curation, settings["threshold"], method)
    frame["joined_by"] = np.where(
        frame["statement_id"].isin(curation.placed),
        "secretariat",
        np.where(frame["statement_id"].isin(merged_into), "merge", "similarity"),
    )
    ideas, summary = describe(frame, labels, x, xc, commitments, settings, curation)
    return IdeaPool(ideas, summary, settings)


def _group(frame, x, merged_into, curation: Curation, threshold: float, method: Method):
    """Group numbers: by similarity within each kind for the statements nobody placed, then the
    triage merges and the secretariat's placements; numbered 0, 1, 2 … in order of first member."""
    labels = np.full(len(frame), -1, dtype=np.int64)
    position = {sid: i for i, sid in enumerate(frame["statement_id"])}
    placed = frame["statement_id"].isin(set(merged_into) | set(curation.placed)).to_numpy()
    offset = 0
    for kind in KINDS:
        own = np.flatnonzero(frame["kind"].eq(kind).to_numpy() & ~placed)
        groups = _eject_outliers(
            group_vectors(x[own], threshold, method=method), x[own], threshold * method.member_floor
        )
        labels[own] = groups + offset
        offset += int(groups.max()) + 1 if len(groups) else 0
    merged = [
        (position[s], position[t]) for s, t in merged_into.items() if s not in curation.placed
    ]
    for i, target in merged:
        labels[i] = labels[target]
    labels = curation.place(labels, position, frame["kind"])
    for i, target in merged:  # again: a merge target the secretariat placed takes its merges along
        labels[i] = labels[target]
    loose = labels < 0  # merged into a statement the secretariat then placed
    labels[loose] = np.arange(loose.sum()) + labels.max() + 1
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[np.searchsorted(np.unique(labels), labels)]


def _eject_outliers(labels: np.ndarray, x, floor: float) -> np.ndarray:
    """Members grouped by similarity whose mean similarity to the other members of their idea is
    below ``floor`` stand alone: average linkage lets a group take in a member that resembles
    only part of it ("press councils" joining survivor advisory councils)."""
    from scipy import sparse

    if len(labels) == 0:
        return labels
    labels = labels.copy()
    member_of = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))))
    sums = member_of @ x
    size = np.bincount(labels)[labels]
    own = np.asarray(sums[labels].multiply(x).sum(axis=1)).ravel() - 1.0  # minus itself
    mean = np.divide(own, size - 1, out=np.ones(len(labels)), where=size > 2)
    out = (size > 2) & (mean < floor)
    labels[out] = labels.max() + 1 + np.arange(int(out.sum()))
    return labels


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
        "received",
    ]:
        frame[column] = frame[column].fillna("").astype(str) if column in frame else ""
    frame["statement_id"] = frame["statement_id"].astype(str)
    frame["language"] = frame["language"].str.strip().str.lower()
    if "text_en" not in frame:  # a table without English renderings: English text is its own
        frame["text_en"] = frame["text"].where(frame["language"].eq("en"), "")
        frame["text_en_source"] = np.where(frame["language"].eq("en"), "original", "")
    frame["text_en"] = frame["text_en"].fillna("").astype(str).str.strip()
    if "text_en_source" not in frame:
        frame["text_en_source"] = ""
    frame["text_en_source"] = frame["text_en_source"].fillna("").astype(str)
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


def write_tables(pool: IdeaPool, tables_dir: Path) -> list[Path]:
    """Write ideas.csv and idea_summary.csv (atomic, formula-safe); returns the paths."""
    tables = {"ideas": pool.ideas, "idea_summary": pool.summary}
    return files.write_tables(tables, Path(tables_dir), workbook=None)
