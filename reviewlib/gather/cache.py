"""Remember a loaded review by the exact content of its inputs folder: in memory and on disk.

Reading and validating every contribution takes about a second on the demo; every brief, the
command line and the widgets need the same result. The key is a hash of every input file's bytes,
of reviewlib's own code and of the versions the saved copy depends on (reviewlib, Python,
pandas, numpy), so any change to one means a fresh read. The disk copy lives in a private folder
of the user's temporary directory (mode 0700), holds at most REVIEWLIB_CACHE_MB megabytes (200 by
default; the least recently used go first) and forgets what was not used for two weeks; set
REVIEWLIB_NO_CACHE=1 to turn it off (the tests do).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from reviewlib import __version__
from reviewlib.files import atomic_write_bytes
from reviewlib.paths import private_folder

_SKIP_SUFFIXES = (".lock", ".tmp")
DEFAULT_CAP_MB = 200
MAX_AGE_DAYS = 14


def fingerprint(inputs: Path) -> str:
    """A hash of every input file's path and bytes; of hidden, temporary and lock files, only
    the names of those in contributions/ (the ledger has a line for each)."""
    h = hashlib.sha256()
    for path in sorted(inputs.rglob("*")):
        if path.name.startswith((".", "~$")) or path.suffix in _SKIP_SUFFIXES:
            if path.parent.name == "contributions":
                h.update(b"passed over\0" + str(path.relative_to(inputs)).encode() + b"\0")
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
    return private_folder()


def side_folder(name: str) -> Path | None:
    """A folder of the disk cache for a library's own cache files (Jinja's compiled templates),
    made if need be; None when the cache is off or the folder cannot be made."""
    folder = _folder()
    if folder is None:
        return None
    side = folder / name
    try:
        side.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return side


def versions() -> str:
    """What a saved Review depends on besides the inputs and the code: reviewlib's version and
    those of Python and of the libraries whose objects it holds."""
    import numpy
    import pandas

    return f"reviewlib {__version__}; python {platform.python_version()}; pandas {pandas.__version__}; numpy {numpy.__version__}"


def key(inputs: Path) -> str:
    """The key of a Review: the folder as given and as resolved (a Review remembers the path it
    was asked for), every input file's bytes, reviewlib's code and the versions."""
    where = f"{inputs}\0{inputs.resolve()}\0"
    text = where + fingerprint(inputs) + code_digest() + versions()
    return hashlib.sha256(text.encode()).hexdigest()


def _name(inputs: Path, key: str, slot: str = "") -> tuple[str, str]:
    place = hashlib.sha256(f"{inputs.resolve()}\0{slot}".encode()).hexdigest()[:16]
    return place, f"{place}-{key[:32]}.pickle"


def load(inputs: Path, key: str, slot: str = "") -> Any | None:
    """What was saved for this inputs folder (and `slot`: one value per folder and slot is kept)
    under `key`, or None."""
    folder = _folder()
    if folder is None:
        return None
    path = folder / _name(inputs, key, slot)[1]
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
        os.utime(path)  # recently used: evicted last
        return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def save(inputs: Path, key: str, value: Any, slot: str = "") -> None:
    folder = _folder()
    if folder is None:
        return
    place, name = _name(inputs, key, slot)
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(folder / name, data, mode=0o600)
    except OSError:
        return
    for old in folder.glob(f"{place}-*.pickle"):
        if old.name != name:
            old.unlink(missing_ok=True)
    evict(folder)


def _cap_bytes() -> float:
    try:
        return float(os.environ.get("REVIEWLIB_CACHE_MB", DEFAULT_CAP_MB)) * 1e6
    except ValueError:
        return DEFAULT_CAP_MB * 1e6


def evict(folder: Path) -> list[Path]:
    """Forget entries unused for MAX_AGE_DAYS, then the least recently used until the folder
    holds at most the cap (the newest entry is always kept); returns what was removed."""
    entries = []
    for path in folder.glob("*.pickle"):
        try:
            info = path.stat()
        except FileNotFoundError:
            continue
        entries.append((info.st_mtime, info.st_size, path))
    entries.sort(reverse=True)  # newest first
    removed, total, cap = [], 0.0, _cap_bytes()
    oldest = time.time() - MAX_AGE_DAYS * 86400
    for i, (used, size, path) in enumerate(entries):
        total += size
        if i and (used < oldest or total > cap):
            path.unlink(missing_ok=True)
            removed.append(path)
            total -= size
    return removed


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
