"""The review's vocabulary, defined once: pillars, kinds of statement, stakeholder types, regional
groups, decisions and languages, each with the words a reader is shown.

Every stage takes these from here, so that a label or a list never has two versions.
"""

from __future__ import annotations

PILLARS = ("prevention", "protection", "prosecution", "partnership")
PILLAR_LABELS = {
    "prevention": "Prevention",
    "protection": "Protection and assistance",
    "prosecution": "Prosecution",
    "partnership": "Partnerships",
}

KINDS = ("achievement", "gap", "proposal", "good_practice")
KIND_LABELS = {
    "achievement": "achievement",
    "gap": "gap",
    "good_practice": "good practice",
    "proposal": "proposal",
}

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
# The voices outside government and the intergovernmental system. "other" is not among them:
# what kind of body it is is not known.
NON_GOVERNMENTAL = ("civil_society", "survivor_led", "private_sector", "media", "academia")
TYPE_LABELS = {
    "member_state": "Member State",
    "un_entity": "UN entity",
    "international_organisation": "international organisation",
    "civil_society": "civil society",
    "survivor_led": "survivor-led",
    "private_sector": "private sector",
    "media": "media",
    "academia": "academia",
    "other": "other",
}
# (noun, adjective) of each stakeholder type, as sentences write them.
TYPE_WORDS = {
    "member_state": ("Member State", "Member State"),
    "un_entity": ("UN entity", "UN-entity"),
    "international_organisation": ("international organisation", "international-organisation"),
    "civil_society": ("civil-society organisation", "civil-society"),
    "survivor_led": ("survivor-led organisation", "survivor-led"),
    "private_sector": ("private-sector contributor", "private-sector"),
    "media": ("media organisation", "media"),
    "academia": ("academic or research institution", "academic"),
    "other": ("other contributor", "other"),
}

REGIONAL_GROUPS = ("African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG")
# (heading, in a sentence) of each regional group.
GROUP_LABELS = {
    "African": ("African Group", "the African Group"),
    "Asia-Pacific": ("Asia-Pacific Group", "the Asia-Pacific Group"),
    "Eastern European": ("Eastern European Group", "the Eastern European Group"),
    "GRULAC": ("GRULAC", "GRULAC"),
    "WEOG": ("WEOG", "WEOG"),
}

DECISIONS = ("keep", "merge", "set_aside")

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "ar": "Arabic",
    "zh": "Chinese",
}

# Who made a statement's English rendering (`text_en_source`): "original" when the statement was
# written in English, "" when there is no English text.
TRANSLATION_SOURCES = ("contributor", "machine", "secretariat")
TRANSLATION_LABELS = {
    "original": "",
    "contributor": "English text supplied by the contributor",
    "machine": "machine translation",
    "secretariat": "English text by the secretariat",
    "": "no English text",
}

# What an idea is, measured against the GPA's commitments, and the words a reader is shown.
IDEA_STATUSES = ("new", "restates", "not_compared")
IDEA_STATUS_LABELS = {
    "new": "new",
    "restates": "restates the GPA",
    "not_compared": "not compared with the GPA (no English text)",
}
# The secretariat's curation of the pool of ideas (inputs/decisions/ideas.csv).
IDEA_ACTIONS = ("rename", "move", "split")
# Printed on every view and file of the levels, which are never circulated.
INTERNAL_LABEL = "internal working aid — not an assessment of any State, not for circulation"

# The kinds of brief a review builds, in the order the index lists them.
BRIEF_KINDS = (
    "summary",
    "panel",
    "overview",
    "ideas",
    "pillar",
    "theme",
    "region",
    "country",
    "methods",
)
