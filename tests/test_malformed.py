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
    if "encoding" in expected:
        whole = ledger[ledger["row"].isna()]["message"]
        assert whole.str.contains(f"read as {expected['encoding']}").any(), ledger.to_string()
    for row in expected.get("warned", []):
        line = ledger[ledger["row"].eq(row)]
        assert line["status"].eq("accepted_with_warning").all(), ledger.to_string()


def test_a_stray_far_cell_is_read_quickly_and_shown(make_inputs):
    review = load_review(make_inputs([FOLDER / "stray_far_cell.xlsx"]))
    far = review.ledger[review.ledger["row"].eq(1_048_576)]
    assert len(far) == 1 and "column XFD 'x'" in " ".join(far["message"])


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


@pytest.mark.parametrize(
    "text",
    [
        "Приюты для пострадавших".encode().decode("cp1252", errors="replace"),
        "Приюты для пострадавших".encode("cp1251").decode("cp1252"),
    ],
    ids=["utf8-as-cp1252", "cp1251-as-cp1252"],
)
def test_mojibake_is_flagged_on_its_row(make_inputs, tmp_path, text):
    path = tmp_path / "garbled.csv"
    path.write_text(
        f"submitter,stakeholder_type,received,language,kind,pillar,text\n"
        f"Harbour Light Network,civil_society,2017-05-01,ru,gap,protection,{text}\n",
        encoding="utf-8",
    )
    review = load_review(make_inputs([path]))
    line = review.ledger[review.ledger["row"].eq(2)]
    assert "mojibake" in line["message"].iloc[0]
    assert review.statements["text"].iloc[0] == text


def test_an_accented_latin_text_is_not_taken_for_mojibake(make_inputs, tmp_path):
    path = tmp_path / "french.csv"
    text = "Les victimes étrangères « sans papiers » sont poursuivies ; Côte d’Ivoire, São Tomé."
    path.write_bytes(
        (
            "submitter;stakeholder_type;received;language;kind;pillar;text\r\n"
            f"Réseau;civil_society;2017-05-01;fr;gap;protection;{text}\r\n"
        ).encode("cp1252")
    )
    review = load_review(make_inputs([path]))
    assert review.statements["text"].iloc[0] == text
    assert not review.ledger["message"].str.contains("mojibake").any()
    assert review.ledger["message"].str.contains("read as cp1252").any()


# A file of the contributions folder that is no contribution → words its ledger line must hold.
PASSED_OVER = {
    "~$Statements.xlsx": "lock file",
    ".~lock.contribution.csv#": "lock file",
    "book.xlsx.lock": "lock file",
    "download.tmp": "temporary file",
    "README.md": "README",
    "readme.csv": "README",
    "..csv": "hidden file",
    ".DS_Store": "hidden file",
}


def test_every_file_of_the_folder_is_accounted(make_inputs):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    for name in PASSED_OVER:
        (inputs / "contributions" / name).write_text("kind,text\ngap,Shelters are scarce.\n")
    review = load_review(inputs)
    lines = review.ledger[review.ledger["status"].eq("skipped")].set_index("file")["message"]
    assert sorted(lines.index) == sorted(PASSED_OVER)
    for name, words in PASSED_OVER.items():
        assert words in lines[name] and "not read" in lines[name]
    assert review.summary()["files"] == 1 and review.summary()["skipped_files"] == len(PASSED_OVER)
    assert not review.has_rejections


def test_a_workbook_of_several_sheets_is_one_contribution_file(make_inputs):
    review = load_review(make_inputs([FOLDER / "copied_sheet.xlsx"]))
    assert review.contributions["file"].tolist() == ["copied_sheet.xlsx"]
    assert review.contributions["n_statements"].tolist() == [10]


def test_an_unclosed_quote_before_much_text_is_one_row_not_a_refused_file(make_inputs, tmp_path):
    from reviewlib import paths

    path = tmp_path / "long_after_quote.csv"
    texts = [f"Shelters are scarce in district {n} of the coastal provinces." for n in range(60)]
    texts[1] = '"' + texts[1]
    lines = ["submitter,stakeholder_type,received,language,kind,pillar,text"]
    lines += [f"Harbour,civil_society,2017-05-01,en,gap,protection,{t}" for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    review_yml = paths.review_file().read_text(encoding="utf-8")
    assert "cell_characters: 1000000" in review_yml  # the rest of the file is past 1,000
    review_yml = review_yml.replace("cell_characters: 1000000", "cell_characters: 1000")
    review = load_review(make_inputs([path], review_yml=review_yml))
    assert sorted(review.statements["text"]) == sorted(texts)
    assert "never closes" in review.ledger[review.ledger["row"].eq(3)]["message"].iloc[0]


def test_the_command_lines_name_each_row_once():
    from reviewlib.gather.ledger import ledger_frame, problem_lines

    ledger = ledger_frame(
        [
            {
                "file": "a.csv",
                "row": 4,
                "status": "rejected",
                "message": "row 4: the text is empty",
            },
            {
                "file": "a.csv",
                "row": 5,
                "status": "rejected",
                "message": "row 5: the text is empty",
            },
            {
                "file": "a.csv",
                "row": 7,
                "status": "accepted_with_warning",
                "message": "row 7, column country: 'Kazakstan' is not a Member State",
            },
        ]
    )
    assert problem_lines(ledger) == [
        "  REJECTED: a.csv rows 4–5: the text is empty",
        "  ACCEPTED WITH WARNING: a.csv row 7: column country: 'Kazakstan' is not a Member State",
    ]
