"""Elements for the zero draft: what the document says, chosen by stated rules from the review.

Co-facilitators work from it in Word (`reviewlib.ideas.zero_draft_word`); a plain-text twin
(`reviewlib.ideas.zero_draft_text`) shows what changed between two builds in a diff. It reads:

- **Preamble** (PP 1, PP 2 …): who meets, where and when, to appraise which plan (from
  review.yml's meeting, place and symbol), then the paragraphs review.yml's
  ``zero_draft: preamble`` lists, each with its source.
- **Part A — Reaffirmations** (OP 1 …): every GPA commitment whose evidence the review finds
  lagging or thin (``zero_draft: reaffirm``), those with the most weight of critical evidence
  first, each as "We reaffirm our commitment to …" (`reviewlib.ideas.declaration`).
- **Part B — New elements**: under the four pillars, in the pool's rank order, every new idea
  (never a restatement, never one not compared with the GPA) proposed by at least
  ``min_contributors`` contributors of at least ``min_stakeholder_types`` stakeholder types. A
  proposal that itself restates a GPA commitment is not credited to a new element (it was
  about something the GPA already says), and the comment says so; ``max_new_elements`` keeps
  the best-ranked of them.
- **Follow-up**: one paragraph (review.yml's ``zero_draft: follow_up``, or a standard one).
- **Annex — Contributions received**: the acknowledgement list; at a milestone, a contribution
  received later is listed and marked as not counted.

Every numbered paragraph carries a comment: who supports it, by stakeholder type and regional
group, the statement ids, and the commitment it builds on with its short title where the pool
names one. Numbers are typed ("OP 7"), not Word's automatic numbering: a paragraph inserted or
deleted with tracked changes must not silently renumber the others that comments, delegations'
written proposals and the plain-text twin cite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from reviewlib.errors import InputError
from reviewlib.gather.milestones import long_date
from reviewlib.ideas.zero_draft_parts import (
    Paragraph,
    new_elements,
    reaffirmations,
    statement_ids,
)
from reviewlib.terms import PILLAR_LABELS, STAKEHOLDER_TYPES, TYPE_WORDS

__all__ = ["DEFAULTS", "Paragraph", "Section", "ZeroDraft", "draft_settings", "elements"]

SUBTITLE = "Elements for a zero draft — for discussion"
PLAN = "the United Nations Global Plan of Action to Combat Trafficking in Persons"
DEFAULTS: dict[str, Any] = {
    "min_contributors": 3,
    "min_stakeholder_types": 2,
    "commit_min_member_states": 2,
    "reaffirm": ["lagging", "thin evidence"],
    "max_new_elements": 40,  # the best-ranked that pass; 0: no cap
    "preamble": [],
    "follow_up": {},
}
FOLLOW_UP = (
    "We decide to appraise, at a future high-level meeting of the General Assembly, the "
    "progress achieved in implementing the Global Plan of Action and this declaration, and "
    "request the Secretary-General to report on that progress, within existing resources, "
    "ahead of that meeting."
)


@dataclass(frozen=True)
class Section:
    heading: str
    level: int = 1
    notes: tuple[str, ...] = ()  # unnumbered sentences: what the section holds and why
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class ZeroDraft:
    """The whole document, in reading order; the Word file and its twin are written from it."""

    title: str
    short_title: str
    date: dt.date | None  # the milestone's, else the date of the latest contribution counted
    received: str  # what the date means, in a sentence
    version: str
    language: str
    illustrative_note: str  # '' when the review is not illustrative
    milestone_note: str  # '' when every contribution counts
    introduction: tuple[str, ...]
    acknowledgement_note: str
    sections: tuple[Section, ...]
    acknowledgements: pd.DataFrame = field(compare=False, repr=False)

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]


def _as_given(text: object) -> str:
    """The secretariat's own wording from review.yml: spaces tidied, a full stop at the end."""
    text = " ".join(str(text).split()).rstrip(" .")
    return text + "."


