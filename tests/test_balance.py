"""Balance: who contributed, from where, in which language, on what — every figure worked by hand.

The fixture pool (tests/data/balance/*, nine contributions, thirteen statements):

    contribution  type            country  group         language  statements  themes
    B-KEN         member_state    KEN      African       en        2           migration | gender
    B-FRA         member_state    FRA      WEOG          fr        2           - | -
    B-DEU         member_state    DEU      WEOG          en        1           -
    B-PER         member_state    PER      GRULAC        es        1           migration;child_labour
    B-UNODC       un_entity (ICAT)  -      -             en        2           data_evidence | data_evidence;technology
    B-IOM         un_entity (ICAT)  -      -             en        1           migration
    B-SURV        survivor_led    NPL      Asia-Pacific  en        1           gender
    B-CSO         civil_society   CIV      African       fr        2           child_labour | -
    B-BIZ         private_sector  -        -             en        1           supply_chains

tests/data/balance/extra/ holds statements that the tests set aside or merge.
"""

from __future__ import annotations

import csv
import dataclasses
import math

import pandas as pd
import pytest
from conftest import DATA
from hypothesis import given
from hypothesis import strategies as st

from reviewlib import load_review, paths
from reviewlib.errors import InputError
from reviewlib.scoring.balance import (
    NO_COUNTRY,
    TABLE_COLUMNS,
    assess,
    balance_table,
    regional_representativeness,
    stakeholder_evenness,
)
from reviewlib.terms import STAKEHOLDER_TYPES

POOL = sorted(p for p in (DATA / "balance").iterdir() if p.is_file())
EXTRA = DATA / "balance" / "extra" / "set_aside.csv"
MEMBER_STATES = {
    "African": 54,
    "Asia-Pacific": 54,
    "Eastern European": 23,
    "GRULAC": 33,
    "WEOG": 29,
}


@pytest.fixture
def review(make_inputs):
    review = load_review(make_inputs(POOL))
    assert not review.has_rejections, review.ledger.to_string()
    assert (review.statements["themes_inferred"] == "").all()  # the texts carry no theme keywords
    return review


def column(frame: pd.DataFrame, key: str, value: str) -> dict[str, object]:
    return frame.set_index(key)[value].to_dict()


def test_contributions_and_statements_by_stakeholder_type(review):
    b = assess(review)
    assert (b.n_contributions, b.n_statements) == (9, 13)
    # member_state: KEN, FRA, DEU, PER = 4 contributions, 2+2+1+1 = 6 statements; un_entity: UNODC, IOM = 2, 2+1 = 3
    assert column(b.by_stakeholder, "stakeholder_type", "contributions") == {
        "member_state": 4,
        "un_entity": 2,
        "international_organisation": 0,
        "civil_society": 1,
        "survivor_led": 1,
        "private_sector": 1,
        "media": 0,
        "academia": 0,
        "other": 0,
    }
    assert column(b.by_stakeholder, "stakeholder_type", "statements") == {
        "member_state": 6,
        "un_entity": 3,
        "international_organisation": 0,
        "civil_society": 2,
        "survivor_led": 1,
        "private_sector": 1,
        "media": 0,
        "academia": 0,
        "other": 0,
    }
    assert list(b.by_stakeholder["stakeholder_type"]) == list(STAKEHOLDER_TYPES)
    shares = column(b.by_stakeholder, "stakeholder_type", "contribution_share")
    assert shares["member_state"] == pytest.approx(4 / 9)
    assert column(b.by_stakeholder, "stakeholder_type", "statement_share")[
        "un_entity"
    ] == pytest.approx(3 / 13)


