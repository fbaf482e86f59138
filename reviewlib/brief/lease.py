"""Inside a kernel kept for the next build: how long it lives when no build holds it.

A build holds the kernel while it uses it (`hold`). When the build lets it go (`release`), or its
process is gone (ended, killed, crashed), the kernel waits `seconds` for the next build to hold
it; if none does, it removes its own folder (connection file, sockets, log) and exits. A thread
looks once a second. Nothing here imports more than the standard library: it runs when the
kernel starts, before anything else.
"""

from __future__ import annotations

import os
import shutil
import threading
import time

TICK = 1.0  # seconds between the thread's looks

_lock = threading.Lock()
_state: dict = {"holder": None, "idle_since": None, "seconds": 300.0, "folder": None}
_thread: threading.Thread | None = None


def running(pid: int) -> bool:
    """Whether process `pid` exists and has not ended (a finished child not yet reaped has)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, under another account
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc here: it exists


def hold(pid: int, seconds: float, folder: str) -> None:
    """Process `pid` (a build) uses this kernel; after it, the kernel waits `seconds`."""
    with _lock:
        _state.update(holder=pid, idle_since=None, seconds=float(seconds), folder=folder)
    _start()


def release() -> None:
    """The build holding the kernel is done with it: the wait for the next one starts now."""
    with _lock:
        _state.update(holder=None, idle_since=time.monotonic())
    _start()


def _start() -> None:
    global _thread
    if _thread is None or not _thread.is_alive():
        _thread = threading.Thread(target=_watch, name="reviewlib-lease", daemon=True)
        _thread.start()


def _expired() -> bool:
    """Whether no build has held the kernel for `seconds` (called with the lock held)."""
    holder = _state["holder"]
    if holder is not None and not running(holder):
        _state.update(holder=None, idle_since=time.monotonic())
    idle = _state["idle_since"]
    return idle is not None and time.monotonic() - idle >= _state["seconds"]


def _watch() -> None:
    while True:
        time.sleep(TICK)
        with _lock:  # a build asking to hold the kernel now waits, then finds it gone
            if _expired():
                if _state["folder"]:
                    shutil.rmtree(_state["folder"], ignore_errors=True)
                os._exit(0)
