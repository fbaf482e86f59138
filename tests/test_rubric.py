"""The rubric is data: the project's file loads, and a malformed one is an error naming the key."""

from __future__ import annotations

import copy
import dataclasses

import pandas as pd
import pytest
import yaml
from conftest import DATA

from reviewlib import paths
from reviewlib.errors import RubricError
from reviewlib.gather.reference import load_reference
from reviewlib.scoring.rubric import load_rubric, parse_rubric
from reviewlib.scoring.scores import score_statements
from reviewlib.terms import PILLARS

SMALL = DATA / "scoring" / "rubric.yml"


def small() -> dict:
    return yaml.safe_load(SMALL.read_text(encoding="utf-8"))


def test_the_project_rubric_loads_and_names_real_commitments():
    rubric = load_rubric(paths.rubric_file())
    assert rubric.pillars == PILLARS
    assert [x.level for x in rubric.levels] == [1, 2, 3, 4, 5]
    assert rubric.label_of(1) == "No evidence of action" and rubric.label_of(5) == "Comprehensive"
    assert rubric.kind_weights["gap"] < 0 < rubric.kind_weights["achievement"]
    assert rubric.source_weights["member_state_self"] < rubric.source_weights["civil_society"]
    assert "member_state_self" not in rubric.independent
    known = set(load_reference().commitments["commitment"])
    assert {c for criterion in rubric.criteria for c in criterion.commitments} <= known
    # Every criterion can be met by something: commitments, keywords or a GLOTIP rule.
    assert all(c.commitments or c.keywords or c.indicator for c in rubric.criteria)
    rules = {c.id: c.indicator.rule for c in rubric.criteria if c.indicator}
    assert rules == {
        "data_collected": "reported",
        "cases_prosecuted": "recorded",
        "convictions": "recorded",
        "enforcement_rising": "rising",
        "data_to_unodc": "reported",
    }


