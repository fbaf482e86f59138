"""Intake: every row of every file ends in the ledger once, with a sentence that says what to do."""

from __future__ import annotations

import json
import random
import shutil

import pandas as pd
import pytest
from conftest import DATA

from reviewlib import load_review, paths
from reviewlib.gather.readers import header_key

GOOD = sorted((DATA / "good").iterdir())
GOOD_COUNTS = {
    "comma_utf8.csv": 3,
    "semicolon_cp1252.csv": 2,
    "tab_bom.tsv": 2,
    "contribution.json": 2,
    "template_filled.xlsx": 3,
}


@pytest.mark.parametrize("file", GOOD, ids=lambda p: p.name)
def test_good_files_load_without_rejection(make_inputs, file):
    review = load_review(make_inputs([file]))
    assert not review.has_rejections, review.ledger.to_string()
    assert len(review.statements) == GOOD_COUNTS[file.name]
    assert review.ledger["row"].notna().sum() == GOOD_COUNTS[file.name]


def test_dialects_are_read_as_written(make_inputs):
    review = load_review(make_inputs(GOOD))
    s = review.statements.set_index("statement_id")
    assert s.loc["T2-01", "country"] == "CIV"  # Windows-1252 and a ';' delimiter
    assert s.loc["T2-01", "text"].startswith("Des victimes sont encore poursuivies")
    assert s.loc["T2-02", "pillar_source"] == "inferred"
    bolivia = s[s["submitter"].str.startswith("Red Andina")]
    assert set(bolivia["country"]) == {"BOL"} and set(bolivia["language"]) == {"es"}
    assert s.loc["T4-01", "commitments"] == "PAR-06" and s.loc["T4-01", "icat_member"]
    assert s.loc["T4-02", "scope"] == "GRULAC" and s.loc["T4-02", "pillar"] == "prosecution"
    assert s.loc["X1-02", "commitments"] == "PRO-02;PRO-03"
    assert (
        s.loc["X1-01", "country"] == "BGD" and s.loc["X1-01", "submitter_group"] == "Asia-Pacific"
    )


# (file, row or None for the whole file, status, column, words the message must contain)
BAD_CASES = [
    (
        "unknown_country.csv",
        2,
        "rejected",
        "country",
        "'Kazakstan' is not a Member State; did you mean Kazakhstan?",
    ),
    (
        "kind_and_type.csv",
        2,
        "rejected",
        "stakeholder_type",
        "'charity' is not a stakeholder type; use one of",
    ),
    ("kind_and_type.csv", 3, "rejected", "kind", "'wish' is not a kind of statement"),
    (
        "empty_text.csv",
        2,
        "rejected",
        "text",
        "row 2, column text: is empty; fill in the statement itself",
    ),
    (
        "impossible_date.csv",
        2,
        "accepted_with_warning",
        "received",
        "'2017-02-30' is not a real date",
    ),
    ("late.csv", 2, "accepted_with_warning", "received", "after the cut-off date 2017-08-15"),
    (
        "duplicate_ids.csv",
        3,
        "rejected",
        "statement_id",
        "'DUP-1' is already used in duplicate_ids.csv row 2",
    ),
    (
        "unknown_ids.csv",
        2,
        "accepted_with_warning",
        "commitments;themes",
        "'PRO-99' not in commitments.csv",
    ),
    (
        "unknown_ids.csv",
        2,
        "accepted_with_warning",
        "commitments;themes",
        "'teleportation' not in themes.csv",
    ),
    (
        "missing_pillar.csv",
        2,
        "accepted_with_warning",
        "pillar",
        "inferred as 'prosecution' from the text",
    ),
    ("missing_column.csv", None, "rejected", "", "required column(s) kind, text missing"),
    ("empty.csv", None, "rejected", "", "the file is empty"),
    ("broken.json", None, "rejected", "", "not valid JSON (line 1"),
    ("corrupt.xlsx", None, "rejected", "", "not a readable Excel workbook"),
    ("xml_bomb.xlsx", None, "rejected", "", "refused for safety"),
    ("old_format.xls", None, "rejected", "", "'.xls' files are not read"),
    (
        "unknown_scope.csv",
        2,
        "rejected",
        "scope",
        "'Atlantis' is not a Member State, a regional group or 'global'",
    ),
    (
        "state_without_country.csv",
        2,
        "rejected",
        "country",
        "a Member State's contribution must name its country",
    ),
    (
        "no_language_or_date.json",
        1,
        "accepted_with_warning",
        "received;language",
        "no date received",
    ),
    (
        "formula.xlsx",
        2,
        "accepted_with_warning",
        "",
        "spreadsheet formula; its text is kept as written",
    ),
]


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda c: f"{c[0]}:{c[1]}:{c[3]}")
def test_bad_input_lands_in_the_ledger(make_inputs, case):
    file, row, status, column, words = case
    review = load_review(make_inputs([DATA / "bad" / file]))
    entries = review.ledger[review.ledger["file"].eq(file)]
    entry = entries[entries["row"].isna()] if row is None else entries[entries["row"].eq(row)]
    assert len(entry) == 1, entries.to_string()
    entry = entry.iloc[0]
    assert entry["status"] == status
    assert entry["column"] == column
    assert words in entry["message"]


