"""Remember a loaded review by the exact content of its inputs folder: in memory and on disk.

Reading and validating every contribution takes about a second on the demo; every brief, the
command line and the widgets need the same result. The key is a hash of every input file's bytes
and of reviewlib's own code, so any change to either means a fresh read. The disk copy lives in a
private folder of the user's temporary directory (mode 0700); set REVIEWLIB_NO_CACHE=1 to turn
it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from reviewlib import __version__
from reviewlib.files import atomic_write_bytes

_SKIP_SUFFIXES = (".lock", ".tmp")


def fingerprint(inputs: Path) -> str:
    """A hash of every input file's path and bytes (hidden, temporary and lock files passed over)."""
    h = hashlib.sha256()
    for path in sorted(inputs.rglob("*")):
        if path.name.startswith((".", "~$")) or path.suffix in _SKIP_SUFFIXES:
            continue
        try:
            data = path.read_bytes() if path.is_file() else None
        except (FileNotFoundError, IsADirectoryError):
            continue  # a file renamed away by another officer's save while we looked
        if data is not None:
            h.update(str(path.relative_to(inputs)).encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _folder() -> Path | None:
    if os.environ.get("REVIEWLIB_NO_CACHE"):
        return None
    folder = Path(tempfile.gettempdir()) / f"reviewlib-cache-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # not ours alone: never trust it
    return folder


def _name(inputs: Path, key: str) -> tuple[str, str]:
    place = hashlib.sha256(str(inputs.resolve()).encode()).hexdigest()[:16]
    return place, f"{place}-{key[:32]}.pickle"


def load(inputs: Path, key: str) -> Any | None:
    folder = _folder()
    if folder is None:
        return None
    path = folder / _name(inputs, key)[1]
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def save(inputs: Path, key: str, value: Any) -> None:
    folder = _folder()
    if folder is None:
        return
    place, name = _name(inputs, key)
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(folder / name, data, mode=0o600)
    except OSError:
        return
    for old in folder.glob(f"{place}-*.pickle"):
        if old.name != name:
            old.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The version of reviewlib and every file of the package (code and templates, in every
    folder), so that a change of code means a fresh read and rebuilt briefs."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent.parent
    for file in sorted(root.rglob("*")):
        if file.is_file() and (file.suffix == ".py" or "templates" in file.relative_to(root).parts):
            h.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return h.hexdigest()
