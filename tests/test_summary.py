"""The executive summary: what it picks, what is contested, and its annex."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from reviewlib import load_review
from reviewlib.brief import summary
from reviewlib.brief.content import prepare
from reviewlib.brief.findings import EVIDENCE, FINDINGS_SHOWN, Finding, chosen_findings
from reviewlib.brief.slices import Slice
from reviewlib.scoring.contested import contested


def _statement(i: int, who: str, kind: str, stype: str, commitment: str = "PRO-03") -> dict:
    return {
        "statement_id": f"S{i}",
        "submitter": who,
        "stakeholder_type": stype,
        "kind": kind,
        "counted_commitments": commitment,
    }


def test_a_commitment_is_contested_when_states_and_non_governmental_voices_point_opposite_ways():
    rows = [
        _statement(1, "A", "achievement", "member_state"),
        _statement(2, "B", "achievement", "member_state"),
        _statement(3, "B", "achievement", "member_state"),  # one voice, counted once
        _statement(4, "C", "gap", "civil_society"),
        _statement(5, "D", "gap", "survivor_led"),
        _statement(6, "E", "gap", "un_entity"),  # neither side
        _statement(7, "A", "achievement", "member_state", "PRE-01"),
        _statement(8, "C", "achievement", "civil_society", "PRE-01"),
        _statement(9, "F", "proposal", "civil_society", "PRE-01"),
    ]
    coverage = pd.DataFrame({"commitment": ["PRO-03", "PRE-01"], "title": ["Shelter", "Plans"]})
    table = contested(pd.DataFrame(rows), coverage).set_index("commitment")
    assert table.loc["PRO-03", ["states_positive", "ngo_critical", "ngo_positive"]].tolist() == [
        2,
        2,
        0,
    ]
    assert bool(table.loc["PRO-03", "contested"]) and not bool(table.loc["PRE-01", "contested"])
    assert table.index[0] == "PRO-03" and "S6" not in table.loc["PRO-03", "statement_ids"]


def test_five_findings_two_of_what_moved_topped_up_when_one_side_is_short():
    up = tuple(Finding((f"up {i}",)) for i in range(4))
    down = tuple(Finding((f"down {i}",)) for i in range(4))
    assert [f.sentence[0] for f in chosen_findings(up, down)] == [
        "up 0",
        "up 1",
        "down 0",
        "down 1",
        "down 2",
    ]
    assert len(chosen_findings(up, down[:1])) == 5
    assert chosen_findings((), ()) == ()


def test_the_summary_annex_holds_the_statements_behind_its_findings_only():
    review = load_review()
    content = prepare(review, Slice("summary"))
    shown = chosen_findings(content.moved, content.missing)
    cited = {i for f in shown for i in f.candidates[:EVIDENCE]}
    assert len(shown) == FINDINGS_SHOWN
    assert set(content.annex["statement_id"]) == cited
    page = BeautifulSoup(summary.key_findings(content).markup, "lxml")
    assert len(page.select("li")) == FINDINGS_SHOWN
    for cell in BeautifulSoup(summary.contested(content).markup, "lxml").select(".figure"):
        assert cell["data-table"] == "contested"
