"""Saving triage decisions and the rubric: validated, atomic, locked, undoable, nothing lost."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import DATA

from reviewlib import paths
from reviewlib.errors import RubricError
from reviewlib.gather.decisions import DECISION_COLUMNS, read_decisions
from reviewlib.gather.review import load_review
from reviewlib.scoring.rubric import load_rubric, parse_rubric
from reviewlib.scoring.rubric_edit import (
    RubricConflict,
    diff_rubric,
    rubric_data,
    rubric_with,
    save_rubric,
)
from reviewlib.workbench.triage import (
    Conflict,
    read_history,
    save_decision,
    select_statements,
    undo_last,
)

GOOD = sorted((DATA / "good").iterdir())


@pytest.fixture
def inputs(make_inputs) -> Path:
    return make_inputs(GOOD)


def _table(inputs: Path) -> pd.DataFrame:
    return pd.read_csv(paths.triage_file(inputs), dtype=str, keep_default_na=False)


# --- saving -------------------------------------------------------------------------------------


def test_a_decision_is_saved_with_reviewer_and_time_and_applied_on_load(inputs):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    save_decision(
        inputs, "T1-02", decision="set_aside", note="duplicate of the annual report", reviewer="Ana"
    )
    table = _table(inputs)
    assert list(table.columns) == DECISION_COLUMNS
    row = table.iloc[0]
    assert (row["statement_id"], row["decision"], row["reviewer"]) == ("T1-02", "set_aside", "Ana")
    assert dt.datetime.fromisoformat(row["at"]) >= before
    statements = load_review(inputs, cache=False).statements.set_index("statement_id")
    assert statements.at["T1-02", "decision"] == "set_aside"
    assert statements.at["T1-02", "note"] == "duplicate of the annual report"


def test_a_second_decision_replaces_the_first_and_leaves_the_others(inputs):
    save_decision(inputs, "X1-01", decision="keep", reviewer="Ana")
    save_decision(inputs, "T1-02", decision="keep", reviewer="Ana")
    save_decision(
        inputs,
        "T1-02",
        decision="merge",
        merge_into="X1-02",
        pillar="Protection and assistance",
        themes=["migration", "gender"],
        reviewer="Ben",
    )
    table = _table(inputs)
    assert list(table["statement_id"]) == ["T1-02", "X1-01"]  # one row each, sorted
    row = table.iloc[0]
    assert (row["decision"], row["merge_into"], row["pillar"], row["themes"], row["reviewer"]) == (
        "merge",
        "X1-02",
        "protection",
        "migration;gender",
        "Ben",
    )
    statements = load_review(inputs, cache=False).statements.set_index("statement_id")
    assert statements.at["T1-02", "merged_into"] == "X1-02"
    assert statements.at["X1-01", "decision"] == "keep"


def test_a_correction_alone_saves_no_call(inputs):
    save_decision(inputs, "T2-02", pillar="protection", reviewer="Ana")
    statements = load_review(inputs, cache=False).statements.set_index("statement_id")
    assert statements.at["T2-02", "pillar"] == "protection"
    assert statements.at["T2-02", "pillar_source"] == "triage"
    assert statements.at["T2-02", "decision"] == ""


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"decision": "maybe"}, "'maybe' is not a decision; use one of keep, merge, set_aside"),
        (
            {"decision": "keep", "pillar": "rescue"},
            "'rescue' is not a pillar; use one of prevention",
        ),
        (
            {"decision": "keep", "themes": "migration;space"},
            "'space' is not a theme; use the ids of themes.csv",
        ),
        ({"decision": "merge"}, "say which statement T1-02 is merged into"),
        ({"decision": "merge", "merge_into": "T1-02"}, "cannot be merged into itself"),
        ({"decision": "keep", "merge_into": "X1-01"}, "only given with the decision 'merge'"),
        ({"decision": "keep", "reviewer": " "}, "type your name as reviewer first"),
        (
            {"decision": "merge", "merge_into": "NOPE", "known_ids": ["T1-02"]},
            "there is no statement 'NOPE'",
        ),
    ],
)
def test_wrong_values_are_refused_with_a_sentence(inputs, kwargs, words):
    kwargs = {"reviewer": "Ana", **kwargs}
    with pytest.raises(ValueError) as caught:
        save_decision(inputs, "T1-02", **kwargs)
    assert words in str(caught.value)
    assert not paths.triage_file(inputs).exists()


def test_a_decision_on_a_statement_that_is_gone_is_kept_and_reported(inputs):
    save_decision(inputs, "GONE-01", decision="keep", reviewer="Ana")
    save_decision(inputs, "T1-01", decision="keep", reviewer="Ana")
    assert set(_table(inputs)["statement_id"]) == {"GONE-01", "T1-01"}
    ledger = load_review(inputs, cache=False).ledger
    entry = ledger[ledger["statement_id"].eq("GONE-01")]
    assert len(entry) == 1 and "no such statement" in entry["message"].iloc[0]


def test_decisions_are_stored_verbatim_and_no_temporary_file_stays(inputs):
    save_decision(inputs, "T1-01", decision="keep", note='=HYPERLINK("http://x")', reviewer="@ana")
    row = _table(inputs).iloc[0]
    assert row["note"] == '=HYPERLINK("http://x")' and row["reviewer"] == "@ana"
    assert read_history(inputs)["reviewer"].tolist() == ["@ana"]
    left = sorted(
        p.name for p in paths.decisions_dir(inputs).iterdir() if not p.name.endswith(".lock")
    )
    assert left == ["triage.csv", "triage_history.csv"]


FORMULA_LIKE = ["-5", "=A1+1", "+7", "@home"]


def test_decisions_on_formula_like_ids_and_notes_round_trip(make_inputs, tmp_path):
    source = tmp_path / "formula_ids.csv"
    lines = ["statement_id,submitter,stakeholder_type,received,language,kind,pillar,text"]
    lines += [
        f'"{sid}",Harbour Light Network,civil_society,2017-05-01,en,gap,protection,'
        f"Shelters are scarce in district {n}."
        for n, sid in enumerate(FORMULA_LIKE)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = make_inputs([source])
    assert set(load_review(inputs, cache=False).statements["statement_id"]) == set(FORMULA_LIKE)
    for _ in range(2):  # saving again replaces, never adds a row
        for sid in FORMULA_LIKE:
            save_decision(inputs, sid, decision="set_aside", note=f"{sid} shelters", reviewer="Ana")
    assert sorted(_table(inputs)["statement_id"]) == sorted(FORMULA_LIKE)
    review = load_review(inputs, cache=False)
    statements = review.statements.set_index("statement_id")
    for sid in FORMULA_LIKE:
        assert statements.at[sid, "decision"] == "set_aside"
        assert statements.at[sid, "note"] == f"{sid} shelters"
    assert not review.ledger["message"].str.contains("no such statement").any()


def test_columns_added_by_hand_are_kept(inputs):
    paths.triage_file(inputs).write_text(
        "statement_id,decision,reviewer,at,checked_by\nT1-01,keep,Ana,2017-06-01,Chief\n",
        encoding="utf-8",
    )
    save_decision(inputs, "T2-01", decision="set_aside", reviewer="Ben")
    table = _table(inputs).set_index("statement_id")
    assert table.at["T1-01", "checked_by"] == "Chief"
    assert table.at["T1-01", "decision"] == "keep"
    assert list(table.columns)[: len(DECISION_COLUMNS) - 1] == DECISION_COLUMNS[1:]


# --- undo ---------------------------------------------------------------------------------------


def test_undo_walks_back_the_reviewers_own_changes(inputs):
    save_decision(inputs, "T1-01", decision="keep", reviewer="Ana")
    save_decision(inputs, "T2-01", decision="keep", reviewer="Ben")
    save_decision(inputs, "T1-01", decision="set_aside", note="off topic", reviewer="Ana")
    first = undo_last(inputs, "Ana")
    assert first.statement_id == "T1-01" and first.restored["decision"] == "keep"
    assert read_decisions(inputs).set_index("statement_id").at["T1-01", "decision"] == "keep"
    second = undo_last(inputs, "Ana")
    assert second.restored is None and "no decision any more" in second.message
    assert list(read_decisions(inputs)["statement_id"]) == ["T2-01"]  # Ben's decision is untouched
    assert undo_last(inputs, "Ana") is None
    history = read_history(inputs)
    assert list(history["action"]) == ["save", "save", "save", "undo", "undo"]


def test_undo_never_overwrites_someone_elses_later_change(inputs):
    save_decision(inputs, "T1-01", decision="keep", reviewer="Ana")
    save_decision(inputs, "T1-01", decision="set_aside", reviewer="Ben")
    with pytest.raises(ValueError, match="was changed by Ben at .* nothing was undone"):
        undo_last(inputs, "Ana")
    assert read_decisions(inputs).iloc[0]["decision"] == "set_aside"
    assert undo_last(inputs, "Ben").restored["reviewer"] == "Ana"


# --- two notebooks saving at once ---------------------------------------------------------------


def _writer(inputs: str, prefix: str, n: int, start: float) -> None:
    while time.time() < start:
        time.sleep(0.005)
    for i in range(n):
        save_decision(
            inputs,
            f"{prefix}-{i:03d}",
            decision=("keep", "set_aside")[i % 2],
            note=f"{prefix} {i}",
            reviewer=prefix,
        )


def _reader(inputs: str, ids: str, stop, results) -> None:
    """Read triage.csv as fast as it can until stopped; count the reads that fail or look wrong."""
    path = paths.triage_file(Path(inputs))
    reads = failures = 0
    while not stop.is_set():
        if not path.exists():
            continue
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            ok = (
                list(frame.columns) == DECISION_COLUMNS
                and frame["statement_id"].is_unique
                and frame["statement_id"].str.fullmatch(ids).all()
            )
        except Exception:
            ok = False
        reads += 1
        failures += not ok
    results.put((reads, failures))


def _race(inputs: Path, writers: list[tuple], ids: str) -> tuple[int, int]:
    """Run the writers (target, args…) in processes that start together, with a reader beside
    them; returns the reader's (reads, failures)."""
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    start = time.time() + 3  # every writer starts at once, once imported
    processes = [context.Process(target=t, args=(str(inputs), *a, start)) for t, *a in writers]
    reader = context.Process(target=_reader, args=(str(inputs), ids, stop, results))
    for process in (*processes, reader):
        process.start()
    for process in processes:
        process.join(timeout=240)
        assert process.exitcode == 0
    stop.set()
    outcome = results.get(timeout=60)
    reader.join(timeout=60)
    return outcome


