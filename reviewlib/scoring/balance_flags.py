"""The balance of contributions in plain sentences, computed from its tables, in the order a
co-facilitator asks before the zero draft: are non-governmental voices heard, is every region
heard, are all ICAT members heard, then languages and themes.

Thresholds are `reviewlib.scoring.balance.THRESHOLDS`, overridden by review.yml's `balance:`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reviewlib.terms import (
    GROUP_LABELS,
    LANGUAGE_NAMES,
    NON_GOVERNMENTAL,
    REGIONAL_GROUPS,
    TYPE_WORDS,
)

FLAG_COLUMNS = ["dimension", "category", "message"]
# Types whose absence from a regional group is flagged group by group.
REGIONAL_VOICES = ("civil_society", "survivor_led")
NO_THEME = "no theme"
NOT_GIVEN = "not given"
_FLAGGED_TYPES = tuple(t for t in TYPE_WORDS if t != "other")  # "other" is never flagged

Flag = tuple[str, str, str]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _voices(tables: Mapping[str, Any], thresholds: Mapping[str, float]) -> list[Flag]:
    """Non-governmental voices, each stakeholder type, and civil society in every region."""
    flags: list[Flag] = []
    total = tables["n_contributions"]
    counts = tables["by_stakeholder"].set_index("stakeholder_type")["contributions"]
    non_gov = int(counts[list(NON_GOVERNMENTAL)].sum())
    who = "civil society, survivor-led organisations, the private sector, media and academia"
    if non_gov == 0:
        flags.append(
            (
                "stakeholder_type",
                "non_governmental",
                f"No non-governmental voice has contributed ({who})",
            )
        )
    elif non_gov / total < thresholds["min_non_governmental_share"]:
        message = (
            f"Only {non_gov / total:.0%} of contributions come from non-governmental voices ({who})"
        )
        flags.append(("stakeholder_type", "non_governmental", message))
    for kind in _FLAGGED_TYPES:
        noun, adjective = TYPE_WORDS[kind]
        n = int(counts[kind])
        if n == 0:
            flags.append(("stakeholder_type", kind, f"No {noun} has contributed"))
        elif n < thresholds["few_contributions"]:
            flags.append(
                ("stakeholder_type", kind, f"Only {n} {adjective} contribution{'s' * (n != 1)}")
            )
    pool = tables["pool"]
    for kind in REGIONAL_VOICES:
        present = set(pool.loc[pool["stakeholder_type"].eq(kind), "submitter_group"])
        missing = [GROUP_LABELS[g][1] for g in REGIONAL_GROUPS if g not in present]
        if counts[kind] and missing:
            message = f"No {TYPE_WORDS[kind][0]} from {_join(missing)} has contributed"
            flags.append(("regional_group", kind, message))
    return flags


def _regions(tables: Mapping[str, Any], thresholds: Mapping[str, float]) -> list[Flag]:
    """Is every regional group heard among the States, roughly in proportion?"""
    flags: list[Flag] = []
    if tables["states"]["contributing_states"].sum() == 0:
        return flags
    for row in tables["states"].itertuples(index=False):
        label, in_sentence = GROUP_LABELS[row.regional_group]
        of_all, of_contributing = row.share_of_member_states, row.share_of_contributing_states
        if row.member_states and not row.contributing_states:
            message = (
                f"No Member State of {in_sentence} has contributed; "
                f"its {row.member_states} States are {of_all:.0%} of Member States"
            )
        elif row.member_states and not (
            thresholds["under_ratio"] <= row.ratio <= thresholds["over_ratio"]
        ):
            message = (
                f"{label} States are {of_all:.0%} of Member States "
                f"but {of_contributing:.0%} of contributing States"
            )
        else:
            continue
        flags.append(("member_states", row.regional_group, message))
    return flags


def _icat(tables: Mapping[str, Any]) -> list[Flag]:
    """Silent ICAT members, counted among the confirmed members only; the entities whose
    membership on the review's date is not confirmed are named apart, never counted."""
    every = tables["icat"]
    icat = every[every["membership"].eq("confirmed")]
    found: list[Flag] = []
    silent = icat.loc[~icat["contributed"], "short_name"]
    if len(silent):
        message = (
            f"{len(silent)} of the {len(icat)} confirmed ICAT members have not contributed: "
            + ", ".join(silent)
        )
        found.append(("icat", "", message))
    others = every[every["membership"].ne("confirmed")]
    if len(others):
        found.append(
            (
                "icat",
                "not confirmed",
                f"Listed as ICAT members but {others['membership'].iloc[0]}, so not counted: "
                + ", ".join(others["short_name"]),
            )
        )
    return found


def _languages_and_themes(
    tables: Mapping[str, Any], thresholds: Mapping[str, float], languages: tuple[str, ...]
) -> list[Flag]:
    flags: list[Flag] = []
    total = tables["n_contributions"]
    by_language = tables["by_language"].set_index("language")["contributions"]
    absent = [LANGUAGE_NAMES.get(c, c) for c in languages if by_language.get(c, 0) == 0]
    if absent:
        flags.append(("language", "", f"No contribution in {_join(absent)}"))
    written = by_language.drop(NOT_GIVEN)
    if written.max() / total > thresholds["dominant_language_share"]:
        code = str(written.idxmax())
        name = LANGUAGE_NAMES.get(code, code)
        flags.append(
            ("language", code, f"{written.max() / total:.0%} of contributions are in {name}")
        )
    themes = tables["by_theme"]
    unheard = themes.loc[themes["theme"].ne(NO_THEME) & themes["statements"].eq(0), "label"]
    if len(unheard):
        flags.append(("theme", "", "No statement addresses these themes: " + "; ".join(unheard)))
    return flags


def flags(
    tables: Mapping[str, Any], thresholds: Mapping[str, float], languages: tuple[str, ...]
) -> pd.DataFrame:
    """The plain sentences, in the order a co-facilitator asks: voices, regions, ICAT, then the rest."""
    if tables["n_contributions"] == 0:
        found = [("pool", "", "No contribution counts yet; every figure is zero")]
    else:
        found = [
            *_voices(tables, thresholds),
            *_regions(tables, thresholds),
            *_icat(tables),
            *_languages_and_themes(tables, thresholds, languages),
        ]
    return pd.DataFrame(found, columns=FLAG_COLUMNS)
