"""The notebook panels, driven from Python as a click would drive them; and the two notebooks, run whole."""

from __future__ import annotations

import datetime as dt
import html
import shutil
import statistics
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import DATA
from nbformat.v4 import new_code_cell

from reviewlib import paths
from reviewlib.gather.review import load_review
from reviewlib.scoring.balance import assess
from reviewlib.scoring.rubric import load_rubric
from reviewlib.scoring.rubric_edit import rubric_with
from reviewlib.scoring.scores import score, score_statements
from reviewlib.workbench import gather_panels, preview, score_panels, score_views

GOOD = sorted((DATA / "good").iterdir())


@pytest.fixture
def small(make_inputs) -> Path:
    inputs = make_inputs(GOOD)
    shutil.copy(paths.rubric_file(), paths.rubric_file(inputs))
    return inputs


@pytest.fixture(scope="module")
def demo():
    """The demo review, read only (nothing in these tests writes to the project's inputs)."""
    return load_review(paths.INPUTS)


def _ids(panel: gather_panels.TriagePanel) -> list[str]:
    return list(panel.selection["statement_id"])


def _triage(inputs: Path) -> pd.DataFrame:
    return pd.read_csv(paths.triage_file(inputs), dtype=str, keep_default_na=False).set_index(
        "statement_id"
    )


# --- triage -------------------------------------------------------------------------------------