def test_two_processes_saving_at_once_lose_nothing_and_the_file_always_parses(inputs):
    reads, failures = _race(inputs, [(_writer, p, 100) for p in ("W1", "W2")], r"W[12]-\d{3}")
    table = _table(inputs)
    assert len(table) == 200 and set(table["statement_id"]) == {
        f"W{w}-{i:03d}" for w in (1, 2) for i in range(100)
    }
    assert table.set_index("statement_id").at["W2-007", "note"] == "W2 7"
    assert len(read_history(inputs)) == 200
    assert reads > 10 and failures == 0


STATEMENTS = [f"S-{i:02d}" for i in range(25)]
ROUNDS = 4


def _decider(inputs: str, start: float) -> None:
    while time.time() < start:
        time.sleep(0.005)
    for r in range(ROUNDS):
        for i, sid in enumerate(STATEMENTS):
            save_decision(inputs, sid, decision=("keep", "set_aside")[(i + r) % 2], reviewer="Ana")


def _annotator(inputs: str, start: float) -> None:
    while time.time() < start:
        time.sleep(0.005)
    for r in range(ROUNDS):
        for i, sid in enumerate(STATEMENTS):
            save_decision(inputs, sid, note=f"round {r}, statement {i}", reviewer="Ben")


def test_decisions_and_notes_saved_at_once_on_the_same_statements_are_all_kept(inputs):
    """One process sets decisions while another writes notes on the same statements, round after
    round: every last decision and every last note is in the file, which always parses."""
    reads, failures = _race(inputs, [(_decider,), (_annotator,)], r"S-\d{2}")
    table = _table(inputs).set_index("statement_id")
    last = ROUNDS - 1
    for i, sid in enumerate(STATEMENTS):
        assert table.at[sid, "decision"] == ("keep", "set_aside")[(i + last) % 2], sid
        assert table.at[sid, "note"] == f"round {last}, statement {i}", sid
    assert len(read_history(inputs)) == 2 * ROUNDS * len(STATEMENTS)
    assert reads > 10 and failures == 0


