"""Read a contribution sent as a document (Word, PDF, ODT, plain text, Markdown, HTML) into blocks.

A block is one paragraph as the document has it — a heading, a paragraph, a list item, a table
cell's text, a page header or footer — numbered in reading order, so that the ledger can account
for every one. Readers only read: what a block is for (statement or courtesy formula) is decided
by `reviewlib.gather.splitting`. A document that cannot be read raises `UnreadableFile` with the
ledger's sentence and what to do; one past an intake limit, `LimitExceeded`. Nothing here goes to
the network, and no XML entity is ever expanded.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from reviewlib.gather.limits import Deadline, IntakeLimits, LimitExceeded, check_size, check_zip
from reviewlib.gather.plain_documents import (
    ITEM,
    Block,
    Document,
    clean,
    join_lines,
    read_html,
    read_text,
)
from reviewlib.gather.readers import UnreadableFile

__all__ = ["Block", "Document", "DOCUMENT_SUFFIXES", "read_document"]

DOCUMENT_SUFFIXES = (".docx", ".pdf", ".odt", ".txt", ".md", ".html", ".htm")


# --- zipped XML documents (DOCX, ODT) ------------------------------------------------------------


def _refuse_entities(path: Path, what: str) -> None:
    """Refuse a zipped document whose XML declares a DTD or entities (XXE, billion laughs): the
    declaration must come before the root element, so the first bytes of each part tell."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(member) as stream:
                    head = stream.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise UnreadableFile(
                        f"the {what} declares XML entities ({member.filename}), which are refused "
                        "for safety; ask the contributor to save it again from their word processor"
                    )
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        return  # not a zip: the reader says so in its own words


def _docx_style(paragraph, names: dict[str, str]) -> str:
    """heading, item or paragraph, from the paragraph's style (looked up by its id: python-docx's
    own lookup scans every style for each paragraph) and its list numbering."""
    properties = paragraph._p.pPr
    style_id = (
        properties.pStyle.val if properties is not None and properties.pStyle is not None else ""
    )
    name = names.get(style_id, "")
    if name.startswith(("Heading", "Title", "Subtitle")):
        return "heading"
    numbered = properties is not None and properties.numPr is not None
    return "item" if numbered or name.startswith("List") else "paragraph"


def _docx_blocks(document, deadline: Deadline) -> list[Block]:
    from docx.table import Table

    names = {style.style_id: style.name or "" for style in document.styles}
    blocks: list[Block] = []
    seen_parts: set[int] = set()
    for section in document.sections:
        for part, style in ((section.header, "header"), (section.footer, "footer")):
            if part.is_linked_to_previous or id(part.part) in seen_parts:
                continue
            seen_parts.add(id(part.part))
            blocks += [Block(clean(p.text), style) for p in part.paragraphs if clean(p.text)]
    for count, item in enumerate(document.iter_inner_content()):
        if count % 200 == 0:
            deadline.check()
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if text := clean(cell.text):
                        blocks.append(Block(text, "cell"))
        elif text := clean(item.text):
            blocks.append(Block(text, _docx_style(item, names)))
    return blocks


def read_docx(path: Path, limits: IntakeLimits) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _refuse_entities(path, "Word document")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise UnreadableFile(
            f"the file is not a readable Word document ({type(exc).__name__}); if it is "
            "password-protected, ask the contributor for an unprotected copy, else for the "
            "document saved again as .docx or PDF"
        ) from None
    blocks = _docx_blocks(document, Deadline(limits))
    core = document.core_properties
    created = core.created.date().isoformat() if core.created else ""
    properties = {
        "submitter": core.author or "",
        "title": core.title or "",
        "language": core.language or "",
        "created": created,
    }
    return Document(tuple(blocks), {k: v.strip() for k, v in properties.items() if v})