def test_counts_by_regional_group_language_and_theme(review):
    b = assess(review)
    # African: KEN (2) + CSO in Côte d'Ivoire (2); WEOG: FRA (2) + DEU (1); no country: UNODC (2), IOM (1), BIZ (1)
    assert list(b.by_group["regional_group"]) == [*MEMBER_STATES, NO_COUNTRY]
    assert column(b.by_group, "regional_group", "contributions") == {
        "African": 2,
        "Asia-Pacific": 1,
        "Eastern European": 0,
        "GRULAC": 1,
        "WEOG": 2,
        NO_COUNTRY: 3,
    }
    assert column(b.by_group, "regional_group", "statements") == {
        "African": 4,
        "Asia-Pacific": 1,
        "Eastern European": 0,
        "GRULAC": 1,
        "WEOG": 3,
        NO_COUNTRY: 4,
    }
    assert column(b.by_group, "regional_group", "contribution_share")[NO_COUNTRY] == pytest.approx(
        3 / 9
    )

    # en: KEN, DEU, UNODC, IOM, SURV, BIZ = 6 contributions, 2+1+2+1+1+1 = 8 statements
    assert list(b.by_language["language"]) == ["en", "fr", "es", "ru", "ar", "zh", "not given"]
    assert column(b.by_language, "language", "contributions") == {
        "en": 6,
        "fr": 2,
        "es": 1,
        "ru": 0,
        "ar": 0,
        "zh": 0,
        "not given": 0,
    }
    assert column(b.by_language, "language", "statements") == {
        "en": 8,
        "fr": 4,
        "es": 1,
        "ru": 0,
        "ar": 0,
        "zh": 0,
        "not given": 0,
    }

    # A statement with several themes counts for each: PER counts for migration and child_labour.
    # migration: KEN-1, PER-1, IOM-1; data_evidence: UNODC-1, UNODC-2 (one contribution);
    # no theme: FRA-1, FRA-2, DEU-1, CSO-2 (three contributions).
    statements = column(b.by_theme, "theme", "statements")
    contributions = column(b.by_theme, "theme", "contributions")
    assert {t: n for t, n in statements.items() if n} == {
        "migration": 3,
        "child_labour": 2,
        "technology": 1,
        "supply_chains": 1,
        "gender": 2,
        "data_evidence": 2,
        "no theme": 4,
    }
    assert (contributions["data_evidence"], contributions["no theme"]) == (1, 3)
    assert column(b.by_theme, "theme", "statement_share")["migration"] == pytest.approx(3 / 13)
    assert list(b.by_theme["theme"])[:-1] == list(review.reference.themes["theme"])


def test_member_state_shares_by_regional_group(review):
    s = assess(review).states.set_index("regional_group")
    assert s["member_states"].to_dict() == MEMBER_STATES  # 193 in all, from member_states.csv
    # Contributing States: KEN (African), PER (GRULAC), FRA and DEU (WEOG) = 4
    assert s["contributing_states"].to_dict() == {
        "African": 1,
        "Asia-Pacific": 0,
        "Eastern European": 0,
        "GRULAC": 1,
        "WEOG": 2,
    }
    assert s.loc["GRULAC", "share_of_member_states"] == pytest.approx(33 / 193)  # 17%
    assert s.loc["WEOG", "share_of_contributing_states"] == pytest.approx(2 / 4)
    # ratio = share of contributing States ÷ share of Member States
    assert s.loc["African", "ratio"] == pytest.approx((1 / 4) / (54 / 193))  # 193/216 = 0.894
    assert s.loc["WEOG", "ratio"] == pytest.approx((2 / 4) / (29 / 193))  # 193/58 = 3.33
    assert s.loc["Asia-Pacific", "ratio"] == 0


def test_icat_participation(review):
    icat = assess(review).icat
    assert len(icat) == 22  # every icat_member=true row of entities.csv
    # Only the verified rows whose dates cover 27 September 2017 are confirmed members.
    assert list(icat.loc[icat["membership"].eq("confirmed"), "short_name"]) == [
        *("UNODC", "ILO", "IOM", "UNICEF", "UNHCR", "ICMPD")
    ]
    assert set(icat.loc[icat["membership"].ne("confirmed"), "membership"]) == {
        "membership in 2017 not confirmed"
    }
    heard = icat[icat["contributed"]]
    assert list(heard["short_name"]) == [
        "UNODC",
        "IOM",
    ]  # IOM written out in full, resolved by alias
    assert column(icat, "short_name", "statements")["UNODC"] == 2
    assert column(icat, "short_name", "statements")["ILO"] == 0


