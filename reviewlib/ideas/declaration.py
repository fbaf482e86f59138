"""Declaration language by rule: a GPA commitment as a reaffirmation, an idea's English label as
an operative paragraph, in the register of a political declaration.

Every paragraph opens with a declaration verb phrase (`OPENINGS`) and is one full sentence that
ends with a full stop; nothing is ever cut short. The rules, in order:

1. **Register** (`tidy`): no ellipsis, no exclamation, no "etc."; intensifiers ("real
   accountability") dropped; a colon that introduces examples becomes ", including"; a claim
   before a colon ("Shelter is not enough: …") gives way to what follows it.
2. **What the label is**: an instruction (it opens with a verb), an obligation with its own
   subject ("Port States should inspect …", written "ensure that port States inspect …"), or a
   finding ("A global record … would help …").
3. **Who is addressed** (`choose_frame`): an instruction that already calls on someone
   ("Encourage online platforms to …") keeps its own call ("We encourage online platforms to
   …"); one about the United Nations' own work is a call upon the United Nations system, within
   existing resources; one proposed by at least `commit_min_member_states` Member States is a
   commitment ("We commit to …"); any other is an encouragement to Member States ("We encourage
   Member States to …"); a finding is recognised ("We recognize that …").
4. **Grammar**: after "commit to" and "reaffirm our commitment to" the verbs become gerunds
   (``tracing, freezing, seizing and confiscating``), including a verb joined to the first by
   "and" at the same level; verbs inside a clause ("who would assess … and publish") stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewlib.ideas.labels import VERBS

__all__ = [
    "OPENINGS",
    "Drafted",
    "choose_frame",
    "gerund",
    "gerund_phrase",
    "operative",
    "reaffirmation",
    "tidy",
]

REAFFIRM = "We reaffirm our commitment to"
COMMIT = "We commit to"
ENCOURAGE = "We encourage Member States to"
UN_SYSTEM = "We call upon the United Nations system, within existing resources, to"
RECOGNIZE = "We recognize that"
# What every drafted paragraph opens with (an exhortation keeps its own verb and addressee).
OPENINGS = (
    "We reaffirm our commitment to ",
    "We commit to ",
    "We encourage ",
    "We call upon ",
    "We invite ",
    "We urge ",
    "We recognize that ",
)
# Verbs that open GPA commitments and labels besides those labels.VERBS knows.
ACTIONS = VERBS | {
    *("avoid", "carry", "commit", "condemn", "confiscate", "convict", "discourage", "freeze"),
    *("have", "ask"),
    *("investigate", "prosecute", "punish", "seize", "tighten", "urge", "call"),
}
# Verbs also used as nouns after "and" ("shelter and support to victims"): joined to the first
# verb only when a determiner or pronoun follows them ("and support their recovery").
_NOUN_TOO = {"support", "care", "aid", "access", "work", "return", "report", "review", "use"}
_DETERMINERS = {
    *("the", "a", "an", "their", "its", "our", "his", "her", "them", "it", "all", "any"),
    *("every", "each", "these", "those", "this", "such", "both"),
}
_PARTICLES = {"out", "up", "down", "in"}
# Words that open a clause of their own: a verb joined by "and" after them belongs to it.
_CLAUSE = {
    *("who", "which", "that", "so", "where", "when", "whose", "whereby", "because", "if"),
    *("unless", "while", "would", "should", "can", "could", "will", "must", "may", "might"),
}
_EXHORT = re.compile(r"^(encourage|invite|urge|call\s+upon|call\s+on|ask)\s+", re.IGNORECASE)
_UN_WORK = re.compile(
    r"\b(?:United Nations|UN|UNODC|ICAT|Inter-Agency Coordination Group|Special Rapporteur"
    r"|Global Report|peacekeep\w*|UN entities)\b"
)
_MODAL = re.compile(
    r"^(?P<subject>[^,;:]+?)\s+(?:should|must|shall|needs?\s+to|ought\s+to|ha(?:ve|s)\s+to)"
    r"\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
# Intensifiers an advocate writes and a declaration does not ("real accountability").
_INTENSIFIERS = re.compile(
    r"\b(?:real|really|truly|genuinely|once and for all|at last)\s+(?!(?:and|or|but)\b)", re.I
)
_CLAIM = re.compile(r"\b(?:is|are|was|were|remains?|has been|have been)\b", re.IGNORECASE)
# A finite verb: a sentence without one is a noun phrase ("Employment programmes for survivors").
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|would|will|can|could|should|must|may|might"
    r"|shall|ought|does|do|did|needs?)\b",
    re.IGNORECASE,
)
_KEEP_CAPITAL = {"States", "State", "Member", "Governments", "Government", "Parliaments"}
_PLURAL_WORDS = {"children", "people", "women", "men", "police", "personnel", "staff", "data"}
_SINGULAR_OPENERS = {"each", "every", "a", "an", "any", "no"}
_PREPOSITIONS = {"of", "to", "for", "in", "on", "at", "with", "from", "by", "under", "against"}
_DOUBLE = {"commit", "admit", "submit", "permit", "omit", "refer", "prefer", "transfer"}
_DOUBLE |= {"control", "patrol", "compel", "expel", "regret", "equip", "begin", "forget"}


def gerund(verb: str) -> str:
    """'strengthen' → 'strengthening', 'create' → 'creating', 'stop' → 'stopping'."""
    low = verb.lower()
    if low.endswith("ie"):
        return low[:-2] + "ying"
    if low.endswith(("ee", "ye", "oe")) or low == "be":
        return low + "ing"
    if low.endswith("e"):
        return low[:-1] + "ing"
    single = len(re.findall(r"[aeiou]+", low)) == 1
    if low in _DOUBLE or (single and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", low)):
        return low + low[-1] + "ing"
    return low + "ing"


def _third_person(verb: str) -> str:
    low = verb.lower()
    if low in ("be", "have"):
        return {"be": "is", "have": "has"}[low]
    if re.search(r"[^aeiou]y$", low):
        return low[:-1] + "ies"
    if low.endswith(("s", "sh", "ch", "x", "z", "o")):
        return low + "es"
    return low + "s"


def _lower_first(text: str) -> str:
    """Lower the first word unless it is an acronym, a name-like word or a UN term ("States")."""
    word = text.split(" ", 1)[0].strip(",;:")
    if (
        word in _KEEP_CAPITAL
        or (len(word) > 1 and word.isupper())
        or any(c.isupper() for c in word[1:])
    ):
        return text
    return text[:1].lower() + text[1:]


def tidy(sentence: str) -> str:
    """The label in a declaration's register (see rule 1), one sentence without its full stop."""
    text = " ".join(str(sentence).replace("…", " ").replace("...", " ").split())
    text = re.sub(r",?\s+etc\.?", "", text)
    text = _INTENSIFIERS.sub("", text).replace("!", ".")
    text = re.sub(r"\s+([,;:.])", r"\1", text).strip().rstrip(" .;:,")
    if ": " in text:
        before, after = text.split(": ", 1)
        if _CLAIM.search(before) and before.split(" ", 1)[0].lower() not in ACTIONS:
            text = after[:1].upper() + after[1:]
        elif _FINITE.search(after):  # a clause of its own
            text = f"{before}; {after}"
        else:
            text = f"{before}, including {after}"
    return text


