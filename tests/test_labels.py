"""Neutral labels by rule: the proposer and the addressee dropped, an imperative, a full sentence."""

from __future__ import annotations

import pytest

from reviewlib import load_review, paths
from reviewlib.ideas.labels import has_voice, is_imperative, neutral_label
from reviewlib.ideas.pool import pool


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "Libya calls for international support to screen migrants in detention centres.",
            "Provide international support to screen migrants in detention centres.",
        ),
        ("Australia supports engaging the financial sector.", "Engage the financial sector."),
        ("We urge States to ban recruitment fees", "Ban recruitment fees."),
        ("We recommend that governments should fund shelters.", "Fund shelters."),
        (
            "Canada proposes that States establish survivor advisory bodies",
            "Establish survivor advisory bodies.",
        ),
        (
            "Tajikistan suggests that countries of destination support helplines.",
            "Ensure that countries of destination support helplines.",
        ),
        ("States should consider requiring due diligence", "Consider requiring due diligence."),
        ("Every State should appoint a rapporteur", "Appoint a rapporteur."),
        (
            "We propose creating national registers and exchanging data between States.",
            "Create national registers and exchange data between States.",
        ),
        (
            "Lao PDR proposes a public database of agencies.",
            "Establish a public database of agencies.",
        ),
        (
            "The Philippines calls for a zero placement fee policy.",
            "Adopt a zero placement fee policy.",
        ),
        (
            "We call on donors to increase their contributions to the Trust Fund.",
            "Encourage donors to increase their contributions to the Trust Fund.",
        ),
        ("ICAT should hold regular consultations", "ICAT should hold regular consultations."),
        ("Support survivor-led organisations", "Support survivor-led organisations."),
        (
            "Shelter is not enough. Survivors need housing for two years after they leave.",
            "Shelter is not enough.",
        ),
        (
            "Our research finds that non-punishment is seldom applied.",
            "Non-punishment is seldom applied.",
        ),
        (
            "Governments need somebody outside government to check their work.",
            "Governments need somebody outside government to check their work.",
        ),
    ],
)
def test_label_rules(text, label):
    assert neutral_label(text) == label


def test_voice_and_imperative_are_recognised():
    assert has_voice("Companies in our sector should be invited") and not has_voice("Ban fees.")
    assert is_imperative("Ban fees.") and not is_imperative("Fees should be banned.")


def test_demo_labels_speak_in_no_ones_name_and_are_never_cut():
    review = load_review(paths.INPUTS)
    summary = pool(review).summary
    english = summary[summary["label_language"].eq("en") & summary["kind"].eq("proposal")]
    states = set(review.reference.member_states["name"]) | {
        a.strip() for v in review.reference.member_states["aliases"] for a in v.split(";") if a
    }
    openers = english["label"].str.split().str[0].str.strip(",")
    assert not openers.isin(states | {"We", "Our"}).any(), english.loc[
        openers.isin(states | {"We", "Our"}), "label"
    ].tolist()
    assert not english["label"].str.contains("…").any()
    assert english["label"].str.match(r"^[A-Z].*[.!?]$").all()
    assert english["label"].map(is_imperative).mean() >= 0.75