def test_index_and_its_parts_by_hand(review):
    b = assess(review)
    parts = column(b.parts, "part", "value")
    # (a) contributions over 9 types: 4, 2, 1, 1, 1 of 9 → H = −Σ p ln p, divided by ln 9
    h = -(4 / 9 * math.log(4 / 9) + 2 / 9 * math.log(2 / 9) + 3 * (1 / 9 * math.log(1 / 9)))
    assert parts["stakeholder_evenness"] == pytest.approx(
        h / math.log(9)
    )  # 1.4271 / 2.1972 = 0.6495
    # (b) p = (1/4, 0, 0, 1/4, 1/2), q = (54, 54, 23, 33, 29)/193; TVD = the excess where p > q:
    #     GRULAC 1/4 − 33/193 = 61/772, WEOG 1/2 − 29/193 = 270/772 → TVD = 331/772 → 1 − TVD = 441/772
    assert parts["regional_representativeness"] == pytest.approx(441 / 772)  # 0.5712
    # (c) 2 of the 6 confirmed ICAT members (the 16 unconfirmed are not counted)
    assert parts["icat_coverage"] == pytest.approx(2 / 6)
    assert b.index == pytest.approx((h / math.log(9) + 441 / 772 + 2 / 6) / 3)
    assert column(b.parts, "part", "weight") == pytest.approx(dict.fromkeys(parts, 1 / 3))


def test_flags_by_hand(review):
    flags = assess(review).messages
    unconfirmed = (
        "UN Women, OHCHR, UNDP, UNFPA, UNESCO, UNAIDS, UNICRI, UNU, World Bank, "
        "ICAO, DPKO, OSRSG-VAC, OSRSG-CAAC, OSRSG-SVC, OSCE, INTERPOL"
    )
    assert flags == (
        # non-governmental: CSO + SURV + BIZ = 3 of 9 = 33% ≥ 25%, so no share flag; types below 3 are named
        "Only 2 UN-entity contributions",
        "No international organisation has contributed",
        "Only 1 civil-society contribution",
        "Only 1 survivor-led contribution",
        "Only 1 private-sector contribution",
        "No media organisation has contributed",
        "No academic or research institution has contributed",
        "No civil-society organisation from the Asia-Pacific Group, the Eastern European Group, GRULAC or WEOG "
        "has contributed",
        "No survivor-led organisation from the African Group, the Eastern European Group, GRULAC or WEOG "
        "has contributed",
        # 54/193 = 28%, 23/193 = 12%; ratios: African 0.89 and GRULAC 1.46 lie within 0.67–1.5,
        # WEOG 3.33 > 1.5: 29/193 = 15% against 2/4 = 50%
        "No Member State of the Asia-Pacific Group has contributed; its 54 States are 28% of Member States",
        "No Member State of the Eastern European Group has contributed; its 23 States are 12% of Member States",
        "WEOG States are 15% of Member States but 50% of contributing States",
        "4 of the 6 confirmed ICAT members have not contributed: ILO, UNICEF, UNHCR, ICMPD",
        f"Listed as ICAT members but membership in 2017 not confirmed, so not counted: {unconfirmed}",
        # en 6 of 9 = 67% ≤ 80%: not dominant
        "No contribution in Russian, Arabic or Chinese",
        "No statement addresses these themes: Modern slavery; Forced labour; Armed conflict and humanitarian "
        "crises; Trafficking for organ removal; Non-punishment of victims",
    )


def test_thresholds_and_weights_from_review_yml(make_inputs):
    text = paths.review_file().read_text(encoding="utf-8")
    settings = (
        "balance:\n  under_ratio: 0.95\n  min_non_governmental_share: 0.5\n"
        "  weights: {icat_coverage: 0}\n"
    )
    b = assess(load_review(make_inputs(POOL, review_yml=text + settings)))
    # African ratio 0.894 < 0.95; non-governmental 3 of 9 = 33% < 50%
    assert (
        "African Group States are 28% of Member States but 25% of contributing States" in b.messages
    )
    assert b.messages[0] == (
        "Only 33% of contributions come from non-governmental voices (civil society, "
        "survivor-led organisations, the private sector, media and academia)"
    )
    parts = column(b.parts, "part", "value")
    assert b.index == pytest.approx(
        (parts["stakeholder_evenness"] + parts["regional_representativeness"]) / 2
    )

    # review.yml's own languages come first, then any other seen; none missing here
    fewer = text.replace("languages: [en, fr, es, ru, ar, zh]", "languages: [en, fr]")
    b = assess(load_review(make_inputs(POOL, review_yml=fewer)))
    assert list(b.by_language["language"]) == ["en", "fr", "es", "not given"]
    assert not b.flags["dimension"].eq("language").any()

    with pytest.raises(InputError, match="balance.under_raito"):
        assess(load_review(make_inputs(POOL, review_yml=text + "balance:\n  under_raito: 0.9\n")))
    with pytest.raises(InputError, match="balance.weights.icat"):
        assess(load_review(make_inputs(POOL, review_yml=text + "balance:\n  weights: {icat: 1}\n")))


