"""The contribution template (XLSX) that stakeholders fill in and send back."""

from __future__ import annotations

from pathlib import Path

from reviewlib.readers import CONTRIBUTION_FIELDS, STATEMENT_FIELDS
from reviewlib.reference import KINDS, PILLARS, STAKEHOLDER_TYPES, Reference
from reviewlib.tables import atomic_write

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


def write_template(path: Path, reference: Reference) -> Path:
    """Write the template workbook to `path` (atomically) and return the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    def build(temp: Path) -> None:
        book = Workbook()
        guide = book.active
        guide.title = "Instructions"
        for text, bold in _INSTRUCTIONS:
            guide.append([text])
            guide.cell(row=guide.max_row, column=1).font = Font(bold=bold, size=14 if bold else 11)
        guide.column_dimensions["A"].width = 110

        lists = book.create_sheet("Lists")
        columns = {
            "stakeholder_type": list(STAKEHOLDER_TYPES),
            "kind": list(KINDS),
            "pillar": list(PILLARS),
            "commitments": list(reference.commitments["commitment"]),
            "themes": list(reference.themes["theme"]),
            "country": list(reference.member_states["name"]),
            "language": ["en", "fr", "es", "ru", "ar", "zh"],
            "scope": [
                "global",
                "African",
                "Asia-Pacific",
                "Eastern European",
                "GRULAC",
                "WEOG",
                *reference.member_states["name"],
            ],
        }
        ranges = {}
        for col, (name, values) in enumerate(columns.items(), start=1):
            lists.cell(row=1, column=col, value=name).font = Font(bold=True)
            for r, value in enumerate(values, start=2):
                cell = lists.cell(row=r, column=col, value=value)
                cell.data_type = "s"
            letter = lists.cell(row=1, column=col).column_letter
            ranges[name] = f"=Lists!${letter}$2:${letter}${len(values) + 1}"
        lists.sheet_state = "hidden"

        def dropdown(sheet, name: str, cells: str, strict: bool) -> None:
            rule = DataValidation(
                type="list", formula1=ranges[name], allow_blank=True, showDropDown=False
            )
            rule.error = f"Choose a value from the list ({name})."
            rule.errorStyle = "stop" if strict else "warning"
            rule.add(cells)
            sheet.add_data_validation(rule)

        header_fill = PatternFill("solid", fgColor="DDEBF7")
        who = book.create_sheet("Contributor")
        who.append(["field", "value", "help"])
        for field in CONTRIBUTION_FIELDS:
            who.append([field, None, _HELP[field]])
        for cell in who[1]:
            cell.font, cell.fill = Font(bold=True), header_fill
        rows = {field: i for i, field in enumerate(CONTRIBUTION_FIELDS, start=2)}
        dropdown(who, "stakeholder_type", f"B{rows['stakeholder_type']}", True)
        dropdown(who, "country", f"B{rows['country']}", False)
        dropdown(who, "language", f"B{rows['language']}", False)
        who.column_dimensions["A"].width = 20
        who.column_dimensions["B"].width = 45
        who.column_dimensions["C"].width = 70

        sheet = book.create_sheet("Statements")
        sheet.append(list(STATEMENT_FIELDS))
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), header_fill
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
        ):
            dropdown(sheet, field, f"{letters[field]}2:{letters[field]}{ROWS + 1}", strict)
        widths = {
            "statement_id": 16,
            "kind": 15,
            "pillar": 14,
            "commitments": 18,
            "themes": 22,
            "scope": 18,
            "text": 80,
            "evidence": 40,
        }
        for field, width in widths.items():
            sheet.column_dimensions[letters[field]].width = width
        for row in range(2, ROWS + 2):
            sheet[f"{letters['text']}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        book.active = book.sheetnames.index("Contributor")
        book.save(temp)

    atomic_write(Path(path), build)
    return Path(path)
