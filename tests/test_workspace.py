"""The notebooks' working copies that `make lab` opens: made, refreshed, never losing an edit."""

from __future__ import annotations

import shutil

import nbformat

from reviewlib import paths
from reviewlib.workbench.workspace import prepare


def test_copies_are_made_once_and_refreshed_when_the_project_notebook_changes(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    workspace = tmp_path / "workspace"
    lines = prepare(workspace, notebooks)
    names = sorted(p.name for p in notebooks.glob("*.ipynb"))
    assert lines == [f"copied {n}" for n in names]
    assert sorted(p.name for p in workspace.glob("*.ipynb")) == names
    assert prepare(workspace, notebooks) == []  # up to date: nothing touched

    used = nbformat.read(workspace / "00_gather.ipynb", as_version=4)
    used.cells[2].outputs = [nbformat.v4.new_output("stream", text="run by an officer")]
    nbformat.write(used, workspace / "00_gather.ipynb")  # outputs only: not an edit
    original = nbformat.read(notebooks / "00_gather.ipynb", as_version=4)
    original.cells[0].source += "\n\nA new paragraph."
    nbformat.write(original, notebooks / "00_gather.ipynb")
    assert prepare(workspace, notebooks) == [
        "updated 00_gather.ipynb (the project's notebook changed)"
    ]
    assert "A new paragraph." in (workspace / "00_gather.ipynb").read_text(encoding="utf-8")


def test_a_copy_the_officer_edited_is_kept(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    workspace = tmp_path / "workspace"
    prepare(workspace, notebooks)
    mine = nbformat.read(workspace / "10_score.ipynb", as_version=4)
    mine.cells.append(nbformat.v4.new_code_cell("scores.evidence_for('PHL', 'protection')"))
    nbformat.write(mine, workspace / "10_score.ipynb")
    theirs = nbformat.read(notebooks / "10_score.ipynb", as_version=4)
    theirs.cells[0].source += " Changed."
    nbformat.write(theirs, notebooks / "10_score.ipynb")
    (line,) = prepare(workspace, notebooks)
    assert line.startswith("kept your edited") and "delete your copy" in line
    assert "evidence_for('PHL'" in (workspace / "10_score.ipynb").read_text(encoding="utf-8")


def test_the_workspace_is_ignored_by_git():
    ignored = (paths.PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/workspace/" in ignored and paths.WORKSPACE.name == "workspace"
