"""Malformed-but-real contribution files: every row read as written, or the ledger says why.

The files are in tests/data/malformed/ (made by tests/data/make_malformed.py, which records in
written.json the texts each file holds). Rows are counted here independently of the reader: a
workbook's from its sheets' XML, whatever their size tags say.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import DATA

from reviewlib import load_review

FOLDER = DATA / "malformed"
WRITTEN = json.loads((FOLDER / "written.json").read_text(encoding="utf-8"))


def xml_rows(path: Path) -> int:
    """Rows holding a value in every sheet of a workbook, less one header row per sheet."""
    total = 0
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
                xml = book.read(name).decode("utf-8")
                filled = [r for r in re.findall(r"<row\b.*?</row>", xml) if "<v>" in r or "<t" in r]
                total += len(filled) - 1
    return total


@pytest.mark.parametrize("name", sorted(WRITTEN), ids=str)
def test_every_row_is_read_as_written_or_the_ledger_says_why(make_inputs, name):
    expected = WRITTEN[name]
    review = load_review(make_inputs([FOLDER / name]))
    ledger = review.ledger[review.ledger["file"].str.startswith(name)]
    if "rejected" in expected:
        assert len(ledger) == 1 and ledger["row"].isna().all(), ledger.to_string()
        assert expected["rejected"] in ledger["message"].iloc[0]
        return
    rows = len(expected["texts"]) + expected.get("extra_rows", 0)
    if name.endswith(".xlsx"):
        assert xml_rows(FOLDER / name) == rows
    assert ledger["row"].notna().sum() == rows, ledger.to_string()
    read = review.statements[review.statements["file"].str.startswith(name)]
    assert sorted(read["text"]) == sorted(expected["texts"])


def test_a_stray_far_cell_is_read_quickly_and_shown(make_inputs):
    review = load_review(make_inputs([FOLDER / "stray_far_cell.xlsx"]))
    far = review.ledger[review.ledger["row"].eq(1_048_576)]
    assert len(far) == 1 and "'x'" in " ".join(far["message"])


def test_every_sheet_of_statements_is_read_and_named(make_inputs):
    review = load_review(make_inputs([FOLDER / "copied_sheet.xlsx", FOLDER / "dotted_sheet.xlsx"]))
    files = set(review.ledger["file"])
    assert "copied_sheet.xlsx, sheet 'Statements (2)'" in files
    assert "dotted_sheet.xlsx, sheet 'Statements.'" in files
    assert review.summary()["files"] == 2
    assert review.statements["statement_id"].is_unique


def test_a_sheet_without_statements_is_named_in_the_ledger(make_inputs, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "with_notes.xlsx"
    book = load_workbook(FOLDER / "copied_sheet.xlsx")
    book.create_sheet("My notes").append(["Remember to ask the ministry for figures."])
    book.save(path)
    review = load_review(make_inputs([path]))
    line = review.ledger[review.ledger["row"].isna()]
    assert "sheet 'My notes' was not read" in " ".join(line["message"])
    assert len(review.statements) == 10
