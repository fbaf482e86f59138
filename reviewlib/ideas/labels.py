"""An idea's label: one full English sentence stating the idea, without the proposer's voice.

Derived by rules from an English sentence (the first sentence of a member's English text):

1. who proposes it and how is dropped: "Libya calls for", "We propose that", "Canada encourages
   States to", "Our members endorse";
2. the addressee is dropped: "States should", "Every Government must", "Member States should";
3. what is left is written as an imperative: "engaging the financial sector …" becomes "Engage
   the financial sector …"; a bare noun phrase gets a verb ("international support to screen
   migrants …" becomes "Provide international support to screen migrants …"); a clause with
   another subject becomes "Ensure that …";
4. a capital first and a full stop last. Nothing is ever cut short.

A sentence with its own subject and no proposer ("Assistance should not depend on …") is kept as
it is: it already states the idea neutrally. `is_imperative` and `has_voice` let the pool prefer,
among the members closest to an idea's centre, one that reads as an instruction and speaks in no
one's name.
"""

from __future__ import annotations

import re

__all__ = ["neutral_label", "first_sentence", "is_imperative", "has_voice", "VERBS"]

# Verbs that open proposals, in their base form.
VERBS = frozenset(
    [
        "abolish",
        "accede",
        "address",
        "adopt",
        "agree",
        "align",
        "allocate",
        "allow",
        "amend",
        "appoint",
        "apply",
        "assess",
        "assign",
        "assist",
        "audit",
        "ban",
        "bring",
        "build",
        "channel",
        "check",
        "clear",
        "collect",
        "combat",
        "complete",
        "conduct",
        "consider",
        "consult",
        "coordinate",
        "create",
        "criminalise",
        "criminalize",
        "decouple",
        "define",
        "deliver",
        "designate",
        "detect",
        "develop",
        "disaggregate",
        "earmark",
        "encourage",
        "end",
        "enforce",
        "engage",
        "enhance",
        "enshrine",
        "ensure",
        "establish",
        "exchange",
        "exclude",
        "expand",
        "extend",
        "facilitate",
        "finance",
        "fight",
        "follow",
        "formalise",
        "foster",
        "fund",
        "give",
        "grant",
        "guarantee",
        "harmonise",
        "hold",
        "identify",
        "implement",
        "improve",
        "include",
        "incorporate",
        "increase",
        "inform",
        "insert",
        "institutionalise",
        "integrate",
        "intensify",
        "introduce",
        "invest",
        "invite",
        "involve",
        "keep",
        "launch",
        "legislate",
        "let",
        "link",
        "mainstream",
        "make",
        "mandate",
        "monitor",
        "oblige",
        "offer",
        "open",
        "operate",
        "outlaw",
        "pay",
        "penalise",
        "permit",
        "place",
        "prevent",
        "prioritise",
        "prohibit",
        "promote",
        "protect",
        "provide",
        "publish",
        "put",
        "raise",
        "ratify",
        "recognise",
        "reduce",
        "reform",
        "register",
        "regulate",
        "reinforce",
        "remove",
        "replenish",
        "report",
        "require",
        "review",
        "run",
        "scale",
        "screen",
        "separate",
        "set",
        "share",
        "simplify",
        "speed",
        "stop",
        "step",
        "strengthen",
        "streamline",
        "support",
        "tackle",
        "take",
        "teach",
        "trace",
        "train",
        "treat",
        "use",
        "verify",
        "work",
        "write",
    ]
)
_REPORTING = (
    r"(?:propose|suggest|recommend|urge|call(?:s)?\s+on|call(?:s)?\s+for|call(?:s)?\s+upon|support"
    r"|request|encourage|invite|ask|endorse|advocate|favour|favor|welcome|want|would\s+welcome"
    r"|would\s+support|stress|emphasi[sz]e|underline|believe|consider|see\s+a\s+need\s+for)"
)
_THIRD = r"(?:proposes|suggests|recommends|urges|calls\s+on|calls\s+for|calls\s+upon|supports|requests|encourages|invites|asks|endorses|advocates|favours|favors|welcomes|wants|would\s+welcome|would\s+support|stresses|emphasi[sz]es|underlines|believes|considers)"
_PROPOSER = re.compile(
    r"^(?:(?:we|our\s+(?:members|organisation|organization|network|government|country|delegation))"
    rf"\s+(?:also\s+|strongly\s+|therefore\s+|would\s+)?{_REPORTING}"
    r"|(?:the\s+)?[A-Z][\w'’.()&-]*(?:\s+[\w'’.()&-]+){0,5}?"
    rf"(?:,\s+as\s+[^,]+,)?\s+(?:also\s+|strongly\s+)?{_THIRD})"
    r"(?:\s+(?:language|measures)\s+encouraging)?(?:\s+that)?\s+",
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(
    r"^(?:all\s+|every\s+|each\s+|other\s+|the\s+)?(?:member\s+)?(?:states?|governments?|countries)"
    r"(?:\s+that\s+have\s+not\s+(?:yet\s+)?done\s+so)?"
    r"(?:\s+(?:should|must|shall|to|need\s+to|ought\s+to|are\s+(?:encouraged|invited|urged)\s+to))?"
    r"(?:\s+(?:also|further))?\s+",
    re.IGNORECASE,
)
_FINDING = re.compile(  # "Our research finds that", "In our experience,": the finding stays
    r"^(?:(?:our|we)\s+(?:[\w-]+\s+){0,2}?(?:finds?|found|shows?|showed|suggests?|indicates?|"
    r"believe|think|know|see)\s+that\s+|in\s+our\s+(?:experience|view),\s+)",
    re.IGNORECASE,
)
_VOICE = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_ESTABLISH = re.compile(
    r"^(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,4}?(?:body|bodies|council|councils|mechanism|mechanisms"
    r"|unit|units|team|teams|network|networks|register|registers|registry|registries|database"
    r"|databases|fund|funds|hotline|hotlines|helpline|helplines|office|offices|platform|system"
    r"|panel|committee|rapporteur|list|record|centre|centres|channel|channels)\b",
    re.IGNORECASE,
)
_ADOPT = re.compile(
    r"^(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:policy|policies|law|laws|legislation|standard"
    r"|standards|code|codes|principle|approach|plan|strategy|rules|requirements|obligations"
    r"|duties|provisions?)\b",
    re.IGNORECASE,
)
_NOMINAL = re.compile(
    r"^(?:the\s+)?(creation|establishment|setting\s+up|adoption|use|strengthening|expansion"
    r"|development|introduction|ratification|harmonisation|promotion)\s+of\s+",
    re.IGNORECASE,
)
_NOMINAL_VERB = {
    "creation": "Create",
    "establishment": "Establish",
    "setting up": "Set up",
    "adoption": "Adopt",
    "use": "Use",
    "strengthening": "Strengthen",
    "expansion": "Expand",
    "development": "Develop",
    "introduction": "Introduce",
    "ratification": "Ratify",
    "harmonisation": "Harmonise",
    "promotion": "Promote",
}
_PROVIDE = re.compile(
    r"^(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:support|assistance|aid|funding|resources|training"
    r"|services|shelters?|packages?|care|protection|help|advice|access)\b",
    re.IGNORECASE,
)
_EXHORT = re.compile(r"(?:call(?:s)?\s+(?:on|upon)|urges?|encourages?|invites?|asks?)$", re.I)
_TO_VERB = re.compile(r"^[^,;:]*?\bto\s+(\w+)")
_AND_GERUND = re.compile(r"\b(and|or)\s+(\w+ing)\b")


def first_sentence(text: str) -> str:
    """The first sentence of a text (the whole text when it has one), spaces tidied."""
    text = " ".join(str(text).split())
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def _base(word: str) -> str | None:
    """The base form of a verb written with -ing, when it is one of VERBS."""
    low = word.lower()
    if not low.endswith("ing") or len(low) < 5:
        return None
    stem = low[:-3]
    for candidate in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
        if candidate in VERBS:
            return candidate
    return None


def is_imperative(sentence: str) -> bool:
    """Does the sentence open with one of VERBS (an instruction)?"""
    words = sentence.split()
    return bool(words) and words[0].lower().strip(",;:") in VERBS


def has_voice(sentence: str) -> bool:
    """Does the sentence speak in someone's name (we, our, us)?"""
    return bool(_VOICE.search(sentence))


def _verb_first(text: str) -> str | None:
    """The text with its first word as a base verb (a gerund turned, and the gerunds joined to it
    by 'and'), or None when it does not open with a verb."""
    first, _, rest = text.partition(" ")
    if first.lower() in VERBS:
        return text
    base = _base(first)
    if base is None:
        return None
    rest = _AND_GERUND.sub(lambda m: f"{m.group(1)} {_base(m.group(2)) or m.group(2)}", rest)
    return f"{base} {rest}".strip()


def _as_instruction(rest: str, clause: bool, exhort: bool) -> str:
    """What follows a reporting verb (or a dropped addressee), written as an instruction."""
    if clause:  # "proposes that <subject> <verb> …": the subject stays
        return rest if rest.split(" ", 1)[0].lower() in VERBS else "Ensure that " + rest
    if (verb_first := _verb_first(rest)) is not None:
        return verb_first
    if exhort and _TO_VERB.match(rest):
        return "Encourage " + rest
    if match := _NOMINAL.match(rest):
        return _NOMINAL_VERB[" ".join(match.group(1).lower().split())] + " " + rest[match.end() :]
    for pattern, verb in ((_ESTABLISH, "Establish"), (_ADOPT, "Adopt"), (_PROVIDE, "Provide")):
        if pattern.match(rest):
            return f"{verb} {rest}"
    return "Promote " + rest


def neutral_label(text: str) -> str:
    """The first sentence of an English text, stated as the idea itself (see the module)."""
    sentence = first_sentence(text)
    if not sentence:
        return ""
    body, clause, exhort = sentence, False, False
    if finding := _FINDING.match(body):
        body = body[finding.end() :]
    if proposer := _PROPOSER.match(body):
        said = proposer.group(0).strip()
        clause = said.lower().endswith(" that")
        exhort = bool(_EXHORT.search(said.removesuffix(" that").removesuffix(" That")))
        body = body[proposer.end() :]
    addressee = _ADDRESSEE.match(body)
    stripped = addressee is not None and _verb_first(body[addressee.end() :]) is not None
    if stripped:
        body, clause, exhort = body[addressee.end() :], False, False
    if proposer or stripped:
        body = _as_instruction(body, clause, exhort)
    else:
        body = _verb_first(body) or body
    body = body.strip().rstrip(" ,;:") or sentence
    body = body[:1].upper() + body[1:]
    return body if body.endswith((".", "!", "?")) else body + "."
