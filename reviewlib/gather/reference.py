"""Reference facts: Member States and regional groups, GPA commitments, themes, pillars, entities.

Also the name resolution every other module relies on: a country written as "Russia", "RUS" or
"Fédération de Russie" is the same Member State; a submitter written "ONUDC" is UNODC. (How the
review's own terms are spelt is `reviewlib.gather.spellings`.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.gather.dated import (
    NAME_COLUMNS,
    TREATY_COLUMNS,
    icat_on,
    indicators_on,
    is_true,
    names_on,
    read_dated,
    read_editions,
)
from reviewlib.gather.edited import read_table
from reviewlib.gather.indicators import load_indicators
from reviewlib.gather.spellings import norm


def _read_csv(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    return read_table(path, required, "the workbook needs this reference table")


def _split(value: str) -> list[str]:
    return [part.strip() for part in str(value).split(";") if part.strip()]


@dataclass(frozen=True)
class Reference:
    """The reference tables of a review, read from inputs/reference/."""

    member_states: pd.DataFrame
    commitments: pd.DataFrame
    themes: pd.DataFrame
    pillars: pd.DataFrame
    entities: pd.DataFrame
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    synonyms: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The date the dated facts stand on (names, GLOTIP editions): review.yml's `as_of`.
    as_of: dt.date | None = None
    name_history: pd.DataFrame = field(default_factory=pd.DataFrame)
    editions: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Parties to the Protocol and the Convention with their dates (treaty_parties.csv).
    treaty_parties: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The Member States the GLOTIP import was made for (glotip_coverage.csv; without it, those
    # with rows): a State outside it has "data not loaded", not "no data published".
    glotip_covered: frozenset[str] = frozenset()
    # The tables as read, before dating: `on()` dates them again for another day.
    undated: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def on(self, day: dt.date | None) -> Reference:
        """The same reference facts as they stood on another day."""
        if day == self.as_of or not self.undated:
            return self
        return _dated(dataclasses.replace(self, as_of=day))

    @cached_property
    def _country_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for row in self.member_states.itertuples():
            for name in [row.iso3, row.name, *_split(row.aliases)]:
                keys.setdefault(norm(name), row.iso3)
        return keys

    @cached_property
    def group_of(self) -> dict[str, str]:
        """ISO3 → regional group."""
        return dict(zip(self.member_states.iso3, self.member_states.regional_group, strict=True))

    @cached_property
    def name_of(self) -> dict[str, str]:
        """ISO3 → the UN's short name."""
        return dict(zip(self.member_states.iso3, self.member_states.name, strict=True))

    def resolve_country(self, text: object) -> str | None:
        """ISO3 of a Member State written any common way, or None."""
        return self._country_keys.get(norm(text))

    def suggest_country(self, text: object) -> str | None:
        """The Member State name closest to a misspelt one, for 'did you mean …?'."""
        match = difflib.get_close_matches(norm(text), list(self._country_keys), n=1, cutoff=0.75)
        return self.name_of[self._country_keys[match[0]]] if match else None

    @cached_property
    def _entity_keys(self) -> dict[str, tuple[str, bool]]:
        keys: dict[str, tuple[str, bool]] = {}
        for row in self.entities.itertuples():
            icat = str(row.icat_member).strip().lower() == "true"
            for name in [row.name, *_split(row.aliases)]:
                keys.setdefault(norm(name), (row.name, icat))
        return keys

    def resolve_entity(self, text: object) -> tuple[str, bool] | None:
        """(entity name, ICAT member?) of a known UN entity or organisation, or None."""
        return self._entity_keys.get(norm(text))

    @cached_property
    def commitment_pillar(self) -> dict[str, str]:
        return dict(zip(self.commitments.commitment, self.commitments.pillar, strict=True))

    @cached_property
    def commitment_title(self) -> dict[str, str]:
        """Commitment id → its short title ("Root causes of vulnerability")."""
        return dict(zip(self.commitments.commitment, self.commitments.title, strict=True))

    def describe_commitment(self, commitment: str) -> str:
        """A commitment as a reader sees it: "PRE-01 — Root causes of vulnerability"."""
        title = self.commitment_title.get(commitment)
        return f"{commitment} — {title}" if title else commitment

    def commitment_basis(self, commitment: str) -> str:
        """How certain a commitment's wording is: "A/RES/64/293, annex, para 38" where the
        paragraph is verified, else "paraphrase of the GPA"."""
        rows = self.commitments[self.commitments["commitment"].eq(commitment)]
        if len(rows) and "paragraph_verified" in rows:
            row = rows.iloc[0]
            if is_true(row["paragraph_verified"]) and str(row.get("paragraph", "")).strip():
                return f"A/RES/64/293, annex, para {str(row['paragraph']).strip()}"
        return "paraphrase of the GPA"

    @cached_property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(self.themes.theme)


