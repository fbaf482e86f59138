"""How people write the review's terms: "Protection and assistance" is the pillar `protection`,
"NGO" the stakeholder type `civil_society`, "GRULAC" and "Latin America and the Caribbean" the
same regional group, "Français" the language `fr`.

Every spelling is matched by its `norm` key (case, accents and punctuation folded, a leading
"the" dropped), so "The Philippines" and "philippines" are one key.
"""

from __future__ import annotations

import re

from reviewlib.terms import KINDS, STAKEHOLDER_TYPES
from reviewlib.text import fold

_PILLARS = {
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
_GROUPS = {
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
_STAKEHOLDER_TYPES = {
    "state": "member_state",
    "government": "member_state",
    "member state": "member_state",
    "un": "un_entity",
    "un entity": "un_entity",
    "un agency": "un_entity",
    "united nations": "un_entity",
    "international organization": "international_organisation",
    "io": "international_organisation",
    "igo": "international_organisation",
    "regional organisation": "international_organisation",
    "ngo": "civil_society",
    "cso": "civil_society",
    "civil society organisation": "civil_society",
    "civil society organization": "civil_society",
    "survivor led organisation": "survivor_led",
    "survivor led organization": "survivor_led",
    "survivor": "survivor_led",
    "business": "private_sector",
    "company": "private_sector",
    "private": "private_sector",
    "academic": "academia",
    "university": "academia",
    "research": "academia",
    "journalist": "media",
    "press": "media",
}
_KINDS = {
    "good practice": "good_practice",
    "best practice": "good_practice",
    "practice": "good_practice",
    "recommendation": "proposal",
    "suggestion": "proposal",
    "challenge": "gap",
    "progress": "achievement",
}


def norm(text: object) -> str:
    """The key every name is matched by: folded, '&' read as 'and', a leading 'the' dropped."""
    return re.sub(r"^the ", "", fold(str(text).replace("&", " and ")).strip())


def _enum(value: object, allowed: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    key = norm(value)
    if key.replace(" ", "_") in allowed:
        return key.replace(" ", "_")
    return aliases.get(key)


def resolve_stakeholder_type(text: object) -> str | None:
    return _enum(text, STAKEHOLDER_TYPES, _STAKEHOLDER_TYPES)


def resolve_kind(text: object) -> str | None:
    return _enum(text, KINDS, _KINDS)


def resolve_pillar(text: object) -> str | None:
    return _PILLARS.get(norm(text))


def resolve_group(text: object) -> str | None:
    """A regional group written any common way ("GRULAC", "African Group"), or None."""
    key = norm(text)
    return next((group for group, names in _GROUPS.items() if key in names), None)


def is_global(text: object) -> bool:
    return norm(text) in _GLOBAL


def resolve_language(text: object) -> str | None:
    key = norm(text)
    return next((code for code, names in _LANGUAGES.items() if key in names), None)
