"""The secretariat's curation of the one pool of ideas: rename, move, split and English text,
saved with name and time, honoured by every rebuild; the panel that saves them; slices of the pool."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewlib import load_review, paths
from reviewlib.brief.slices import Slice, ideas
from reviewlib.gather.idea_decisions import read_idea_decisions
from reviewlib.ideas.pool import pool
from reviewlib.workbench import curation
from reviewlib.workbench.ideas_panel import IdeasPanel, import_machine_translations

HEADER = (
    "submitter,stakeholder_type,country,received,language,statement_id,kind,pillar,text,text_en"
)
PROPOSALS = [
    (
        "Ministry A",
        "member_state",
        "KEN",
        "P1",
        "Set up a survivor advisory council that is paid and consulted on every policy.",
    ),
    (
        "Network B",
        "civil_society",
        "KEN",
        "P2",
        "Create a paid survivor advisory council consulted on every anti-trafficking policy.",
    ),
    (
        "Group C",
        "survivor_led",
        "KEN",
        "P3",
        "A survivor advisory council, paid for its time, should be consulted on every policy.",
    ),
    (
        "Ministry A",
        "member_state",
        "KEN",
        "P4",
        "Prohibit recruitment fees charged to migrant workers and make employers pay.",
    ),
    (
        "Union D",
        "civil_society",
        "KEN",
        "P5",
        "Ban the recruitment fees that agencies charge migrant workers; employers must pay.",
    ),
    (
        "Union D",
        "civil_society",
        "KEN",
        "P6",
        "Prohibit recruitment fees for migrant workers; the employer pays every cost.",
    ),
]


def _write(inputs, name, rows, language="en", month=6):
    lines = [HEADER] + [
        f'{who},{kind},{country},2017-{month:02d}-0{i % 9 + 1},{language},{sid},proposal,prevention,"{text}",'
        for i, (who, kind, country, sid, text) in enumerate(rows)
    ]
    (inputs / "contributions" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def inputs(make_inputs):
    inputs = make_inputs()
    _write(inputs, "proposals.csv", PROPOSALS)
    return inputs


def _idea_of(review, sid: str) -> pd.Series:
    p = pool(review)
    idea = p.ideas.set_index("statement_id").at[sid, "idea_id"]
    return p.summary.set_index("idea_id").loc[idea]


def test_the_pool_groups_the_fixture_as_expected(inputs):
    review = load_review(inputs, cache=False)
    assert _idea_of(review, "P1")["statement_ids"] == "P1;P2;P3"
    assert _idea_of(review, "P4")["statement_ids"] == "P4;P5;P6"


def test_rename_move_and_split_survive_a_rebuild(inputs):
    known = load_review(inputs, cache=False).statements["statement_id"]
    curation.save_idea_decision(
        inputs, "rename", "P2", label="Create national survivor advisory councils.", reviewer="Ana"
    )
    curation.save_idea_decision(
        inputs, "move", ["P6"], target="P1", reviewer="Ana", known_ids=known
    )
    curation.save_idea_decision(inputs, "split", "P4", reviewer="Bo", note="fees vs liability")
    table = read_idea_decisions(inputs)
    assert list(table["action"]) == ["rename", "move", "split"]
    assert table["reviewer"].tolist() == ["Ana", "Ana", "Bo"] and table["at"].ne("").all()
    ids = set()
    for later in ("", "L1;"):  # and again after a new contribution arrives
        review = load_review(inputs, cache=False)
        renamed = _idea_of(review, "P1")
        ids.add(renamed.name)
        assert renamed["label"] == "Create national survivor advisory councils."
        assert renamed["label_source"] == "secretariat"
        assert renamed["statement_ids"] == later + "P1;P2;P3;P6"
        assert _idea_of(review, "P4")["statement_ids"] == "P4"
        assert _idea_of(review, "P5")["statement_ids"] == "P5"
        rows = pool(review).ideas.set_index("statement_id")
        assert rows.loc["P6", "joined_by"] == "secretariat"
        _write(
            inputs,
            "later.csv",
            [
                (
                    "Forum E",
                    "civil_society",
                    "KEN",
                    "L1",
                    "Create a survivor advisory council that is paid.",
                )
            ],
        )
    assert _idea_of(review, "L1")["label"] == "Create national survivor advisory councils."


def test_a_decision_on_a_proposal_that_is_gone_is_reported_not_dropped(inputs):
    curation.save_idea_decision(inputs, "split", ["P1", "P2"], reviewer="Ana")
    (inputs / "contributions" / "proposals.csv").unlink()
    _write(inputs, "proposals.csv", [p for p in PROPOSALS if p[3] != "P1"])
    review = load_review(inputs, cache=False)
    reported = review.ledger[review.ledger["file"].eq("ideas.csv")]
    assert len(reported) == 1 and "'P1'" in reported["message"].iat[0]
    assert _idea_of(review, "P2")["statement_ids"] == "P2"  # the rest of the split still holds
    assert len(read_idea_decisions(inputs)) == 1  # kept in the file


def test_saving_refuses_what_it_cannot_record(inputs):
    with pytest.raises(ValueError, match="reviewer"):
        curation.save_idea_decision(inputs, "split", "P1", reviewer=" ")
    with pytest.raises(ValueError, match="not one of"):
        curation.save_idea_decision(inputs, "merge", "P1", reviewer="Ana")
    with pytest.raises(ValueError, match="idea to move to"):
        curation.save_idea_decision(inputs, "move", "P1", target="P1", reviewer="Ana")
    with pytest.raises(ValueError, match="no statement 'X9'"):
        curation.save_translation(inputs, "X9", "x", reviewer="Ana", known_ids=["P1"])
    assert not paths.idea_decisions_file(inputs).exists()


def test_english_text_from_the_secretariat_and_from_a_tool(inputs, tmp_path):
    _write(
        inputs,
        "fr.csv",
        [
            (
                "Réseau F",
                "civil_society",
                "SEN",
                "F1",
                "Interdire les frais de recrutement des migrants.",
            )
        ],
        language="fr",
    )
    review = load_review(inputs, cache=False)
    assert pool(review).ideas.set_index("statement_id").at["F1", "status"] == "not_compared"
    tool = tmp_path / "deepl.csv"
    tool.write_text("statement_id;text_en\nF1;Ban recruitment fees for migrants.\n", "utf-8")
    message = import_machine_translations(inputs, str(tool), "Ana", "DeepL")
    assert message == "1 machine translations saved to decisions/translations.csv."
    review = load_review(inputs, cache=False)
    row = review.statements.set_index("statement_id").loc["F1"]
    assert (row["text_en"], row["text_en_source"]) == (
        "Ban recruitment fees for migrants.",
        "machine",
    )
    assert _idea_of(review, "F1")["statement_ids"] == "F1;P4;P5;P6"
    curation.save_translation(
        inputs, "F1", "Prohibit recruitment fees for migrants.", reviewer="Bo"
    )
    row = load_review(inputs, cache=False).statements.set_index("statement_id").loc["F1"]
    assert row["text_en_source"] == "secretariat"
    assert (
        import_machine_translations(inputs, "", "Ana", "") == "No machine translations to import."
    )


def test_the_panel_saves_each_decision_with_the_reviewers_name(inputs):
    review = load_review(inputs, cache=False)
    panel = IdeasPanel(review, reviewer="Ana")
    first = panel.pool.ideas.set_index("statement_id").at["P1", "idea_id"]
    other = panel.pool.ideas.set_index("statement_id").at["P4", "idea_id"]
    panel.idea.value = first
    assert "P2" in panel.members.value and set(panel.moving.options) == {"P1", "P2", "P3"}
    panel.label.value = "Create survivor advisory councils."
    panel.rename.click()
    assert "Saved (Ana): renamed" in panel.status.value
    panel.moving.value, panel.target.value = "P3", other
    panel.move.click()
    panel.parting.value = ("P1", "P2", "P3")
    panel.split.click()
    assert "some, not all" in panel.status.value
    panel.parting.value = ("P2",)
    panel.split.click()
    panel.statement.value = "P1"
    panel.english.value = "Set up paid survivor advisory councils."
    panel.save_english.click()
    panel.reviewer.value = ""
    panel.rename.click()
    assert "type your name" in panel.status.value
    table = read_idea_decisions(inputs)
    assert table[["action", "statement_ids", "target"]].values.tolist() == [
        ["rename", "P1", ""],
        ["move", "P3", "P4"],
        ["split", "P2", ""],
    ]
    assert set(table["reviewer"]) == {"Ana"}
    review = load_review(inputs, cache=False)
    assert _idea_of(review, "P3")["statement_ids"] == "P3;P4;P5;P6"
    assert review.statements.set_index("statement_id").at["P1", "text_en_source"] == "secretariat"


def test_every_slice_shows_an_idea_whole_and_the_same(inputs, make_inputs):
    _write(
        inputs,
        "other.csv",
        [
            (
                "Ministerio G",
                "member_state",
                "COL",
                "C1",
                "Prohibit recruitment fees charged to migrant workers.",
            )
        ],
    )
    review = load_review(inputs, cache=False)
    whole = pool(review).summary.set_index("idea_id")
    kenya = ideas(review, Slice("country", "KEN")).summary.set_index("idea_id")
    colombia = ideas(review, Slice("country", "COL")).summary.set_index("idea_id")
    shared = kenya.index.intersection(colombia.index)
    assert len(shared) == 1 and whole.loc[shared[0], "n_submitters"] == 3
    for part in (kenya, colombia):
        pd.testing.assert_frame_equal(part.loc[shared], whole.loc[shared])
    assert len(colombia) == 1 and len(kenya) == len(whole)
    prevention = ideas(review, Slice("pillar", "prevention")).summary
    assert prevention["pillar"].eq("prevention").all() and len(prevention) == len(whole)
