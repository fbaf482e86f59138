"""Write contribution documents (Word, PDF, ODT, text, Markdown, HTML) from their content as data.

Used by `tests/make_documents.py`, which writes the demo's documents into
`inputs/contributions/` and the labelled set into `tests/data/documents/`, and by the tests. A
document is a list of (label, text): the label is what a reader should make of the paragraph —
a skip reason of `reviewlib.gather.splitting` ('heading', 'courtesy', 'salutation', 'signature',
'letterhead', 'too_short') or 'kind/pillar' for a statement. Everything here is fictional.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

FIXED = dt.datetime(2017, 5, 2, 9, 0, 0)


@dataclass(frozen=True)
class Doc:
    """One document: its file name, who sent it (the sidecar), its running header, its paragraphs."""

    name: str
    meta: dict[str, str]
    paragraphs: list[tuple[str, str]]
    header: str = ""
    footer: str = ""
    split: str = "tune"  # 'tune' (rules were written looking at it) or 'held_out'
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def sidecar(doc: Doc) -> str:
    return "".join(f"{k}: {v}\n" for k, v in doc.meta.items())


def _style(label: str, text: str) -> str | None:
    if label == "heading":
        return "Heading 1"
    return "List Bullet" if text.startswith("• ") else None


def write_docx(doc: Doc, path: Path) -> Path:
    import docx

    document = docx.Document()
    if doc.header:
        document.sections[0].header.paragraphs[0].text = doc.header
    if doc.footer:
        document.sections[0].footer.paragraphs[0].text = doc.footer
    for label, text in doc.paragraphs:
        style = _style(label, text)
        document.add_paragraph(text.removeprefix("• "), style=style)
    props = document.core_properties
    props.author, props.title = doc.meta.get("contributor", ""), doc.extra.get("title", "")
    props.created = props.modified = FIXED
    props.last_modified_by, props.revision = "", 1
    document.save(path)
    return _fixed_times(path)


def _fixed_times(path: Path) -> Path:
    """The zip rewritten with one fixed time on every member, so the same content gives the
    same bytes (a word processor stamps the time of saving)."""
    with zipfile.ZipFile(path) as archive:
        members = [(item, archive.read(item)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in members:
            fixed = zipfile.ZipInfo(item.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = item.compress_type
            archive.writestr(fixed, data)
    return path


def write_pdf(doc: Doc, path: Path) -> Path:
    from fpdf import FPDF

    class Pdf(FPDF):
        def header(self):
            if doc.header:
                self.set_font("helvetica", size=8)
                self.cell(0, 8, doc.header, align="C")
                self.ln(12)

        def footer(self):
            self.set_y(-15)
            self.set_font("helvetica", size=8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")

    pdf = Pdf()
    pdf.set_creation_date(FIXED)
    pdf.set_author(doc.meta.get("contributor", ""))
    pdf.add_page()
    for label, text in doc.paragraphs:
        pdf.set_font("helvetica", style="B" if label == "heading" else "", size=11)
        item = text.startswith("• ")
        shown = "- " + text.removeprefix("• ") if item else text
        pdf.multi_cell(0, 6, shown, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.output(str(path))
    return path


_ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:text>{body}</office:text></office:body></office:document-content>"
)
_ODT_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:master-styles><style:master-page style:name="Standard">'
    "<style:header><text:p>{header}</text:p></style:header>"
    "</style:master-page></office:master-styles></office:document-styles>"
)
_ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
    "<dc:creator>{author}</dc:creator><dc:language>{language}</dc:language>"
    "</office:meta></office:document-meta>"
)


def write_odt(doc: Doc, path: Path) -> Path:
    body = []
    for label, text in doc.paragraphs:
        words = xml_escape(text.removeprefix("• "))
        if label == "heading":
            body.append(f'<text:h text:outline-level="1">{words}</text:h>')
        elif text.startswith("• "):
            body.append(
                f"<text:list><text:list-item><text:p>{words}</text:p></text:list-item></text:list>"
            )
        else:
            body.append(f"<text:p>{words}</text:p>")
    info = zipfile.ZipInfo("mimetype", date_time=FIXED.timetuple()[:6])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(info, "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        for name, text in (
            ("content.xml", _ODT_CONTENT.format(body="".join(body))),
            ("styles.xml", _ODT_STYLES.format(header=xml_escape(doc.header))),
            (
                "meta.xml",
                _ODT_META.format(
                    author=xml_escape(doc.meta.get("contributor", "")),
                    language=doc.meta.get("language", ""),
                ),
            ),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6]), text)
    return path


def write_text(doc: Doc, path: Path) -> Path:
    markdown = doc.suffix == ".md"
    lines = []
    for label, text in doc.paragraphs:
        if label == "heading":
            lines.append(f"## {text}" if markdown else f"{text}\n{'=' * len(text)}")
        elif text.startswith("• "):
            lines.append("- " + text.removeprefix("• "))
        else:
            lines.append(text)
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_html(doc: Doc, path: Path) -> Path:
    parts = [f"<header><p>{escape(doc.header)}</p></header>"] if doc.header else []
    for label, text in doc.paragraphs:
        if label == "heading":
            parts.append(f"<h2>{escape(text)}</h2>")
        elif text.startswith("• "):
            parts.append(f"<ul><li>{escape(text.removeprefix('• '))}</li></ul>")
        else:
            parts.append(f"<p>{escape(text)}</p>")
    page = (
        f'<!DOCTYPE html><html lang="{doc.meta.get("language", "en")}"><head><meta charset="utf-8">'
        f"<title>{escape(doc.name)}</title></head><body>{''.join(parts)}</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path


WRITERS = {
    ".docx": write_docx,
    ".pdf": write_pdf,
    ".odt": write_odt,
    ".txt": write_text,
    ".md": write_text,
    ".html": write_html,
}


def write(doc: Doc, folder: Path) -> Path:
    """The document and its sidecar written into a folder; the document's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = WRITERS[doc.suffix](doc, folder / doc.name)
    (folder / (Path(doc.name).stem + ".meta.yml")).write_text(sidecar(doc), encoding="utf-8")
    return path


def expected(doc: Doc) -> list[tuple[str, str]]:
    """(label, text) of every paragraph a reader should find, the running header first (Word,
    ODT and HTML keep it once; a PDF repeats it and its page number on every page)."""
    out = [("header", doc.header)] if doc.header else []
    if doc.suffix == ".pdf":
        out.append(("footer", "Page 1"))  # on every page, numbered
    out += [(label, text.removeprefix("• ")) for label, text in doc.paragraphs]
    if doc.footer and doc.suffix == ".docx":
        out.insert(1 if doc.header else 0, ("footer", doc.footer))
    return out
