"""Release points: review.yml's milestones, the cut of contributions at one (late and undated
statements not counted, and the ledger saying so, each row once), and `--as-of` on the command
line, down to every page of a build."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import DATA

from reviewlib import paths
from reviewlib.errors import InputError
from reviewlib.gather.milestones import Milestone, cut, read_milestones, resolve
from reviewlib.gather.review import load_review

BIN = Path(sys.executable).parent
MILESTONES = "milestones:\n  zero_draft_elements: 2017-06-15\n  meeting: {date: 2017-09-27, label: high-level meeting}\n"


def _run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "reviewlib", *map(str, args)], capture_output=True, text=True, timeout=900
    )


def test_milestones_are_read_in_either_form_and_sorted_by_date(tmp_path):
    found = read_milestones(
        {
            "meeting": {"date": dt.date(2017, 9, 27), "label": "high-level meeting"},
            "zero": "2017-06-30",
        },
        tmp_path / "review.yml",
    )
    assert [m.name for m in found] == ["zero", "meeting"]
    assert found[1].title == "High-level meeting, 27 September 2017"
    assert found[0].note == (
        "As of 30 June 2017 (zero): only contributions received by 30 June 2017 are counted."
    )
    assert read_milestones(None, tmp_path) == ()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"zero": "30/06/2017"}, "'milestones.zero' must be a date written YYYY-MM-DD"),
        ({"zero": {"when": "2017-06-30"}}, "takes a date"),
        (["2017-06-30"], "must map names to dates"),
    ],
)
def test_a_malformed_milestone_is_one_clear_sentence(raw, message, tmp_path):
    with pytest.raises(InputError, match=message):
        read_milestones(raw, tmp_path / "review.yml")


def test_a_milestone_is_named_or_a_date():
    known = (Milestone("zero", dt.date(2017, 6, 30)),)
    assert resolve(known, "zero") is known[0]
    assert resolve(known, "2017-07-31") == Milestone("", dt.date(2017, 7, 31))
    with pytest.raises(InputError, match=r"'nope' is neither a milestone .*zero \(2017-06-30\)"):
        resolve(known, "nope")


def test_the_cut_keeps_what_arrived_in_time_and_marks_the_rest_once():
    statements = pd.DataFrame(
        {
            "statement_id": ["A-1", "A-2", "B-1", "C-1"],
            "file": ["a.csv", "a.csv", "b.csv", "c.csv"],
            "row": [2, 3, 2, 2],
            "received": ["2017-06-30", "2017-06-30", "2017-07-01", ""],
        }
    )
    ledger = pd.DataFrame(
        {
            "file": ["a.csv", "a.csv", "b.csv", "c.csv", "d.csv"],
            "row": pd.array([2, 3, 2, 2, None], dtype="Int64"),
            "statement_id": ["A-1", "A-2", "B-1", "C-1", ""],
            "status": [
                "accepted",
                "accepted",
                "accepted_with_warning",
                "accepted_with_warning",
                "rejected",
            ],
            "column": ["", "", "pillar", "received", ""],
            "message": ["", "", "row 2, column pillar: inferred", "no date received", "unreadable"],
        }
    )
    kept, marked = cut(statements, ledger, Milestone("zero", dt.date(2017, 6, 30)))
    assert list(kept["statement_id"]) == ["A-1", "A-2"]
    assert list(marked["status"]) == [
        "accepted",
        "accepted",
        "not_counted",
        "not_counted",
        "rejected",
    ]
    assert marked.loc[2, "message"] == (
        "received 2017-07-01, after the milestone zero (30 June 2017): not counted in what is "
        "built as of that date; row 2, column pillar: inferred"
    )
    assert marked.loc[2, "column"] == "received;pillar"
    assert marked.loc[3, "message"].startswith(
        "no date received, so it cannot be shown to have arrived by 30 June 2017"
    )
    assert len(marked) == len(ledger) and list(ledger["status"])[2] == "accepted_with_warning"


@pytest.fixture
def inputs(make_inputs):
    text = paths.review_file().read_text(encoding="utf-8")
    start = text.index("milestones:")
    end = text.index("\n# ", start)
    return make_inputs(sorted((DATA / "good").iterdir()), text[:start] + MILESTONES + text[end:])


def test_a_review_loaded_at_a_milestone_counts_what_arrived_by_then(inputs):
    whole = load_review(inputs)
    review = load_review(inputs, milestone="zero_draft_elements")
    assert review.milestone.date == dt.date(2017, 6, 15)
    assert whole.milestone is None and load_review(inputs) is whole
    assert load_review(inputs, milestone="zero_draft_elements") is review  # computed once
    assert set(review.contributions["file"]) == {
        "comma_utf8.csv",
        "semicolon_cp1252.csv",
        "tab_bom.tsv",
    }
    assert set(review.not_counted["file"]) == {"contribution.json", "template_filled.xlsx"}
    summary = review.summary()
    assert summary["not_counted"] == len(whole.statements) - len(review.statements) > 0
    assert summary["files"] == whole.summary()["files"] and not review.has_rejections
    assert load_review(inputs, milestone="meeting").summary()["not_counted"] == 0


def test_validate_as_of_a_milestone_says_what_is_not_counted(inputs, tmp_path):
    run = _run(
        "validate",
        "--inputs",
        inputs,
        "--outputs",
        tmp_path / "out",
        "--as-of",
        "zero_draft_elements",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "As of 15 June 2017 (zero draft elements): only contributions received by 15 June 2017 are counted."
        in run.stdout
    )
    assert (
        "of 2 contributions received later, or with no date received, are not counted" in run.stdout
    )
    assert "NOT COUNTED" not in run.stdout  # summed up in one line, listed in the ledger
    ledger = pd.read_csv(tmp_path / "out" / "ledger.csv", keep_default_na=False)
    late = ledger[ledger["file"].eq("contribution.json")]
    assert late["status"].eq("not_counted").all()
    assert late["message"].str.startswith("received 2017-07-01, after the milestone").all()
    statements = pd.read_csv(tmp_path / "out" / "tables" / "statements.csv", keep_default_na=False)
    assert not statements["file"].eq("contribution.json").any()
    twin = (tmp_path / "out" / "zero_draft_elements.md").read_text(encoding="utf-8")
    assert "Contributions received by 15 June 2017 (zero draft elements)." in twin


def test_an_unknown_milestone_is_a_usage_error(inputs, tmp_path):
    for command in ("validate", "build"):
        run = _run(
            command, "--inputs", inputs, "--outputs", tmp_path / "out", "--as-of", "zero_draft"
        )
        assert run.returncode == 2
        assert "error: --as-of: 'zero_draft' is neither a milestone of review.yml" in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_build_as_of_a_milestone_says_so_on_every_page(tmp_path):
    out = tmp_path / "out"
    run = _run(
        "build",
        "--outputs",
        out,
        "--as-of",
        "zero_draft_elements",
        "--only",
        "overview,country-blr",
        "--quiet",
        "--workers",
        "1",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    note = "As of 30 June 2017 (elements for the zero draft): only contributions received by 30 June 2017 are counted."
    assert note in run.stdout
    pages = [out / "index.html", *sorted((out / "briefs").glob("*.html"))]
    assert len(pages) == 4  # the index, two briefs and the acknowledgements
    for page in pages:
        banners = [
            d.get_text(" ", strip=True)
            for d in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select(".banner")
        ]
        assert note in banners, page.name
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"milestone": "zero_draft_elements"' in manifest
    ledger = pd.read_csv(out / "ledger.csv", keep_default_na=False)
    assert ledger.loc[ledger["file"].eq("ACA-ISRM.xlsx"), "status"].eq("not_counted").all()
