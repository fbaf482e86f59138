"""Hostile and broken contribution files, made on the spot (never stored: some unzip to GBs).

Shared by tests/test_limits.py (each is one ledger line) and benchmarks/bench_hostile.py (the
memory and time `reviewlib validate` takes on the demo plus each).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

_CONTRIBUTOR = {
    "submitter": "Harbour Light Network",
    "stakeholder_type": "civil_society",
    "received": "2017-05-01",
    "language": "en",
}
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Statements" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"
MB = 1_000_000


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _write_zip(path: Path, parts: dict[str, str], big: str, chunks: Iterable[str]) -> Path:
    """A real zip: the small parts, and `big` written from `chunks` (deflated as it goes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open(big, "w", force_zip64=True) as out:
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))
    return path


def _repeat(text: str, total: int, piece: int = MB) -> Iterable[str]:
    block = text * (piece // len(text))
    written = 0
    while written < total:
        yield block
        written += len(block)


def xlsx_sheet(path: Path, rows: Iterable[str]) -> Path:
    return _write_zip(
        path, _XLSX_PARTS, "xl/worksheets/sheet1.xml", [_SHEET_HEAD, *rows, _SHEET_TAIL]
    )


def xlsx_bomb(path: Path, unzipped_mb: int = 300) -> Path:
    """One cell of `unzipped_mb` MB of text: a few hundred kB on disk."""
    header = f'<row r="1">{_cell("A1", "kind")}{_cell("B1", "text")}</row>'
    body = [
        '<row r="2"><c r="A2" t="inlineStr"><is><t>gap</t></is></c><c r="B2" t="inlineStr"><is><t>',
        *_repeat("a", unzipped_mb * MB),
        "</t></is></c></row>",
    ]
    return xlsx_sheet(path, [header, *body])


def xlsx_ratio_bomb(path: Path) -> Path:
    """Under the size limit once unzipped (60 MB), but a thousand times its zipped size."""
    return xlsx_bomb(path, 60)


def xlsx_million_rows(path: Path, count: int = 1_048_576) -> Path:
    """Every row of a sheet used: the most Excel holds."""

    def rows() -> Iterable[str]:
        yield f'<row r="1">{_cell("A1", "kind")}{_cell("B1", "text")}</row>'
        batch = []
        for n in range(2, count + 1):
            batch.append(
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>gap {n}</t></is></c></row>'
            )
            if len(batch) == 10_000:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    return xlsx_sheet(path, rows())


def docx_bomb(path: Path, unzipped_mb: int = 300) -> Path:
    parts = {"[Content_Types].xml": _XLSX_PARTS["[Content_Types].xml"]}
    chunks = [
        "<w:document><w:body><w:p><w:r><w:t>",
        *_repeat("a", unzipped_mb * MB),
        "</w:t></w:r></w:p></w:body></w:document>",
    ]
    return _write_zip(path, parts, "word/document.xml", chunks)


def _json(statement: dict) -> str:
    return json.dumps({"contribution": _CONTRIBUTOR, "statements": [statement]})


def delimiters_only(path: Path) -> Path:
    path.write_text(",,,,\n,,,,\n,,,,\n", encoding="utf-8")
    return path


def deep_json(path: Path, depth: int = 100_000) -> Path:
    path.write_text(
        '{"contribution": {}, "statements": ' + "[" * depth + "]" * depth + "}", encoding="utf-8"
    )
    return path


def huge_integer(path: Path, digits: int = 5_000) -> Path:
    text = _json({"kind": "gap", "text": "Shelters are scarce.", "evidence": 7})
    path.write_text(text.replace('"evidence": 7', '"evidence": ' + "9" * digits), encoding="utf-8")
    return path


def lone_surrogate(path: Path) -> Path:
    text = _json({"kind": "gap", "text": "Shelters are scarce. SURROGATE"})
    path.write_text(text.replace("SURROGATE", "\\ud800"), encoding="utf-8")
    return path


# name of the file → (how to make it, the limit or words its ledger line must name)
def docx_entities(path: Path) -> Path:
    """A Word document whose XML declares an external entity (XXE)."""
    import docx

    plain = path.with_name(path.stem + "-plain.docx")
    document = docx.Document()
    document.add_paragraph("Placeholder paragraph of a document that declares an entity.")
    document.save(plain)
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(path, "w") as hostile:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                entity = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                data = data.replace(b"?>", b"?>" + entity, 1).replace(b"Placeholder", b"&xxe;")
            hostile.writestr(item, data)
    plain.unlink()
    return path


def pdf_encrypted(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(path)
    return path


def pdf_pages(path: Path, pages: int = 2_000) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(path)
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "delimiters.csv": (delimiters_only, "no text, only delimiters"),
    "deep.json": (deep_json, "intake.json_depth"),
    "huge_integer.json": (huge_integer, "intake.number_digits"),
    "surrogate.json": (lone_surrogate, "not valid Unicode"),
    "bomb.xlsx": (xlsx_bomb, "intake.unzipped_mb"),
    "ratio_bomb.xlsx": (xlsx_ratio_bomb, "intake.zip_ratio"),
    "bomb.docx": (docx_bomb, "intake.unzipped_mb"),
    "million_rows.xlsx": (xlsx_million_rows, "intake.rows"),
    "entities.docx": (docx_entities, "declares XML entities"),
    "locked.pdf": (pdf_encrypted, "encrypted with a password"),
    "long.pdf": (pdf_pages, "intake.pages"),
}
