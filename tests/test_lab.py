"""End to end in a real JupyterLab: open 00_gather.ipynb in headless Chromium, run all, triage, find it saved.

JupyterLab runs on 127.0.0.1 with a random port and token, every Jupyter folder in a temporary
directory, and the notebook pointed at a copy of the demo inputs: the project's own
inputs/decisions/ is never written. Chromium is Debian's (`make browser`), driven by Playwright's
Python API; Playwright's own browser download is never used.
"""

from __future__ import annotations

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

from reviewlib import paths

pytestmark = pytest.mark.slow

REVIEWER = "lab-test"


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


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab serving a copy of 00_gather.ipynb that reads a copy of the demo inputs."""
    _need(
        CHROMIUM is not None,
        "Chromium is not installed (/usr/lib/chromium/chromium); run `make browser`",
    )
    inputs = tmp_path / "inputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    root = tmp_path / "lab"
    root.mkdir()
    nb = nbformat.read(paths.NOTEBOOKS / "00_gather.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = f'inputs_dir = "{inputs}"\noutputs_dir = ""\nreviewer = "{REVIEWER}"'
    nbformat.write(nb, root / "00_gather.ipynb")
    settings = tmp_path / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(
        json.dumps(
            {
                "@jupyterlab/apputils-extension:notification": {
                    "fetchNews": "false",
                    "checkForUpdates": False,
                }
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
        yield {"base": base, "token": token, "inputs": inputs, "log": tmp_path / "jupyter.log"}
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


def test_triage_in_jupyterlab_saves_to_triage_csv(lab, tmp_path):
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _need(False, "playwright is not installed in this environment")
    started = time.perf_counter()
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{lab['base']}/lab/tree/00_gather.ipynb?token={lab['token']}")
            # Run nothing before the kernel is ready, or a "Select Kernel" dialog comes instead.
            kernel = page.locator(
                ".jp-NotebookPanel-toolbar [data-jp-item-name='kernelName']"
            ).first
            expect(kernel).to_be_visible(timeout=90_000)
            expect(kernel).not_to_have_text("No Kernel", timeout=90_000)
            status = page.locator("#jp-main-statusbar")
            expect(status).to_contain_text(re.compile(r"Python 3.*\| Idle"), timeout=90_000)
            page.evaluate("() => window.jupyterapp.commands.execute('runmenu:run-all')")

            keep = page.locator(".reviewlib-keep").first
            expect(keep).to_be_visible(timeout=180_000)
            expect(page.locator(".reviewlib-statement").first).to_contain_text("ACA-ATLANTIC-01")
            keep.click()
            expect(page.get_by_text("Saved ACA-ATLANTIC-01: keep")).to_be_visible(timeout=30_000)
            saved = _saved(lab["inputs"])
            assert saved.loc["ACA-ATLANTIC-01", ["decision", "reviewer"]].tolist() == [
                "keep",
                REVIEWER,
            ]

            page.locator(".reviewlib-pillar select").first.select_option(label="Prevention")
            expect(page.get_by_text("Saved ACA-ATLANTIC-01: keep").first).to_be_visible(
                timeout=30_000
            )
            deadline = time.monotonic() + 30
            while _saved(lab["inputs"]).at["ACA-ATLANTIC-01", "pillar"] != "prevention":
                assert time.monotonic() < deadline, "the pillar chosen in the page was not saved"
                time.sleep(0.2)
            page.screenshot(path=str(tmp_path / "jupyterlab-triage.png"), full_page=True)
        finally:
            browser.close()
    print(f"\nJupyterLab open → run all → two changes saved: {time.perf_counter() - started:.1f} s")
    assert not errors, errors  # no JavaScript exception in the page
    assert not paths.triage_file(paths.INPUTS).exists() or "lab-test" not in paths.triage_file(
        paths.INPUTS
    ).read_text(encoding="utf-8")