_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def _odf_text(element) -> str:
    """The text of an ODF paragraph, with its spaces, tabs and line breaks written as such."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_ODF['text']}}}c", "1")))
        elif tag in ("tab", "line-break"):
            parts.append(" ")
        else:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odf_walk(element, style: str, out: list[Block]) -> None:
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("p", "h"):
            if text := clean(_odf_text(child)):
                out.append(Block(text, "heading" if tag == "h" else style))
        elif tag == "list-item":
            _odf_walk(child, "item", out)
        elif tag == "table-cell":
            _odf_walk(child, "cell", out)
        else:
            _odf_walk(child, style, out)


def _odf_parse(archive: zipfile.ZipFile, name: str):
    import defusedxml.ElementTree as safe

    try:
        return safe.fromstring(archive.read(name))
    except KeyError:
        return None


def read_odt(path: Path, limits: IntakeLimits) -> Document:
    _refuse_entities(path, "OpenDocument text")
    try:
        with zipfile.ZipFile(path) as archive:
            content = _odf_parse(archive, "content.xml")
            styles = _odf_parse(archive, "styles.xml")
            meta = _odf_parse(archive, "meta.xml")
    except Exception as exc:  # a damaged zip, or XML that defusedxml refuses
        raise UnreadableFile(
            f"the file is not a readable OpenDocument text ({type(exc).__name__}); ask the "
            "contributor for the document saved again as .odt, .docx or PDF"
        ) from None
    if content is None:
        raise UnreadableFile("the file is not an OpenDocument text (no content.xml)")
    blocks: list[Block] = []
    for kind in ("header", "footer"):
        for part in styles.iter(f"{{{_ODF['style']}}}{kind}") if styles is not None else ():
            _odf_walk(part, kind, blocks)
    body = content.find(f"{{{_ODF['office']}}}body")
    _odf_walk(body if body is not None else content, "paragraph", blocks)
    properties: dict[str, str] = {}
    if meta is not None:
        for key, tag in (
            ("submitter", "dc:creator"),
            ("title", "dc:title"),
            ("language", "dc:language"),
            ("created", "meta:creation-date"),
        ):
            prefix, local = tag.split(":")
            found = meta.find(f".//{{{_ODF[prefix]}}}{local}")
            if found is not None and (found.text or "").strip():
                properties[key] = (
                    found.text.strip()[:10] if key == "created" else found.text.strip()
                )
    return Document(tuple(blocks), properties)


# --- PDF -------------------------------------------------------------------------------------------

_NO_TEXT = (
    "scanned document: it has no text layer; install the OCR extra (pip install "
    "'reviewlib[ocr]' and Debian's tesseract-ocr with its language packs) or transcribe it, "
    "then put the text beside it as a .docx or .txt"
)


def _pdf_reader(path: Path):
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("a password is needed")
        return reader, len(reader.pages)
    except (FileNotDecryptedError, NotImplementedError):
        raise UnreadableFile(
            "the PDF is encrypted with a password; ask the contributor for an unprotected copy"
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, zlib.error) as exc:
        raise UnreadableFile(
            f"the file is not a readable PDF ({type(exc).__name__}); ask the contributor to "
            "export it again as PDF, or to send the Word document"
        ) from None


def _pdf_paragraphs(text: str) -> list[str]:
    """Paragraphs of one page's text as laid out: blank lines part them; a line that starts a
    list item ('-', '•', '1.', 'a)') starts a new one."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = clean(raw)
        if not line:
            paragraphs.append([])
        elif ITEM.match(line) and paragraphs[-1]:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [join_lines(p) for p in paragraphs if p]


_PAGE_NUMBER = re.compile(
    r"^(?:[-–—(]\s*)?(?:page|p\.|página|pagina|стр\.?|страница)?\s*\d{1,4}"
    r"(?:\s*(?:/|of|de|sur|из)\s*\d{1,4})?(?:\s*[-–—)])?$",
    re.IGNORECASE,
)


def _running(text: str) -> str:
    """A page's first or last line with its numbers taken out, to find those every page repeats."""
    return re.sub(r"\d+", "#", text.casefold())


