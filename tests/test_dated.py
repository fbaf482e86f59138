"""Reference facts as they stood on the review's date: names, UNODC editions and figures."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from reviewlib import paths
from reviewlib.gather.dated import published_last_year
from reviewlib.gather.reference import load_reference
from reviewlib.gather.review import load_review
from reviewlib.gather.settings import load_config

MEETING = dt.date(2017, 9, 27)
LATER = dt.date(2023, 6, 30)
LATER_NAMES = ("North Macedonia", "Eswatini", "Türkiye", "Netherlands (Kingdom of the)")


def test_names_on_the_meeting_date_are_those_of_2017():
    ref = load_reference(as_of=MEETING)
    names = set(ref.member_states["name"])
    assert not names & set(LATER_NAMES)
    assert ref.name_of["MKD"] == "The former Yugoslav Republic of Macedonia"
    assert (ref.name_of["SWZ"], ref.name_of["TUR"], ref.name_of["NLD"]) == (
        "Swaziland",
        "Turkey",
        "Netherlands",
    )


def test_the_same_reference_in_2023_shows_the_later_names():
    ref = load_reference(as_of=LATER)
    assert [ref.name_of[c] for c in ("MKD", "SWZ", "TUR", "NLD")] == list(LATER_NAMES)


@pytest.mark.parametrize("day", [MEETING, LATER, None])
def test_every_name_a_state_has_had_resolves_on_any_date(day):
    ref = load_reference(as_of=day)
    for iso3, names in {
        "MKD": ("North Macedonia", "The former Yugoslav Republic of Macedonia"),
        "SWZ": ("Eswatini", "Swaziland"),
        "TUR": ("Türkiye", "Turkey"),
        "NLD": ("Netherlands (Kingdom of the)", "Netherlands"),
    }.items():
        assert {ref.resolve_country(n) for n in names} == {iso3}
    aliases = ";".join(ref.member_states["aliases"]).split(";")
    assert not set(aliases) & set(ref.member_states["name"])


def test_a_name_whose_change_date_is_unknown_is_used_only_up_to_its_confirmed_date():
    assert load_reference(as_of=dt.date(2017, 9, 27)).name_of["NLD"] == "Netherlands"
    assert load_reference(as_of=dt.date(2017, 9, 28)).name_of["NLD"] == (
        "Netherlands (Kingdom of the)"
    )


def test_as_of_defaults_to_the_meeting_and_can_be_set(make_inputs):
    assert load_config().as_of == MEETING
    inputs = make_inputs(review_yml=paths.review_file().read_text("utf-8") + "as_of: 2023-06-30\n")
    assert load_config(inputs).as_of == LATER


def test_only_editions_published_by_the_date_count():
    ref = load_reference(as_of=MEETING)
    assert published_last_year(ref.editions, MEETING) == 2014  # the 2016 edition, data 2012–2014
    assert published_last_year(ref.editions, dt.date(2016, 12, 1)) == 2014
    assert published_last_year(ref.editions, dt.date(2016, 11, 30)) == 2012
    # The 2022 and 2024 rows are not verified: never used to date a figure.
    assert published_last_year(ref.editions, dt.date(2026, 1, 1)) == 2018


def test_figures_are_cut_at_the_editions_published_by_then_and_carry_their_edition():
    ref = load_reference(as_of=MEETING)
    ind = ref.indicators
    assert len(ind) and ind["year"].max() <= 2014
    years = ind.groupby("edition")["year"].agg(["min", "max"])
    assert years.loc["2016"].tolist() == [
        2012,
        2014,
    ]  # the latest edition covering a year labels it
    assert set(ind["edition"]) <= {"2009", "2012", "2014", "2016"}
    later = load_reference(as_of=LATER).indicators
    assert later["year"].max() == 2018 and (later["year"] > 2014).any()
    assert set(later.loc[later["year"].eq(2014), "edition"]) == {"2018"}


def test_a_milestone_before_as_of_dates_the_reference_facts_too(make_inputs):
    inputs = make_inputs(review_yml=paths.review_file().read_text("utf-8") + "as_of: 2023-06-30\n")
    shutil.copy(paths.indicators_file(), paths.indicators_file(inputs))
    review = load_review(inputs)
    assert review.reference.name_of["TUR"] == "Türkiye"
    early = load_review(inputs, milestone="zero_draft_elements")
    assert early.config.as_of == dt.date(2017, 6, 30)
    assert early.reference.name_of["TUR"] == "Turkey"
    assert early.reference.indicators["year"].max() <= 2014
