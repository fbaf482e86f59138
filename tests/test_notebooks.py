"""The brief notebooks: thin, stored without outputs, and runnable with the real command-line tools."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from reviewlib import paths
from reviewlib.brief.export import to_html
from reviewlib.brief.slices import check_parameter

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
BIN = Path(sys.executable).parent
BRIEFS = sorted(paths.NOTEBOOKS.glob("brief_*.ipynb"))


def committed(path: Path) -> nbformat.NotebookNode:
    """The notebook as git holds it (its staged version), else as the file is: what is committed
    is what must be clean, whatever a JupyterLab left in the working file."""
    run = subprocess.run(
        ["git", "show", f":{path.relative_to(paths.PROJECT_ROOT).as_posix()}"],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode == 0:
        return nbformat.reads(run.stdout, as_version=4)
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    nb = committed(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name} has outputs"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.name)
def test_brief_notebooks_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    parameters = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1
    for node in ast.walk(ast.parse(parameters[0].source)):
        if isinstance(node, ast.Assign):
            assert isinstance(node.value, ast.Constant), "the parameters cell holds literals only"
    names = {
        t.id
        for n in ast.walk(ast.parse(parameters[0].source))
        if isinstance(n, ast.Assign)
        for t in n.targets
    }
    assert {"inputs_dir", "outputs_dir"} <= names
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            assert not any(
                isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda) for n in ast.walk(tree)
            )


@pytest.mark.parametrize(
    "kind, value, words",
    [
        ("country", "XYZ", "unknown country 'XYZ'; allowed: AFG, AGO"),
        (
            "pillar",
            "rescue",
            "unknown pillar 'rescue'; allowed: prevention, protection, prosecution, partnership",
        ),
        ("theme", "space", "unknown theme 'space'; allowed: migration"),
        ("region", "Atlantis", "unknown regional_group 'Atlantis'; allowed: African, Asia-Pacific"),
    ],
)
def test_wrong_parameter_names_the_allowed_values(kind, value, words):
    with pytest.raises(Exception) as caught:
        check_parameter(kind, value)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def _check_page(page: str, title_words: str) -> None:
    soup = BeautifulSoup(page, "lxml")
    assert title_words in soup.title.string
    assert soup.select_one(".banner") is not None
    headings = [h.get_text() for h in soup.select("main h2")]
    for section in ("What has moved", "Evidence annex"):
        assert section in headings
    assert soup.select("ul.findings li")
    assert "Parameters" in soup.select_one("footer.provenance").get_text()
    assert soup.find("script") is None and "http://" not in page and "https://" not in page
    assert "import " not in soup.get_text() and "check_parameter" not in page


@pytest.mark.slow
def test_papermill_command_line_runs_a_country_brief(tmp_path):
    out = tmp_path / "out.ipynb"
    run = subprocess.run(
        [
            BIN / "papermill",
            paths.NOTEBOOKS / "brief_country.ipynb",
            out,
            "-p",
            "country",
            "BLR",
            "--no-progress-bar",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    _check_page(to_html(out), "Belarus")


@pytest.mark.slow
def test_papermill_stops_early_on_a_wrong_country(tmp_path):
    out = tmp_path / "out.ipynb"
    run = subprocess.run(
        [
            BIN / "papermill",
            paths.NOTEBOOKS / "brief_country.ipynb",
            out,
            "-p",
            "country",
            "XYZ",
            "--no-progress-bar",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode != 0
    assert "ParameterError: unknown country 'XYZ'; allowed: AFG" in run.stderr
    executed = nbformat.read(out, as_version=4)
    failed = [
        i
        for i, c in enumerate(executed.cells)
        if c.cell_type == "code"
        and any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    assert failed and all("prepare" not in executed.cells[i].source for i in failed)


@pytest.mark.slow
def test_nbconvert_execute_runs_the_pillar_brief(tmp_path):
    target = tmp_path / "pillar.ipynb"
    run = subprocess.run(
        [
            BIN / "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            paths.NOTEBOOKS / "brief_pillar.ipynb",
            "--output",
            target,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    _check_page(to_html(target), "Protection")