def test_a_save_changes_only_the_fields_given(inputs):
    save_decision(inputs, "T1-01", decision="keep", pillar="prevention", reviewer="Ana")
    row = save_decision(inputs, "T1-01", note="checked with the source", reviewer="Ben")
    assert (row["decision"], row["pillar"], row["note"], row["reviewer"]) == (
        "keep",
        "prevention",
        "checked with the source",
        "Ben",
    )
    row = save_decision(inputs, "T1-01", decision="merge", merge_into="T1-02", reviewer="Ana")
    assert row["note"] == "checked with the source" and row["merge_into"] == "T1-02"
    assert save_decision(inputs, "T1-01", decision="keep", reviewer="Ana")["merge_into"] == ""


def test_a_change_to_what_someone_else_changed_since_is_refused_with_who_and_when(inputs):
    shown = None  # Ben's panel showed T1-01 before anyone decided on it
    save_decision(inputs, "T1-01", decision="keep", reviewer="Ana", at="2017-06-01T10:02:00+00:00")
    with pytest.raises(Conflict) as caught:
        save_decision(inputs, "T1-01", decision="set_aside", reviewer="Ben", seen=shown)
    assert "Ana changed statement T1-01 at 2017-06-01T10:02:00+00:00" in str(caught.value)
    assert caught.value.fields == ["decision"] and caught.value.theirs["decision"] == "keep"
    assert read_decisions(inputs).iloc[0]["decision"] == "keep"  # nothing was saved
    # a note is another field: saved beside Ana's decision
    row = save_decision(inputs, "T1-01", note="see annex", reviewer="Ben", seen=shown)
    assert (row["decision"], row["note"]) == ("keep", "see annex")
    # keep mine: saved again against what is saved now
    theirs = caught.value.theirs
    row = save_decision(inputs, "T1-01", decision="set_aside", reviewer="Ben", seen=theirs)
    assert row["decision"] == "set_aside" and row["note"] == "see annex"


