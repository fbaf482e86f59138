"""Bounded intake: a hostile or broken contribution file is one rejected ledger line naming the
limit, and the rest of the review is read. The limits are review.yml's `intake:` settings."""

from __future__ import annotations

import pytest
from conftest import DATA
from hostile import HOSTILE

from reviewlib import load_review, paths
from reviewlib.errors import InputError
from reviewlib.gather.limits import IntakeLimits, intake_limits

GOOD = DATA / "good" / "comma_utf8.csv"


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_one_ledger_line_and_the_rest_is_read(make_inputs, tmp_path, name):
    make, words = HOSTILE[name]
    hostile = make(tmp_path / name)
    review = load_review(make_inputs([GOOD, hostile]), cache=False)
    entries = review.ledger[review.ledger["file"].eq(name)]
    assert len(entries) == 1, entries.to_string()
    entry = entries.iloc[0]
    assert entry["status"] == "rejected" and words in entry["message"], entry["message"]
    assert "nothing in" in entry["message"]
    assert len(review.statements) == 3  # the good file beside it is read in full


def _review_yml(extra: str) -> str:
    return paths.review_file().read_text(encoding="utf-8") + extra


def test_the_limits_are_set_in_review_yml(make_inputs, tmp_path):
    inputs = make_inputs([GOOD], review_yml=_review_yml("intake:\n  rows: 2\n"))
    review = load_review(inputs, cache=False)
    assert review.config.intake.rows == 2
    (entry,) = review.ledger.itertuples()
    assert (
        entry.status == "rejected" and "3 rows, past the limit of 2 (intake.rows" in entry.message
    )


def test_the_wall_time_is_checked_as_rows_are_read(make_inputs, tmp_path):
    big = tmp_path / "many.csv"
    lines = ["submitter,stakeholder_type,kind,pillar,text"]
    lines += [
        f"Harbour Light,civil_society,gap,protection,Shelters are scarce {i}." for i in range(2000)
    ]
    big.write_text("\n".join(lines), encoding="utf-8")
    inputs = make_inputs([big], review_yml=_review_yml("intake:\n  seconds: 0.000001\n"))
    (entry,) = load_review(inputs, cache=False).ledger.itertuples()
    assert (
        "seconds of reading, past the limit" in entry.message and "intake.seconds" in entry.message
    )


@pytest.mark.parametrize(
    "section, words",
    [
        ("[1, 2]", "'intake' must be a section of settings"),
        ("{rows: -5}", "'intake.rows' must be a positive whole number, not -5"),
        ("{rows: 2.5}", "'intake.rows' must be a positive whole number"),
        ("{row: 5}", "'intake.row' is not an intake limit; use cell_characters, cells"),
        ("{seconds: yes}", "'intake.seconds' must be a positive number, not True"),
        ("{file_mb: .inf}", "'intake.file_mb' must be a positive number, not inf"),
        ("{seconds: .nan}", "'intake.seconds' must be a positive number, not nan"),
    ],
)
def test_a_wrong_limit_is_one_sentence(make_inputs, section, words):
    inputs = make_inputs(review_yml=_review_yml(f"intake: {section}\n"))
    with pytest.raises(InputError) as caught:
        load_review(inputs, cache=False)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_defaults_are_far_above_any_real_contribution():
    limits = intake_limits(None)
    assert limits == IntakeLimits()
    assert limits.cell_characters > 200_000 and limits.rows >= 50_000
    assert (
        intake_limits({"rows": 10}).rows == 10 and intake_limits({"rows": 10}).cells == limits.cells
    )


def test_the_projects_review_yml_states_every_limit():
    import dataclasses

    import yaml

    stated = yaml.safe_load(paths.review_file().read_text(encoding="utf-8"))["intake"]
    assert set(stated) == {f.name for f in dataclasses.fields(IntakeLimits)}
    assert intake_limits(stated) == IntakeLimits()  # the file says what the defaults are


def test_a_sheet_is_counted_before_openpyxl_opens_it(tmp_path):
    from hostile import xlsx_million_rows

    from reviewlib.gather.limits import LimitExceeded, check_sheets

    sheet = xlsx_million_rows(tmp_path / "big.xlsx", count=3_000)
    check_sheets(sheet, IntakeLimits(rows=3_000))  # exactly at the limit: read
    with pytest.raises(LimitExceeded, match="3,000 rows, past the limit of 2,999"):
        check_sheets(sheet, IntakeLimits(rows=2_999))
