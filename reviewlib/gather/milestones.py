"""Release points of a review (review.yml's `milestones`) and the cut of contributions at one.

A milestone is a named date on which the secretariat releases something, for example the
elements for the zero draft on 30 June 2017. A review loaded *at* a milestone counts only the
statements received by that date: a statement received later, or with no date received (it
cannot be shown to have arrived in time), is not counted, and its ledger entry says so with the
status ``not_counted``; it stays in the ledger once, as every row read does. The reference facts stand on the earlier
of the milestone and the review's `as_of` (see reviewlib.gather.dated).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reviewlib.errors import InputError

__all__ = ["Milestone", "read_date", "read_milestones", "resolve", "cut", "long_date"]
__all__ += ["NOT_COUNTED"]

NOT_COUNTED = "not_counted"


def long_date(day: dt.date | None) -> str:
    """30 June 2017, as UN documents write a date; '' for no date."""
    return "" if day is None else f"{day.day} {calendar.month_name[day.month]} {day.year}"


@dataclass(frozen=True)
class Milestone:
    """A named release point: only contributions received by ``date`` count at it."""

    name: str  # the key in review.yml; '' for a date given on the command line
    date: dt.date
    label: str = ""

    @property
    def title(self) -> str:
        """What a reader is told: "Elements for the zero draft, 30 June 2017"."""
        what = self.label or self.name.replace("_", " ")
        return (
            f"{what[:1].upper()}{what[1:]}, {long_date(self.date)}"
            if what
            else long_date(self.date)
        )

    @property
    def note(self) -> str:
        """The sentence every page built at this milestone carries."""
        return (
            f"As of {long_date(self.date)}"
            + (f" ({self.label or self.name.replace('_', ' ')})" if self.name else "")
            + f": only contributions received by {long_date(self.date)} are counted."
        )


def read_date(value: Any, key: str, path: Path) -> dt.date | None:
    """A date of review.yml (YAML's own date, or text written YYYY-MM-DD); None when empty."""
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


def read_milestones(raw: Any, path: Path) -> tuple[Milestone, ...]:
    """review.yml's `milestones`: ``name: YYYY-MM-DD`` or ``name: {date: …, label: …}``."""
    if raw in (None, ""):
        return ()
    if not isinstance(raw, Mapping):
        raise InputError(
            f"{path}: 'milestones' must map names to dates, e.g. 'zero_draft_elements: 2017-06-30'"
        )
    found = {}
    for name, value in raw.items():
        label = ""
        if isinstance(value, Mapping):
            unknown = set(value) - {"date", "label"}
            if unknown or "date" not in value:
                raise InputError(
                    f"{path}: 'milestones.{name}' takes a date and, if you like, a label"
                )
            value, label = value["date"], str(value.get("label") or "")
        day = read_date(value, f"milestones.{name}", path)
        if day is None:
            raise InputError(f"{path}: 'milestones.{name}' needs a date written YYYY-MM-DD")
        found[str(name)] = Milestone(str(name), day, label)
    return tuple(sorted(found.values(), key=lambda m: (m.date, m.name)))


def resolve(milestones: Iterable[Milestone], spec: str) -> Milestone:
    """The milestone a name (of review.yml's `milestones`) or a date (YYYY-MM-DD) stands for."""
    spec, milestones = str(spec).strip(), tuple(milestones)
    for milestone in milestones:
        if milestone.name == spec:
            return milestone
    try:
        return Milestone("", dt.date.fromisoformat(spec))
    except ValueError:
        known = ", ".join(f"{m.name} ({m.date})" for m in milestones) or "none"
        raise InputError(
            f"'{spec}' is neither a milestone of review.yml (milestones: {known}) nor a date "
            "written YYYY-MM-DD"
        ) from None


def _reason(received: pd.Series, milestone: Milestone) -> pd.Series:
    """Why each statement is not counted at the milestone ('' when it is counted)."""
    when = long_date(milestone.date)
    where = f"the milestone {milestone.name} ({when})" if milestone.name else when
    late = received.ne("") & received.gt(milestone.date.isoformat())
    return pd.Series(
        [
            f"received {r}, after {where}: not counted in what is built as of that date"
            if is_late
            else f"no date received, so it cannot be shown to have arrived by {when}: not "
            "counted in what is built as of that date — add the date it was received"
            if r == ""
            else ""
            for r, is_late in zip(received, late, strict=True)
        ],
        index=received.index,
        dtype=object,
    )


def cut(
    statements: pd.DataFrame, ledger: pd.DataFrame, milestone: Milestone
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the statements received by the milestone, the ledger with the others marked
    ``not_counted`` and the reason first in their message)."""
    reason = _reason(statements["received"].fillna("").astype(str), milestone)
    late = reason.ne("")
    if not late.any():
        return statements, ledger
    why = dict(
        zip(
            zip(statements.loc[late, "file"], statements.loc[late, "row"].astype(int), strict=True),
            reason[late],
            strict=True,
        )
    )
    ledger = ledger.copy()
    keys = list(zip(ledger["file"], ledger["row"].fillna(-1).astype(int), strict=True))
    found = pd.Series([k in why for k in keys], index=ledger.index)
    sentences = pd.Series([why.get(k, "") for k in keys], index=ledger.index)
    before = ledger["message"].fillna("").astype(str)
    ledger.loc[found, "message"] = sentences[found] + before[found].map(
        lambda m: f"; {m}" if m else ""
    )
    ledger.loc[found, "status"] = NOT_COUNTED
    ledger.loc[found, "column"] = ledger.loc[found, "column"].map(
        lambda c: ";".join(dict.fromkeys(["received", *filter(None, str(c).split(";"))]))
    )
    return statements[~late].reset_index(drop=True), ledger