def _subject_is_plural(subject: str) -> bool:
    words = subject.split()
    if words and words[0].lower() in _SINGULAR_OPENERS:
        return False
    head = []
    for word in words:
        if word.lower() in _PREPOSITIONS:
            break
        head.append(word)
    last = (head or words or [""])[-1].lower().strip(",")
    return last in _PLURAL_WORDS or (last.endswith("s") and not last.endswith(("ss", "us", "is")))


def _ensure_that(subject: str, rest: str) -> str:
    """'X should [not] V …' as 'ensure that X [do not] V …', agreeing with X."""
    plural = _subject_is_plural(subject)
    words = rest.split(" ")
    negative = words[0].lower() == "not"
    words = words[1:] if negative else words
    adverbs = []
    while words and (words[0].lower() in ("also", "always", "only", "still", "never")):
        adverbs.append(words.pop(0))
    verb, tail = (words[0], words[1:]) if words else ("", [])
    if verb.lower() == "be":
        verb = ("are" if plural else "is") + (" not" if negative else "")
    elif negative:
        verb = ("do not " if plural else "does not ") + verb
    elif not plural:
        verb = _third_person(verb)
    return " ".join(["ensure that", _lower_first(subject), *adverbs, verb, *tail]).strip()


def _as_instruction(label: str) -> tuple[str, str]:
    """(kind, text): 'instruction' opening with a verb, or 'finding' (a sentence as it is); a
    noun phrase with no verb at all is promoted ("Promote employment programmes …")."""
    first = label.split(" ", 1)[0].lower().strip(",;:")
    if first in ACTIONS:
        return "instruction", label
    if (match := _MODAL.match(label)) and len(match["subject"].split()) <= 8:
        return "instruction", _ensure_that(match["subject"], match["rest"])
    if not _FINITE.search(label):
        return "instruction", "Promote " + _lower_first(label)
    return "finding", label