def draft_settings(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """review.yml's ``zero_draft:`` over DEFAULTS, checked (InputError naming the key)."""
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise InputError("review.yml 'zero_draft:' must be a section of settings")
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        raise InputError(
            f"review.yml 'zero_draft:' has no setting {', '.join(sorted(map(repr, unknown)))} "
            f"(known: {', '.join(DEFAULTS)})"
        )
    out = {**DEFAULTS, **raw}
    for key in ("min_contributors", "min_stakeholder_types", "commit_min_member_states"):
        if not isinstance(out[key], int) or isinstance(out[key], bool) or out[key] < 1:
            raise InputError(f"review.yml 'zero_draft: {key}' must be a whole number of 1 or more")
    cap = out["max_new_elements"]
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
        raise InputError("review.yml 'zero_draft: max_new_elements' must be 0 (no cap) or more")
    if not isinstance(out["reaffirm"], list):
        raise InputError("review.yml 'zero_draft: reaffirm' must be a list of statuses")
    preamble = out["preamble"] or []
    if not isinstance(preamble, list) or not all(
        isinstance(p, Mapping) and p.get("text") and p.get("source") for p in preamble
    ):
        raise InputError("review.yml 'zero_draft: preamble' lists paragraphs with text and source")
    if not isinstance(out["follow_up"] or {}, Mapping):
        raise InputError("review.yml 'zero_draft: follow_up' takes text and builds_on")
    return out


# Around the parts ------------------------------------------------------------------------------


def _meeting(config) -> str:
    start, end = config.meeting_start, config.meeting_end
    if start is None:
        return ""
    if end is None or end == start:
        return f" on {long_date(start)}"
    if (start.year, start.month) == (end.year, end.month) and (end - start).days == 1:
        return f" on {start.day} and {long_date(end)}"
    return f" from {long_date(start)} to {long_date(end)}"


def _opening(config) -> Paragraph:
    raw = config.raw or {}
    place = str((raw.get("meeting") or {}).get("place") or "").strip()
    symbol = str(raw.get("symbol") or "").strip()
    adopted = (
        f", adopted by the General Assembly in its resolution {symbol.removeprefix('A/RES/')}"
        if symbol
        else ""
    )
    text = (
        "We, Heads of State and Government and representatives of States, meeting"
        f"{' at ' + place + ',' if place else ''}{_meeting(config)}, have appraised the progress "
        f"achieved in implementing {PLAN}{adopted}."
    )
    return Paragraph(
        "",
        text,
        (
            "Opening paragraph, from review.yml: the meeting, its place "
            "and the symbol of the Global Plan of Action.",
        ),
        "review.yml",
    )


def _follow_up(settings, coverage, reference) -> Paragraph:
    given = settings["follow_up"] or {}
    text = str(given.get("text") or FOLLOW_UP)
    builds_on = str(given.get("builds_on") or "")
    lines = ["Follow-up, drafted by the secretariat (review.yml, zero_draft: follow_up)."]
    if builds_on:
        lines.append(f"Builds on GPA commitment {reference.describe_commitment(builds_on)}.")
        if coverage is not None and builds_on in set(coverage["commitment"]):
            row = coverage[coverage["commitment"].eq(builds_on)].iloc[0]
            ids = [i for i in str(row["statement_ids"]).split(";") if i]
            if ids:
                lines.append(f"Statements on it: {statement_ids(ids)}")
    return Paragraph("", _as_given(text), tuple(lines), builds_on)


def _acknowledgements(contributions: pd.DataFrame, not_counted: pd.DataFrame, names, milestone):
    """One row per contribution: contributor, stakeholder type, received, counted or why not."""
    counted = contributions.assign(counted="yes")
    late = not_counted.assign(
        counted=[
            f"no: received after {long_date(milestone.date)}" if r else "no: no date received"
            for r in not_counted["received"]
        ]
        if len(not_counted)
        else []
    )
    table = pd.concat([counted, late], ignore_index=True)
    if table.empty:
        return pd.DataFrame(columns=["contributor", "stakeholder type", "received", "counted"])
    table["contributor"] = [
        names.get(c, s) if t == "member_state" else s
        for s, t, c in zip(
            table["submitter"], table["stakeholder_type"], table["country"], strict=True
        )
    ]
    table["stakeholder type"] = table["stakeholder_type"].map(lambda t: TYPE_WORDS.get(t, (t,))[0])
    table["_order"] = table["stakeholder_type"].map({t: i for i, t in enumerate(STAKEHOLDER_TYPES)})
    table = table.sort_values(["_order", "contributor", "contribution_id"])
    return table[["contributor", "stakeholder type", "received", "counted"]].reset_index(drop=True)


def _numbered(sections: list[Section]) -> tuple[Section, ...]:
    """PP 1 … in the preamble, OP 1 … through the operative part, in reading order."""
    counts = {"PP": 0, "OP": 0}
    out = []
    for section in sections:
        kind = "PP" if section.heading == "Preamble" else "OP"
        numbered = []
        for paragraph in section.paragraphs:
            counts[kind] += 1
            numbered.append(
                Paragraph(
                    f"{kind} {counts[kind]}", paragraph.text, paragraph.comment, paragraph.source
                )
            )
        out.append(Section(section.heading, section.level, section.notes, tuple(numbered)))
    return tuple(out)


def _date(review) -> tuple[dt.date | None, str]:
    """(the document's date, what it means): the milestone's, else the latest contribution's."""
    milestone = review.milestone
    if milestone is not None:
        return milestone.date, (
            f"Contributions received by {long_date(milestone.date)}"
            + (
                f" ({milestone.label or milestone.name.replace('_', ' ')})"
                if milestone.name
                else ""
            )
        )
    received = review.statements.get("received", pd.Series(dtype=object)).fillna("")
    received = received[received.ne("")]
    if received.empty:
        return None, "No contribution with a date received"
    day = dt.date.fromisoformat(str(received.max()))
    return day, f"Contributions received up to {long_date(day)}"


def _part_a_notes(coverage, found: bool, settings) -> tuple[str, ...]:
    if coverage is None:
        return (
            "The review has no rubric (inputs/rubric.yml), so the evidence on the commitments "
            "is not weighed and nothing is reaffirmed here.",
        )
    statuses = " or ".join(f"'{s}'" for s in settings["reaffirm"])
    return (
        f"The commitments of the Global Plan of Action whose evidence the review finds "
        f"{statuses}, those with the most weight of critical evidence first"
        + ("." if found else "; none is, on the evidence received."),
    )


def _introduction(threshold: str) -> tuple[str, ...]:
    return (
        "Prepared by the secretariat from the contributions to the review, for the "
        "co-facilitators: a basis for discussion, not an agreed text.",
        "Part A reaffirms the commitments of the Global Plan of Action on which the "
        f"contributions show gaps; Part B proposes new elements supported by {threshold}.",
        "Each numbered paragraph carries a comment with its sources: who supports it, by "
        "stakeholder type and regional group, the statement ids (outputs/tables/statements.csv) "
        "and the commitment it builds on.",
        "The paragraph numbers are typed, not automatic, so that a paragraph added or removed "
        "with tracked changes does not renumber those that comments and proposals cite.",
    )


def elements(review, pool, coverage: pd.DataFrame | None, version: str) -> ZeroDraft:
    """The zero-draft elements of a loaded review, from its one pool of ideas and the published
    coverage table (``Scores.coverage``; None when the review has no rubric)."""
    config = review.config
    settings = draft_settings((config.raw or {}).get("zero_draft"))
    reference, statements = review.reference, review.statements
    preamble = [_opening(config)] + [
        Paragraph("", _as_given(p["text"]), (f"Source: {_as_given(p['source'])}",))
        for p in settings["preamble"]
    ]
    part_a = reaffirmations(coverage, statements, reference, settings)
    by_pillar, left_out = new_elements(pool, statements, reference, settings)
    threshold = (
        f"at least {settings['min_contributors']} contributors of at least "
        f"{settings['min_stakeholder_types']} stakeholder types"
    )
    sections = [
        Section("Preamble", 1, (), tuple(preamble)),
        Section(
            "Part A — Reaffirmations",
            1,
            _part_a_notes(coverage, bool(part_a), settings),
            tuple(part_a),
        ),
        Section(
            "Part B — New elements",
            1,
            (
                f"New ideas of the pool of ideas, each proposed by {threshold}, under the four "
                "pillars in the pool's rank order.",
                left_out,
            ),
        ),
    ]
    pillars = list(PILLAR_LABELS.items()) + (
        [("", "Across the pillars")] if "" in by_pillar else []
    )
    for pillar, heading in pillars:
        found = tuple(by_pillar.get(pillar, ()))
        note = () if found else ("No new idea under this pillar passes the threshold.",)
        sections.append(Section(heading, 2, note, found))
    sections.append(Section("Follow-up", 1, (), (_follow_up(settings, coverage, reference),)))
    milestone = review.milestone
    day, received = _date(review)
    return ZeroDraft(
        title=config.title,
        short_title=config.short_title,
        date=day,
        received=received,
        version=version,
        language=config.language or "en",
        illustrative_note=config.illustrative_note if config.illustrative else "",
        milestone_note=milestone.note if milestone is not None else "",
        introduction=_introduction(threshold),
        acknowledgement_note=(
            f"Every contribution received, by stakeholder type; those received after "
            f"{long_date(milestone.date)}, or with no date received, are listed and marked as "
            "not counted."
            if milestone is not None
            else "Every contribution counted in this document, by stakeholder type."
        ),
        sections=_numbered(sections),
        acknowledgements=_acknowledgements(
            review.contributions, review.not_counted, reference.name_of, milestone
        ),
    )
