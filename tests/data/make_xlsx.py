"""Regenerate the XLSX fixtures beside this script: `python tests/data/make_xlsx.py`.

They are committed so that tests read real files; this script says how each was made.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from reviewlib import paths
from reviewlib.gather.reference import load_reference
from reviewlib.gather.template import write_template

HERE = Path(__file__).resolve().parent


def fill(target: Path, contributor: dict[str, str], statements: list[dict[str, str]]) -> None:
    write_template(target, load_reference(paths.INPUTS))
    book = load_workbook(target)
    who = book["Contributor"]
    for row in who.iter_rows(min_row=2):
        if row[0].value in contributor:
            row[1].value = contributor[row[0].value]
    sheet = book["Statements"]
    header = [c.value for c in sheet[1]]
    for r, statement in enumerate(statements, start=2):
        for field, value in statement.items():
            cell = sheet.cell(row=r, column=header.index(field) + 1, value=value)
            cell.data_type = "s" if not value.startswith("=") else cell.data_type
    book.save(target)


def bomb(source: Path, target: Path) -> None:
    """A workbook whose sheet XML declares nested entities (a 'billion laughs')."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                text = data.decode().split("?>", 1)[-1]
                data = (
                    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet ['
                    + entities
                    + "]>"
                    + text.replace("<v>", "<v>&i;", 1)
                ).encode()
            zout.writestr(item, data)


def main() -> None:
    statements = [
        {
            "statement_id": "X1-01",
            "kind": "achievement",
            "pillar": "prevention",
            "commitments": "PRE-03",
            "themes": "migration",
            "text": "Pre-departure training now reaches every migrant worker leaving for the Gulf.",
        },
        {
            "statement_id": "X1-02",
            "kind": "gap",
            "pillar": "protection",
            "commitments": "PRO-02;PRO-03",
            "themes": "non_punishment",
            "scope": "global",
            "text": "Victims are still detained for immigration offences.",
        },
        {
            "statement_id": "X1-03",
            "kind": "proposal",
            "pillar": "partnership",
            "text": "Create a regional survivor network.",
        },
    ]
    contributor = {
        "contribution_id": "T-XLSX-1",
        "submitter": "Bangladesh",
        "stakeholder_type": "member_state",
        "country": "Bangladesh",
        "received": "2017-06-30",
        "language": "en",
    }
    fill(HERE / "good" / "template_filled.xlsx", contributor, statements)
    fill(
        HERE / "bad" / "formula.xlsx",
        {**contributor, "contribution_id": "T-XLSX-2"},
        [
            {
                "statement_id": "X2-01",
                "kind": "gap",
                "pillar": "prevention",
                "text": '=HYPERLINK("http://example.invalid")',
            }
        ],
    )
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(HERE / "good" / "template_filled.xlsx", Path(tmp) / "source.xlsx")
        bomb(Path(tmp) / "source.xlsx", HERE / "bad" / "xml_bomb.xlsx")


if __name__ == "__main__":
    main()