def test_a_rubric_cannot_be_changed_in_place():
    rubric = load_rubric(SMALL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rubric.top = 9
    with pytest.raises(TypeError):
        rubric.kind_weights["gap"] = 5


def _set(path: str, value):
    """A change to the parsed YAML at a dotted path ('a.b[2].c'); value DELETE removes the key."""

    def change(data: dict) -> None:
        *parents, last = path.replace("[", ".[").split(".")
        node = data
        for part in parents:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        key = int(last[1:-1]) if last.startswith("[") else last
        if value is DELETE:
            del node[key]
        else:
            node[key] = value

    return change


DELETE = object()

# (change to the small rubric, the message the error must carry)
MALFORMED = [
    (
        _set("pillars.prosecution.criteria[2].weight", "high"),
        "rubric.yml: pillars.prosecution.criteria[2].weight must be a number, not 'high'",
    ),
    (
        _set("pillars.prosecution.criteria[2].weight", 0),
        "rubric.yml: pillars.prosecution.criteria[2].weight must be more than 0, not 0",
    ),
    (_set("weights.kinds.gap", 1), "rubric.yml: weights.kinds.gap must be at most 0, not 1"),
    (
        _set("weights.kinds.achievement", True),
        "rubric.yml: weights.kinds.achievement must be a number, not True",
    ),
    (
        _set("weights.kinds.good_practice", -2),
        "rubric.yml: weights.kinds.good_practice must be at least 0, not -2",
    ),
    (_set("weights.sources.media", DELETE), "rubric.yml: weights.sources.media is missing"),
    (
        _set("weights.sources.media", -1),
        "rubric.yml: weights.sources.media must be at least 0, not -1",
    ),
    (
        _set("weights.sources.journalists", 1),
        "rubric.yml: weights.sources.journalists is not a known key; "
        "expected one of member_state_self, member_state",
    ),
    (
        _set("weigths", {}),
        "rubric.yml: weigths is not a known key; expected one of weights, independent_sources",
    ),
    (
        _set("independent_sources", ["civil_society", "ngo"]),
        "rubric.yml: independent_sources[1] must be one of member_state_self",
    ),
    (
        _set("matching.keywords", "sometimes"),
        "rubric.yml: matching.keywords must be one of fallback, always, never, not 'sometimes'",
    ),
    (_set("glotip.recent_years", 0), "rubric.yml: glotip.recent_years must be at least 1, not 0"),
    (
        _set("glotip.last_year", "soon"),
        "rubric.yml: glotip.last_year must be a whole number, not 'soon'",
    ),
    (
        _set("pillars.preventon", {"criteria": []}),
        "rubric.yml: pillars.preventon is not a known key; "
        "expected one of prevention, protection, prosecution, partnership",
    ),
    (
        _set("pillars.protection.criteria", []),
        "rubric.yml: pillars.protection.criteria must be a list of at least one criterion",
    ),
    (
        _set("pillars.prosecution.criteria[1].indicator.rule", "soaring"),
        "rubric.yml: pillars.prosecution.criteria[1].indicator.rule must be one of reported, recorded, rising, "
        "not 'soaring'",
    ),
    (
        _set("pillars.prosecution.criteria[3].commitments", DELETE),
        "rubric.yml: pillars.prosecution.criteria[3] needs commitments, keywords or an indicator rule",
    ),
    (
        _set("pillars.prosecution.criteria[0].label", ""),
        "rubric.yml: pillars.prosecution.criteria[0].label must be some text, not ''",
    ),
    (
        _set("pillars.protection.criteria[0].id", "law"),
        "rubric.yml: pillars use the criterion id 'law' twice; ids must be unique",
    ),
    (
        _set("levels.cutoffs[1].min_share", 2),
        "rubric.yml: levels.cutoffs[1].min_share must be between 0 and 1, not 2",
    ),
    (
        _set("levels.cutoffs[2].min_share", 0.2),
        "rubric.yml: levels.cutoffs must raise min_share with each level; "
        "level 3 (0.2) is not above level 2 (0.25)",
    ),
    (
        _set("levels.cutoffs[2].min_share", float("nan")),
        "rubric.yml: levels.cutoffs[2].min_share must be a finite number, not nan",
    ),
    (
        _set("weights.kinds.achievement", float("inf")),
        "rubric.yml: weights.kinds.achievement must be a finite number, not inf",
    ),
    (
        _set("levels.cutoffs[0].min_share", 0.1),
        "rubric.yml: levels.cutoffs must give level 1 a min_share of 0",
    ),
    (
        _set("levels.cutoffs[4].level", 7),
        "rubric.yml: levels.cutoffs must number the levels 1 to 5, each once",
    ),
    (
        _set("levels.penalty.max", "one"),
        "rubric.yml: levels.penalty.max must be a whole number, not 'one'",
    ),
    (
        _set("levels.minimum_evidence", 2),
        "rubric.yml: levels.minimum_evidence must be a mapping (key: value), not 2",
    ),
    (
        _set("commitment_status.lagging_max_share", 0.8),
        "rubric.yml: commitment_status.lagging_max_share must be below on_track_min_share (0.67), not 0.8",
    ),
    (
        _set("commitment_status.lagging_min_contributors", 0),
        "rubric.yml: commitment_status.lagging_min_contributors must be at least 1, not 0",
    ),
    (
        _set("levels.penalty.min_statements", 1),
        "rubric.yml: levels.penalty.min_statements must be at least 2, not 1",
    ),
]


@pytest.mark.parametrize(
    "change,message", MALFORMED, ids=[m.split(": ", 1)[1][:45] for _, m in MALFORMED]
)
def test_a_malformed_rubric_names_the_key(change, message):
    data = copy.deepcopy(small())
    change(data)
    with pytest.raises(RubricError) as caught:
        parse_rubric(data)
    assert message in str(caught.value)


def test_the_small_rubric_itself_is_well_formed():
    rubric = parse_rubric(small())
    assert [c.id for c in rubric.criteria] == [
        "identification",
        "shelter",
        "remedies",
        "law",
        "cases",
        "convictions",
        "cooperation",
    ]
    assert rubric.criteria_of("protection")[1].weight == 2


def test_an_unreadable_or_missing_rubric_is_a_clear_error(tmp_path):
    bad = tmp_path / "rubric.yml"
    bad.write_text("weights: [unclosed\n", encoding="utf-8")
    with pytest.raises(RubricError, match="rubric.yml is not valid YAML"):
        load_rubric(bad)
    with pytest.raises(RubricError, match="is missing: scoring needs a rubric"):
        load_rubric(tmp_path / "nowhere.yml")
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(RubricError, match="rubric.yml: the file must be a mapping"):
        load_rubric(bad)


def test_commitments_and_indicators_are_checked_against_the_reference():
    reference = load_reference()
    empty = pd.DataFrame(columns=["statement_id", "kind", "pillar", "scope_iso3", "text"])
    data = small()
    data["pillars"]["prosecution"]["criteria"][0]["commitments"] = ["PRS-99"]
    with pytest.raises(
        RubricError,
        match=r"rubric.yml: pillars.prosecution.criteria\[0\].commitments\[0\] "
        "'PRS-99' is not a commitment in commitments.csv",
    ):
        score_statements(empty, reference, parse_rubric(data))
    data = small()
    data["pillars"]["prosecution"]["criteria"][2]["indicator"]["name"] = (
        "Persons convicted of trafficking"
    )
    with pytest.raises(
        RubricError,
        match=r"criteria\[2\].indicator.name 'Persons convicted of trafficking' is "
        "not a GLOTIP indicator; use one of Detected trafficking victims",
    ):
        score_statements(empty, reference, parse_rubric(data))
