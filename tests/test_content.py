"""What briefs say, on the demo, without running a notebook: findings, quotes, options, no grades."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from reviewlib import load_review, paths
from reviewlib.brief.content import prepare
from reviewlib.brief.figures import Figure, plain
from reviewlib.brief.quotes import QuoteRule, choose, english_text
from reviewlib.brief.slices import Slice
from reviewlib.terms import PILLARS


@pytest.fixture(scope="module")
def demo():
    return load_review(paths.INPUTS)


def _quoted(content) -> list[pd.Series]:
    s = content.statements.set_index("statement_id")
    return [s.loc[q] for q in content.quotes.values()]


CROSS_CUTTING = ["overview", *(f"pillar:{p}" for p in PILLARS)]


def _part(spec: str) -> Slice:
    kind, _, value = spec.partition(":")
    return Slice(kind, value)


@pytest.mark.parametrize("spec", CROSS_CUTTING)
def test_no_kind_of_contributor_speaks_for_the_whole_brief(demo, spec):
    content = prepare(demo, _part(spec))
    types = Counter(q["stakeholder_type"] for q in _quoted(content))
    assert sum(types.values()) >= 3, f"{spec}: {types}"
    assert max(types.values()) / sum(types.values()) <= 0.4, f"{spec}: {types}"


def test_un_entities_and_survivor_led_groups_are_heard_in_cross_cutting_briefs(demo):
    specs = [*CROSS_CUTTING, *(f"theme:{t}" for t in demo.reference.themes["theme"])]
    specs += [
        f"region:{g}" for g in ("African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG")
    ]
    heard = Counter(q["stakeholder_type"] for s in specs for q in _quoted(prepare(demo, _part(s))))
    assert heard["un_entity"] >= 1 and heard["survivor_led"] >= 1, heard


def test_quotes_are_english_and_illustrate_their_finding(demo):
    for spec in [*CROSS_CUTTING, "country:NGA", "region:African", "theme:gender"]:
        content = prepare(demo, _part(spec))
        for finding, sid in content.quotes.items():
            assert sid in finding.candidates
            row = content.statements.set_index("statement_id").loc[sid]
            assert english_text(row), (spec, sid)


def test_ties_are_not_broken_by_alphabetical_order():
    """Six equally relevant statements from six kinds of contributor: the one chosen is not
    simply the first id in alphabetical order, and the choice does not depend on input order."""
    types = ["academia", "civil_society", "media", "survivor_led", "un_entity", "private_sector"]
    ids = [f"{t[:3].upper()}-{i}" for i, t in enumerate(types)]
    statements = pd.DataFrame(
        {
            "statement_id": ids,
            "stakeholder_type": types,
            "submitter_group": "",
            "language": "en",
            "text": "Something was done.",
            "evidence": "",
        }
    )
    weighed = pd.DataFrame({"statement_id": ids, "weight": 1.0, "citations": 1})
    first = choose([ids], statements, weighed, QuoteRule())
    again = choose([ids[::-1]], statements.iloc[::-1], weighed, QuoteRule())
    assert first == again and first != [sorted(ids)[0]]


def test_a_country_brief_sets_out_evidence_side_by_side_and_never_grades(demo):
    content = prepare(demo, Slice("country", "NGA"))
    text = " ".join(plain(f.sentence) for f in (*content.moved, *content.missing))
    assert "the Government reports" in text and "others report" in text
    assert "level" not in text.lower() and "weakest" not in text.lower()
    standing = content.standing
    assert set(standing["pillar"]) <= {*PILLARS, "none"}
    assert {"government_achievements", "others_gaps", "initiatives_by_others"} <= set(
        content.standing_columns
    )


def test_an_initiative_by_a_non_state_actor_is_labelled_as_its_own(demo):
    from reviewlib.brief.sections import quote

    s = demo.statements
    own = s[s["stakeholder_type"].ne("member_state") & s["kind"].eq("achievement")]
    own = own[own["language"].eq("en")].iloc[0]
    assert "Initiative by " in quote(demo.statements, own["statement_id"])
    state = s[s["stakeholder_type"].eq("member_state") & s["language"].eq("en")].iloc[0]
    assert "Initiative by " not in quote(demo.statements, state["statement_id"])


def test_every_number_in_a_finding_is_a_table_cell(demo):
    content = prepare(demo, Slice("pillar", "protection"))
    tables = {
        "coverage": content.scores.coverage,
        "pillar_summary": content.scores.pillar_summary,
    }
    for part in (p for f in content.moved + content.missing for p in f.sentence):
        if isinstance(part, Figure):
            table = tables[part.table]
            match = pd.Series(True, index=table.index)
            for k, v in part.key:
                match &= table[k].astype(str).eq(v)
            value = table.loc[match, part.column].iloc[0]
            assert str(value).replace(",", "") == part.shown.replace(",", "")


def test_options_come_from_the_one_review_wide_pool(demo):
    """An idea offered in two briefs is the same idea, with the same support."""
    a = prepare(demo, Slice("pillar", "protection")).options
    b = prepare(demo, Slice("overview")).options
    both = set(a["idea_id"]) & set(b["idea_id"])
    for idea in both:
        assert (
            a.set_index("idea_id").loc[idea, "n_submitters"]
            == b.set_index("idea_id").loc[idea, "n_submitters"]
        )


def test_a_country_brief_reads_what_the_state_said_and_what_was_said_about_it():
    """Found through an index made once per review (planning 190 country briefs looks each one
    up), or by a plain comparison for a stand-in that cannot be remembered: the same rows, in
    the table's order, with GLOTIP rows of that State only."""
    import types

    from reviewlib.brief import slices

    review = load_review(paths.INPUTS)
    s = review.statements
    state = s["country"].value_counts().index[0]
    expected = s[s["country"].eq(state) | s["scope_iso3"].eq(state)]
    assert s["scope_iso3"].eq(state).any() or len(expected) > 1
    stand_in = types.SimpleNamespace(statements=s, reference=review.reference)
    for given in (review, stand_in):
        rows = slices.statements(given, Slice("country", state))
        assert rows.index.tolist() == expected.index.tolist()
        figures = slices.indicators(given, Slice("country", state))
        assert set(figures["iso3"]) <= {state}
    assert slices.statements(review, Slice("country", "ATA")).empty  # nobody's


def test_a_cell_is_found_by_its_key_and_follows_a_table_changed_in_place():
    import pandas as pd

    from reviewlib.brief.figures import cell, figure

    table = pd.DataFrame(
        {"iso3": ["KEN", "KEN", "GHA"], "year": [2014, 2015, 2014], "n": [19, 21, 7]}
    )
    assert cell(table, {"iso3": "KEN", "year": "2015"}, "n") == 21
    assert figure("t", table, {"iso3": "GHA", "year": 2014}, "n").shown == "7"
    with pytest.raises(KeyError, match="2 rows"):
        cell(table, {"iso3": "KEN"}, "n")
    with pytest.raises(KeyError, match="0 rows"):
        cell(table, {"iso3": "BLR", "year": "2014"}, "n")
    table.loc[2, "iso3"] = "BLR"  # the same table object, changed after a lookup
    assert cell(table, {"iso3": "BLR", "year": "2014"}, "n") == 7
    with pytest.raises(KeyError, match="0 rows"):
        cell(table, {"iso3": "GHA", "year": "2014"}, "n")
    table.loc[3] = ["GHA", 2016, 3]  # a row added
    assert cell(table, {"iso3": "GHA", "year": "2016"}, "n") == 3
    assert cell(table.iloc[0:1], {}, "n") == 19  # no key: the table's one row
