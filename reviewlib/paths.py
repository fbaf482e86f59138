"""Where the workbook's folders and files are. The only module that knows the layout.

Imports nothing from reviewlib, so every other module may import it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INPUTS = PROJECT_ROOT / "inputs"
OUTPUTS = PROJECT_ROOT / "outputs"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
# The officers' working copies of the notebooks (git-ignored): what `make lab` opens.
WORKSPACE = PROJECT_ROOT / "workspace"
TEMPLATES = Path(__file__).resolve().parent / "brief" / "templates"


def review_file(inputs: Path = INPUTS) -> Path:
    """The review's own settings (title, dates, budget, what to build)."""
    return Path(inputs) / "review.yml"


def rubric_file(inputs: Path = INPUTS) -> Path:
    return Path(inputs) / "rubric.yml"


def reference_dir(inputs: Path = INPUTS) -> Path:
    return Path(inputs) / "reference"


def contributions_dir(inputs: Path = INPUTS) -> Path:
    return Path(inputs) / "contributions"


def decisions_dir(inputs: Path = INPUTS) -> Path:
    return Path(inputs) / "decisions"


def triage_file(inputs: Path = INPUTS) -> Path:
    return decisions_dir(inputs) / "triage.csv"


def translations_file(inputs: Path = INPUTS) -> Path:
    """English renderings of statements added or corrected by the secretariat."""
    return decisions_dir(inputs) / "translations.csv"


def idea_decisions_file(inputs: Path = INPUTS) -> Path:
    """The secretariat's curation of the pool of ideas: rename, move, split."""
    return decisions_dir(inputs) / "ideas.csv"


def indicators_file(inputs: Path = INPUTS) -> Path:
    return reference_dir(inputs) / "indicators.csv"


def glotip_coverage_file(inputs: Path = INPUTS) -> Path:
    """The Member States the last GLOTIP import was made for (see gather.glotip)."""
    return reference_dir(inputs) / "glotip_coverage.csv"


def ledger_file(outputs: Path = OUTPUTS) -> Path:
    return Path(outputs) / "ledger.csv"


def tables_dir(outputs: Path = OUTPUTS) -> Path:
    return Path(outputs) / "tables"


def briefs_dir(outputs: Path = OUTPUTS) -> Path:
    return Path(outputs) / "briefs"


def user_settings() -> Path:
    """The officer's own settings (the name their decisions are saved under), one file per user
    account and outside the project, so that no officer's name is ever in a notebook."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "reviewlib" / "settings.json"


def private_folder() -> Path | None:
    """This account's own folder in the temporary directory (mode 0700), or None when it cannot
    be made or is not this account's alone."""
    folder = Path(tempfile.gettempdir()) / f"reviewlib-cache-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # not ours alone: never trust it
    return folder
