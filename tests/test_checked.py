"""The row checks kept by file (`reviewlib.gather.checked`): after a change of contribution files
only the rows of the files not checked before are checked, and the results are always exactly
those of checking every row (`check_rows`), for the demo's files, documents among them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from reviewlib import paths
from reviewlib.gather import checked as kept_checks
from reviewlib.gather.checks import check_rows
from reviewlib.gather.reference import load_reference
from reviewlib.gather.review import load_review, read_contributions
from reviewlib.gather.settings import load_config

DATA = Path(__file__).parent / "data"
DEMO = paths.contributions_dir()
NEW_ROWS = (
    "contribution_id,submitter,stakeholder_type,country,received,language,statement_id,kind,"
    "pillar,commitments,themes,scope,text,evidence\n"
    "T-NEW,Ministry of Labour,member_state,Ghana,2017-06-01,en,{id},achievement,prevention,,,,"
    "Labour inspectors now check recruitment agencies every quarter.,\n"
    "T-NEW,Ministry of Labour,member_state,Ghana,2017-06-01,en,,gap,,,,,"
    "Too few shelters exist outside the capital.,\n"
)


@pytest.fixture
def inputs(make_inputs):
    """An inputs folder with every contribution of the demo (CSV, JSON, workbooks, documents
    and their sidecars)."""
    return make_inputs(sorted(p for p in DEMO.iterdir() if p.is_file() and p.name != "README.md"))


@pytest.fixture
def checks(monkeypatch):
    """The number of rows each `check_rows` call was given, as `checked` calls it."""
    calls: list[int] = []

    def counted(rows, reference, config):
        calls.append(len(rows))
        return check_rows(rows, reference, config)

    monkeypatch.setattr(kept_checks, "check_rows", counted)
    monkeypatch.setattr(kept_checks, "_KEPT", {})
    return calls


def _same_as_checking_all(inputs: Path, against: str = "reference v1"):
    """`checked` of the rows under `inputs`, compared with `check_rows` of them all; the rows."""
    config = load_config(inputs)
    reference = _reference(inputs)
    rows, _ = read_contributions(paths.contributions_dir(inputs), config.intake)
    got = kept_checks.checked(rows, reference, config, inputs, against)
    expected = check_rows(rows, reference, config)
    for have, want in zip(got, expected, strict=True):
        pd.testing.assert_frame_equal(have, want)
    return rows


_REFERENCES: dict[Path, object] = {}


def _reference(inputs: Path):
    if inputs not in _REFERENCES:
        _REFERENCES[inputs] = load_reference(inputs, load_config(inputs).as_of)
    return _REFERENCES[inputs]


def _add(inputs: Path, name: str, statement_id: str = "") -> None:
    (paths.contributions_dir(inputs) / name).write_text(
        NEW_ROWS.format(id=statement_id), encoding="utf-8"
    )


def test_after_a_change_of_files_only_the_new_or_changed_files_are_checked(inputs, checks):
    rows = _same_as_checking_all(inputs)
    assert checks == [len(rows)]  # the first time, every row
    assert (rows["_origin"] == "document").any()  # documents among them (suggestions)

    _add(inputs, "T-NEW.csv")
    _same_as_checking_all(inputs)
    assert checks[1:] == [2]  # the new file's rows only

    contributions = paths.contributions_dir(inputs)
    changed = contributions / "ACA-ATLANTIC.csv"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("often vague", "often very vague"), encoding="utf-8")
    before = len(checks)
    rows = _same_as_checking_all(inputs)
    assert checks[before:] == [int(rows["file"].eq("ACA-ATLANTIC.csv").sum())]

    (contributions / "T-NEW.csv").unlink()  # a file removed: nothing to check
    (contributions / "UN-UNFPA-MEMO.docx").unlink()
    before = len(checks)
    _same_as_checking_all(inputs)
    _same_as_checking_all(inputs)  # and nothing changed
    assert checks[before:] == []


def test_a_document_added_to_files_without_one_is_checked_alone(make_inputs, checks):
    """The statements' columns of suggestions (confidence, cues) appear as when every row is
    checked, whether the kept files or the new one bring them."""
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    _same_as_checking_all(inputs)
    for name in ("MS-GHA-2017-NOTE.docx", "MS-GHA-2017-NOTE.meta.yml"):
        shutil.copy(DEMO / name, paths.contributions_dir(inputs) / name)
    rows = _same_as_checking_all(inputs)
    assert checks[1:] == [int(rows["file"].str.startswith("MS-GHA-2017-NOTE").sum())]
    (paths.contributions_dir(inputs) / "MS-GHA-2017-NOTE.docx").unlink()
    _same_as_checking_all(inputs)  # the kept results had them; these have none
    assert len(checks) == 2


def test_a_statement_id_in_two_files_has_every_row_checked(inputs, checks):
    rows = _same_as_checking_all(inputs)
    taken = rows.loc[rows["statement_id"].ne(""), "statement_id"].iloc[0]
    _add(inputs, "A-FIRST.csv", statement_id=taken)  # read before the file that has it
    rows = _same_as_checking_all(inputs)
    assert checks[1:] == [2, len(rows)]  # the new file's rows; then, an id in two files, all
    config = load_config(inputs)
    ledger = check_rows(rows, _reference(inputs), config)[1]
    assert ledger["message"].str.contains(f"'{taken}' is already used in A-FIRST.csv").any()
    (paths.contributions_dir(inputs) / "A-FIRST.csv").unlink()
    rows = _same_as_checking_all(inputs)
    assert checks[3:] == [len(rows)]  # nothing was kept from the reading with the clash


def test_other_reference_tables_or_settings_have_every_row_checked(inputs, checks):
    rows = _same_as_checking_all(inputs)
    _same_as_checking_all(inputs, against="reference v2")
    assert checks == [len(rows), len(rows)]
    review_yml = inputs / "review.yml"
    text = review_yml.read_text(encoding="utf-8")
    review_yml.write_text(text.replace("cutoff: 2017-08-15", "cutoff: 2017-07-15"), "utf-8")
    assert load_config(inputs) != load_config(paths.INPUTS)
    _same_as_checking_all(inputs, against="reference v2")
    assert checks == [len(rows)] * 3


def test_the_next_process_checks_only_the_new_file(inputs, checks, tmp_path, monkeypatch):
    """The results are kept in the disk cache: a build run in a new process after a new
    contribution checks that file's rows alone, and reads the same review as one without
    the cache."""
    monkeypatch.delenv("REVIEWLIB_NO_CACHE", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", None)
    load_review(inputs)
    assert len(checks) == 1  # every row
    monkeypatch.setattr(kept_checks, "_KEPT", {})  # as in a new process
    monkeypatch.setattr("reviewlib.gather.review._CACHE", {})
    _add(inputs, "T-NEW.csv")
    review = load_review(inputs)
    assert checks[1:] == [2]
    fresh = load_review(inputs, cache=False)
    pd.testing.assert_frame_equal(review.statements, fresh.statements)
    pd.testing.assert_frame_equal(review.ledger, fresh.ledger)
