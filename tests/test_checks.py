"""Each named check of `reviewlib.gather.checks`, alone, on a few rows as a reader gives them."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewlib.gather import checks
from reviewlib.gather.readers import FIELDS
from reviewlib.gather.reference import load_reference
from reviewlib.gather.settings import load_config

# What each check needs from the ones before it (the order of checks.CHECKS).
NEEDS = {
    checks.check_required: [checks.check_reader_notes],
    checks.check_country: [checks.check_stakeholder_type],
    checks.check_scope: [checks.check_stakeholder_type, checks.check_country],
    checks.check_pillar: [checks.check_commitments],
    checks.infer_themes: [checks.check_themes, checks.check_commitments, checks.check_pillar],
}


@pytest.fixture(scope="module")
def reference():
    return load_reference()


@pytest.fixture(scope="module")
def config():
    return load_config()


def rows(reference, config, *records: dict, file: str = "c.csv") -> checks.Rows:
    """Rows as `reviewlib.gather.readers` gives them: every field text, numbered from row 2."""
    base = {f: "" for f in FIELDS} | {
        "submitter": "Harbour Watch",
        "stakeholder_type": "civil_society",
        "kind": "gap",
        "text": "Too few shelters.",
        "received": "2017-06-01",
        "language": "en",
    }
    frame = pd.DataFrame([base | r for r in records], dtype=object)
    frame.insert(0, "row", range(2, len(records) + 2))
    frame.insert(0, "file", file)
    frame["_note"] = [r.get("_note", "") for r in records]
    return checks.Rows(frame, reference, config)


def run(check, r: checks.Rows) -> checks.Rows:
    for before in NEEDS.get(check, []):
        before(r)
    check(r)
    return r


def problems(r: checks.Rows, i: int = 0) -> list[tuple[bool, str, str]]:
    return r.problems.get(i, [])


def test_reader_notes_reject_a_row_that_is_not_fields_and_warn_of_the_rest(reference, config):
    r = run(
        checks.check_reader_notes,
        rows(
            reference,
            config,
            {"_note": "!this statement is not a JSON object of fields"},
            {"_note": "a cell holds a spreadsheet formula"},
            {},
        ),
    )
    assert problems(r, 0) == [(True, "", "row 2: this statement is not a JSON object of fields")]
    assert problems(r, 1) == [(False, "", "row 3: a cell holds a spreadsheet formula")]
    assert problems(r, 2) == []


def test_required_fields_are_errors_naming_row_and_column(reference, config):
    r = run(checks.check_required, rows(reference, config, {"text": ""}, {}))
    assert problems(r, 0) == [
        (True, "text", "row 2, column text: is empty; fill in the statement itself")
    ]
    assert problems(r, 1) == []


def test_stakeholder_types_are_read_as_people_write_them(reference, config):
    r = run(
        checks.check_stakeholder_type,
        rows(reference, config, {"stakeholder_type": "NGO"}, {"stakeholder_type": "alien"}),
    )
    assert r.values["stakeholder_type"][0] == "civil_society"
    assert (
        problems(r, 1)[0][0] is True and "'alien' is not a stakeholder type" in problems(r, 1)[0][2]
    )


def test_kinds_are_read_as_people_write_them(reference, config):
    r = run(
        checks.check_kind, rows(reference, config, {"kind": "Recommendation"}, {"kind": "wish"})
    )
    assert r.values["kind"][0] == "proposal"
    assert problems(r, 1)[0][:2] == (True, "kind")


def test_country_of_a_state_is_required_and_a_misspelling_gets_a_suggestion(reference, config):
    r = run(
        checks.check_country,
        rows(
            reference,
            config,
            {"stakeholder_type": "member_state", "submitter": "Kazakstan", "country": "Kazakstan"},
            {"country": "Atlantis"},
            {"stakeholder_type": "member_state", "submitter": "France"},
        ),
    )
    error, column, sentence = problems(r, 0)[0]
    assert (error, column) == (True, "country") and "did you mean Kazakhstan?" in sentence
    assert problems(r, 1)[0][0] is False and "left blank" in problems(r, 1)[0][2]
    assert r.values["country"].tolist() == ["", "", "FRA"]


def test_received_dates_impossible_badly_written_missing_or_late_are_warnings(reference, config):
    r = run(
        checks.check_received,
        rows(
            reference,
            config,
            {"received": "2017-02-30"},
            {"received": "03/02/2017"},
            {"received": ""},
            {"received": "2017-09-01"},
            {"received": "2017-06-01"},
        ),
    )
    said = [problems(r, i) for i in range(5)]
    assert all(not e for p in said for e, _, _ in p)
    assert "not a real date" in said[0][0][2] and "not written YYYY-MM-DD" in said[1][0][2]
    assert "no date received" in said[2][0][2]
    assert "after the cut-off date 2017-08-15" in said[3][0][2]
    assert said[4] == [] and r.values["received"].tolist()[3:] == ["2017-09-01", "2017-06-01"]


def test_languages_are_codes_or_names(reference, config):
    r = run(
        checks.check_language,
        rows(reference, config, {"language": "Français"}, {"language": "xx"}, {"language": ""}),
    )
    assert r.values["language"].tolist() == ["fr", "", ""]
    assert "'xx' is not a language code" in problems(r, 1)[0][2]
    assert "no language given" in problems(r, 2)[0][2]


def test_unknown_commitments_are_left_out_with_a_warning(reference, config):
    r = run(
        checks.check_commitments, rows(reference, config, {"commitments": "gpa-pre-01; XYZ-99"})
    )
    assert r.values["commitments"][0] == "PRE-01"
    assert problems(r)[0][:2] == (False, "commitments") and "'XYZ-99'" in problems(r)[0][2]


def test_themes_by_id_or_label_and_unknown_ones_warned(reference, config):
    r = run(
        checks.check_themes,
        rows(reference, config, {"themes": "Forced labour; migration; astrology"}),
    )
    assert r.values["themes_given"][0] == ["forced_labour", "migration"]
    assert "'astrology' not in themes.csv" in problems(r)[0][2]


def test_scope_is_a_state_a_group_or_global_and_defaults_to_the_contributors_country(
    reference, config
):
    r = run(
        checks.check_scope,
        rows(
            reference,
            config,
            {"scope": "Latin America and the Caribbean"},
            {"scope": "worldwide"},
            {"scope": "Atlantis"},
            {"stakeholder_type": "member_state", "submitter": "France"},
            {},
        ),
    )
    assert r.values["scope"].tolist() == ["GRULAC", "global", "", "FRA", "global"]
    assert r.values["scope_type"].tolist() == ["region", "global", "unknown", "country", "global"]
    assert problems(r, 2)[0][:2] == (True, "scope")


def test_very_long_text_is_accepted_with_a_warning(reference, config):
    r = run(checks.check_text_length, rows(reference, config, {"text": "x" * 20_001}, {}))
    assert "20,001 characters" in problems(r, 0)[0][2] and problems(r, 1) == []


def test_ids_are_derived_and_a_repeated_one_is_rejected_naming_the_first(reference, config):
    r = run(
        checks.check_ids,
        rows(reference, config, {"statement_id": "A-1"}, {"statement_id": "A-1"}, {}),
    )
    assert r.values["statement_id"].tolist() == ["A-1", "A-1", "c-4"]
    assert r.values["contribution_id"].tolist() == ["c", "c", "c"]
    assert problems(r, 0) == []
    assert problems(r, 1)[0][0] is True and "already used in c.csv row 2" in problems(r, 1)[0][2]


def test_pillar_as_given_else_from_commitments_else_inferred(reference, config):
    r = run(
        checks.check_pillar,
        rows(
            reference,
            config,
            {"pillar": "Protection and assistance"},
            {"commitments": "PRS-01"},
            {"text": "More shelters and psychosocial support for victims."},
            {"text": "Nothing to say."},
        ),
    )
    assert r.values["pillar"].tolist() == ["protection", "prosecution", "protection", ""]
    assert r.values["pillar_source"].tolist() == ["given", "commitments", "inferred", ""]
    assert "inferred as 'protection'" in problems(r, 2)[0][2]
    assert "could not be inferred" in problems(r, 3)[0][2]


def test_themes_found_in_the_text_are_added_and_marked_inferred(reference, config):
    r = run(
        checks.infer_themes,
        rows(reference, config, {"themes": "gender", "text": "Forced labour in fishing fleets."}),
    )
    assert "forced_labour" in r.values["themes"][0].split(";")
    assert "gender" in r.values["themes"][0].split(";")
    assert "forced_labour" in r.values["themes_inferred"][0].split(";")
    assert "gender" not in r.values["themes_inferred"][0].split(";")


def test_icat_membership_and_regional_groups_are_placed(reference, config):
    r = rows(
        reference,
        config,
        {"submitter": "ONUDC", "stakeholder_type": "un_entity", "scope": "global"},
        {"stakeholder_type": "member_state", "submitter": "France", "scope": "WEOG"},
        {"stakeholder_type": "member_state", "submitter": "France"},
    )
    for check in (checks.check_stakeholder_type, checks.check_country, checks.check_scope):
        check(r)
    checks.place_contributor(r)
    assert r.values["icat_member"].tolist() == [True, False, False]
    assert r.values["submitter_group"].tolist() == ["", "WEOG", "WEOG"]
    assert r.values["regional_group"].tolist() == ["", "WEOG", "WEOG"]


def test_check_rows_runs_every_check_once_per_row(reference, config):
    given = {"pillar": "protection"}
    frame = rows(reference, config, given, given | {"kind": "wish"}, given | {"received": ""}).frame
    statements, ledger = checks.check_rows(frame, reference, config)
    assert ledger["status"].tolist() == ["accepted", "rejected", "accepted_with_warning"]
    assert len(statements) == 2 and list(statements.columns) == checks.STATEMENT_COLUMNS


def test_the_document_cues_are_compiled_only_when_a_document_is_read(reference, config):
    from reviewlib.gather import suggest

    suggest.kind_cues.cache_clear()
    suggest.document_cues.cache_clear()
    checks.check_rows(rows(reference, config, {"pillar": "protection"}).frame, reference, config)
    assert suggest.kind_cues.cache_info().currsize == 0  # rows of a CSV file: none needed
    assert suggest.document_cues.cache_info().currsize == 0
    paragraph = {"_origin": "document", "_context": "", "kind": "", "text": "Shelters should open."}
    statements, _ = checks.check_rows(rows(reference, config, paragraph).frame, reference, config)
    assert statements["kind"].tolist() == ["proposal"]
    assert suggest.kind_cues.cache_info().currsize == 1
