"""Reference facts: Member States and regional groups, GPA commitments, themes, pillars, entities.

Also the name resolution every other module relies on: a country written as "Russia", "RUS" or
"Fédération de Russie" is the same Member State; a submitter written "ONUDC" is UNODC.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.errors import InputError
from reviewlib.indicators import load_indicators

STAKEHOLDER_TYPES = (
    "member_state",
    "un_entity",
    "international_organisation",
    "civil_society",
    "survivor_led",
    "private_sector",
    "media",
    "academia",
    "other",
)
NON_STATE_TYPES = tuple(t for t in STAKEHOLDER_TYPES if t != "member_state")
KINDS = ("achievement", "gap", "proposal", "good_practice")
PILLARS = ("prevention", "protection", "prosecution", "partnership")
PILLAR_LABELS = {
    "prevention": "Prevention",
    "protection": "Protection and assistance",
    "prosecution": "Prosecution",
    "partnership": "Partnerships",
}
REGIONAL_GROUPS = ("African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG")
DECISIONS = ("keep", "merge", "set_aside")

# Other ways people write the enumerations; matched after normalisation (see `norm`).
_PILLAR_ALIASES = {
    "prevention": "prevention",
    "prevent": "prevention",
    "preventing": "prevention",
    "protection": "protection",
    "protect": "protection",
    "protection and assistance": "protection",
    "assistance": "protection",
    "victim protection": "protection",
    "prosecution": "prosecution",
    "prosecute": "prosecution",
    "prosecuting": "prosecution",
    "partnership": "partnership",
    "partnerships": "partnership",
}
_GROUP_ALIASES = {
    "African": ["african", "african group", "africa group", "ag", "africa"],
    "Asia-Pacific": [
        "asia pacific",
        "asia pacific group",
        "apg",
        "asia and the pacific",
        "asia and pacific group",
        "asia group",
    ],
    "Eastern European": ["eastern european", "eastern european group", "eeg", "eastern europe"],
    "GRULAC": [
        "grulac",
        "latin american and caribbean group",
        "latin america and the caribbean",
        "latin american and caribbean states",
    ],
    "WEOG": ["weog", "western european and others", "western european and others group"],
}
_GLOBAL = {"global", "world", "worldwide", "all", "international", "mondial", "mundial"}
_LANGUAGES = {
    "en": ["en", "eng", "english", "anglais", "ingles"],
    "fr": ["fr", "fra", "fre", "french", "francais"],
    "es": ["es", "spa", "spanish", "espanol", "castellano", "espagnol"],
    "ru": ["ru", "rus", "russian", "russkii", "russkij", "русскии", "русский"],
    "ar": ["ar", "ara", "arabic", "arabe"],
    "zh": ["zh", "chi", "zho", "chinese", "chinois"],
}


def norm(text: object) -> str:
    """Casefold, fold accents and punctuation: the key every name is matched by."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = s.replace("&", " and ")
    s = re.sub(r"[^\w]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def _read_csv(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path} is missing: the workbook needs this reference table") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"{path} lacks the column(s) {', '.join(missing)}")
    return frame


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
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(self.themes.theme)


def resolve_group(text: object) -> str | None:
    """A regional group written any common way ("GRULAC", "African Group"), or None."""
    key = norm(text)
    for group, names in _GROUP_ALIASES.items():
        if key in names:
            return group
    return None


def is_global(text: object) -> bool:
    return norm(text) in _GLOBAL


def resolve_pillar(text: object) -> str | None:
    return _PILLAR_ALIASES.get(norm(text))


def resolve_language(text: object) -> str | None:
    key = norm(text)
    for code, names in _LANGUAGES.items():
        if key in names:
            return code
    return None


def load_reference(inputs: Path = paths.INPUTS) -> Reference:
    """Read inputs/reference/*.csv; a missing table or column is an InputError naming the file."""
    folder = paths.reference_dir(inputs)
    member_states = _read_csv(
        folder / "member_states.csv", ("iso3", "name", "regional_group", "aliases")
    )
    commitments = _read_csv(folder / "commitments.csv", ("commitment", "pillar", "text"))
    themes = _read_csv(folder / "themes.csv", ("theme", "label", "keywords"))
    pillars = _read_csv(folder / "pillars.csv", ("pillar", "label", "keywords"))
    entities = _read_csv(
        folder / "entities.csv", ("name", "aliases", "stakeholder_type", "icat_member")
    )
    from reviewlib.schemas import check_reference

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
        optional["synonyms"] = pd.read_csv(
            folder / "synonyms.csv", dtype=str, keep_default_na=False
        )
    # GLOTIP figures with their types (year int, value float, suppressed bool); empty when absent.
    optional["indicators"] = load_indicators(folder / "indicators.csv")
    return Reference(member_states, commitments, themes, pillars, entities, **optional)
