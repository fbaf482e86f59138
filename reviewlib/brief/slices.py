"""Which part of a review each brief reads: its slice.

A brief reads only its slice: a country brief the statements by or about that country and its
GLOTIP rows; a pillar brief the statements of that pillar; and so on. The ideas it shows are its
options: the best-ranked new ideas of the review's one pool among those that bear on its
statements, whole (the summary, the overview and the ideas brief show the whole pool). The same
selection feeds the brief and its digest (`reviewlib.brief.digests`), so a rebuild happens
exactly when what the brief shows could change.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import paths
from reviewlib.errors import ParameterError
from reviewlib.gather.edited import read_table
from reviewlib.ideas.pool import IdeaPool, pool
from reviewlib.terms import BRIEF_KINDS, PILLARS, REGIONAL_GROUPS

KINDS = BRIEF_KINDS
OPTIONS = 3  # ideas offered as options in a brief's body (the ideas brief lists more)
PARAMETER = {
    "panel": "panel",
    "pillar": "pillar",
    "theme": "theme",
    "region": "regional_group",
    "country": "country",
}


@dataclass(frozen=True)
class Slice:
    kind: str
    value: str = ""

    @property
    def brief_id(self) -> str:
        return (
            self.kind if not self.value else f"{self.kind}-{self.value.lower().replace(' ', '-')}"
        )


def allowed_values(kind: str, inputs: Path = paths.INPUTS) -> tuple[str, ...]:
    """The values a brief's parameter may take, read from the reference tables only (cheap)."""
    folder = paths.reference_dir(inputs)
    if kind == "pillar":
        return PILLARS
    if kind == "region":
        return REGIONAL_GROUPS
    if kind == "theme":
        return _column(folder / "themes.csv", "theme")
    if kind == "country":
        return tuple(sorted(_column(folder / "member_states.csv", "iso3")))
    if kind == "panel":
        return tuple(p.name for p in _checked_panels(inputs))
    return ()


def _column(file: Path, column: str) -> tuple[str, ...]:
    """One column of a reference table, read again only when the file changed (a build checks
    the parameter of every brief)."""
    try:
        info = file.stat()
    except OSError:
        return tuple(read_table(file, (column,))[column])  # says what is missing
    return _read_column(str(file), column, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=16)
