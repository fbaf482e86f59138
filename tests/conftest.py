"""Shared fixtures: a fresh inputs folder with the real reference data and chosen contributions."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from reviewlib import paths

DATA = Path(__file__).resolve().parent / "data"
# Debian's Chromium (`make browser`), started off the network as TOOLING.md describes.
CHROMIUM = next(
    (p for p in (Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium")) if p.exists()), None
)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHARED = paths.PROJECT_ROOT.parent / "shared"
# The tests run without the review cache in the system's temporary folder (tests/test_cache.py
# turns it on in a folder of its own), so that they leave nothing behind and test the real read.
os.environ["REVIEWLIB_NO_CACHE"] = "1"
# Nor does a build keep its kernel for the next one (tests/test_rebuild.py turns it on where it
# tests it): a kernel per test's outputs folder would be left running for minutes.
os.environ["REVIEWLIB_KEEP_KERNEL"] = "0"


def shared_file(relative: str) -> Path:
    """A file of ../shared/data; skip when absent on a user's clone, fail when absent under CI."""
    path = SHARED / "data" / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing under CI")
        pytest.skip(
            f"{path} is not here (../shared/data sits beside the project on the team's machines)"
        )
    return path


@pytest.fixture(autouse=True)
def _own_user_settings(tmp_path_factory, monkeypatch):
    """Each test has its own user settings (the officer's remembered name), never the tester's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def make_inputs(tmp_path: Path) -> Callable[..., Path]:
    """make_inputs(files) → an inputs folder with the project's review.yml and reference data."""

    def make(files: Iterable[Path] = (), review_yml: str | None = None) -> Path:
        root = tmp_path / "inputs"
        if not root.exists():
            shutil.copytree(
                paths.reference_dir(),
                root / "reference",
                ignore=shutil.ignore_patterns("indicators.csv"),
            )
            (root / "contributions").mkdir()
            (root / "decisions").mkdir()
        text = (
            review_yml
            if review_yml is not None
            else paths.review_file().read_text(encoding="utf-8")
        )
        (root / "review.yml").write_text(text, encoding="utf-8")
        for file in files:
            shutil.copy(file, root / "contributions" / Path(file).name)
        return root

    return make
