"""Reference facts as they stood on the review's date: names, UNODC editions and figures."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import shared_file

from reviewlib import paths
from reviewlib.gather.dated import published_last_year, treaty_status, treaty_summary
from reviewlib.gather.reference import load_reference
from reviewlib.gather.review import load_review
from reviewlib.gather.settings import load_config
from reviewlib.scoring.scores import score

MEETING = dt.date(2017, 9, 27)
LATER = dt.date(2023, 6, 30)
LATER_NAMES = ("North Macedonia", "Eswatini", "Türkiye", "Netherlands (Kingdom of the)")
LATER_SHOWN = ("North Macedonia", "Eswatini", "Türkiye", "Netherlands")


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
    assert [ref.name_of[c] for c in ("MKD", "SWZ", "TUR", "NLD")] == list(LATER_SHOWN)


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


def test_a_name_whose_change_date_is_unknown_is_kept_on_every_date():
    # The UN's date for "Netherlands (Kingdom of the)" was not found: never shown before it.
    assert load_reference(as_of=dt.date(2030, 1, 1)).name_of["NLD"] == "Netherlands"
    assert load_reference().name_of["NLD"] == "Netherlands (Kingdom of the)"  # today's, no date


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


FIGURES = """iso3,indicator,dimension,category,sex,age,year,value,suppressed,source,member_state
BLR,Persons convicted,Total,Total,Total,Total,2012,30,false,fixture,true
BLR,Persons convicted,Total,Total,Total,Total,2014,19,false,fixture,true
BLR,Persons convicted,Total,Total,Total,Total,2015,25,false,fixture,true
BLR,Persons convicted,Total,Total,Total,Total,2016,,true,fixture,true
BLR,Persons convicted,Total,Total,Total,Total,2017,40,false,fixture,true
BLR,Persons convicted,Total,Total,Total,Total,2019,41,false,fixture,true
"""


def test_figures_are_cut_at_the_editions_published_by_then_and_carry_their_edition(make_inputs):
    inputs = make_inputs()
    paths.indicators_file(inputs).write_text(FIGURES, encoding="utf-8")
    ind = load_reference(inputs, as_of=MEETING).indicators
    # The 2016 edition (data 2012–2014) was the latest on 27 September 2017, and labels both.
    assert list(zip(ind["year"], ind["edition"], strict=True)) == [(2012, "2016"), (2014, "2016")]
    later = load_reference(inputs, as_of=LATER).indicators
    # In 2023 the verified editions reach 2018 (the 2020 edition); 2019 is never shown.
    assert list(zip(later["year"], later["edition"], strict=True)) == [
        (2012, "2016"),
        (2014, "2018"),
        (2015, "2018"),
        (2016, "2020"),
        (2017, "2020"),
    ]


def test_the_demo_figures_are_those_published_by_the_meeting():
    ind = load_reference(as_of=MEETING).indicators
    assert len(ind) and ind["year"].max() <= 2014
    assert set(ind["edition"]) <= {"2009", "2012", "2014", "2016"}


@pytest.mark.slow
def test_the_whole_export_is_imported_with_the_as_of_cut(make_inputs, tmp_path):
    export = shared_file("glotip/data_glotip.xlsx")
    inputs = make_inputs()
    run = subprocess.run(
        [sys.executable, "-m", "reviewlib.cli", "import-glotip", str(export)]
        + ["--inputs", str(inputs), "--outputs", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    print(run.stdout)
    assert (
        "As of 2017-09-27: kept 14,689 rows for 182 Member States, data years 2003–2014, from the "
        "editions published by 2017-09-27 (2009, 2012, 2014, 2016); left out 31,840 rows"
    ) in run.stdout
    ind = load_reference(inputs, as_of=MEETING).indicators
    assert (len(ind), ind.loc[ind["member_state"], "iso3"].nunique()) == (14_689, 182)
    assert (ind["year"].min(), ind["year"].max()) == (2003, 2014)
    assert ind["source"].str.startswith("UNODC Global Report").all() and ind["edition"].ne("").all()
    coverage = pd.read_csv(paths.glotip_coverage_file(inputs), keep_default_na=False)
    assert len(coverage) == 193  # every Member State was looked for, data or not


def test_gaps_tell_no_published_data_from_data_not_loaded(make_inputs):
    inputs = make_inputs()
    paths.indicators_file(inputs).write_text(FIGURES, encoding="utf-8")
    paths.glotip_coverage_file(inputs).write_text("iso3\nBLR\nAND\n", encoding="utf-8")
    shutil.copy(paths.rubric_file(), inputs / "rubric.yml")
    gaps = score(load_review(inputs)).gaps.set_index("id")["reason"]
    assert "BLR" not in gaps  # it has published figures
    assert gaps["AND"] == (
        "no statement from or about it; no total figure in the editions of the UNODC Global "
        "Report published by 2017-09-27"
    )
    assert gaps["FRA"] == (
        "no statement from or about it; GLOTIP data not loaded for it (reviewlib import-glotip)"
    )


def test_a_milestone_before_as_of_dates_the_reference_facts_too(make_inputs):
    inputs = make_inputs(review_yml=paths.review_file().read_text("utf-8") + "as_of: 2023-06-30\n")
    shutil.copy(paths.indicators_file(), paths.indicators_file(inputs))
    review = load_review(inputs)
    assert review.reference.name_of["TUR"] == "Türkiye"
    early = load_review(inputs, milestone="zero_draft_elements")
    assert early.config.as_of == dt.date(2017, 6, 30)
    assert early.reference.name_of["TUR"] == "Turkey"
    assert early.reference.indicators["year"].max() <= 2014


def test_icat_membership_is_dated_and_only_verified_rows_are_members(make_inputs):
    inputs = make_inputs()
    path = inputs / "reference" / "entities.csv"
    entities = pd.read_csv(path, dtype=str, keep_default_na=False)
    # One unverified row dated like a founder: still never a member.
    entities.loc[entities["name"].eq("World Bank"), "icat_from"] = "2006-09"
    entities.to_csv(path, index=False)
    ref = load_reference(inputs, as_of=MEETING)
    status = dict(zip(ref.entities["name"], ref.entities["icat_status"], strict=True))
    assert status["World Bank"] == "not confirmed" and ref.resolve_entity("World Bank")[1] is False
    assert ref.resolve_entity("UNODC")[1] and ref.resolve_entity("ICMPD")[1]
    # ICMPD joined in 2016: not a member on a date in 2015.
    assert ref.on(dt.date(2015, 9, 1)).resolve_entity("ICMPD")[1] is False
    members = ref.entities.loc[ref.entities["icat_status"].eq("member"), "name"]
    assert len(members) == 6


def test_treaty_status_is_stated_only_from_sourced_rows(make_inputs):
    inputs = make_inputs()
    path = inputs / "reference" / "treaty_parties.csv"
    parties = pd.read_csv(path, dtype=str, keep_default_na=False)
    # France's Protocol row made unverified: its status is then not confirmed, never "not a party".
    parties.loc[parties["iso3"].eq("FRA") & parties["treaty"].eq("protocol"), "verified"] = "false"
    parties.to_csv(path, index=False)
    ref = load_review(inputs).reference
    status = treaty_status(ref.treaty_parties, ref.member_states, ref.as_of)
    status = status.set_index(["iso3", "treaty"])["status"]
    assert status[("FRA", "protocol")] == "status not confirmed"
    assert status[("FRA", "convention")] == "party"
    # No row at all (the list is incomplete): not confirmed either.
    assert status[("TUV", "protocol")] == "status not confirmed"
    # A sourced deposit after the date is the only way to read "not a party" (Andorra, 2022).
    assert status[("AND", "protocol")] == "not a party"
    assert status[("AFG", "protocol")] == "status not confirmed"  # unverified row


def test_treaty_status_and_the_review_wide_count_follow_as_of():
    ref = load_reference(as_of=MEETING)
    counts = treaty_summary(
        treaty_status(ref.treaty_parties, ref.member_states, MEETING), MEETING
    ).set_index("treaty")
    assert counts.loc["protocol", ["parties", "not_parties", "not_confirmed"]].tolist() == [
        164,
        4,
        25,
    ]
    later = load_reference(as_of=LATER)
    after = treaty_status(later.treaty_parties, later.member_states, LATER).set_index(
        ["iso3", "treaty"]
    )["status"]
    assert after[("AND", "protocol")] == "party"  # deposited in 2022


def test_commitments_are_marked_paraphrases_unless_their_paragraph_is_verified(make_inputs):
    ref = load_reference()
    assert {ref.commitment_basis(c) for c in ref.commitments["commitment"]} == {
        "paraphrase of the GPA"
    }
    text = dict(zip(ref.commitments["commitment"], ref.commitments["text"], strict=True))
    # No later wording back-projected into the 2010 Plan (audit of commitments.csv).
    assert "inequality" not in text["PRE-01"] and "financial investigation" not in text["PRS-02"]
    assert "conflict" not in text["PRE-07"]  # conflict and crises: a theme the Plan covers thinly
    inputs = make_inputs()
    path = inputs / "reference" / "commitments.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["commitment"].eq("PRO-09"), ["paragraph", "paragraph_verified"]] = [
        "38",
        "true",
    ]
    table.to_csv(path, index=False)
    assert load_reference(inputs).commitment_basis("PRO-09") == "A/RES/64/293, annex, para 38"


def test_a_name_inside_a_sentence_starts_with_the_only_where_un_documents_write_it_so():
    from reviewlib.brief.country import in_running_text

    assert (
        in_running_text("The former Yugoslav Republic of Macedonia")
        == "the former Yugoslav Republic of Macedonia"
    )
    assert in_running_text("Turkey") == "Turkey"
    assert in_running_text("The Bahamas Islands") == "The Bahamas Islands"  # a proper noun follows
