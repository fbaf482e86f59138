"""The acknowledgements: every contribution of the ledger exactly once, with its status."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import DATA

from reviewlib import load_review
from reviewlib.brief.contributors import acknowledgements, render_contributors
from reviewlib.gather.review import DECISION_FILES

FILES = [
    DATA / "good" / "comma_utf8.csv",
    DATA / "good" / "contribution.json",
    DATA / "bad" / "late.csv",
    DATA / "bad" / "broken.json",
    DATA / "bad" / "corrupt.xlsx",
    DATA / "bad" / "empty_text.csv",
    DATA / "bad" / "unknown_country.csv",
]


def _files(review) -> list[str]:
    ledger = review.ledger
    return sorted(set(ledger.loc[~ledger["file"].isin(DECISION_FILES), "file"]))


def test_every_contribution_of_the_ledger_is_listed_exactly_once(make_inputs):
    review = load_review(make_inputs(FILES))
    table = acknowledgements(review)
    assert sorted(table["file"]) == _files(review) and table["file"].is_unique
    soup = BeautifulSoup(render_contributors(review), "lxml")
    listed = [tr["data-file"] for tr in soup.select("main tbody tr")]
    assert sorted(listed) == _files(review)
    by_file = table.set_index("file")
    assert by_file.loc["late.csv", "status"] == "Late, counted"
    assert "after the cut-off date" in by_file.loc["late.csv", "reason"]
    for unreadable in ("broken.json", "corrupt.xlsx"):
        assert by_file.loc[unreadable, "status"] == "Rejected"
        assert by_file.loc[unreadable, "reason"]  # the ledger's sentence, what to do
    assert by_file.loc["comma_utf8.csv", "status"] == "On time, counted"
    accepted = review.statements.groupby("file").size()
    for file, n in accepted.items():
        assert by_file.loc[file, "accepted"] == n


def test_at_a_milestone_late_contributions_are_listed_as_not_counted(make_inputs):
    review = load_review(make_inputs(FILES), milestone="2017-05-01")
    table = acknowledgements(review).set_index("file")
    assert sorted(table.index) == _files(review)
    assert set(table["status"]) >= {"Not counted", "Rejected"}
    assert table.loc[table["status"].eq("Not counted"), "reason"].str.contains("received").all()


def test_contributor_names_are_escaped(make_inputs):
    review = load_review(make_inputs([DATA / "bad" / "hostile.csv"]))
    page = render_contributors(review)
    soup = BeautifulSoup(page, "lxml")
    assert soup.find("script") is None
    assert soup.select_one("header .stamp") and soup.select_one("header .banner")