def test_set_aside_and_merged_statements_change_nothing(make_inputs):
    inputs = make_inputs(POOL)
    before = assess(load_review(inputs))
    # Another Kenyan statement (organ removal), a Brazilian NGO writing in Arabic, ILO in Chinese:
    # all of it would change the tables if it counted.
    make_inputs([EXTRA])
    (inputs / "decisions" / "triage.csv").write_text(
        "statement_id,decision,merge_into,pillar,themes,note,reviewer,at\n"
        "B-KEN-9,set_aside,,,,,tester,2017-08-01\n"
        "B-BRA-1,set_aside,,,,,tester,2017-08-01\n"
        "B-BRA-2,merge,B-BRA-1,,,,tester,2017-08-01\n"
        "B-ILO-1,merge,B-KEN-1,,,,tester,2017-08-01\n",
        encoding="utf-8",
    )
    review = load_review(inputs)
    assert len(review.statements) == 13 + 4
    extra = review.statements[
        review.statements["statement_id"].isin(["B-KEN-9", "B-BRA-1", "B-BRA-2", "B-ILO-1"])
    ]
    assert list(extra["decision"]) == [
        "set_aside",
        "merge",
        "merge",
        "set_aside",
    ]  # by statement_id
    assert (
        assess(
            dataclasses.replace(review, statements=review.statements.assign(decision=""))
        ).n_statements
        == 17
    )
    after = assess(review)
    pd.testing.assert_frame_equal(balance_table(before), balance_table(after))
    assert before.index == after.index and before.messages == after.messages


def test_order_of_rows_does_not_matter(review):
    shuffled = dataclasses.replace(
        review,
        statements=review.statements.sample(frac=1, random_state=7).reset_index(drop=True),
        contributions=review.contributions.sample(frac=1, random_state=7).reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(balance_table(assess(review)), balance_table(assess(shuffled)))


def test_a_perfectly_even_pool_scores_one(make_inputs, tmp_path):
    """Every Member State, and as many contributions from each other type; all 22 ICAT members among them."""
    inputs = make_inputs()
    states = pd.read_csv(
        inputs / "reference" / "member_states.csv", dtype=str, keep_default_na=False
    )
    entities = pd.read_csv(inputs / "reference" / "entities.csv", dtype=str, keep_default_na=False)
    icat = entities[entities["icat_member"].eq("true")]
    path = inputs / "contributions" / "even.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "contribution_id",
                "submitter",
                "stakeholder_type",
                "country",
                "received",
                "language",
                "kind",
                "pillar",
                "text",
            ]
        )
        for kind in STAKEHOLDER_TYPES:
            names = list(icat.loc[icat["stakeholder_type"].eq(kind), "name"])
            for i, iso3 in enumerate(states["iso3"]):
                submitter = (
                    iso3
                    if kind == "member_state"
                    else names[i]
                    if i < len(names)
                    else f"{kind} {i}"
                )
                out.writerow(
                    [
                        f"{kind}-{i}",
                        submitter,
                        kind,
                        iso3,
                        "2017-06-01",
                        "en",
                        "gap",
                        "prevention",
                        "Plain fixture text.",
                    ]
                )
    b = assess(load_review(inputs))
    # 9 types × 193 = 1,737 contributions: every share is 1/9 → H = ln 9; p = q in every group; 22 of 22.
    assert b.n_contributions == 9 * 193
    assert column(b.parts, "part", "value") == pytest.approx(
        {"stakeholder_evenness": 1.0, "regional_representativeness": 1.0, "icat_coverage": 1.0}
    )
    assert b.index == pytest.approx(1.0)
    assert set(b.flags["dimension"]) == {
        "language",
        "theme",
        "icat",
    }  # all in English, no themes: still said
    # every confirmed member contributed: the one ICAT flag names the unconfirmed, uncounted
    assert b.flags.loc[b.flags["dimension"].eq("icat"), "category"].tolist() == ["not confirmed"]


