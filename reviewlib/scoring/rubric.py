"""inputs/rubric.yml → Rubric: what a country's evidence is held against, as data.

The rubric holds the criteria of each pillar, the weight of each kind of statement and of each
source, how UNODC (GLOTIP) figures count, the minimum evidence for a level, the cut-offs that
map the share of criteria met to levels (an internal working aid), the penalty, the commitment
status rules and how quotes are chosen. `reviewlib.scoring` applies it; nothing about scoring is decided in code
that the rubric does not state. A malformed rubric is a RubricError naming the key, e.g.
"rubric.yml: pillars.prosecution.criteria[2].weight must be a number, not 'high'".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from reviewlib import paths
from reviewlib.errors import InputError, RubricError
from reviewlib.gather.edited import read_yaml
from reviewlib.terms import KINDS, PILLARS, STAKEHOLDER_TYPES

if TYPE_CHECKING:
    import pandas as pd

    from reviewlib.gather.reference import Reference

__all__ = [
    "SOURCES",
    "INDICATOR_RULES",
    "GLOTIP_INDICATORS",
    "KEYWORD_MODES",
    "Criterion",
    "IndicatorRule",
    "Level",
    "Rubric",
    "load_rubric",
    "parse_rubric",
    "check_rubric",
]

# Who a statement comes from, for its weight: every stakeholder type, and a Member State
# reporting on itself, which is told apart from a Member State reporting on another country.
SOURCES = ("member_state_self", *STAKEHOLDER_TYPES)
INDICATOR_RULES = ("reported", "recorded", "rising")
# The indicators of the UNODC Global Report export; scoring also accepts any other name in the data.
GLOTIP_INDICATORS = (
    "Detected trafficking victims",
    "Persons prosecuted",
    "Persons convicted",
    "Persons brought into formal contact",
    "Offences of trafficking in persons",
)
KEYWORD_MODES = ("fallback", "always", "never")
_TOP_KEYS = (
    "weights",
    "independent_sources",
    "matching",
    "glotip",
    "pillars",
    "levels",
    "commitment_status",
    "summaries",
    "quotes",
)


@dataclass(frozen=True)
class IndicatorRule:
    """A GLOTIP rule: `names` are indicator names (empty = any indicator)."""

    names: tuple[str, ...]
    rule: str

    def describe(self) -> str:
        what = " or ".join(self.names) if self.names else "any GLOTIP indicator"
        return f"{what}: {self.rule}"


@dataclass(frozen=True)
class Criterion:
    id: str
    pillar: str
    label: str
    weight: float
    commitments: tuple[str, ...]
    keywords: tuple[str, ...]
    indicator: IndicatorRule | None


@dataclass(frozen=True)
class Level:
    level: int
    label: str
    min_share: float


@dataclass(frozen=True)
class Rubric:
    """A checked rubric. Mappings are read-only; build another Rubric to change a weight."""

    kind_weights: Mapping[str, float]
    source_weights: Mapping[str, float]
    independent: frozenset[str]
    keyword_mode: str
    glotip_last_year: int | str
    recent_years: int
    trend_years: int
    criteria: tuple[Criterion, ...]
    min_statements: int
    min_items: int
    levels: tuple[Level, ...]
    insufficient_label: str
    penalty_per_criterion: int
    penalty_max: int
    penalty_min_statements: int
    on_track_min_share: float
    lagging_max_share: float
    lagging_min_contributors: int
    top: int
    quotes_per_brief: int = 6
    quotes_max_per_type: int = 2
    quotes_max_per_group: int = 2
    file: str = "rubric.yml"

    @property
    def pillars(self) -> tuple[str, ...]:
        return tuple(p for p in PILLARS if any(c.pillar == p for c in self.criteria))

    def criteria_of(self, pillar: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.pillar == pillar)

    def label_of(self, level: int) -> str:
        return next(x.label for x in self.levels if x.level == level)


class _Reader:
    """Typed access to the parsed YAML; every failure names its key path."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, problem: str) -> RubricError:
        return RubricError(f"{self.file}: {key or 'the file'} {problem}")

    def mapping(self, value: Any, key: str, allowed: tuple[str, ...] | None = None) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping (key: value), not {value!r}")
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    raise self.fail(
                        f"{key}.{name}" if key else str(name),
                        f"is not a known key; expected one of {', '.join(allowed)}",
                    )
        return value

    def get(self, data: dict, name: str, key: str) -> Any:
        path = f"{key}.{name}" if key else name
        if name not in data or data[name] is None:
            raise self.fail(path, "is missing")
        return data[name]

    def number(
        self, value: Any, key: str, low: float | None = None, high: float | None = None
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, not {value!r}")
        if not math.isfinite(value):  # YAML's .nan and .inf pass every comparison unnoticed
            raise self.fail(key, f"must be a finite number, not {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (
                f"between {low:g} and {high:g}"
                if low is not None and high is not None
                else (f"at least {low:g}" if low is not None else f"at most {high:g}")
            )
            raise self.fail(key, f"must be {bounds}, not {value!r}")
        return float(value)

    def whole(self, value: Any, key: str, low: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, not {value!r}")
        if value < low:
            raise self.fail(key, f"must be at least {low}, not {value!r}")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be some text, not {value!r}")
        return value.strip()

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, not {value!r}")
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def choice(self, value: Any, key: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}, not {value!r}")
        return value


def _weights(r: _Reader, data: Any, key: str, names: tuple[str, ...]) -> MappingProxyType:
    data = r.mapping(data, key, names)
    return MappingProxyType({n: r.number(r.get(data, n, key), f"{key}.{n}") for n in names})


def _criterion(r: _Reader, data: Any, key: str, pillar: str) -> Criterion:
    data = r.mapping(data, key, ("id", "label", "weight", "commitments", "keywords", "indicator"))
    rule = None
    if data.get("indicator") is not None:
        ikey = f"{key}.indicator"
        raw = r.mapping(data["indicator"], ikey, ("name", "rule"))
        name = r.get(raw, "name", ikey)
        names = () if name == "any" else r.texts(name, f"{ikey}.name")
        rule = IndicatorRule(
            names, r.choice(r.get(raw, "rule", ikey), f"{ikey}.rule", INDICATOR_RULES)
        )
    weight = r.number(data.get("weight", 1), f"{key}.weight")
    if weight <= 0:
        raise r.fail(f"{key}.weight", f"must be more than 0, not {data.get('weight')!r}")
    criterion = Criterion(
        id=r.text(r.get(data, "id", key), f"{key}.id"),
        pillar=pillar,
        label=r.text(r.get(data, "label", key), f"{key}.label"),
        weight=weight,
        commitments=tuple(
            c.upper() for c in r.texts(data.get("commitments"), f"{key}.commitments")
        ),
        keywords=r.texts(data.get("keywords"), f"{key}.keywords"),
        indicator=rule,
    )
    if not (criterion.commitments or criterion.keywords or criterion.indicator):
        raise r.fail(key, "needs commitments, keywords or an indicator rule: nothing could meet it")
    return criterion


def _levels(r: _Reader, data: Any) -> tuple[tuple[Level, ...], int, int, str, int, int, int]:
    key = "levels"
    data = r.mapping(data, key, ("minimum_evidence", "insufficient_label", "cutoffs", "penalty"))
    minimum = r.mapping(
        r.get(data, "minimum_evidence", key), f"{key}.minimum_evidence", ("statements", "items")
    )
    min_statements = r.whole(
        r.get(minimum, "statements", f"{key}.minimum_evidence"),
        f"{key}.minimum_evidence.statements",
    )
    min_items = r.whole(
        r.get(minimum, "items", f"{key}.minimum_evidence"), f"{key}.minimum_evidence.items"
    )
    cutoffs = r.get(data, "cutoffs", key)
    if not isinstance(cutoffs, list) or len(cutoffs) < 2:
        raise r.fail(f"{key}.cutoffs", "must be a list of at least two levels")
    levels = []
    for i, raw in enumerate(cutoffs):
        ckey = f"{key}.cutoffs[{i}]"
        raw = r.mapping(raw, ckey, ("level", "label", "min_share"))
        levels.append(
            Level(
                r.whole(r.get(raw, "level", ckey), f"{ckey}.level", low=1),
                r.text(r.get(raw, "label", ckey), f"{ckey}.label"),
                r.number(r.get(raw, "min_share", ckey), f"{ckey}.min_share", 0, 1),
            )
        )
    levels.sort(key=lambda x: x.level)
    if [x.level for x in levels] != list(range(1, len(levels) + 1)):
        raise r.fail(f"{key}.cutoffs", f"must number the levels 1 to {len(levels)}, each once")
    if levels[0].min_share != 0:
        raise r.fail(
            f"{key}.cutoffs", "must give level 1 a min_share of 0, so every result has a level"
        )
    for low, high in zip(levels, levels[1:], strict=False):
        if high.min_share <= low.min_share:
            raise r.fail(
                f"{key}.cutoffs",
                f"must raise min_share with each level; level {high.level} "
                f"({high.min_share:g}) is not above level {low.level} ({low.min_share:g})",
            )
    penalty = r.mapping(
        r.get(data, "penalty", key), f"{key}.penalty", ("per_criterion", "max", "min_statements")
    )
    per = r.whole(r.get(penalty, "per_criterion", f"{key}.penalty"), f"{key}.penalty.per_criterion")
    most = r.whole(r.get(penalty, "max", f"{key}.penalty"), f"{key}.penalty.max")
    fewest = r.whole(penalty.get("min_statements", 2), f"{key}.penalty.min_statements", low=2)
    label = r.text(r.get(data, "insufficient_label", key), f"{key}.insufficient_label")
    return tuple(levels), min_statements, min_items, label, per, most, fewest


def _weights_part(r: _Reader, data: dict) -> dict[str, Any]:
    weights = r.mapping(r.get(data, "weights", ""), "weights", ("kinds", "sources"))
    kinds = _weights(r, r.get(weights, "kinds", "weights"), "weights.kinds", KINDS)
    # Signs are fixed so that an achievement can never lower a level, nor a gap raise one.
    for kind, sign in (("achievement", 1), ("good_practice", 1), ("gap", -1)):
        if kinds[kind] * sign < 0:
            raise r.fail(
                f"weights.kinds.{kind}",
                f"must be {'at least' if sign > 0 else 'at most'} 0, not {kinds[kind]:g}",
            )
    sources = _weights(r, r.get(weights, "sources", "weights"), "weights.sources", SOURCES)
    for name, value in sources.items():
        if value < 0:
            raise r.fail(f"weights.sources.{name}", f"must be at least 0, not {value:g}")
    independent = r.texts(r.get(data, "independent_sources", ""), "independent_sources")
    for i, name in enumerate(independent):
        r.choice(name, f"independent_sources[{i}]", SOURCES)
    return {"kind_weights": kinds, "source_weights": sources, "independent": frozenset(independent)}


def _matching_and_glotip_part(r: _Reader, data: dict) -> dict[str, Any]:
    matching = r.mapping(r.get(data, "matching", ""), "matching", ("keywords",))
    mode = r.choice(r.get(matching, "keywords", "matching"), "matching.keywords", KEYWORD_MODES)
    glotip = r.mapping(
        r.get(data, "glotip", ""), "glotip", ("last_year", "recent_years", "trend_years")
    )
    last_year = r.get(glotip, "last_year", "glotip")
    if last_year not in ("published", "review", "latest"):
        last_year = r.whole(last_year, "glotip.last_year", low=1900)
    return {
        "keyword_mode": mode,
        "glotip_last_year": last_year,
        "recent_years": r.whole(
            r.get(glotip, "recent_years", "glotip"), "glotip.recent_years", low=1
        ),
        "trend_years": r.whole(r.get(glotip, "trend_years", "glotip"), "glotip.trend_years", low=2),
    }


def _criteria_part(r: _Reader, data: dict) -> dict[str, Any]:
    pillars = r.mapping(r.get(data, "pillars", ""), "pillars", PILLARS)
    if not pillars:
        raise r.fail("pillars", "must hold at least one pillar")
    criteria: list[Criterion] = []
    for pillar in (p for p in PILLARS if p in pillars):
        pkey = f"pillars.{pillar}"
        body = r.mapping(pillars[pillar], pkey, ("criteria",))
        items = r.get(body, "criteria", pkey)
        if not isinstance(items, list) or not items:
            raise r.fail(f"{pkey}.criteria", "must be a list of at least one criterion")
        criteria.extend(
            _criterion(r, c, f"{pkey}.criteria[{i}]", pillar) for i, c in enumerate(items)
        )
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.id in seen:
            raise r.fail(
                "pillars", f"use the criterion id '{criterion.id}' twice; ids must be unique"
            )
        seen.add(criterion.id)
    return {"criteria": tuple(criteria)}


def _status_part(r: _Reader, data: dict) -> dict[str, Any]:
    key = "commitment_status"
    status = r.mapping(
        r.get(data, key, ""),
        key,
        ("on_track_min_share", "lagging_max_share", "lagging_min_contributors"),
    )
    on_track = r.number(r.get(status, "on_track_min_share", key), f"{key}.on_track_min_share", 0, 1)
    lagging = r.number(r.get(status, "lagging_max_share", key), f"{key}.lagging_max_share", 0, 1)
    if lagging >= on_track:
        raise r.fail(
            f"{key}.lagging_max_share",
            f"must be below on_track_min_share ({on_track:g}), not {lagging:g}",
        )
    fewest = r.whole(
        status.get("lagging_min_contributors", 3), f"{key}.lagging_min_contributors", low=1
    )
    return {
        "on_track_min_share": on_track,
        "lagging_max_share": lagging,
        "lagging_min_contributors": fewest,
    }


def _summaries_part(r: _Reader, data: dict) -> dict[str, Any]:
    summaries = r.mapping(r.get(data, "summaries", ""), "summaries", ("top",))
    quotes = r.mapping(
        data.get("quotes") or {}, "quotes", ("per_brief", "max_per_type", "max_per_group")
    )
    return {
        "top": r.whole(r.get(summaries, "top", "summaries"), "summaries.top", low=1),
        "quotes_per_brief": r.whole(quotes.get("per_brief", 6), "quotes.per_brief", low=1),
        "quotes_max_per_type": r.whole(quotes.get("max_per_type", 2), "quotes.max_per_type", low=1),
        "quotes_max_per_group": r.whole(
            quotes.get("max_per_group", 2), "quotes.max_per_group", low=1
        ),
    }


def parse_rubric(data: Any, file: str = "rubric.yml") -> Rubric:
    """Check parsed YAML and build the Rubric; the first problem found is a RubricError."""
    r = _Reader(file)
    data = r.mapping(data, "", _TOP_KEYS)
    parts = {
        **_weights_part(r, data),
        **_matching_and_glotip_part(r, data),
        **_criteria_part(r, data),
    }
    levels, min_statements, min_items, insufficient, per, most, fewest = _levels(
        r, r.get(data, "levels", "")
    )
    return Rubric(
        **parts,
        min_statements=min_statements,
        min_items=min_items,
        levels=levels,
        insufficient_label=insufficient,
        penalty_per_criterion=per,
        penalty_max=most,
        penalty_min_statements=fewest,
        **_status_part(r, data),
        **_summaries_part(r, data),
        file=file,
    )


def load_rubric(path: Path | str | None = None) -> Rubric:
    """Read and check a rubric file (default: the project's inputs/rubric.yml)."""
    path = Path(path) if path is not None else paths.rubric_file()
    try:
        data = read_yaml(
            path, "scoring needs a rubric (copy the project's inputs/rubric.yml and adjust it)"
        )
    except InputError as exc:
        raise RubricError(str(exc)) from None
    return parse_rubric(data, path.name)


def check_rubric(rubric: Rubric, reference: Reference, totals: pd.DataFrame) -> None:
    """A RubricError naming the key when a criterion names a commitment that does not exist or
    an indicator that is not in GLOTIP (nor in the figures at hand)."""
    known = set(reference.commitments["commitment"])
    names = set(GLOTIP_INDICATORS) | (set(totals["indicator"]) if len(totals) else set())
    for pillar in rubric.pillars:
        for i, c in enumerate(rubric.criteria_of(pillar)):
            key = f"{rubric.file}: pillars.{pillar}.criteria[{i}]"
            for j, cid in enumerate(c.commitments):
                if cid not in known:
                    raise RubricError(
                        f"{key}.commitments[{j}] '{cid}' is not a commitment in commitments.csv"
                    )
            for j, name in enumerate(c.indicator.names if c.indicator else ()):
                if name not in names:
                    where = f"{key}.indicator.name" + (
                        f"[{j}]" if len(c.indicator.names) > 1 else ""
                    )
                    raise RubricError(
                        f"{where} '{name}' is not a GLOTIP indicator; use one of "
                        f"{', '.join(sorted(names))}"
                    )
