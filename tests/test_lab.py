"""End to end in a real JupyterLab at a laptop's screen size: both notebooks run, the officer
triages and works the score panel, JupyterLab autosaves, and git sees no tracked file changed.

JupyterLab runs as `make lab` runs it, on copies of the notebooks in a workspace (here a
temporary one), on 127.0.0.1 with a random port and token, every Jupyter folder in a temporary
directory, and the notebooks pointed at a copy of the demo inputs: the project's own
inputs/decisions/ is never written. Chromium is Debian's (`make browser`), driven by Playwright's
Python API; Playwright's own browser download is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - playwright is a dev dependency
    expect = sync_playwright = None

from reviewlib import paths
from reviewlib.workbench.workspace import prepare

pytestmark = pytest.mark.slow

REVIEWER = "Lab Officer"
AUTOSAVE = 3  # seconds
VIEWPORT = {"width": 1366, "height": 768}  # a common laptop screen


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required under CI: `make browser` installs Debian's chromium)")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, token: str, method: str = "GET") -> int:
    request = urllib.request.Request(
        url, method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def _point_at(notebook: Path, inputs: Path, outputs: Path) -> None:
    """The copy's parameters cell reads the test's inputs and writes the test's outputs."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = f'inputs_dir = "{inputs}"\noutputs_dir = "{outputs}"'
    nbformat.write(nb, notebook)


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab as `make lab` starts it, on copies of the notebooks in a workspace, the two
    interactive ones pointed at a copy of the demo inputs."""
    _need(
        CHROMIUM is not None,
        "Chromium is not installed (/usr/lib/chromium/chromium); run `make browser`",
    )
    inputs = tmp_path / "inputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    root = tmp_path / "workspace"
    assert prepare(root)  # the copies make lab opens
    for name in ("00_gather.ipynb", "10_score.ipynb"):
        _point_at(root / name, inputs, tmp_path / "outputs")
    settings = tmp_path / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(
        json.dumps(
            {
                "@jupyterlab/apputils-extension:notification": {
                    "fetchNews": "false",
                    "checkForUpdates": False,
                },
                # Save every few seconds, so that the test waits past an autosave.
                "@jupyterlab/docmanager-extension:plugin": {"autosaveInterval": AUTOSAVE},
            }
        )
    )
    env = {**os.environ}
    for name, folder in (
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
    ):
        env[name] = str(tmp_path / folder)
    port, token = _free_port(), secrets.token_hex(16)
    log = (tmp_path / "jupyter.log").open("w")
    server = subprocess.Popen(
        [
            Path(sys.executable).parent / "jupyter",
            "lab",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.app_settings_dir={settings}",
            "--LabApp.expose_app_in_browser=True",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _request(f"{base}/api/status", token) == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            assert server.poll() is None, (tmp_path / "jupyter.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "JupyterLab did not start within 120 s"
            time.sleep(0.5)
        yield {
            "base": base,
            "token": token,
            "inputs": inputs,
            "root": root,
            "log": tmp_path / "jupyter.log",
        }
    finally:
        try:
            _request(f"{base}/api/shutdown", token, method="POST")  # stops its kernels too
            server.wait(timeout=30)
        except Exception:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)
        log.close()


def _saved(inputs: Path, timeout: float = 30) -> pd.DataFrame:
    path = paths.triage_file(inputs)
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("statement_id")


def _tracked_state() -> list[tuple[str, str]]:
    """What git sees changed in the project (tracked or new files), with each file's digest."""
    run = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    state = []
    for line in run.stdout.splitlines():
        path = paths.PROJECT_ROOT / line[3:].split(" -> ")[-1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
        state.append((line, digest))
    return state


def _in_view(page, selector: str) -> bool:
    """Whether the element is inside the window, so the officer sees it without scrolling."""
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


def _open_and_run(page, lab, name: str) -> None:
    """Open the notebook (the first by its address, the next one from inside JupyterLab, as an
    officer would) and run all its cells once its kernel is ready."""
    if "/lab" not in page.url:
        page.goto(f"{lab['base']}/lab/tree/{name}?token={lab['token']}")
    else:
        page.evaluate(
            f"() => window.jupyterapp.commands.execute('docmanager:open', {{path: '{name}'}})"
        )
    status = page.locator("#jp-main-statusbar")
    expect(status).to_contain_text(name, timeout=90_000)  # this notebook is the current one
    # Run nothing before the kernel is ready, or a "Select Kernel" dialog comes instead.
    expect(status).to_contain_text(re.compile(r"Python 3.*\| Idle"), timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('runmenu:run-all')")


def _triage(page, lab, tmp_path) -> None:
    _open_and_run(page, lab, "00_gather.ipynb")
    keep = page.locator(".reviewlib-keep").first
    expect(keep).to_be_visible(timeout=180_000)
    expect(page.locator(".reviewlib-statement").first).to_contain_text("ACA-ATLANTIC-01")
    name = page.locator(".reviewlib-reviewer input").first
    expect(name).to_have_value("")  # asked once ...
    name.fill(REVIEWER)
    name.press("Enter")
    keep.click()
    expect(page.get_by_text("Saved ACA-ATLANTIC-01: keep")).to_be_visible(timeout=30_000)
    assert _in_view(page, ".reviewlib-status"), "the saved message is below the fold"
    saved = _saved(lab["inputs"])
    assert saved.loc["ACA-ATLANTIC-01", ["decision", "reviewer"]].tolist() == ["keep", REVIEWER]
    assert json.loads(paths.user_settings().read_text())["reviewer"] == REVIEWER  # ... remembered

    # A note typed, then one click on Next: the note is saved where it was typed, and we move on.
    page.locator(".reviewlib-note textarea").first.fill("seen in the annual report")
    page.locator(".reviewlib-next").first.click()
    expect(page.locator(".reviewlib-statement").first).not_to_contain_text(
        "ACA-ATLANTIC-01", timeout=30_000
    )
    _wait_for(lab, "ACA-ATLANTIC-01", "note", "seen in the annual report")
    assert _saved(lab["inputs"]).at["ACA-ATLANTIC-01", "decision"] == "keep"

    # One tick adds one theme; the themes already there stay.
    shown = page.locator(".reviewlib-statement").first.inner_text()
    sid = re.match(r"\s*(\S+)", shown).group(1)
    box = page.locator(".reviewlib-theme-gender input").first
    was = [
        t
        for t in ("migration", "modern_slavery", "child_labour", "non_punishment")
        if page.locator(f".reviewlib-theme-{t} input").first.is_checked()
    ]
    box.check()
    themes = _wait_for(lab, sid, "themes", None)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[class*="reviewlib-theme-"]')]
            .filter(box => box.innerText.trim() === '' || [box, ...box.querySelectorAll('*')]
                .some(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
            .map(box => box.innerText)"""
    )
    labels = page.locator('[class*="reviewlib-theme-"]')
    assert labels.count() == 11 and not cut, f"theme labels hidden or cut: {cut}"
    assert set(themes.split(";")) >= {"gender", *was}
    page.screenshot(path=str(tmp_path / "jupyterlab-triage.png"), full_page=False)


def _score(page, lab, tmp_path) -> None:
    _open_and_run(page, lab, "10_score.ipynb")
    save = page.locator(".reviewlib-save-rubric").first
    expect(save).to_be_visible(timeout=180_000)
    save.click()
    expect(page.get_by_text("Nothing to save")).to_be_visible(timeout=30_000)
    assert _in_view(page, ".reviewlib-rubric-message"), "the rubric's message is below the fold"
    assert _in_view(page, ".reviewlib-score-summary"), "the recomputed summary is below the fold"
    page.screenshot(path=str(tmp_path / "jupyterlab-score.png"), full_page=False)
    # The preview works on first use: a country chosen, its first one previewed.
    page.locator(".reviewlib-preview-kind select").first.select_option("country")
    page.locator(".reviewlib-preview").first.click()
    expect(page.locator(".reviewlib-preview-status").first).to_contain_text(
        "Built in", timeout=240_000
    )


def _wait_for(lab, sid: str, column: str, value: str | None, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        saved = _saved(lab["inputs"])
        if sid in saved.index and saved.at[sid, column] and value in (None, saved.at[sid, column]):
            return saved.at[sid, column]
        assert time.monotonic() < deadline, f"{column} of {sid} was not saved"
        time.sleep(0.2)


def test_both_notebooks_in_jupyterlab_save_what_the_officer_does_and_change_no_tracked_file(
    lab, tmp_path
):
    _need(sync_playwright is not None, "playwright is not installed in this environment")
    before = _tracked_state()
    started = time.perf_counter()
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            _triage(page, lab, tmp_path)
            try:
                _score(page, lab, tmp_path)
            except AssertionError:
                page.screenshot(path=str(tmp_path / "jupyterlab-score-failed.png"))
                raise
            time.sleep(3 * AUTOSAVE)  # past an autosave of both notebooks
        finally:
            browser.close()
    print(f"\nJupyterLab: both notebooks run and used in {time.perf_counter() - started:.1f} s")
    assert not errors, errors  # no JavaScript exception in the page
    autosaved = nbformat.read(lab["root"] / "00_gather.ipynb", as_version=4)
    assert any(c.get("outputs") for c in autosaved.cells if c.cell_type == "code")
    assert _tracked_state() == before  # the copies took the outputs; git sees no change
    assert not paths.triage_file(paths.INPUTS).exists() or REVIEWER not in paths.triage_file(
        paths.INPUTS
    ).read_text(encoding="utf-8")