# --- choosing statements ------------------------------------------------------------------------


def test_select_statements_by_each_filter(inputs):
    s = load_review(inputs, cache=False).statements

    def ids(**filters):
        return list(select_statements(s, **filters)["statement_id"])

    assert ids(theme="migration") == ["T1-02", "X1-01"]
    assert ids(pillar="protection", kind="gap") == ["T1-02", "T2-01", "X1-02"]
    assert ids(stakeholder_type="survivor_led") == ["tab_bom-2", "tab_bom-3"]
    assert ids(country="BGD") == ["X1-01", "X1-02", "X1-03"]
    assert ids(language="fr") == ["T2-01", "T2-02"]
    assert ids(text="LUMIERE") == ["T2-01", "T2-02"]  # case and accents ignored
    assert ids(text="shelters male") == ["T1-02"]
    assert ids(decision="undecided") == list(s["statement_id"].sort_values())
    with pytest.raises(ValueError, match="cannot filter by colour"):
        select_statements(s, colour="red")


# --- the rubric ---------------------------------------------------------------------------------


@pytest.fixture
def rubric_file(tmp_path) -> Path:
    path = tmp_path / "rubric.yml"
    shutil.copy(paths.rubric_file(), path)
    return path


def test_rubric_data_reads_back_as_the_same_rubric(rubric_file):
    # If the rubric gains a setting, rubric_data (what save_rubric writes) must learn it too.
    rubric = load_rubric(rubric_file)
    assert parse_rubric(rubric_data(rubric), rubric.file) == rubric
    assert set(rubric_data(rubric)) == set(yaml.safe_load(rubric_file.read_text(encoding="utf-8")))


def test_rubric_with_changes_settings_and_checks_them(rubric_file):
    rubric = load_rubric(rubric_file)
    changed = rubric_with(
        rubric,
        {
            "weights.kinds.gap": -2,
            "weights.sources.media": 0.35000000000000003,
            "levels.cutoffs[2].min_share": 0.35,
        },
    )
    assert changed.kind_weights["gap"] == -2 and changed.source_weights["media"] == 0.35
    assert changed.levels[2].min_share == 0.35 and rubric.kind_weights["gap"] == -1
    assert diff_rubric(rubric, changed) == [
        "weights.kinds.gap: -1 → -2",
        "weights.sources.media: 0.5 → 0.35",
        "levels.cutoffs[2].min_share (level 3, Partial): 0.3 → 0.35",
    ]
    with pytest.raises(ValueError, match="'weights.kinds.rumour' is not a setting of the rubric"):
        rubric_with(rubric, {"weights.kinds.rumour": 1})
    with pytest.raises(RubricError, match="weights.kinds.gap must be at most 0, not 1"):
        rubric_with(rubric, {"weights.kinds.gap": 1})
    with pytest.raises(RubricError, match="must raise min_share with each level"):
        rubric_with(rubric, {"levels.cutoffs[2].min_share": 0.05})


