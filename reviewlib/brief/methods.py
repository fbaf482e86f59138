"""The methods note: how the briefs were made, in plain English, written from rubric.yml and
review.yml so that it always says what the build actually did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewlib.gather.settings import ReviewConfig
from reviewlib.scoring.rubric import Rubric
from reviewlib.terms import KIND_LABELS, KINDS, TYPE_LABELS

__all__ = ["methods_note"]


def _number(x: float) -> str:
    return f"{x:g}"


def _weights(rubric: Rubric) -> str:
    kinds = ", ".join(f"{KIND_LABELS[k]} {_number(rubric.kind_weights[k])}" for k in KINDS)
    sources = ", ".join(
        ("a Member State on itself" if s == "member_state_self" else TYPE_LABELS.get(s, s))
        + f" {_number(w)}"
        for s, w in rubric.source_weights.items()
    )
    return (
        f"Each statement has a weight: that of its kind ({kinds}) times that of its source "
        f"({sources}). A proposal says what should be done, not what is, so weighs nothing."
    )


def _statuses(rubric: Rubric) -> str:
    return (
        "A commitment, theme or pillar has a status from the weights of the statements naming it: "
        f"“on track” when at least {rubric.on_track_min_share:.0%} of the weighted evidence is "
        f"positive; “lagging” when at most {rubric.lagging_max_share:.0%} is positive and critical "
        f"statements come from at least {rubric.lagging_min_contributors} different contributors; "
        "“thin evidence” when it is as low but fewer contributors say so; “mixed” in between; "
        "“no evidence” when only proposals, or nothing, were reported."
    )


def _ideas(settings: Mapping[str, Any]) -> str:
    weights = settings.get("weights", {})
    parts = ", ".join(f"{k} {_number(float(v))}" for k, v in weights.items())
    return (
        "Proposals that say the same thing are pooled into one idea: texts are normalised "
        "(stop words out, stems per language, synonyms across languages), compared by TF-IDF "
        "cosine similarity and grouped by average linkage while at least "
        f"{_number(float(settings.get('threshold', 0)))} alike. An idea at least "
        f"{_number(float(settings.get('restatement_similarity', 0)))} alike to a commitment of the "
        "GPA restates it; the others are new. Ideas are ranked by breadth of support (distinct "
        "contributors, stakeholder types and regional groups), novelty, and whether Member "
        f"States and non-governmental contributors back them together (weights: {parts}). Each "
        "brief offers the best-ranked new ideas its own statements support, with the same label "
        "and support in every brief."
    )


# How statements read from documents are suggested and confirmed (gather.suggest, learned).
_DOCUMENTS = (
    "Letters and reports (Word, PDF, text) are read paragraph by paragraph, skipping courtesy "
    "formulas, headers and signatures (each named in the ledger). Cue phrases in the six UN "
    "languages suggest each statement's kind and, weighed with a scikit-learn model "
    "trained on accepted statements, its pillar; it counts once an officer confirms it."
)


def methods_note(
    rubric: Rubric, config: ReviewConfig, editions_note: str = ""
) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the methods note."""
    ideas = (config.raw or {}).get("ideas") or {}
    from reviewlib.ideas.pool import DEFAULTS

    settings = {**DEFAULTS, **ideas, "weights": {**DEFAULTS["weights"], **ideas.get("weights", {})}}
    cutoff = f" received by {config.cutoff.isoformat()}" if config.cutoff else ""
    return [
        (
            "What counts as evidence",
            [
                f"Every statement accepted from the contributions{cutoff} counts unless the "
                "secretariat set it aside in triage or merged it into one that says the same "
                "(which is then cited twice). Each is an achievement, a gap, a good practice or a "
                "proposal, under one of the four pillars, about a Member State, a regional group "
                "or the world. Statements keep their language; briefs quote English text only and "
                "list the originals in their evidence annex.",
                _DOCUMENTS,
                "UNODC Global Report country data are used as published: all-victims totals, a "
                "count under five shown as “<5” and never as zero. No brief claims a trend. "
                + editions_note,
                _weights(rubric),
            ],
        ),
        (
            "What the statuses mean",
            [
                _statuses(rubric),
                "GPA commitments (PRE-01 …) are our paraphrases of the annex, citing a paragraph "
                "only where verified. A statement counts for a commitment when its contributor or "
                "the secretariat names it. Every statement counted is listed in the brief's "
                "evidence annex; every number printed is a cell of a table in the tables folder.",
            ],
        ),
        (
            "Member States: evidence, not grades",
            [
                "A Member State's brief sets out, side by side and each with its source, what the "
                "Government reports (achievements and the gaps it names itself), what others "
                "report about it (critical statements, by kind of contributor), initiatives by "
                "others in the country (labelled as theirs) and the UNODC figures. Nothing "
                "circulated grades or ranks Member States or regional groups.",
                "A gap a Government reports about itself is candour: shown as evidence of a gap, "
                "never counted against the State. The secretariat's internal working aids follow "
                f"the same rule, penalise nothing on fewer than {rubric.penalty_min_statements} "
                "independent critical statements, count UNODC data even when nobody wrote about "
                "it, and are not circulated.",
            ],
        ),
        (
            "How quotes are chosen",
            [
                "Each finding is illustrated by a statement that names its commitment (for a "
                "Member State, one counted in that pillar): the most relevant (weight × citations; "
                "one that gives its evidence first), then, across the brief, one from the kinds "
                "of contributor and the regional groups quoted least so "
                f"far — at most {rubric.quotes_max_per_type} quotes from one kind of contributor, "
                f"{rubric.quotes_max_per_group} from one regional group and "
                f"{rubric.quotes_per_brief} in all. Ties go to a fixed hash of the statement id, "
                "not to the alphabet.",
            ],
        ),
        ("How ideas are pooled and ranked", [_ideas(settings)]),
        (
            "The papers",
            [
                f"Each brief's body is held to {config.word_budget} words, its evidence annex "
                "apart. The same inputs rebuild every brief byte for byte; the footer gives the "
                "digest of the inputs it read."
                + (f" {config.illustrative_note}" if config.illustrative else ""),
            ],
        ),
    ]
