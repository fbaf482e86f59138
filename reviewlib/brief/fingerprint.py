"""The build's fingerprint: what a build read and wrote, told by file sizes and modification
times, so that `reviewlib build` with nothing changed stops before it reads a contribution.

The stamp (`outputs/.build-stamp.json`) holds the fingerprint taken when the build started — the
size and modification time (ns) of every file under the inputs folder, of the brief notebooks
and of reviewlib's own code and templates, the Python version, the installed packages' folders
and the build's options — and, taken when it ended, the same of every file under outputs/. The
next build compares both with what is on disk: equal means nothing any brief, table or page
depends on has changed, and it repeats the last build's report without loading the review. Any
difference (a file touched, added, removed; a page deleted from outputs/) means a real build,
which itself decides by content digests what to redo. Inputs are fingerprinted before the build
reads them, so a file saved while a build runs is seen by the next one.

Only the standard library is imported here: the check must cost about as much as starting Python.
"""

from __future__ import annotations

import json
import os
import site
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "STAMP",
    "LastBuild",
    "few_changes",
    "fingerprint",
    "unchanged",
    "write_stamp",
    "drop_stamp",
    "file_stats",
]

STAMP = ".build-stamp.json"
_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent


def file_stats(folder: Path, keep=lambda rel: True) -> list[list]:
    """[relative path, size, mtime in ns] of every file under `folder` that `keep` accepts."""
    folder = Path(folder)
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if not keep(rel):
                continue
            try:
                st = os.stat(path)
            except OSError:  # removed while we looked: the next look sees it gone
                continue
            found.append([rel.replace(os.sep, "/"), st.st_size, st.st_mtime_ns])
    return sorted(found)


def _code(rel: str) -> bool:
    return rel.endswith(".py") or rel.split("/")[0] == "templates" or "/templates/" in rel


def _packages() -> list[list]:
    """The installed packages' folders: installing or removing one changes their time."""
    out = []
    for folder in sorted(set(site.getsitepackages())):
        try:
            out.append([folder, os.stat(folder).st_mtime_ns])
        except OSError:
            continue
    return out


def fingerprint(inputs: Path, notebooks: Path, options: dict) -> dict:
    """The fingerprint of a build of `inputs` with `notebooks` and `options` (JSON values);
    equal fingerprints mean the same build."""
    return {
        "format": _FORMAT,
        "options": options,
        **setup(),
        "notebooks": file_stats(notebooks, lambda rel: rel.endswith(".ipynb")),
        "inputs": file_stats(inputs),
    }


def setup() -> dict:
    """What any build runs with: Python, the installed packages, and reviewlib's files (each
    by its size and time: a change of code is seen without reading the code)."""
    return {"python": sys.version, "packages": _packages(), "code": file_stats(_PACKAGE, _code)}


def _outputs(outputs: Path) -> list[list]:
    return file_stats(outputs, lambda rel: rel != STAMP)


def _read(outputs: Path) -> dict | None:
    try:
        return json.loads((Path(outputs) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class LastBuild:
    """What the last build printed and its exit status, repeated by a build with nothing to do."""

    report: list[str]
    status: int


def unchanged(outputs: Path, now: dict) -> LastBuild | None:
    """The last build, when its stamp matches `now` and outputs/ is as it left it; else None."""
    stamp = _read(outputs)
    if not stamp or stamp.get("fingerprint") != json.loads(json.dumps(now)):
        return None
    if stamp.get("outputs") != _outputs(outputs):
        return None
    return LastBuild(list(stamp.get("report", [])), int(stamp.get("status", 0)))


def few_changes(outputs: Path, now: dict) -> bool:
    """Whether the last build's stamp differs from `now` only in contributions and decisions
    (files added, removed or saved under inputs/contributions/ and inputs/decisions/): then a
    few briefs are likely to be rebuilt, not all of them."""
    stamp = _read(outputs)
    if not stamp or not isinstance(stamp.get("fingerprint"), dict):
        return False
    last, now = stamp["fingerprint"], json.loads(json.dumps(now))
    if any(last.get(key) != value for key, value in now.items() if key != "inputs"):
        return False
    if stamp.get("outputs") != _outputs(outputs):
        return False
    before = {tuple(entry) for entry in last.get("inputs", [])}
    changed = {entry[0] for entry in before.symmetric_difference(map(tuple, now["inputs"]))}
    return bool(changed) and all(
        rel.split("/")[0] in ("contributions", "decisions") for rel in changed
    )


def write_stamp(outputs: Path, started: dict, report: list[str], status: int) -> None:
    """Stamp a finished build: the fingerprint taken when it started, outputs/ as it is now."""
    from reviewlib.files import atomic_write_text

    body = {
        "fingerprint": started,
        "report": report,
        "status": status,
        "outputs": _outputs(outputs),
    }
    # The stamp is written last and is not in its own list, so writing it changes nothing it lists.
    atomic_write_text(Path(outputs) / STAMP, json.dumps(body, ensure_ascii=False) + "\n")


def drop_stamp(outputs: Path) -> None:
    """Forget the last build (one that failed must be tried again)."""
    (Path(outputs) / STAMP).unlink(missing_ok=True)