def test_save_rubric_edits_values_in_place_and_keeps_every_comment(rubric_file):
    text = rubric_file.read_text(encoding="utf-8")
    rubric = load_rubric(rubric_file)
    changed = rubric_with(
        rubric,
        {
            "weights.kinds.gap": -1.5,
            "weights.sources.civil_society": 1.25,
            "levels.cutoffs[3].min_share": 0.6,
        },
    )
    assert save_rubric(changed, rubric_file) == diff_rubric(rubric, changed)
    new = rubric_file.read_text(encoding="utf-8")
    assert load_rubric(rubric_file) == changed
    old_lines, new_lines = text.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)
    differ = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert [b.strip() for _, b in differ] == [
        "gap: -1.5",
        "civil_society: 1.25",
        "- {level: 4, label: Substantial, min_share: 0.6}",
    ]
    assert save_rubric(changed, rubric_file) == []  # nothing more to change
    assert rubric_file.read_text(encoding="utf-8") == new


def test_save_rubric_keeps_a_change_someone_else_saved_meanwhile(rubric_file):
    base = load_rubric(rubric_file)
    theirs = rubric_with(base, {"weights.sources.academia": 2})
    save_rubric(theirs, rubric_file)
    mine = rubric_with(base, {"weights.kinds.achievement": 1.5})
    assert save_rubric(mine, rubric_file, base=base) == ["weights.kinds.achievement: 1 → 1.5"]
    saved = load_rubric(rubric_file)
    assert saved.source_weights["academia"] == 2 and saved.kind_weights["achievement"] == 1.5


def test_save_rubric_keeps_every_comment_when_it_cannot_edit_in_place(rubric_file):
    text = rubric_file.read_text(encoding="utf-8")
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    rubric = load_rubric(rubric_file)
    heavier = rubric_with(
        rubric, {"pillars.prevention.criteria[0].weight": 2}
    )  # `weight` is not in the file
    lines = save_rubric(heavier, rubric_file)
    assert lines == ["pillars.prevention.criteria[0].weight (root_causes): 1 → 2"]
    new = rubric_file.read_text(encoding="utf-8")
    kept = [line.strip() for line in new.splitlines() if line.strip().startswith("#")]
    assert kept == comments  # ruamel.yaml's round trip: every comment, in its place
    assert load_rubric(rubric_file) == heavier
    assert yaml.safe_load(new)["pillars"]["prevention"]["criteria"][0]["weight"] == 2
    assert "weight:" not in new.split("root_causes")[1].split("- id:")[1]  # the others untouched


def test_save_rubric_refuses_to_overwrite_the_same_setting_saved_meanwhile(rubric_file):
    base = load_rubric(rubric_file)
    save_rubric(rubric_with(base, {"weights.sources.academia": 2}), rubric_file)
    saved = rubric_file.read_text(encoding="utf-8")
    mine = rubric_with(base, {"weights.sources.academia": 1.5, "weights.kinds.gap": -2})
    with pytest.raises(RubricConflict) as caught:
        save_rubric(mine, rubric_file, base=base)
    assert "weights.sources.academia is now 2 in the file (yours: 1.5)" in str(caught.value)
    assert rubric_file.read_text(encoding="utf-8") == saved  # nothing written


def test_save_rubric_refuses_a_setting_that_left_the_file(rubric_file):
    base = load_rubric(rubric_file)
    data = yaml.safe_load(rubric_file.read_text(encoding="utf-8"))
    data["pillars"]["prevention"]["criteria"].pop()
    rubric_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    last = len(data["pillars"]["prevention"]["criteria"])
    mine = rubric_with(base, {f"pillars.prevention.criteria[{last}].weight": 3})
    with pytest.raises(
        RubricConflict, match=rf"criteria\[{last}\].weight is no longer in the file"
    ):
        save_rubric(mine, rubric_file, base=base)


def test_a_rubric_with_aliases_is_refused(rubric_file):
    rubric_file.write_text(
        rubric_file.read_text(encoding="utf-8") + "extra: &x [1]\nmore: *x\n", encoding="utf-8"
    )
    with pytest.raises(RubricError, match="aliases are not allowed"):
        load_rubric(rubric_file)