def test_filters_narrow_the_statements(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    assert len(_ids(panel)) == 12 and "<b>12</b> of 12" in panel.count.value
    f = panel.filters
    f["pillar"].value = "protection"
    assert _ids(panel) == ["T1-02", "T2-01", "X1-02", "tab_bom-2", "tab_bom-3"]
    f["kind"].value = "gap"
    assert _ids(panel) == ["T1-02", "T2-01", "X1-02"]
    f["language"].value = "fr"
    assert _ids(panel) == ["T2-01"]
    f["language"].value = f["kind"].value = f["pillar"].value = ""
    f["theme"].value = "migration"
    assert _ids(panel) == ["T1-02", "X1-01"]
    f["theme"].value = ""
    f["stakeholder_type"].value = "civil_society"
    assert _ids(panel) == ["T2-01", "T2-02"]
    f["stakeholder_type"].value = ""
    f["country"].value = "PHL"
    assert _ids(panel) == ["T1-01", "T1-02", "T1-03"]
    assert ("Philippines (PHL)", "PHL") in f["country"].options
    f["country"].value = ""
    f["text"].value = "lumiere"  # accents and case do not matter
    assert _ids(panel) == ["T2-01", "T2-02"]
    f["text"].value = "no statement says this"
    assert _ids(panel) == [] and "No statement matches" in panel.card.value
    assert panel.keep_button.disabled


def test_paging_shows_the_full_text_and_its_contribution(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    assert panel.current_id == "T1-01" and panel.prev_button.disabled
    panel.next_button.click()
    assert panel.current_id == "T1-02" and "2 / 12" in panel.position_label.value
    card = panel.card.value
    assert "Shelters for male victims remain scarce" in card
    assert (
        "Ministry of Interior" in card and "comma_utf8.csv row 3" in card and "Philippines" in card
    )
    panel.show(99)
    assert panel.current_id == "tab_bom-3" and panel.next_button.disabled


def test_decisions_set_in_the_panel_are_saved_with_reviewer_and_time(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    panel.keep_button.click()  # T1-01
    panel.next_button.click()
    panel.set_aside_button.click()  # T1-02
    panel.next_button.click()
    panel.merge_into.value = "X1-03"
    panel.merge_button.click()  # T1-03 merged into X1-03
    panel.next_button.click()
    panel.pillar.value = "prosecution"  # T2-01: a correction, saved at once
    assert panel.theme_boxes["non_punishment"].value  # as submitted
    panel.theme_boxes["gender"].value = True  # one tick adds one theme, the other stays
    panel.note.value = "about police raids"  # typed: saved with the next click
    assert "Note not saved yet" in panel.status.value
    panel.save_note_button.click()
    saved = _triage(small)
    assert saved.loc["T1-01", ["decision", "reviewer"]].tolist() == ["keep", "Ana"]
    assert dt.datetime.fromisoformat(saved.at["T1-01", "at"]) >= before
    assert saved.at["T1-02", "decision"] == "set_aside"
    assert saved.loc["T1-03", ["decision", "merge_into"]].tolist() == ["merge", "X1-03"]
    assert saved.loc["T2-01", ["decision", "pillar", "note"]].tolist() == [
        "",
        "prosecution",
        "about police raids",
    ]
    assert set(saved.at["T2-01", "themes"].split(";")) == {"non_punishment", "gender"}
    assert "Saved T2-01" in panel.status.value and "Decision: <b>no call" in panel.card.value
    panel.keep_button.click()  # the corrections stay with the decision
    assert _triage(small).loc["T2-01", ["decision", "pillar", "note"]].tolist() == [
        "keep",
        "prosecution",
        "about police raids",
    ]
    panel.filters["decision"].value = "set_aside"
    assert _ids(panel) == ["T1-02"]
    assert not list(Path(small, "contributions").glob(".*"))  # contribution files are never touched


def test_a_click_takes_the_note_being_typed_along(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    panel.note.value = "same as the ministry's report"
    panel.keep_button.click()  # one click: the decision and the note, nothing lost
    assert _triage(small).loc["T1-01", ["decision", "note"]].tolist() == [
        "keep",
        "same as the ministry's report",
    ]
    panel.note.value = "checked"
    panel.next_button.click()  # the first click moves on, and the note is saved where typed
    assert panel.current_id == "T1-02" and panel.note.value == ""
    assert _triage(small).loc["T1-01", ["decision", "note"]].tolist() == ["keep", "checked"]


def test_unticking_a_theme_keeps_the_others(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    panel.show(1)  # T1-02
    assert panel.current_id == "T1-02"
    before = set(panel.chosen_themes())
    assert len(before) >= 1
    panel.theme_boxes["gender"].value = True
    assert set(_triage(small).at["T1-02", "themes"].split(";")) == before | {"gender"}
    panel.theme_boxes["gender"].value = False  # back to the contributor's own
    assert _triage(small).at["T1-02", "themes"] == ""
    assert set(panel.chosen_themes()) == before


def test_the_card_stays_on_the_statement_just_corrected(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    panel.filters["pillar"].value = "protection"
    panel.next_button.click()
    edited = panel.current_id
    panel.pillar.value = "prevention"  # no longer matches the filter ...
    assert panel.current_id == edited  # ... but stays shown until the officer moves on
    assert "and the one you just changed" in panel.count.value
    panel.filters["kind"].value = "gap"
    assert edited not in _ids(panel)


def test_a_change_to_what_another_officer_just_saved_asks_keep_mine_or_theirs(small):
    review = load_review(small)
    ana = gather_panels.TriagePanel(review, reviewer="Ana")
    ben = gather_panels.TriagePanel(review, reviewer="Ben")  # opened before Ana decides
    ana.keep_button.click()
    ben.note.value = "source checked"
    ben.save_note_button.click()  # another field: kept beside Ana's decision
    assert _triage(small).loc["T1-01", ["decision", "note"]].tolist() == ["keep", "source checked"]
    assert "kept what was saved meanwhile: decision 'keep'" in html.unescape(ben.status.value)
    ana.set_aside_button.click()  # Ana changes her own call: nobody else changed it
    ben.keep_button.click()  # Ben's card still shows Ana's keep: hers is newer, he is asked
    status = html.unescape(ben.status.value)
    assert "Ana changed statement T1-01" in status and "keep yours or theirs" in status
    assert ben.choice.layout.display is None
    assert _triage(small).at["T1-01", "decision"] == "set_aside"  # nothing overwritten
    ben.mine_button.click()
    assert _triage(small).loc["T1-01", ["decision", "reviewer"]].tolist() == ["keep", "Ben"]
    ana.set_aside_button.click()  # now Ben's keep is newer than Ana's card
    assert "Ben changed statement T1-01" in html.unescape(ana.status.value)
    ana.theirs_button.click()
    assert _triage(small).at["T1-01", "decision"] == "keep"
    assert "Kept Ben's change" in html.unescape(ana.status.value)
    assert "Decision: <b>keep</b> — Ben" in ana.card.value


def test_the_reviewer_is_asked_once_and_remembered(small):
    first = gather_panels.TriagePanel(load_review(small))
    assert first.reviewer.value == ""  # never the login name: the panel asks
    first.keep_button.click()
    assert "type your name as reviewer first" in first.status.value
    first.reviewer.value = "Ana Ortiz"
    first.keep_button.click()
    assert _triage(small).at["T1-01", "reviewer"] == "Ana Ortiz"
    assert gather_panels.TriagePanel(load_review(small)).reviewer.value == "Ana Ortiz"


def test_a_decision_the_panel_cannot_save_says_why(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    panel.merge_button.click()
    assert "Not saved: say which statement T1-01 is merged into" in panel.status.value
    panel.reviewer.value = ""
    panel.keep_button.click()
    assert "type your name as reviewer first" in panel.status.value
    assert not paths.triage_file(small).exists()


def test_undo_in_the_panel(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    panel.keep_button.click()
    panel.set_aside_button.click()
    panel.next_button.click()
    panel.undo_button.click()
    assert panel.current_id == "T1-01"  # the panel goes to the statement undone
    assert "back to keep" in panel.status.value and _triage(small).at["T1-01", "decision"] == "keep"
    panel.undo_button.click()
    assert _triage(small).empty and "Decision: <i>none yet" in panel.card.value
    panel.undo_button.click()
    assert "Nothing to undo for Ana" in panel.status.value


def test_a_new_panel_shows_the_saved_decisions(small):
    panel = gather_panels.TriagePanel(load_review(small), reviewer="Ana")
    panel.show(1)
    panel.pillar.value = "prevention"
    panel.set_aside_button.click()
    again = gather_panels.TriagePanel(load_review(small), reviewer="Ben")
    again.filters["decision"].value = "set_aside"
    assert _ids(again) == ["T1-02"]
    assert "Decision: <b>set aside</b> — Ana" in again.card.value
    assert again.pillar.value == "prevention"
    assert again.pillar.options[0] == ("as submitted (protection)", "")  # what the contributor said
    again.pillar.value = ""  # back to the submitted pillar
    assert (
        load_review(small).statements.set_index("statement_id").at["T1-02", "pillar"]
        == "protection"
    )


def test_two_panels_keep_both_officers_decisions(small):
    review = load_review(small)
    ana, ben = (
        gather_panels.TriagePanel(review, reviewer="Ana"),
        gather_panels.TriagePanel(review, reviewer="Ben"),
    )
    ana.keep_button.click()
    ben.next_button.click()
    ben.set_aside_button.click()
    assert _triage(small)["reviewer"].to_dict() == {"T1-01": "Ana", "T1-02": "Ben"}
    ben.filters["decision"].value = "keep"
    assert _ids(ben) == ["T1-01"]  # Ben sees Ana's decision after his own save


def test_summary_and_ledger(make_inputs):
    inputs = make_inputs([*GOOD, DATA / "bad" / next(p.name for p in (DATA / "bad").iterdir())])
    review = load_review(inputs)
    summary = gather_panels.summary_view(review).markup
    assert f"{review.summary()['accepted']} rows accepted" in summary
    ledger = gather_panels.LedgerPanel(review)
    problems = review.ledger[review.ledger["status"].ne("accepted")]
    assert len(ledger.rows()) == len(problems)
    ledger.status.value = ""
    assert len(ledger.rows()) == len(review.ledger)
    ledger.file.value = "comma_utf8.csv"
    assert set(ledger.rows()["file"]) == {"comma_utf8.csv"} and "T1-01" in ledger.table.value
    ledger.text.value = "no such words in any message"
    assert ledger.rows().empty and "No entry matches" in ledger.table.value


# --- scores -------------------------------------------------------------------------------------


def test_moving_a_weight_recomputes_the_tables_as_the_library_does(demo):
    panel = score_panels.ScorePanel(demo)
    assert panel.scores.country_scores.equals(score(demo).country_scores)
    panel.kind_sliders["gap"].value = -3
    panel.source_sliders["civil_society"].value = 2
    panel.cutoff_sliders[2].value = 0.2
    expected = score_statements(
        demo.statements,
        demo.reference,
        rubric_with(
            panel.saved,
            {
                "weights.kinds.gap": -3,
                "weights.sources.civil_society": 2,
                "levels.cutoffs[1].min_share": 0.2,
            },
        ),
        meeting_year=demo.config.meeting_start.year,
    )
    for name in ("country_scores", "coverage", "pillar_summary", "region_summary", "theme_summary"):
        assert getattr(panel.scores, name).equals(getattr(expected, name)), name
    changed = panel.level_changes()
    assert (
        len(changed) > 0
        and f"<b>{len(changed)}</b> of {len(expected.country_scores)}" in panel.summary.value
    )
    assert "→" in panel.table.value  # changed levels are shown against rubric.yml
    for view in score_panels.VIEWS:
        panel.view.value = view
        assert "<table>" in panel.table.value
    panel.reset()
    assert panel.scores.country_scores.equals(panel.baseline.country_scores)
    assert "<b>0</b> of" in panel.summary.value


def test_recomputing_feels_live_on_the_demo_review(demo):
    panel = score_panels.ScorePanel(demo)
    seconds = []
    for value in (1.5, 0.5, 2.0, 1.0, 0.75):
        panel.source_sliders["member_state_self"].value = value
        seconds.append(panel.last_seconds)
    median = statistics.median(seconds)
    print(
        f"\nrecompute on the demo review ({len(demo.statements)} statements): median {median:.3f} s, "
        f"max {max(seconds):.3f} s"
    )
    assert median < 2.0


def test_settings_the_rubric_refuses_are_reported_and_change_nothing(demo):
    panel = score_panels.ScorePanel(demo)
    before = panel.scores
    panel.cutoff_sliders[3].value = 0.05
    assert "Not recomputed" in panel.summary.value and "must raise min_share" in panel.summary.value
    assert panel.scores is before


def test_save_as_rubric_shows_the_change_then_writes_it(small):
    review = load_review(small)
    path = paths.rubric_file(small)
    text = path.read_text(encoding="utf-8")
    panel = score_panels.ScorePanel(review)
    panel.propose_save()
    assert "Nothing to save" in panel.diff.value
    panel.kind_sliders["achievement"].value = 2
    panel.source_sliders["media"].value = 1
    lines = panel.propose_save()
    assert lines == ["weights.kinds.achievement: 1 → 2", "weights.sources.media: 0.5 → 1"]
    assert "weights.kinds.achievement: 1 → 2" in html.unescape(panel.diff.value)
    assert panel.confirm_button.layout.display is None  # the write button shows ...
    assert path.read_text(encoding="utf-8") == text  # ... and nothing is written yet
    panel.cancel_button.click()
    assert panel.confirm_button.layout.display == "none"
    panel.save_button.click()
    panel.confirm_button.click()
    assert "Saved rubric.yml: 2 setting(s) changed" in panel.diff.value
    saved = load_rubric(path)
    assert saved.kind_weights["achievement"] == 2 and saved.source_weights["media"] == 1
    assert "# HOW AN INTERNAL LEVEL IS MADE" in path.read_text(
        encoding="utf-8"
    )  # the comments stay
    # The batch build reads the same files: it scores exactly what the panel showed.
    assert score(load_review(small, cache=False)).country_scores.equals(panel.scores.country_scores)


def test_static_views(demo):
    scores = score(demo)
    page = score_views.scores_view(scores).markup
    assert "<h3>Pillars</h3>" in page and 'alt="Member States by level, per pillar' in page
    assert "PRE-01" in page
    balance = score_views.balance_view(assess(demo)).markup
    assert "Balance index" in balance and "civil society" in balance


def test_the_preview_has_a_value_to_preview_from_the_first_use(small):
    panel = preview.BriefPreview(load_review(small))
    for kind in ("country", "pillar", "theme", "region"):
        panel.kind.value = kind
        assert panel.value.value is not None and panel.value.value == panel.value.options[0][1]
    panel.kind.value = "country"
    assert panel.value.options[0] == ("Afghanistan", "AFG")  # by name, not by code
    panel.kind.value = "overview"
    assert panel.value.layout.display == "none"


@pytest.mark.slow
def test_a_brief_previews_inline(small):
    from reviewlib.brief.runner import WarmKernelEngine

    panel = preview.BriefPreview(load_review(small))
    panel.kind.value = "pillar"
    assert [v for _, v in panel.value.options] == [
        "prevention",
        "protection",
        "prosecution",
        "partnership",
    ]
    panel.value.value = "protection"
    try:
        page = panel.preview()
    finally:
        WarmKernelEngine.stop()
    assert "Protection" in page and "<script" not in page
    assert (
        panel.page.value.startswith('<iframe sandbox=""')
        and html.escape(page, quote=True) in panel.page.value
    )
    assert "Built in" in panel.status.value


# --- the notebooks, run whole with papermill ----------------------------------------------------


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    """A copy of the demo inputs, so that a notebook run never writes the project's decisions."""
    inputs = tmp_path / "inputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    return inputs


def _run(name: str, tmp_path: Path, parameters: dict, extra: str = "") -> nbformat.NotebookNode:
    import papermill

    nb = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
    if extra:
        nb.cells.append(new_code_cell(extra))
    source = tmp_path / name
    nbformat.write(nb, source)
    return papermill.execute_notebook(
        str(source),
        str(tmp_path / f"out-{name}"),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )


def _outputs(nb: nbformat.NotebookNode) -> str:
    return "".join(
        str(o.get("data", {})) + o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


@pytest.mark.slow
def test_the_gather_notebook_runs_and_its_panel_saves(demo_copy, tmp_path):
    started = time.perf_counter()
    nb = _run(
        "00_gather.ipynb",
        tmp_path,
        {"inputs_dir": str(demo_copy)},
        extra='triage_panel.reviewer.value = "papermill"\n'
        "triage_panel.keep_button.click()\nprint(triage_panel.status.value)\n"
        "print(confirm_panel.count.value)",
    )
    print(f"\n00_gather ran in {time.perf_counter() - started:.1f} s")
    out = _outputs(nb)
    # the copy leaves triage.csv out: the 32 statements of the demo's documents wait, suggested
    assert "application/vnd.jupyter.widget-view+json" in out and "708 statements" in out
    assert "of 32 statements read from documents" in out
    assert "Saved ACA-ATLANTIC-01: keep, by papermill" in out
    assert _triage(demo_copy).at["ACA-ATLANTIC-01", "reviewer"] == "papermill"


@pytest.mark.slow
def test_the_score_notebook_runs_and_previews_a_brief(demo_copy, tmp_path):
    started = time.perf_counter()
    nb = _run(
        "10_score.ipynb",
        tmp_path,
        {"inputs_dir": str(demo_copy), "outputs_dir": str(tmp_path / "out")},
        extra='score_panel.kind_sliders["gap"].value = -2\nprint(score_panel.summary.value)\n'
        'preview.kind.value = "pillar"\npreview.value.value = "prevention"\n'
        "print(len(preview.preview()), preview.status.value)",
    )
    print(f"\n10_score ran in {time.perf_counter() - started:.1f} s")
    out = _outputs(nb)
    assert "application/vnd.jupyter.widget-view+json" in out and "Balance index" in out
    assert "Recomputed in" in out and "Built in" in out
    assert not (tmp_path / "out").exists()  # the interactive notebook writes no outputs


@pytest.mark.slow
def test_a_broken_review_file_is_one_sentence_in_the_notebook(demo_copy, tmp_path):
    import papermill

    review_yml = paths.review_file(demo_copy)
    review_yml.write_text(review_yml.read_text(encoding="utf-8") + "briefs: 5\n", encoding="utf-8")
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        _run("00_gather.ipynb", tmp_path, {"inputs_dir": str(demo_copy)})
    error = caught.value
    assert error.ename == "InputError" and "'briefs' must be a section" in error.evalue
    assert len(error.traceback) == 1 and "Traceback" not in error.traceback[0]
    assert "error: " in error.traceback[0] and "review.yml" in error.traceback[0]


@pytest.mark.parametrize(
    "name, names",
    [
        ("00_gather.ipynb", {"inputs_dir", "outputs_dir"}),
        ("10_score.ipynb", {"inputs_dir", "outputs_dir"}),
    ],
)
def test_the_interactive_notebooks_are_thin_and_parameterised(name, names):
    import ast

    from test_notebooks import committed

    nb = committed(paths.NOTEBOOKS / name)
    parameters = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1
    tree = ast.parse(parameters[0].source)
    assigned = {
        t.id: n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
    }
    assert set(assigned) == names and all(
        isinstance(v, ast.Constant) and v.value == "" for v in assigned.values()
    )
    for cell in nb.cells:
        assert cell.get("id") and cell.id.split("-")[0] in ("gather", "score")
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
            assert not any(
                isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)
                for n in ast.walk(ast.parse(cell.source))
            )
    assert "widgets" not in nb.metadata
