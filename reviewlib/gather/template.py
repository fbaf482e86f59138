"""The contribution template (XLSX) that stakeholders fill in and send back."""

from __future__ import annotations

from pathlib import Path

from reviewlib.files import atomic_write
from reviewlib.gather.readers import CONTRIBUTION_FIELDS, STATEMENT_FIELDS
from reviewlib.gather.reference import Reference
from reviewlib.terms import KINDS, LANGUAGES, PILLARS, REGIONAL_GROUPS, STAKEHOLDER_TYPES

ROWS = 500  # statement rows prepared with drop-down lists

_INSTRUCTIONS = [
    ("How to contribute to the review of the Global Plan of Action", True),
    ("", False),
    ("1. On the sheet 'Contributor', fill in who you are (one value per line).", False),
    (
        "2. On the sheet 'Statements', write one statement per row: an achievement, a gap, a proposal "
        "or a good practice.",
        False,
    ),
    ("3. Choose kind, pillar and stakeholder type from the drop-down lists.", False),
    (
        "4. 'commitments' and 'themes' take one or more ids from the lists, separated by ';' "
        "(for example PRE-03;PRO-02). Leave them empty if unsure: the secretariat will tag them.",
        False,
    ),
    (
        "5. 'scope' is what the statement is about: a country, a regional group (African, Asia-Pacific, "
        "Eastern European, GRULAC, WEOG) or 'global'. Empty means your own country.",
        False,
    ),
    (
        "6. Only submitter, stakeholder type, kind and text are required. Dates are YYYY-MM-DD.",
        False,
    ),
    ("7. Write in any UN official language and give its code (en, fr, es, ru, ar, zh).", False),
    (
        "8. 'text_en' (optional): if you write in another language, an English rendering of the "
        "statement helps the secretariat compare it with other contributions. If a translation "
        "tool made it, write 'machine' in 'text_en_source'; leave that column empty otherwise.",
        False,
    ),
    ("", False),
    ("Your text is treated as text: formulas and macros are never run.", False),
]
_HELP = {
    "contribution_id": "Optional short id, e.g. CSO-MYORG-2017",
    "submitter": "Name of your organisation or Member State (required)",
    "stakeholder_type": "Choose from the list (required)",
    "country": "Your country, for Member States (required for them) and national organisations",
    "received": "Date sent, YYYY-MM-DD",
    "language": "Language code: en, fr, es, ru, ar, zh",
}


_HEADER_FILL = "DDEBF7"
_WIDTHS = {
    "statement_id": 16,
    "kind": 15,
    "pillar": 14,
    "commitments": 18,
    "themes": 22,
    "scope": 18,
    "text": 80,
    "text_en": 60,
    "text_en_source": 16,
    "evidence": 40,
}


def _instructions(book) -> None:
    from openpyxl.styles import Font

    guide = book.active
    guide.title = "Instructions"
    for text, bold in _INSTRUCTIONS:
        guide.append([text])
        guide.cell(row=guide.max_row, column=1).font = Font(bold=bold, size=14 if bold else 11)
    guide.column_dimensions["A"].width = 110


def _lists(book, reference: Reference) -> dict[str, str]:
    """The hidden sheet of allowed values; returns the cell range of each list."""
    from openpyxl.styles import Font

    lists = book.create_sheet("Lists")
    names = list(reference.member_states["name"])
    columns = {
        "stakeholder_type": list(STAKEHOLDER_TYPES),
        "kind": list(KINDS),
        "pillar": list(PILLARS),
        "commitments": list(reference.commitments["commitment"]),
        "themes": list(reference.themes["theme"]),
        "country": names,
        "language": list(LANGUAGES),
        "scope": ["global", *REGIONAL_GROUPS, *names],
        "text_en_source": ["contributor", "machine"],
    }
    ranges = {}
    for col, (name, values) in enumerate(columns.items(), start=1):
        lists.cell(row=1, column=col, value=name).font = Font(bold=True)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=col, value=value).data_type = "s"
        letter = lists.cell(row=1, column=col).column_letter
        ranges[name] = f"=Lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"
    return ranges


def _dropdown(sheet, ranges: dict[str, str], name: str, cells: str, strict: bool) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(type="list", formula1=ranges[name], allow_blank=True, showDropDown=False)
    rule.error = f"Choose a value from the list ({name})."
    rule.errorStyle = "stop" if strict else "warning"
    rule.add(cells)
    sheet.add_data_validation(rule)


def _bold_header(sheet) -> None:
    from openpyxl.styles import Font, PatternFill

    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)


def _contributor(book, ranges: dict[str, str]) -> None:
    who = book.create_sheet("Contributor")
    who.append(["field", "value", "help"])
    for field in CONTRIBUTION_FIELDS:
        who.append([field, None, _HELP[field]])
    _bold_header(who)
    rows = {field: i for i, field in enumerate(CONTRIBUTION_FIELDS, start=2)}
    _dropdown(who, ranges, "stakeholder_type", f"B{rows['stakeholder_type']}", True)
    _dropdown(who, ranges, "country", f"B{rows['country']}", False)
    _dropdown(who, ranges, "language", f"B{rows['language']}", False)
    for letter, width in (("A", 20), ("B", 45), ("C", 70)):
        who.column_dimensions[letter].width = width


def _statements(book, ranges: dict[str, str]) -> None:
    from openpyxl.styles import Alignment

    sheet = book.create_sheet("Statements")
    sheet.append(list(STATEMENT_FIELDS))
    _bold_header(sheet)
    sheet.freeze_panes = "A2"
    letters = {
        field: sheet.cell(row=1, column=i).column_letter
        for i, field in enumerate(STATEMENT_FIELDS, 1)
    }
    for field, strict in (
        ("kind", True),
        ("pillar", True),
        ("commitments", False),
        ("themes", False),
        ("scope", False),
        ("text_en_source", False),
    ):
        cells = f"{letters[field]}2:{letters[field]}{ROWS + 1}"
        _dropdown(sheet, ranges, field, cells, strict)
    for field, width in _WIDTHS.items():
        sheet.column_dimensions[letters[field]].width = width
    for row in range(2, ROWS + 2):
        for field in ("text", "text_en"):
            sheet[f"{letters[field]}{row}"].alignment = Alignment(wrap_text=True, vertical="top")


def write_template(path: Path, reference: Reference) -> Path:
    """Write the template workbook to `path` (atomically) and return the path."""
    from openpyxl import Workbook

    def build(temp: Path) -> None:
        book = Workbook()
        _instructions(book)
        ranges = _lists(book, reference)
        _contributor(book, ranges)
        _statements(book, ranges)
        book.active = book.sheetnames.index("Contributor")
        book.save(temp)

    atomic_write(Path(path), build)
    return Path(path)