def test_every_row_is_in_the_ledger_exactly_once(make_inputs):
    files = GOOD + sorted((DATA / "bad").iterdir())
    review = load_review(make_inputs(files))
    rows = review.ledger[review.ledger["row"].notna()]
    assert not rows.duplicated(["file", "row"]).any()
    expected = 0
    for path in files:
        if path.suffix == ".csv" and path.stat().st_size and path.name != "missing_column.csv":
            expected += len(pd.read_csv(path, encoding="cp1252", sep=None, engine="python"))
        elif path.suffix == ".tsv":
            expected += len(pd.read_csv(path, sep="\t"))
        elif path.suffix == ".json" and path.name != "broken.json":
            expected += len(json.loads(path.read_text())["statements"])
        elif path.name in ("template_filled.xlsx", "formula.xlsx"):
            expected += pd.read_excel(path, sheet_name="Statements").dropna(how="all").shape[0]
    assert len(rows) == expected
    accepted = rows[rows["status"].ne("rejected")]
    assert set(accepted["statement_id"]) == set(review.statements["statement_id"])
    unreadable = review.ledger[review.ledger["row"].isna() & review.ledger["status"].eq("rejected")]
    assert set(unreadable["file"]) == {
        "missing_column.csv",
        "empty.csv",
        "broken.json",
        "corrupt.xlsx",
        "xml_bomb.xlsx",
        "old_format.xls",
    }


def test_hostile_text_is_kept_as_data(make_inputs, tmp_path):
    inputs = make_inputs([DATA / "bad" / "hostile.csv"])
    before = (inputs / "contributions" / "hostile.csv").read_bytes()
    review = load_review(inputs)
    texts = list(review.statements["text"])
    assert any("<script>alert('x')</script>" in t for t in texts)
    assert any(t.startswith("=HYPERLINK") for t in texts)
    from reviewlib.brief.publish import write_outputs

    out = tmp_path / "outputs"
    write_outputs(review, out)
    written = (out / "tables" / "statements.csv").read_text(encoding="utf-8")
    for start in ("=HYPERLINK", "+20%", "@SUM", "-5 shelters"):
        assert f",'{start}" in written or f",\"'{start}" in written
    from openpyxl import load_workbook

    sheet = load_workbook(out / "tables" / "tables.xlsx")["statements"]
    cells = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    assert (inputs / "contributions" / "hostile.csv").read_bytes() == before


def test_a_very_long_statement_is_accepted_with_a_warning(make_inputs, tmp_path):
    text = "Victims of trafficking need shelter. " * 5_500  # about 200 kB
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps(
            {
                "contribution": {
                    "submitter": "Harbour Light Network",
                    "stakeholder_type": "civil_society",
                    "received": "2017-05-01",
                    "language": "en",
                },
                "statements": [{"kind": "gap", "pillar": "protection", "text": text}],
            }
        )
    )
    review = load_review(make_inputs([path]))
    assert len(review.statements) == 1 and len(review.statements["text"][0]) > 200_000
    assert "is very long" in review.ledger["message"][0]


def test_order_of_files_and_rows_does_not_matter(make_inputs, tmp_path):
    first = load_review(make_inputs(GOOD)).statements
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    for path in GOOD:
        if path.name == "comma_utf8.csv":
            lines = path.read_text().splitlines()
            body = lines[1:]
            random.Random(3).shuffle(body)
            (shuffled / path.name).write_text("\n".join([lines[0], *body]) + "\n")
        else:
            shutil.copy(path, shuffled / path.name)
    inputs = make_inputs(sorted(shuffled.iterdir()))
    second = load_review(inputs).statements
    keep = [c for c in first.columns if c != "row"]
    pd.testing.assert_frame_equal(first[keep], second[keep])


def test_headers_are_matched_forgivingly():
    for header in ("Stakeholder Type", "stakeholder_type", "STAKEHOLDER-TYPE", " stakeholdertype "):
        assert header_key(header) == "stakeholder_type"
    assert header_key("Comments") is None


def test_the_demo_review_validates_without_rejection():
    review = load_review(paths.INPUTS)
    assert not review.has_rejections, review.ledger[
        review.ledger["status"].eq("rejected")
    ].to_string()
    assert len(review.contributions) >= 60 and len(review.statements) >= 600


def test_the_tests_read_every_review_afresh_without_the_disk_cache():
    from reviewlib.gather import cache

    assert cache._folder() is None  # conftest turns it off; tests/test_cache.py turns it on
