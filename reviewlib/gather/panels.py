"""review.yml's `panels`: briefs a review defines for itself, each the union of pillars, themes
and GPA commitments (the 2017 meeting's two panels, for instance), built like the others from a
notebook parameter — no code.

    panels:
      prevention_prosecution:
        title: "Prevention and prosecution"
        pillars: [prevention, prosecution]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewlib.errors import InputError
from reviewlib.terms import PILLARS

PARTS = ("pillars", "themes", "commitments")


@dataclass(frozen=True)
class Panel:
    name: str  # the key in review.yml: the brief's parameter
    title: str
    pillars: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()


def read_panels(raw: Any, path: Path) -> tuple[Panel, ...]:
    """Every panel of review.yml, checked: a title and at least one pillar, theme or commitment."""
    if raw is None:
        return ()
    panels = []
    for name, spec in raw.items():
        where = f"{path}: 'panels.{name}'"
        if not isinstance(spec, dict) or not isinstance(spec.get("title"), str):
            raise InputError(f"{where} needs a title and lists of {', '.join(PARTS)}")
        unknown = [k for k in spec if k not in ("title", *PARTS)]
        if unknown:
            raise InputError(f"{where}: '{unknown[0]}' is not known; use title, {', '.join(PARTS)}")
        lists = {}
        for part in PARTS:
            value = spec.get(part) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(f"{where}.{part} must be a list such as [a, b], not {value!r}")
            lists[part] = tuple(value)
        wrong = [p for p in lists["pillars"] if p not in PILLARS]
        if wrong:
            raise InputError(
                f"{where}.pillars names '{wrong[0]}'; the pillars are {', '.join(PILLARS)}"
            )
        if not any(lists.values()):
            raise InputError(f"{where} names no pillar, theme or commitment")
        panels.append(Panel(str(name), spec["title"], **lists))
    return tuple(panels)