def _leading_verbs(words: list[str]) -> tuple[list[str], int]:
    """The verbs an instruction opens with, as gerunds ("Trace, freeze, seize and confiscate",
    "Adopt and carry out"), and where the rest begins."""
    out, i = [], 0
    while i < len(words):
        bare = words[i].rstrip(",")
        out.append(gerund(bare) + words[i][len(bare) :])
        i += 1
        if i < len(words) and words[i] in _PARTICLES and not out[-1].endswith(","):
            out.append(words[i])
            i += 1
        following = words[i].rstrip(",").lower() if i < len(words) else ""
        if out[-1].endswith(",") and following in ACTIONS - _NOUN_TOO:
            continue
        joined = words[i + 1].rstrip(",").lower() if i + 1 < len(words) else ""
        if following in ("and", "or") and joined in ACTIONS - _NOUN_TOO:
            out.append(words[i])
            i += 1
            continue
        break
    return out, i


def gerund_phrase(instruction: str) -> str:
    """An instruction with its verbs as gerunds: the first, those listed with it, and those
    joined by "and"/"or" at its level (not inside a clause, unless after ", and")."""
    words = instruction.split(" ")
    out, start = _leading_verbs(words)
    paused = False
    for j in range(start, len(words)):
        word, low = words[j], words[j].lower().strip(",;:")
        before = words[j - 1].lower()
        after = words[j + 1].lower().strip(",;:.") if j + 1 < len(words) else ""
        if low in _CLAUSE or (before == "to" and low not in _DETERMINERS):
            paused = True
        if before in ("and", "or") and low in ACTIONS:
            reopened = j > 1 and words[j - 2].endswith(",")
            if (not paused or reopened) and (low not in _NOUN_TOO or after in _DETERMINERS):
                bare = word.rstrip(",;:")
                word, paused = gerund(bare) + word[len(bare) :], False
        out.append(word)
    return " ".join(out)


def reaffirmation(commitment_text: str) -> str:
    """'Tackle the factors …' → 'We reaffirm our commitment to tackling the factors ….'"""
    return f"{REAFFIRM} {_lower_first(gerund_phrase(tidy(commitment_text)))}."


@dataclass(frozen=True)
class Drafted:
    """An operative paragraph and why it has the register it has."""

    text: str
    register: str  # commitment, encouragement, call, united_nations, recognition
    reason: str


def choose_frame(label: str, member_states: int, commit_min_member_states: int) -> tuple[str, str]:
    """(register, reason) of an idea's paragraph: see rule 3 of the module."""
    kind, text = _as_instruction(tidy(label))
    if kind == "finding":
        return "recognition", "the label states a finding, not an action, so it is recognised"
    if _EXHORT.match(text):
        return "call", "the label already names whom it calls on"
    if _UN_WORK.search(text):
        return "united_nations", "the idea concerns the work of the United Nations system"
    states = f"{member_states} Member State{'s' if member_states != 1 else ''}"
    if member_states >= commit_min_member_states:
        return "commitment", f"proposed by {states}"
    return "encouragement", (
        f"proposed by {states}; a commitment needs at least {commit_min_member_states}"
    )


def operative(label: str, member_states: int, commit_min_member_states: int = 2) -> Drafted:
    """An idea's English label as an operative paragraph in declaration language."""
    register, reason = choose_frame(label, member_states, commit_min_member_states)
    _, text = _as_instruction(tidy(label))
    if register == "recognition":
        sentence = f"{RECOGNIZE} {_lower_first(text)}"
    elif register == "call":
        verb, rest = _EXHORT.match(text).group(1), text[_EXHORT.match(text).end() :]
        verb = " ".join(verb.lower().split()).replace("call on", "call upon")
        sentence = f"We {'call upon' if verb == 'ask' else verb} {rest}"
    elif register == "commitment":
        phrase = gerund_phrase(text)
        phrase = re.sub(r"^(\w+(?: (?:and|or) \w+)?) their\b", r"\1 our", phrase)
        sentence = f"{COMMIT} {_lower_first(phrase)}"
    else:
        frame = UN_SYSTEM if register == "united_nations" else ENCOURAGE
        sentence = f"{frame} {_lower_first(text)}"
    return Drafted(sentence.rstrip(" .;:,") + ".", register, reason)
