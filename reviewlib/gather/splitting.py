"""A document's blocks → candidate statements and skipped paragraphs, each skip with its reason.

Paragraphs and list items are candidate statements, with the heading above them kept as their
context. Page headers and footers, headings, the courtesy formulas of a note verbale ("The
Permanent Mission of … presents its compliments …"), salutations and closings, signatures,
letterhead lines (place and date, reference numbers, addresses) and paragraphs too short to say
anything are skipped, each with its reason, so that the ledger accounts for every paragraph.
Cue phrases are given in the six UN languages and compared folded (case and accents aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewlib.gather.plain_documents import Block
from reviewlib.text import fold

__all__ = ["Paragraph", "SKIP_REASONS", "split", "MIN_WORDS"]

MIN_WORDS = 6
_TITLE_WORDS = 10
_ENDS = (".", "!", "?", ";", ":", "…", "。", "！", "？", ")", '"', "”", "»")
# Why a paragraph is not a statement, as the ledger says it.
SKIP_REASONS = {
    "header": "a page header",
    "footer": "a page footer",
    "heading": "a heading (kept as the context of the paragraphs under it)",
    "courtesy": "a courtesy formula of a note verbale",
    "salutation": "a salutation or closing",
    "signature": "a signature",
    "letterhead": "a letterhead line (place and date, reference or address)",
    "too_short": "too short to be a statement",
}


_LETTER = "a-z0-9\u0400-\u04ff\u0600-\u06ff"


def cues(*phrases: str) -> re.Pattern[str]:
    """One pattern for phrases compared folded; whole words in alphabetic scripts, any run of
    characters in Chinese (written without spaces). A trailing '*' matches any ending."""
    terms = []
    for phrase in sorted({p.strip() for p in phrases}, key=len, reverse=True):
        body = r"\s+".join(map(re.escape, fold(phrase.rstrip("*")).split()))
        terms.append(body + (f"[{_LETTER}]*" if phrase.endswith("*") else ""))
    return re.compile(f"(?<![{_LETTER}])(?:" + "|".join(terms) + f")(?![{_LETTER}])")


# Courtesy formulas of notes verbales and letters, opening and closing, in the six languages.
_COURTESY = cues(
    "presents its compliments",
    "present their compliments",
    "has the honour to",
    "avails itself of this opportunity",
    "assurances of its highest consideration",
    "renew to the",
    "présente ses compliments",
    "a l'honneur de",
    "saisit cette occasion",
    "les assurances de sa très haute considération",
    "sa haute considération",
    "saluda atentamente",
    "tiene el honor de",
    "aprovecha la oportunidad",
    "aprovecha esta oportunidad",
    "las seguridades de su más alta consideración",
    "su más alta consideración",
    "свидетельствует свое уважение",
    "свидетельствует своё уважение",
    "имеет честь",
    "пользуется случаем",
    "уверения в своем высоком уважении",
    "уверения в своём высоком уважении",
    "تهدي تحياتها",
    "تتشرف بأن",
    "تغتنم هذه الفرصة",
    "فائق تقديرها",
    "向联合国",
    "致意",
    "顺致崇高的敬意",
    "谨向",
    "借此机会",
)
_SALUTATION = cues(
    "dear",
    "excellency",
    "your excellency",
    "sincerely",
    "yours faithfully",
    "yours sincerely",
    "kind regards",
    "best regards",
    "with regards",
    "madame, monsieur",
    "monsieur le",
    "madame la",
    "veuillez agréer",
    "cordialement",
    "salutations distinguées",
    "estimad*",
    "señor*",
    "atentamente",
    "cordialmente",
    "уважаем*",
    "с уважением",
    "искренне ваш",
    "سعادة",
    "مع خالص التحية",
    "尊敬的",
    "此致",
    "敬礼",
)
_SIGNATURE = cues(
    "signed",
    "signé",
    "firmado",
    "подпись",
    "signature",
    "permanent representative",
    "représentant permanent",
    "representante permanente",
    "постоянный представитель",
    "executive director",
    "director",
    "directeur",
    "directora",
    "директор",
    "chargé d'affaires",
    "encargado de negocios",
    "временный поверенный",
)
# "New York, 2 May 2017", "Genève, le 2 mai 2017", "Nueva York, 2 de mayo de 2017",
# "Нью-Йорк, 2 мая 2017 года", "May 2, 2017", "2017-05-02".
_DATE_LINE = re.compile(
    r"^[\w .'-]{0,40},?\s+(?:(?:le\s+)?\d{1,2}(?:er)?\s+(?:de\s+)?\w+\s+(?:de\s+)?\d{4}"
    r"(?:\s+(?:года|г\.))?|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})\.?$"
)
_REFERENCE = re.compile(
    r"^(?:ref(?:erence)?|réf(?:érence)?|no|n°|nº|№|our ref|note no|note verbale no)(?!\w)"
    r"[\s.:]*\S+$",
    re.IGNORECASE,
)
_ADDRESS = cues(
    "united nations plaza",
    "new york, ny",
    "palais des nations",
    "vienna international centre",
    "p.o. box",
    "tel.",
    "fax",
    "e-mail",
    "email:",
)


@dataclass(frozen=True)
class Paragraph:
    """One block as the ledger accounts for it: its number, text, skip reason ('' = a candidate
    statement) and the heading it sits under."""

    number: int
    text: str
    skip: str
    heading: str
    page: int = 0


def _words(text: str) -> int:
    # Chinese and Japanese are written without spaces: count a run of ideographs as words.
    spaced = len(text.split())
    ideographs = len(re.findall(r"[\u3400-\u9fff]", text))
    return max(spaced, ideographs // 2)


def _reason(block: Block, folded: str, closed: bool) -> str:
    """Why a block is not a statement, or '' when it is a candidate."""
    if block.style in ("header", "footer", "heading"):
        return block.style
    words = _words(block.text)
    if _COURTESY.search(folded) and (words < 60 or _COURTESY.match(folded.strip())):
        return "courtesy"
    text = block.text.strip()
    if words <= 20 and _SALUTATION.match(folded.strip()):
        return "salutation"
    if words <= 10 and (_DATE_LINE.match(text) or _REFERENCE.match(text)):
        return "letterhead"
    if words <= 12 and _ADDRESS.search(folded):
        return "letterhead"
    if words <= 10 and (closed or _SIGNATURE.search(folded) or text.startswith("(")):
        return "signature" if (closed or _SIGNATURE.search(folded)) else "too_short"
    if words < MIN_WORDS:
        return "too_short"
    if block.style == "paragraph" and words <= _TITLE_WORDS and not text.endswith(_ENDS):
        return "heading"  # a title set as a plain paragraph, as PDFs lose the heading style
    return ""


def split(blocks: tuple[Block, ...] | list[Block]) -> list[Paragraph]:
    """Every block as a Paragraph, numbered from 1 in reading order: candidates have no skip
    reason; headings become the context of what follows them. Once a closing formula has been
    read, short lines after it are taken as the signature."""
    out: list[Paragraph] = []
    heading = ""
    closed = False
    for number, block in enumerate(blocks, start=1):
        folded = fold(block.text)
        reason = _reason(block, folded, closed)
        if reason == "heading":
            heading = block.text
        if reason in ("courtesy", "salutation") and out and not _is_opening(out):
            closed = True
        out.append(Paragraph(number, block.text, reason, heading, block.page))
    return out


def _is_opening(previous: list[Paragraph]) -> bool:
    """True while no candidate statement has been read yet (an opening formula, not a closing)."""
    return not any(p.skip == "" for p in previous)