def _covered(path: Path, indicators: pd.DataFrame) -> frozenset[str]:
    if path.is_file():
        return frozenset(
            read_table(path, ("iso3",), "it lists the States GLOTIP was loaded for")["iso3"]
        )
    return frozenset(indicators["iso3"]) if len(indicators) else frozenset()


def _dated(reference: Reference) -> Reference:
    """Names and GLOTIP figures of the undated tables as they stood on ``reference.as_of``."""
    undated, day = reference.undated, reference.as_of
    return dataclasses.replace(
        reference,
        member_states=names_on(undated["member_states"], reference.name_history, day),
        indicators=indicators_on(undated["indicators"], reference.editions, day),
        entities=icat_on(undated["entities"], day, Path("entities.csv")),
    )


def load_reference(inputs: Path = paths.INPUTS, as_of: dt.date | None = None) -> Reference:
    """Read inputs/reference/*.csv, dated facts as of ``as_of`` (today's without it); a missing
    table or column is an InputError naming the file."""
    folder = paths.reference_dir(inputs)
    member_states = _read_csv(
        folder / "member_states.csv", ("iso3", "name", "regional_group", "aliases")
    )
    commitments = _read_csv(folder / "commitments.csv", ("commitment", "pillar", "title", "text"))
    themes = _read_csv(folder / "themes.csv", ("theme", "label", "keywords"))
    pillars = _read_csv(folder / "pillars.csv", ("pillar", "label", "keywords"))
    entities = _read_csv(
        folder / "entities.csv", ("name", "aliases", "stakeholder_type", "icat_member")
    )
    # pandera is imported only when the tables are read, not when a cached review is used.
    from reviewlib.gather.contracts import check_reference

    tables = {
        "member_states": member_states,
        "commitments": commitments,
        "themes": themes,
        "pillars": pillars,
        "entities": entities,
    }
    for name, frame in tables.items():
        check_reference(name, frame, folder / f"{name}.csv")
    optional = {}
    if (folder / "synonyms.csv").exists():
        optional["synonyms"] = read_table(folder / "synonyms.csv")
    # GLOTIP figures with their types (year int, value float, suppressed bool); empty when absent.
    indicators = load_indicators(folder / "indicators.csv")
    reference = Reference(
        member_states,
        commitments,
        themes,
        pillars,
        entities,
        **optional,
        as_of=as_of,
        name_history=read_dated(
            folder / "member_state_names.csv",
            NAME_COLUMNS,
            ("valid_from", "valid_to", "confirmed_on"),
        ),
        editions=read_editions(folder / "glotip_editions.csv"),
        treaty_parties=read_dated(folder / "treaty_parties.csv", TREATY_COLUMNS, ("ratification",)),
        glotip_covered=_covered(paths.glotip_coverage_file(inputs), indicators),
        undated={"member_states": member_states, "indicators": indicators, "entities": entities},
    )
    return _dated(reference)