def _pdf_blocks(pages: list[list[str]]) -> list[Block]:
    """Paragraphs of every page as blocks: a first or last line that recurs on at least half the
    pages (numbers aside), or a page number, is a page header or footer; a paragraph cut by a
    page break is joined again."""
    counts: dict[str, int] = {}
    for paragraphs in pages:
        for text in {_running(t) for t in paragraphs[:1] + paragraphs[-1:]}:
            counts[text] = counts.get(text, 0) + 1
    repeated = {t for t, n in counts.items() if len(pages) > 1 and n * 2 >= len(pages)}
    blocks: list[Block] = []
    for number, paragraphs in enumerate(pages, start=1):
        last = len(paragraphs) - 1
        body_started = False
        for i, text in enumerate(paragraphs):
            edge = i in (0, last)
            if _PAGE_NUMBER.match(text) or (edge and _running(text) in repeated):
                blocks.append(Block(text, "header" if i == 0 else "footer", number))
                continue
            previous = next((b for b in reversed(blocks) if b.style == "paragraph"), None)
            if (
                not body_started
                and previous is not None
                and previous.page == number - 1
                and text[:1].islower()
                and not previous.text.endswith((".", ":", ";", "!", "?"))
            ):
                at = blocks.index(previous)
                blocks[at] = Block(join_lines([previous.text, text]), "paragraph", previous.page)
            else:
                item = ITEM.match(text) is not None
                shown = ITEM.sub("", text, count=1) if item else text
                blocks.append(Block(shown, "item" if item else "paragraph", number))
            body_started = True
    return blocks


def read_pdf(path: Path, limits: IntakeLimits) -> Document:
    reader, pages = _pdf_reader(path)
    if pages > limits.pages:
        raise LimitExceeded("pages", pages, limits.pages)
    deadline = Deadline(limits)
    pages_text: list[list[str]] = []
    for number, page in enumerate(reader.pages, start=1):
        deadline.check()
        try:
            text = page.extract_text(extraction_mode="layout") or ""
        except Exception as exc:  # pypdf raises many kinds on a damaged page
            raise UnreadableFile(
                f"page {number} of the PDF could not be read ({type(exc).__name__}); ask the "
                "contributor to export it again as PDF"
            ) from None
        pages_text.append(_pdf_paragraphs(text))
    blocks = _pdf_blocks(pages_text)
    scanned = not blocks and pages
    if scanned and (recognised := _ocr(reader, deadline)) is not None:
        blocks = _pdf_blocks(recognised)
    if not blocks and pages:
        raise UnreadableFile(_NO_TEXT)
    info = reader.metadata or {}
    properties = {
        "submitter": str(info.get("/Author") or ""),
        "title": str(info.get("/Title") or ""),
    }
    properties = {k: v.strip() for k, v in properties.items() if v.strip()}
    if scanned:
        properties["ocr"] = "yes"
    return Document(tuple(blocks), properties)


# Tesseract's names of the six UN languages' packs (Debian: tesseract-ocr-eng, -fra, …).
_OCR_LANGUAGES = ("eng", "fra", "spa", "rus", "ara", "chi_sim")


def _ocr(reader, deadline: Deadline) -> list[list[str]] | None:
    """The paragraphs of each page of a scanned PDF read by OCR (the optional extra: pytesseract
    with Debian's tesseract-ocr and language packs), or None when it is not installed."""
    import shutil

    try:
        import pytesseract
    except ImportError:
        return None
    if shutil.which("tesseract") is None:
        return None
    installed = set(pytesseract.get_languages(config=""))
    languages = "+".join(x for x in _OCR_LANGUAGES if x in installed) or "eng"
    pages = []
    for page in reader.pages:
        texts = []
        for image in page.images:  # a scanner stores each page as one image
            deadline.check()
            texts.append(pytesseract.image_to_string(image.image, lang=languages))
        pages.append(_pdf_paragraphs("\n".join(texts)))
    return pages


_READERS = {
    ".docx": read_docx,
    ".odt": read_odt,
    ".pdf": read_pdf,
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
}


def read_document(path: Path, limits: IntakeLimits | None = None) -> Document:
    """One document → its blocks and properties; UnreadableFile or LimitExceeded with the
    ledger's sentence. Sizes are checked before the document is opened."""
    limits = limits or IntakeLimits()
    suffix = path.suffix.lower()
    try:
        check_size(path, limits)
        if path.stat().st_size == 0:
            raise UnreadableFile(
                "the file is empty (0 bytes); ask the contributor to send it again"
            )
        if suffix in (".docx", ".odt"):
            check_zip(path, limits)
        document = _READERS[suffix](path, limits)
    except OSError as exc:
        raise UnreadableFile(f"the file could not be opened ({exc.strerror})") from None
    if len(document.blocks) > limits.rows:
        raise LimitExceeded("rows", len(document.blocks), limits.rows)
    if not document.blocks:
        raise UnreadableFile("the document holds no text; ask the contributor for its content")
    return document
