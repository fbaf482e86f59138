"""Panels of review.yml: briefs a review defines as unions of pillars, themes and commitments."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewlib import load_review, paths
from reviewlib.brief.slices import Slice, check_parameter, statements
from reviewlib.errors import InputError, ParameterError
from reviewlib.gather.panels import read_panels

DEMO = paths.review_file().read_text(encoding="utf-8")


def test_the_demo_defines_the_two_panels_of_2017():
    panels = {p.name: p for p in load_review().config.panels}
    assert panels["prevention_prosecution"].pillars == ("prevention", "prosecution")
    assert "Trust Fund" in panels["protection_trust_fund"].title
    assert check_parameter("panel", "Protection_Trust_Fund") == Slice(
        "panel", "protection_trust_fund"
    )


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"a": {"pillars": ["prevention"]}}, "needs a title"),
        ({"a": {"title": "A", "pillars": ["rescue"]}}, "names 'rescue'; the pillars are"),
        ({"a": {"title": "A"}}, "names no pillar, theme or commitment"),
        ({"a": {"title": "A", "themes": "gender"}}, "must be a list"),
        ({"a": {"title": "A", "topics": ["x"]}}, "'topics' is not known"),
    ],
)
def test_a_wrong_panel_is_one_sentence_naming_it(raw, words):
    with pytest.raises(InputError) as caught:
        read_panels(raw, Path("review.yml"))
    assert words in str(caught.value) and "panels.a" in str(caught.value)


def test_a_panel_naming_an_unknown_theme_or_commitment_stops_with_the_known_ones(make_inputs):
    inputs = make_inputs(
        review_yml=DEMO.replace("commitments: [PRO-09, PRO-10]", "commitments: [PRO-99]")
    )
    with pytest.raises(ParameterError) as caught:
        check_parameter("panel", "protection_trust_fund", inputs)
    assert "names 'PRO-99'" in str(caught.value)
    with pytest.raises(ParameterError) as caught:
        check_parameter("panel", "trafficking", paths.INPUTS)
    assert "allowed: prevention_prosecution, protection_trust_fund" in str(caught.value)


def test_a_panel_reads_the_union_of_its_pillars_themes_and_commitments():
    review = load_review()
    s = review.statements
    panel = statements(review, Slice("panel", "protection_trust_fund"))
    pillar = statements(review, Slice("pillar", "protection"))
    theme = statements(review, Slice("theme", "non_punishment"))
    assert set(panel["statement_id"]) == set(pillar["statement_id"]) | set(theme["statement_id"])
    both = statements(review, Slice("panel", "prevention_prosecution"))
    ids = set(both["statement_id"])
    for p in ("prevention", "prosecution"):
        assert set(statements(review, Slice("pillar", p))["statement_id"]) <= ids
    assert ids < set(s["statement_id"])
