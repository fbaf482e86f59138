"""The files the secretariat edits by hand: read with the contributions' encoding fallback, and
every problem one sentence naming the file, the line or key, and what to do — never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from reviewlib import load_review, paths
from reviewlib.errors import InputError
from reviewlib.gather.decisions import read_decisions
from reviewlib.gather.edited import read_yaml

BIN = Path(sys.executable).parent
CASES = sorted(p for p in (DATA / "edited").iterdir() if p.is_dir())


def _lay(case: Path, inputs: Path) -> None:
    for file in case.rglob("*"):
        if file.is_file() and file.name != "expect.txt":
            target = inputs / file.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target)


def _one_line_error(run: subprocess.CompletedProcess, words: str) -> None:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert words in lines[0], lines[0]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_a_broken_file_is_one_line_and_exit_status_1(make_inputs, tmp_path, case):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    shutil.copy(paths.rubric_file(), paths.rubric_file(inputs))
    _lay(case, inputs)
    run = subprocess.run(
        [BIN / "reviewlib", "validate", "--inputs", inputs, "--outputs", tmp_path / "out"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"REVIEWLIB_NO_CACHE": "1", "PATH": "/usr/bin:/bin"},
    )
    _one_line_error(run, (case / "expect.txt").read_text(encoding="utf-8").strip())


def test_files_saved_in_windows_1252_are_read(make_inputs):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    review_yml = paths.review_file(inputs)
    text = review_yml.read_text(encoding="utf-8").replace(
        'short_title: "GPA review 2017"', 'short_title: "Révision du PAM — 2017"'
    )
    review_yml.write_bytes(text.encode("cp1252"))
    paths.triage_file(inputs).write_bytes(
        "statement_id,decision,note,reviewer,at\nT1-01,keep,vérifié,Zoë,2017-06-01\n".encode(
            "cp1252"
        )
    )
    states = paths.reference_dir(inputs) / "member_states.csv"
    states.write_bytes(states.read_text(encoding="utf-8-sig").encode("cp1252", "replace"))
    review = load_review(inputs, cache=False)
    assert review.config.short_title == "Révision du PAM — 2017"
    assert read_decisions(inputs).iloc[0][["note", "reviewer"]].tolist() == ["vérifié", "Zoë"]
    assert review.statements.set_index("statement_id").at["T1-01", "note"] == "vérifié"
    assert review.reference.name_of["CIV"] == "Côte d'Ivoire"


def test_a_missing_file_or_folder_is_one_sentence(make_inputs, tmp_path):
    with pytest.raises(InputError, match="review.yml is missing: every review needs a review.yml"):
        load_review(tmp_path / "nowhere", cache=False)
    folder = tmp_path / "review.yml"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_yaml(folder)


def test_build_without_its_notebooks_folder_is_one_line(make_inputs, tmp_path):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    run = subprocess.run(
        [
            BIN / "reviewlib",
            "build",
            "--inputs",
            inputs,
            "--outputs",
            tmp_path / "out",
            "--notebooks",
            tmp_path / "no-notebooks",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    _one_line_error(run, "no-notebooks is missing")


def test_an_outputs_folder_that_cannot_be_made_is_one_line(make_inputs, tmp_path):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    run = subprocess.run(
        [BIN / "reviewlib", "validate", "--inputs", inputs, "--outputs", blocker / "out"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    _one_line_error(run, "a-file")


def test_review_yml_is_read_again_whenever_its_text_changes(make_inputs):
    """Settings are parsed once per text of review.yml: an edit is seen even when it keeps the
    file's size and modification time (a quick save on a coarse clock)."""
    import os

    from reviewlib.gather.settings import load_config

    inputs = make_inputs()
    path = paths.review_file(inputs)
    text = path.read_text(encoding="utf-8")
    first = load_config(inputs)
    assert load_config(inputs) is first  # parsed once
    assert "illustrative: true" in text
    stat = path.stat()
    path.write_text(text.replace("illustrative: true", "illustrative: nope"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    with pytest.raises(InputError, match="'illustrative' must be true or false"):
        load_config(inputs)
    path.write_text(text.replace("illustrative: true", "illustrative: false"), encoding="utf-8")
    assert load_config(inputs).illustrative is False


def test_settings_files_are_read_by_libyaml_and_give_the_data_pyyaml_gives():
    """review.yml and rubric.yml are parsed in C where PyYAML has libyaml (its wheels do): the
    same data as its Python parser, ten times faster in every process that reads them."""
    import yaml

    from reviewlib.gather import edited

    if yaml.__with_libyaml__:
        assert edited._loader() is yaml.CSafeLoader
    for name in ("review.yml", "rubric.yml"):
        text = (paths.INPUTS / name).read_text(encoding="utf-8")
        assert edited.parse_yaml(text, Path(name)) == yaml.load(text, Loader=yaml.SafeLoader)
