"""Declaration language by rule, on hand-written cases: gerunds, reaffirmations of the GPA's
commitments, the register each idea gets, and the register of the words themselves."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewlib import paths
from reviewlib.ideas.declaration import (
    OPENINGS,
    gerund,
    operative,
    reaffirmation,
    tidy,
)
from reviewlib.ideas.labels import VERBS


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("strengthen", "strengthening"),
        ("create", "creating"),
        ("stop", "stopping"),
        ("set", "setting"),
        ("run", "running"),
        ("ban", "banning"),
        ("vet", "vetting"),
        ("commit", "committing"),
        ("audit", "auditing"),
        ("open", "opening"),
        ("screen", "screening"),
        ("guarantee", "guaranteeing"),
        ("criminalize", "criminalizing"),
        ("tie", "tying"),
        ("offer", "offering"),
        ("fix", "fixing"),
        ("allow", "allowing"),
        ("be", "being"),
    ],
)
def test_gerunds(verb, expected):
    assert gerund(verb) == expected


def test_every_verb_a_label_opens_with_has_a_plain_gerund():
    for verb in VERBS:
        made = gerund(verb)
        assert made.endswith("ing") and made[: len(verb) - 1] == verb[: len(verb) - 1], verb


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trace, freeze, seize and confiscate the criminal proceeds of trafficking, and "
            "consider using them to compensate and assist victims.",
            "We reaffirm our commitment to tracing, freezing, seizing and confiscating the "
            "criminal proceeds of trafficking, and considering using them to compensate and "
            "assist victims.",
        ),
        (
            "Adopt and carry out national strategies and action plans.",
            "We reaffirm our commitment to adopting and carrying out national strategies and "
            "action plans.",
        ),
        (
            "Make sure victims are not punished for offences they were compelled to commit as a "
            "result of being trafficked, and avoid re-victimization.",
            "We reaffirm our commitment to making sure victims are not punished for offences "
            "they were compelled to commit as a result of being trafficked, and avoiding "
            "re-victimization.",
        ),
        (
            "Provide victims with shelter, care and support, working together with NGOs.",
            "We reaffirm our commitment to providing victims with shelter, care and support, "
            "working together with NGOs.",
        ),
        (
            "Identify victims early and treat them as victims of crime.",
            "We reaffirm our commitment to identifying victims early and treating them as "
            "victims of crime.",
        ),
        (
            "Ask UNODC to collect data and report every two years.",
            "We reaffirm our commitment to asking UNODC to collect data and report every two "
            "years.",
        ),
    ],
)
def test_reaffirmations(text, expected):
    assert reaffirmation(text) == expected


def test_every_commitment_of_the_gpa_reads_as_one_reaffirmation():
    commitments = pd.read_csv(paths.reference_dir() / "commitments.csv", dtype=str)
    for text in commitments["text"]:
        made = reaffirmation(text)
        words = made.split()
        assert made.startswith("We reaffirm our commitment to ") and words[5].rstrip(",").endswith(
            "ing"
        )
        assert made.endswith(".") and made.count(".") == 1, made
        assert len(words) >= len(text.split()) + 5  # nothing cut


@pytest.mark.parametrize(
    ("label", "states", "expected", "register"),
    [
        (
            "Create national registers of organ transplants and exchange data between States.",
            3,
            "We commit to creating national registers of organ transplants and exchanging data "
            "between States.",
            "commitment",
        ),
        (
            "Create national registers of organ transplants and exchange data between States.",
            1,
            "We encourage Member States to create national registers of organ transplants and "
            "exchange data between States.",
            "encouragement",
        ),
        (
            "Establish a national rapporteur who would assess the measures and publish the findings.",
            2,
            "We commit to establishing a national rapporteur who would assess the measures and "
            "publish the findings.",
            "commitment",
        ),
        (
            "Harmonise their indicators and disaggregate statistics by sex and age.",
            4,
            "We commit to harmonising our indicators and disaggregating statistics by sex and age.",
            "commitment",
        ),
        (
            "Enforce zero tolerance for exploitation by peacekeepers, with vetting and real "
            "accountability!",
            5,
            "We call upon the United Nations system, within existing resources, to enforce zero "
            "tolerance for exploitation by peacekeepers, with vetting and accountability.",
            "united_nations",
        ),
        (
            "Encourage online platforms to partner with national authorities.",
            3,
            "We encourage online platforms to partner with national authorities.",
            "call",
        ),
        (
            "Port States should inspect the working conditions of fishing crews.",
            1,
            "We encourage Member States to ensure that port States inspect the working "
            "conditions of fishing crews.",
            "encouragement",
        ),
        (
            "Assistance to victims should not depend on their cooperation with the police.",
            2,
            "We commit to ensuring that assistance to victims does not depend on their "
            "cooperation with the police.",
            "commitment",
        ),
        (
            "Children should be interviewed only once, by trained staff...",
            2,
            "We commit to ensuring that children are interviewed only once, by trained staff.",
            "commitment",
        ),
        (
            "A public list of licensed recruiters would help workers avoid fraudulent agents.",
            3,
            "We recognize that a public list of licensed recruiters would help workers avoid "
            "fraudulent agents.",
            "recognition",
        ),
        (
            "Regional joint investigation teams in Central Asia, with support from partners.",
            0,
            "We encourage Member States to promote regional joint investigation teams in "
            "Central Asia, with support from partners.",
            "encouragement",
        ),
        (
            "Shelter is not enough: States must fund long-term support for survivors.",
            2,
            "We commit to ensuring that States fund long-term support for survivors.",
            "commitment",
        ),
        (
            "Guarantee child-sensitive procedures: a guardian for every child and no detention.",
            0,
            "We encourage Member States to guarantee child-sensitive procedures, including a "
            "guardian for every child and no detention.",
            "encouragement",
        ),
    ],
)
def test_operative_paragraphs(label, states, expected, register):
    drafted = operative(label, states, commit_min_member_states=2)
    assert (drafted.text, drafted.register) == (expected, register)
    assert drafted.text.startswith(OPENINGS) and drafted.reason


def test_the_register_is_cleaned_but_nothing_is_cut():
    assert tidy("Fund shelters, training, etc... now!") == "Fund shelters, training now"
    assert tidy("Make the law real and truly binding.") == "Make the law real and binding"
    long = "Set up " + " ".join(["hotlines"] * 80) + "."
    assert operative(long, 0).text.count("hotlines") == 80