def _read_column(path: str, column: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(read_table(Path(path), (column,))[column])


def _checked_panels(inputs: Path):
    """review.yml's panels, each theme and commitment they name known to the reference tables."""
    from reviewlib.gather.settings import load_config

    folder = paths.reference_dir(inputs)
    known = {
        "themes": set(_column(folder / "themes.csv", "theme")),
        "commitments": set(_column(folder / "commitments.csv", "commitment")),
    }
    panels = load_config(inputs).panels
    for panel in panels:
        for part, names in known.items():
            wrong = [n for n in getattr(panel, part) if n not in names]
            if wrong:
                raise ParameterError(
                    f"review.yml: panels.{panel.name}.{part} names '{wrong[0]}', which is not in "
                    f"the reference tables; use one of {', '.join(sorted(names))}"
                )
    return panels


def check_parameter(kind: str, value: str = "", inputs: Path | str = paths.INPUTS) -> Slice:
    """The slice a brief is asked for; a wrong value stops at once with the allowed ones named."""
    if kind not in KINDS:
        raise ParameterError(f"unknown kind of brief '{kind}'; allowed: {', '.join(KINDS)}")
    if kind not in PARAMETER:
        return Slice(kind)
    allowed = allowed_values(kind, Path(inputs))
    wanted = str(value).strip()
    match = next((a for a in allowed if a.casefold() == wanted.casefold()), None)
    if match is None:
        shown = ", ".join(allowed)
        raise ParameterError(f"unknown {PARAMETER[kind]} '{value}'; allowed: {shown}")
    return Slice(kind, match)


_POSITIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_NONE = np.array([], dtype=np.intp)


def _positions(review, table: str, column: str) -> dict[str, np.ndarray]:
    """Where each value of a column of the review's statements or GLOTIP rows is (row positions,
    in order); found once per review, so that planning 190 country briefs looks each one up."""
    found = _POSITIONS.setdefault(review, {})
    if (table, column) not in found:
        frame = review.statements if table == "statements" else review.reference.indicators
        found[(table, column)] = frame.groupby(column, sort=False).indices if len(frame) else {}
    return found[(table, column)]


def _where(review, table: str, column: str, value: str) -> np.ndarray:
    try:
        return _positions(review, table, column).get(value, _NONE)
    except TypeError:  # a stand-in review that cannot be remembered: look it up as it is
        frame = review.statements if table == "statements" else review.reference.indicators
        return np.flatnonzero(frame[column].eq(value).fillna(False).to_numpy(dtype=bool))


def _has(column: pd.Series, value: str) -> pd.Series:
    return column.str.split(";").map(lambda items: value in items)


def _at(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.to_numpy(dtype=bool))


def statement_rows(review, part: Slice) -> np.ndarray | None:
    """Where the statements a brief reads are in the review's table (row positions, in order;
    None for all of them): all of them, set-aside ones included, so decisions count too; a
    pillar brief also reads the statements naming one of the pillar's commitments, whatever
    pillar they were given, because it shows those commitments' coverage."""
    s = review.statements
    if part.kind == "country":  # by it or about it
        where = [_where(review, "statements", c, part.value) for c in ("country", "scope_iso3")]
        return np.union1d(*where)
    if part.kind == "region":
        return _at(s["regional_group"].eq(part.value) | s["submitter_group"].eq(part.value))
    if part.kind == "pillar":
        own = {c for c, p in review.reference.commitment_pillar.items() if p == part.value}
        names = s["commitments"].str.split(";").map(lambda ids: bool(own.intersection(ids)))
        return _at(s["pillar"].eq(part.value) | names)
    if part.kind == "panel":
        panel = review.config.panel(part.value)
        own = {c for c, p in review.reference.commitment_pillar.items() if p in panel.pillars}
        own |= set(panel.commitments)
        names = s["commitments"].str.split(";").map(lambda ids: bool(own.intersection(ids)))
        themes = s["themes"].str.split(";").map(lambda t: bool(set(panel.themes).intersection(t)))
        return _at(s["pillar"].isin(panel.pillars) | names | themes)
    if part.kind == "methods":
        return _NONE
    if part.kind == "theme":
        return _at(_has(s["themes"], part.value))
    return None


def statements(review, part: Slice) -> pd.DataFrame:
    """The statements a brief reads (`statement_rows`), in the table's order."""
    rows = statement_rows(review, part)
    return review.statements if rows is None else review.statements.iloc[rows]


def idea_ids(review, part: Slice, statement_ids: Iterable[str] | None = None) -> set[str] | None:
    """The ids of the ideas a brief shows (None: the whole pool, for the overview, the summary
    and the ideas brief); else the ideas with a member among its statements (their ids, when
    the caller has them), for a pillar brief only those whose pillar it is, so that the pillar
    briefs share the ideas out between them."""
    if part.kind in ("summary", "overview", "ideas"):
        return None
    whole = pool(review)
    if statement_ids is None:
        statement_ids = statements(review, part)["statement_id"]
    chosen = whole.ideas_of(statement_ids)
    if part.kind == "pillar":
        chosen = {i for i in chosen if whole.pillar_of[i] == part.value}
    return chosen


def shown_idea_ids(
    review, part: Slice, statement_ids: Iterable[str] | None = None
) -> list[str] | None:
    """The ids of the ideas a brief shows, best first (None: the whole pool): its options, the
    OPTIONS best-ranked new ideas among those that bear on it (`idea_ids`)."""
    chosen = idea_ids(review, part, statement_ids)
    if chosen is None:
        return None
    return [i for i in pool(review).new_idea_ids if i in chosen][:OPTIONS]


def ideas(review, part: Slice) -> IdeaPool:
    """The ideas a brief shows (`shown_idea_ids`), whole, as in the review's one pool; never
    pooled again."""
    shown = shown_idea_ids(review, part)
    return pool(review) if shown is None else pool(review).only(set(shown))


def indicator_rows(review, part: Slice) -> np.ndarray | None:
    """Where the GLOTIP rows a brief reads are (row positions; None for all of them)."""
    table = review.reference.indicators
    if table.empty or part.kind in ("theme", "panel", "ideas", "methods"):
        return _NONE
    if part.kind == "country":
        return _where(review, "indicators", "iso3", part.value)
    if part.kind == "region":
        members = {iso for iso, group in review.reference.group_of.items() if group == part.value}
        return _at(table["iso3"].isin(members))
    return None


def indicators(review, part: Slice) -> pd.DataFrame:
    """The GLOTIP rows a brief reads (`indicator_rows`)."""
    rows = indicator_rows(review, part)
    table = review.reference.indicators
    return table if rows is None else table.iloc[rows]


def latest_input(review, part: Slice) -> str:
    """The date of the latest contribution the brief reads (never the wall clock); for a brief
    that reads no dated contribution (the methods note), review.yml's cut-off date."""
    dates = statements(review, part)["received"]
    dates = dates[dates.ne("")]
    if len(dates):
        return str(dates.max())
    cutoff = review.config.cutoff
    return cutoff.isoformat() if cutoff else ""
