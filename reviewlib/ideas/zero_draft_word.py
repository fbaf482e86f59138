"""The elements for the zero draft as a Word document negotiators edit with tracked changes.

What it holds is `reviewlib.ideas.zero_draft`; this module lays it out:

- a title block (review title, "Elements for a zero draft — for discussion", the date and what
  it means, the version, the illustrative banner and the milestone note when there is one), and
  the same in the header of every page, with "Page N of M" in the footer;
- the document language set (styles, core properties), so spelling is checked in English;
- named paragraph styles (``Draft paragraph``, ``Draft note``, ``Banner``) rather than direct
  formatting, and typed paragraph numbers ("OP 7") rather than Word's list numbering: a
  delegate's inserted paragraph takes the style, and tracked changes record words, not
  renumbering;
- one Word comment per numbered paragraph, with its sources;
- the annex of contributions received as a table.

The same draft gives the same bytes: core properties and comment dates come from the draft's
date, and the package is re-zipped with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reviewlib.files import atomic_write_bytes
from reviewlib.ideas.zero_draft import SUBTITLE, ZeroDraft

__all__ = ["write_docx", "LANGUAGE_TAGS", "AUTHOR"]

AUTHOR, INITIALS = "GPA review workbook", "GPA"
# The language tag Word checks spelling in, per language of the review (UN English is British).
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "ar": "ar-SA"}
LANGUAGE_TAGS["zh"] = "zh-CN"
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: object) -> str:
    """Text as Word may hold it: no control characters, spaces tidied."""
    return _NOT_XML.sub("", " ".join(str(text).split()))


def _sentence(text: str) -> str:
    text = _clean(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def _styles(doc, tag: str) -> None:
    """Named styles and the document language (in the defaults every style inherits)."""
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(11)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)  # the language of Latin-script text; East Asian and bidi as set
    for name, italic, bold in (
        ("Draft paragraph", False, False),
        ("Draft note", True, False),
        ("Banner", False, True),
    ):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.next_paragraph_style = style
        style.font.italic, style.font.bold = italic, bold
        style.paragraph_format.space_after = Pt(6)
    hanging = doc.styles["Draft paragraph"].paragraph_format  # "OP 12." hangs in the margin
    hanging.left_indent, hanging.first_line_indent = Cm(1.5), Cm(-1.5)
    hanging.tab_stops.add_tab_stop(Cm(1.5))


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_furniture(doc, draft: ZeroDraft) -> None:
    section = doc.sections[0]
    lines = [
        f"Draft — for discussion · {draft.short_title} · {SUBTITLE.split(' — ')[0]}",
        f"{draft.received} · version {draft.version}",
    ]
    if draft.illustrative_note:
        lines.append("Illustrative data: the contributions behind this document are fictional.")
    if draft.milestone_note:
        lines.append(draft.milestone_note)
    header = section.header.paragraphs[0]
    header.text = _clean(lines[0])
    for line in lines[1:]:
        section.header.add_paragraph(_clean(line))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


class _StyleIds(dict):
    """The id of each paragraph style by its name, looked up once: given a style, python-docx
    searches the styles part for it (and for the default style) at every paragraph."""

    def __init__(self, doc) -> None:
        super().__init__()
        self.doc = doc

    def __missing__(self, name: str) -> str:
        self[name] = self.doc.styles[name].style_id
        return self[name]


def _add(doc, text: str, style_id: str):
    """What `doc.add_paragraph(text, style)` adds, for a style other than the default (Normal)."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _title_block(doc, draft: ZeroDraft, ids: _StyleIds) -> None:
    _add(doc, _clean(draft.title), ids["Title"])
    _add(doc, SUBTITLE, ids["Subtitle"])
    doc.add_paragraph(_sentence(f"{draft.received}. Version {draft.version}"))
    for banner in (draft.illustrative_note, draft.milestone_note):
        if banner:
            _add(doc, _sentence(banner), ids["Banner"])
    for note in draft.introduction:
        _add(doc, _sentence(note), ids["Draft note"])


def _heading(doc, text: str, level: int, ids: _StyleIds):
    """What `doc.add_heading` adds."""
    return _add(doc, _clean(text), ids[f"Heading {level}" if level else "Title"])


def _body(doc, draft: ZeroDraft, stamp: dt.datetime, ids: _StyleIds) -> None:
    for section in draft.sections:
        _heading(doc, section.heading, section.level, ids)
        for note in section.notes:
            _add(doc, _sentence(note), ids["Draft note"])
        for paragraph in section.paragraphs:
            p = _add(doc, "", ids["Draft paragraph"])
            number = p.add_run(f"{paragraph.number}.")
            number.bold = True
            text = p.add_run("\t" + _sentence(paragraph.text))
            lines = [_clean(line) for line in paragraph.comment] or [""]
            comment = doc.add_comment(
                [number, text], text=lines[0], author=AUTHOR, initials=INITIALS
            )
            for line in lines[1:]:
                comment.add_paragraph(line)
            comment._comment_elm.date = stamp  # python-docx stamps the wall clock otherwise


def _annex(doc, draft: ZeroDraft, ids: _StyleIds) -> None:
    _heading(doc, "Annex — Contributions received", 1, ids)
    _add(doc, _sentence(draft.acknowledgement_note), ids["Draft note"])
    frame = draft.acknowledgements
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = doc.styles["Table Grid"]
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = name[:1].upper() + name[1:]
        cell.paragraphs[0].runs[0].bold = True
    for row in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _clean(value)


def write_docx(draft: ZeroDraft, path: Path) -> Path:
    """Write the draft to ``path`` (.docx) and return the path; same draft, same bytes."""
    day = draft.date
    stamp = _EPOCH if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    tag = LANGUAGE_TAGS.get(draft.language, draft.language or "en-GB")
    doc = Document()
    _styles(doc, tag)
    props = doc.core_properties
    props.title, props.subject = _clean(draft.title), SUBTITLE
    props.author = props.last_modified_by = AUTHOR
    props.language, props.version, props.revision = tag, draft.version, 1
    props.created = props.modified = stamp.replace(tzinfo=None)
    _page_furniture(doc, draft)
    ids = _StyleIds(doc)
    _title_block(doc, draft, ids)
    _body(doc, draft, stamp, ids)
    _annex(doc, draft, ids)
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write_bytes(Path(path), _fixed_zip(buffer.getvalue()))
    return Path(path)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so equal content gives equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
