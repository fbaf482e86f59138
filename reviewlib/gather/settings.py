"""review.yml → ReviewConfig: the settings of one review cycle (title, dates, budget, languages,
intake limits), every section checked against the settings review.yml may hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reviewlib import paths
from reviewlib.errors import InputError
from reviewlib.gather.edited import parse_yaml, read_text
from reviewlib.gather.limits import IntakeLimits, intake_limits
from reviewlib.gather.milestones import Milestone, read_date, read_milestones
from reviewlib.gather.panels import Panel, read_panels
from reviewlib.terms import BRIEF_KINDS, LANGUAGES


@dataclass(frozen=True)
class ReviewConfig:
    title: str
    short_title: str
    meeting_start: dt.date | None
    meeting_end: dt.date | None
    cutoff: dt.date | None
    word_budget: int
    illustrative: bool
    illustrative_note: str
    language: str
    languages: tuple[str, ...]
    intake: IntakeLimits = field(default_factory=IntakeLimits)
    # Release points (review.yml's `milestones`), by date; and the one the review is loaded at
    # (None: every contribution counts). See reviewlib.gather.milestones.
    milestones: tuple[Milestone, ...] = ()
    milestone: Milestone | None = None
    # The date every reference fact stands on (names, UNODC editions, ICAT, treaty status):
    # review.yml's `as_of`, the meeting's first day by default.
    as_of: dt.date | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    status: str = ""  # the status line every page carries, e.g. "Advance unedited draft"
    panels: tuple[Panel, ...] = ()  # briefs the review defines (reviewlib.gather.panels)

    def panel(self, name: str) -> Panel:
        return next(p for p in self.panels if p.name == name)


_date = read_date  # review.yml's dates, read one way (see reviewlib.gather.milestones)


# Every top-level setting of review.yml. `ideas`, `balance` and `zero_draft` are checked, key by
# key, by the stages that use them (reviewlib.ideas.pool, reviewlib.scoring.balance,
# reviewlib.ideas.zero_draft); `intake` by reviewlib.gather.limits; `milestones` by
# reviewlib.gather.milestones; the rest here.
SECTIONS = (
    "title",
    "short_title",
    "status",
    "symbol",
    "as_of",
    "meeting",
    "cutoff",
    "milestones",
    "word_budget",
    "illustrative",
    "illustrative_note",
    "internal_levels",
    "language",
    "languages",
    "intake",
    "ideas",
    "balance",
    "zero_draft",
    "briefs",
    "panels",
    "pdf",
)
_MAPPINGS = ("meeting", "milestones", "intake", "ideas", "balance", "zero_draft", "briefs")
_MAPPINGS += ("panels",)
_TEXTS = ("title", "short_title", "status", "symbol", "illustrative_note", "language")
_BRIEF_LISTS = ("kinds", "pillars", "themes", "regional_groups", "countries")


def _closest(key: str, known: tuple[str, ...]) -> str:
    import difflib

    match = difflib.get_close_matches(key, known, n=1)
    return f"; did you mean '{match[0]}'?" if match else f"; the settings are {', '.join(known)}"


def _check_shape(raw: dict[str, Any], path: Path) -> None:
    """Every key known, every section of the right shape: one InputError sentence per problem."""
    for key in raw:
        if key not in SECTIONS:
            raise InputError(
                f"{path}: '{key}' is not a setting of review.yml{_closest(str(key), SECTIONS)}"
            )
    for key in _MAPPINGS:
        if raw.get(key) is not None and not isinstance(raw[key], dict):
            raise InputError(
                f"{path}: '{key}' must be a section of settings (indented 'name: value' lines "
                f"under '{key}:'), not {raw[key]!r}"
            )
    for key in _TEXTS:
        if isinstance(raw.get(key), dict | list):
            raise InputError(f"{path}: '{key}' must be a text, not {raw[key]!r}")
    briefs = raw.get("briefs") or {}
    for key, value in briefs.items():
        if key not in _BRIEF_LISTS:
            raise InputError(
                f"{path}: 'briefs.{key}' is not a setting of the briefs; use {', '.join(_BRIEF_LISTS)}"
            )
        if key == "countries" and value == "auto":
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(
                f"{path}: 'briefs.{key}' must be a list such as [a, b]"
                + (" or 'auto'" if key == "countries" else "")
                + f", not {value!r}"
            )
    unknown = [k for k in briefs.get("kinds") or () if k not in BRIEF_KINDS]
    if unknown:
        raise InputError(
            f"{path}: 'briefs.kinds' names {', '.join(map(repr, unknown))}; the kinds of brief "
            f"are {', '.join(BRIEF_KINDS)}"
        )


def load_config(inputs: Path = paths.INPUTS) -> ReviewConfig:
    """Read and check review.yml; a missing or malformed file is an InputError naming the key.
    The same text gives the same settings, parsed once (a build reads them for every brief)."""
    path = paths.review_file(inputs)
    return _config(str(path), read_text(path, "every review needs a review.yml"))


@lru_cache(maxsize=8)
def _config(where: str, text: str) -> ReviewConfig:
    path = Path(where)
    raw = parse_yaml(text, path) or {}
    if not isinstance(raw, dict):
        raise InputError(f"{path} must be a mapping of settings (key: value)")
    _check_shape(raw, path)
    if not raw.get("title"):
        raise InputError(f"{path}: 'title' is required")
    meeting = raw.get("meeting") or {}
    budget = raw.get("word_budget", 800)
    if not isinstance(budget, int) or isinstance(budget, bool) or budget <= 0:
        raise InputError(f"{path}: 'word_budget' must be a positive whole number, not {budget!r}")
    illustrative = raw.get("illustrative", False)
    for key in ("illustrative", "internal_levels", "pdf"):
        if key in raw and not isinstance(raw[key], bool):
            raise InputError(f"{path}: '{key}' must be true or false, not {raw[key]!r}")
    languages = raw.get("languages", list(LANGUAGES))
    if not isinstance(languages, list):
        raise InputError(f"{path}: 'languages' must be a list of ISO 639-1 codes")
    return ReviewConfig(
        title=str(raw["title"]),
        short_title=str(raw.get("short_title") or raw["title"]),
        status=str(raw.get("status") or ""),
        panels=read_panels(raw.get("panels"), path),
        meeting_start=_date(meeting.get("start"), "meeting.start", path),
        meeting_end=_date(meeting.get("end"), "meeting.end", path),
        cutoff=_date(raw.get("cutoff"), "cutoff", path),
        word_budget=budget,
        illustrative=illustrative,
        illustrative_note=str(raw.get("illustrative_note") or "Illustrative data."),
        language=str(raw.get("language", "en")),
        languages=tuple(str(x).lower() for x in languages),
        intake=intake_limits(raw.get("intake"), path),
        milestones=read_milestones(raw.get("milestones"), path),
        as_of=_date(raw.get("as_of"), "as_of", path)
        or _date(meeting.get("start"), "meeting.start", path),
        raw=raw,
    )
