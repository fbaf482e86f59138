"""review.yml → ReviewConfig: the settings of one review cycle (title, dates, budget, languages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reviewlib import paths
from reviewlib.errors import InputError
from reviewlib.terms import LANGUAGES


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
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _date(value: Any, key: str, path: Path) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"{path}: '{key}' must be a date written YYYY-MM-DD, not {value!r}"
        ) from None


def load_config(inputs: Path = paths.INPUTS) -> ReviewConfig:
    """Read and check review.yml; a missing or malformed file is an InputError naming the key."""
    path = paths.review_file(inputs)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError(f"{path} is missing: every review needs a review.yml") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path} must be a mapping of settings (key: value)")
    if not raw.get("title"):
        raise InputError(f"{path}: 'title' is required")
    meeting = raw.get("meeting") or {}
    if not isinstance(meeting, dict):
        raise InputError(f"{path}: 'meeting' must be a mapping with 'start' and 'end'")
    budget = raw.get("word_budget", 800)
    if not isinstance(budget, int) or isinstance(budget, bool) or budget <= 0:
        raise InputError(f"{path}: 'word_budget' must be a positive whole number, not {budget!r}")
    illustrative = raw.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise InputError(f"{path}: 'illustrative' must be true or false, not {illustrative!r}")
    languages = raw.get("languages", list(LANGUAGES))
    if not isinstance(languages, list):
        raise InputError(f"{path}: 'languages' must be a list of ISO 639-1 codes")
    return ReviewConfig(
        title=str(raw["title"]),
        short_title=str(raw.get("short_title") or raw["title"]),
        meeting_start=_date(meeting.get("start"), "meeting.start", path),
        meeting_end=_date(meeting.get("end"), "meeting.end", path),
        cutoff=_date(raw.get("cutoff"), "cutoff", path),
        word_budget=budget,
        illustrative=illustrative,
        illustrative_note=str(raw.get("illustrative_note") or "Illustrative data."),
        language=str(raw.get("language", "en")),
        languages=tuple(str(x).lower() for x in languages),
        raw=raw,
    )
