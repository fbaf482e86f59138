"""The contribution template: drop-down lists, and a filled copy loads with no rejection."""

from __future__ import annotations

from openpyxl import load_workbook

from reviewlib import load_review
from reviewlib.gather.reference import load_reference
from reviewlib.gather.template import write_template


def test_the_template_has_its_sheets_and_lists(make_inputs, tmp_path):
    path = write_template(tmp_path / "t.xlsx", load_reference(make_inputs()))
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", "Lists", "Contributor", "Statements"]
    assert book["Lists"].sheet_state == "hidden"
    rules = {
        str(dv.sqref).split(":")[0][0]: dv.formula1
        for dv in book["Statements"].data_validations.dataValidation
    }
    header = [c.value for c in book["Statements"][1]]
    for field in ("kind", "pillar", "commitments", "themes"):
        letter = book["Statements"].cell(row=1, column=header.index(field) + 1).column_letter
        assert letter in rules and rules[letter].startswith("=Lists!")
    contributor = {dv.formula1 for dv in book["Contributor"].data_validations.dataValidation}
    assert len(contributor) == 3
    assert all(not dv.showDropDown for dv in book["Statements"].data_validations.dataValidation)


def test_a_filled_template_loads_with_no_rejection(make_inputs, tmp_path):
    inputs = make_inputs()
    path = write_template(tmp_path / "filled.xlsx", load_reference(inputs))
    book = load_workbook(path)
    values = {
        "submitter": "Ministry of Labour and Social Protection",
        "stakeholder_type": "member_state",
        "country": "Kyrgyzstan",
        "received": "2017-06-01",
        "language": "ru",
    }
    for row in book["Contributor"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    sheet = book["Statements"]
    header = [c.value for c in sheet[1]]
    rows = [
        {
            "kind": "achievement",
            "pillar": "prevention",
            "commitments": "PRE-02",
            "themes": "migration",
            "text": "Принят национальный план действий по противодействию торговле людьми на 2017–2020 годы.",
        },
        {"kind": "proposal", "pillar": "protection", "text": "=Create shelters for men and boys"},
        {
            "kind": "gap",
            "pillar": "prosecution",
            "scope": "Central Asia is not a scope",
            "text": "x",
        },
    ][:2]
    for r, values_ in enumerate(rows, start=2):
        for field, value in values_.items():
            cell = sheet.cell(row=r, column=header.index(field) + 1, value=value)
            cell.data_type = "s"
    book.save(inputs / "contributions" / "filled.xlsx")
    review = load_review(inputs)
    assert not review.has_rejections, review.ledger.to_string()
    s = review.statements
    assert len(s) == 2 and set(s["country"]) == {"KGZ"} and set(s["language"]) == {"ru"}
    assert s["text"].str.startswith("=Create").any()
