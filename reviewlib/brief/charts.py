"""A brief's chart of contributors reporting achievements and gaps, drawn once.

Drawing one with matplotlib takes a tenth of a second in a kernel that has drawn none yet, and
still some 0.07 s after. The same figures give the same chart, byte for byte, so a chart is
kept by what it shows: in the kernel that drew it, and in the disk cache
(`reviewlib.gather.cache`, one entry per chart — its title and categories — holding the latest
figures), keyed by its figures, reviewlib's code and the versions of the libraries that drew
it. Another kernel, a later build, a kernel just started for the first build of the day, or a
rebuild that leaves a chart's figures as they were (a new statement from a contributor already
counted, a triage decision, a rubric weight) reads it rather than drawing it again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reviewlib.brief.blocks import Block

__all__ = ["chart"]


def chart(table: pd.DataFrame, title: str, inputs: str = "") -> Block:
    """A bar chart of contributors reporting achievements and gaps, per category (`table`:
    category, achievements, gaps); kept in the disk cache of `inputs` ('' keeps it only here)."""
    return Block(
        _drawn(
            title,
            tuple(table["category"]),
            tuple(int(n) for n in table["achievements"]),
            tuple(int(n) for n in table["gaps"]),
            inputs,
        )
    )


@lru_cache(maxsize=256)
def _drawn(
    title: str,
    categories: tuple[str, ...],
    achievements: tuple[int, ...],
    gaps: tuple[int, ...],
    inputs: str,
) -> str:
    from reviewlib.gather import cache as disk

    figures = (title, categories, achievements, gaps)
    slot = "chart\0" + "\0".join((title, *categories))
    key = _key(figures) if inputs else ""
    if key and isinstance(kept := disk.load(Path(inputs), key, slot), str):
        return kept
    markup = _draw(*figures)
    if key:
        disk.save(Path(inputs), key, markup, slot)
    return markup


def _key(figures: tuple) -> str:
    """What a chart is made of: its figures, reviewlib's code and the libraries' versions."""
    from reviewlib.gather import cache as disk

    text = "\0".join((repr(figures), disk.code_digest(), disk.versions(), _matplotlib()))
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1)
def _matplotlib() -> str:
    """The installed matplotlib's version, read without importing it (a chart read back from
    the disk cache needs no matplotlib: its import is a fifth of a second of a kernel's start)."""
    from importlib.metadata import version

    return version("matplotlib")


def _draw(
    title: str, categories: tuple[str, ...], achievements: tuple[int, ...], gaps: tuple[int, ...]
) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reviewlib.brief.blocks import figure as svg

    labels = list(categories)[::-1]
    fig, ax = plt.subplots(figsize=(6.4, 0.32 * len(categories) + 1.0), dpi=100)
    y = range(len(labels))
    ax.barh([i + 0.2 for i in y], list(achievements)[::-1], 0.4, color="#00558c")
    ax.barh([i - 0.2 for i in y], list(gaps)[::-1], 0.4, color="#d98c00")
    ax.set_yticks(list(y), labels)
    ax.legend(["achievements", "gaps"], fontsize=9, frameon=False, loc="lower right")
    ax.set_title(title, fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=9)
    alt = f"{title}: " + "; ".join(
        f"{c} {a} and {g}" for c, a, g in zip(categories, achievements, gaps, strict=True)
    )
    return svg(fig, alt=alt, caption=title + ".").markup
