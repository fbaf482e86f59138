"""Regenerate the malformed-but-real contribution files beside this script:
`python tests/data/make_malformed.py`.

Each file is one way a real contributor's tool or habit breaks a file (a wrong size tag, a stray
cell, a copied sheet, commas in unquoted text, a legacy encoding, Excel's "Unicode Text", …).
`malformed/written.json` records, per file, the texts as the contributor wrote them, in order;
tests/test_malformed.py checks that the ledger accounts for every one and no text changed.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent / "malformed"
CONTRIBUTOR = ["Harbour Light Network", "civil_society", "2017-05-01"]
HEADER = ["submitter", "stakeholder_type", "received", "language", "kind", "text", "evidence"]
RUSSIAN = [
    "Приюты для пострадавших остаются редкими в сельских районах.",
    "Создана национальная группа по борьбе с торговлей людьми.",
    "Следует обучать инспекторов труда выявлению принудительного труда.",
]
CHINESE = [
    "农村地区的受害者庇护所仍然稀缺。",
    "成立了全国打击人口贩运工作组。",
    "应当培训劳动监察员识别强迫劳动。",
]


def english(n: int, tag: str) -> list[str]:
    return [f"Shelters for survivors remain scarce in district {tag}-{i}." for i in range(1, n + 1)]


def rows(texts: list[str], language: str = "en") -> list[list[str]]:
    return [[*CONTRIBUTOR, language, "gap", text, ""] for text in texts]


def workbook(path: Path, sheets: dict[str, list[str]], patch=None) -> None:
    book = Workbook()
    book.remove(book.active)
    for name, texts in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(HEADER)
        for row in rows(texts):
            sheet.append(row)
    book.save(path)
    if patch:  # rewrite the first sheet's XML as another program would have written it
        with zipfile.ZipFile(path) as source:
            parts = {i.filename: source.read(i.filename) for i in source.infolist()}
        name = "xl/worksheets/sheet1.xml"
        parts[name] = patch(parts[name].decode("utf-8")).encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for member, data in parts.items():
                out.writestr(member, data)


def dimension(ref: str):
    return lambda xml: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml)


def stray(xml: str) -> str:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return dimension("A1:XFD1048576")(xml).replace("</sheetData>", far + "</sheetData>")


def csv_text(records: list[list[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(r) + "\r\n" for r in [HEADER, *records])


def main() -> None:
    shutil.rmtree(HERE, ignore_errors=True)
    HERE.mkdir()
    written: dict[str, dict] = {}

    def record(name: str, texts: list[str], **more) -> None:
        written[name] = {"texts": texts, **more}

    texts = english(50, "dim")
    workbook(HERE / "wrong_dimension.xlsx", {"Statements": texts}, dimension("A1:D3"))
    record("wrong_dimension.xlsx", texts)
    texts = english(12, "narrow")
    workbook(HERE / "narrow_dimension.xlsx", {"Statements": texts}, dimension("B2:C13"))
    record("narrow_dimension.xlsx", texts)
    texts = english(5, "far")
    workbook(HERE / "stray_far_cell.xlsx", {"Statements": texts}, stray)
    record("stray_far_cell.xlsx", texts, extra_rows=1)
    first, copy = english(3, "sheet1"), english(7, "sheet2")
    workbook(HERE / "copied_sheet.xlsx", {"Statements": first, "Statements (2)": copy})
    record("copied_sheet.xlsx", first + copy)
    draft, final = english(2, "draft"), english(5, "final")
    workbook(HERE / "dotted_sheet.xlsx", {"Statements.": draft, "Statements": final})
    record("dotted_sheet.xlsx", final + draft)

    doc = {"contribution": {**dict(zip(HEADER[:3], CONTRIBUTOR, strict=False)), "language": "en"}}
    one, two = (json.dumps([{"kind": "gap", "text": t} for t in english(2, k)]) for k in ("a", "b"))
    body = json.dumps(doc)[:-1] + f', "statements": {one}, "statements": {two}}}'
    (HERE / "repeated_key.json").write_text(body, encoding="utf-8")
    record("repeated_key.json", [], rejected="is given twice")

    delimited(record)
    (HERE / "written.json").write_text(
        json.dumps(written, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def delimited(record) -> None:
    """CSV and text files: dialects, encodings and habits of the tools that wrote them."""
    texts = english(10, "comma")
    texts[2] = "Shelters, safe houses and hotlines remain scarce, above all in the north."
    texts[6] = "Labour inspectors, prosecutors and judges need training."
    (HERE / "unquoted_commas.csv").write_text(csv_text(rows(texts)), encoding="utf-8")
    record("unquoted_commas.csv", texts, warned=[4, 8])

    texts = [*RUSSIAN, *RUSSIAN]
    data = csv_text(rows(texts, "ru")).encode("utf-8").replace("редкими".encode(), b"\xff", 1)
    (HERE / "bad_byte_russian.csv").write_bytes(data)
    texts[0] = texts[0].replace("редкими", "\ufffd")
    record("bad_byte_russian.csv", texts, warned=[2])

    texts = [*RUSSIAN, *RUSSIAN]
    (HERE / "cp1251.csv").write_bytes(csv_text(rows(texts, "ru"), ";").encode("cp1251"))
    record("cp1251.csv", texts, encoding="cp1251")
    texts = [*CHINESE, *CHINESE]
    (HERE / "gbk.csv").write_bytes(csv_text(rows(texts, "zh")).encode("gbk"))
    record("gbk.csv", texts, encoding="gb18030")

    texts = [*english(7, "utf16"), *RUSSIAN]
    text = csv_text([*rows(texts[:7]), *rows(RUSSIAN, "ru")], "\t")
    (HERE / "unicode_text.txt").write_bytes(text.encode("utf-16"))  # with its BOM, as Excel
    record("unicode_text.txt", texts)

    texts = english(4, "sep")
    (HERE / "sep_line.csv").write_text("sep=;\r\n" + csv_text(rows(texts), ";"), "utf-8")
    record("sep_line.csv", texts)

    texts = english(3, "long")
    texts[1] = "Shelter capacity was counted district by district. " * 4000  # 204 KB
    texts[1] = texts[1].strip()
    (HERE / "long_field.csv").write_text(csv_text(rows(texts)), encoding="utf-8")
    record("long_field.csv", texts)

    texts = english(10, "quote")
    texts[2] = '"Safe houses for survivors are too few in district quote-3.'
    (HERE / "unterminated_quote.csv").write_text(csv_text(rows(texts)), encoding="utf-8")
    record("unterminated_quote.csv", texts, warned=[4])


if __name__ == "__main__":
    main()
