"""Which part of a review each brief reads, and the digest of that part.

A brief reads only its slice: a country brief the statements by or about that country and its
GLOTIP rows; a pillar brief the statements of that pillar; and so on. The same selection feeds the
brief and its digest, so a rebuild happens exactly when what the brief shows could change.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reviewlib import __version__, paths
from reviewlib.errors import ParameterError
from reviewlib.reference import PILLARS, REGIONAL_GROUPS

KINDS = ("overview", "ideas", "pillar", "theme", "region", "country")
PARAMETER = {"pillar": "pillar", "theme": "theme", "region": "regional_group", "country": "country"}


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
        return tuple(pd.read_csv(folder / "themes.csv", dtype=str, keep_default_na=False)["theme"])
    if kind == "country":
        return tuple(
            sorted(
                pd.read_csv(folder / "member_states.csv", dtype=str, keep_default_na=False)["iso3"]
            )
        )
    return ()


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


def _has(column: pd.Series, value: str) -> pd.Series:
    return column.str.split(";").map(lambda items: value in items)


def statements(review, part: Slice) -> pd.DataFrame:
    """The statements a brief reads (all of them, set-aside ones included, so decisions count too)."""
    s = review.statements
    if part.kind == "country":
        return s[s["country"].eq(part.value) | s["scope_iso3"].eq(part.value)]
    if part.kind == "region":
        return s[s["regional_group"].eq(part.value) | s["submitter_group"].eq(part.value)]
    if part.kind == "pillar":
        return s[s["pillar"].eq(part.value)]
    if part.kind == "theme":
        return s[_has(s["themes"], part.value)]
    return s


def indicators(review, part: Slice) -> pd.DataFrame:
    """The GLOTIP rows a brief reads."""
    table = review.reference.indicators
    if table.empty or part.kind in ("theme", "ideas"):
        return table.iloc[0:0]
    if part.kind == "country":
        return table[table["iso3"].eq(part.value)]
    if part.kind == "region":
        members = {iso for iso, group in review.reference.group_of.items() if group == part.value}
        return table[table["iso3"].isin(members)]
    return table


_ROW_HASHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _row_hashes(review, table: str) -> tuple[pd.Series, str]:
    """One 64-bit hash per row of a review's table (every column as text), computed once per review."""
    cache = _ROW_HASHES.setdefault(review, {})
    if table not in cache:
        frame = review.statements if table == "statements" else review.reference.indicators
        hashes = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
        cache[table] = (pd.Series(hashes, index=frame.index), ",".join(frame.columns))
    return cache[table]


def _frame_digest(review, table: str, part: pd.DataFrame, sort: str | None = None) -> str:
    """The digest of `part`, a selection of rows of one of the review's tables, in a stable order."""
    hashes, columns = _row_hashes(review, table)
    chosen = hashes.loc[part.index]
    if sort and sort in part.columns:
        chosen = chosen.iloc[part[sort].argsort(kind="stable").to_numpy()]
    return hashlib.sha256(columns.encode() + chosen.to_numpy().tobytes()).hexdigest()


@lru_cache(maxsize=16)
def _files_digest(files: tuple[Path, ...], stamps: tuple[tuple[int, int], ...]) -> str:
    h = hashlib.sha256()
    for file in files:
        h.update(file.name.encode())
        h.update(file.read_bytes() if file.exists() else b"-")
    return h.hexdigest()


def shared_digest(inputs: Path) -> str:
    """Everything every brief reads: review.yml, the rubric and the reference tables but GLOTIP."""
    inputs = Path(inputs)
    folder = paths.reference_dir(inputs)
    files = [paths.review_file(inputs), paths.rubric_file(inputs)] + sorted(
        p for p in folder.glob("*.csv") if p.name != "indicators.csv"
    )
    stamps = tuple(
        (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else (0, 0) for p in files
    )
    return _files_digest(tuple(files), stamps)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The version of reviewlib and its source, so that a change of code rebuilds the briefs."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    for file in sorted([*root.glob("*.py"), *root.glob("templates/**/*")]):
        if file.is_file():
            h.update(file.name.encode() + file.read_bytes())
    return h.hexdigest()


def input_digest(review, part: Slice) -> str:
    """The digest of the inputs a brief reads (shown in its footer)."""
    h = hashlib.sha256()
    for piece in (
        part.kind,
        part.value,
        shared_digest(review.inputs_dir),
        _frame_digest(review, "statements", statements(review, part), "statement_id"),
        _frame_digest(review, "indicators", indicators(review, part)),
    ):
        h.update(str(piece).encode() + b"\0")
    return h.hexdigest()


def build_digest(inputs_digest: str, notebook: Path, parameters: dict) -> str:
    """What decides a rebuild: the inputs read, the notebook, its parameters and reviewlib's code."""
    h = hashlib.sha256()
    for piece in (
        inputs_digest,
        code_digest(),
        notebook.read_bytes(),
        json.dumps(parameters, sort_keys=True, default=str).encode(),
    ):
        h.update(piece if isinstance(piece, bytes) else piece.encode())
        h.update(b"\0")
    return h.hexdigest()


def latest_input(review, part: Slice) -> str:
    """The date of the latest contribution the brief reads (never the wall clock)."""
    dates = statements(review, part)["received"]
    dates = dates[dates.ne("")]
    return str(dates.max()) if len(dates) else ""