def test_an_empty_pool_is_all_zero_and_says_so(make_inputs):
    b = assess(load_review(make_inputs()))
    assert (b.n_contributions, b.n_statements, b.index) == (0, 0, 0.0)
    assert b.by_stakeholder["contributions"].sum() == 0 and len(b.icat) == 22
    assert b.messages == ("No contribution counts yet; every figure is zero",)
    assert list(balance_table(b).columns) == TABLE_COLUMNS


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=9, max_size=9))
def test_stakeholder_evenness_stays_in_the_unit_interval(counts):
    value = stakeholder_evenness(counts)
    assert 0.0 <= value <= 1.0
    assert value == 0.0 or sum(c > 0 for c in counts) >= 2


@given(st.lists(st.integers(min_value=0, max_value=200), min_size=5, max_size=5))
def test_regional_representativeness_stays_in_the_unit_interval(contributing):
    value = regional_representativeness(contributing, MEMBER_STATES.values())
    assert 0.0 <= value <= 1.0
    assert regional_representativeness(
        list(MEMBER_STATES.values()), MEMBER_STATES.values()
    ) == pytest.approx(1.0)


@pytest.mark.parametrize("take", [slice(0, 1), slice(0, 4), slice(3, 9), slice(None, None, 2)])
def test_the_index_stays_in_the_unit_interval_on_any_part_of_the_pool(make_inputs, take):
    b = assess(load_review(make_inputs(POOL[take])))
    assert 0.0 <= b.index <= 1.0
    assert b.parts["value"].between(0, 1).all()


def test_balance_table_is_one_long_table(review):
    b = assess(review)
    table = balance_table(b)
    assert list(table.columns) == TABLE_COLUMNS
    assert list(dict.fromkeys(table["dimension"])) == [
        "stakeholder_type",
        "regional_group",
        "member_states",
        "language",
        "theme",
        "icat",
        "index",
        "flag",
    ]
    grulac = table[table["dimension"].eq("member_states") & table["category"].eq("GRULAC")].iloc[0]
    assert (grulac["contributions"], grulac["share"]) == (1, 0.25)
    assert grulac["reference_share"] == pytest.approx(33 / 193)
    assert grulac["note"] == "1 of 33 Member States contributed"
    index = table[table["dimension"].eq("index")].set_index("category")
    assert index.loc["balance_index", "share"] == pytest.approx(b.index)
    assert list(table.loc[table["dimension"].eq("flag"), "note"]) == list(b.messages)


def test_balance_is_written_with_the_other_tables(review, tmp_path):
    from reviewlib.brief.publish import derived_tables, write_outputs

    assert "balance" in derived_tables(review)
    write_outputs(review, tmp_path / "outputs")
    written = pd.read_csv(tmp_path / "outputs" / "tables" / "balance.csv", keep_default_na=False)
    assert list(written.columns) == TABLE_COLUMNS
    assert len(written) == len(balance_table(assess(review)))


@pytest.mark.parametrize(
    "section, key",
    [
        ("under_ratio: .nan", "balance.under_ratio"),
        ("weights: {PART: .inf}", "balance.weights.PART"),
    ],
)
def test_a_non_finite_balance_setting_is_one_error_naming_the_key(make_inputs, section, key):
    from reviewlib.scoring.balance import PARTS

    text = paths.review_file().read_text(encoding="utf-8")
    section, key = section.replace("PART", PARTS[0]), key.replace("PART", PARTS[0])
    with pytest.raises(InputError, match=key):
        assess(load_review(make_inputs(POOL, review_yml=text + f"balance:\n  {section}\n")))
