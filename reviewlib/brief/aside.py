"""Run one function in a child process forked from this one, and wait for what it returns.

The child starts with everything this process has loaded (the review, its pool of ideas), so
nothing is read or pickled again on the way in, and it runs on its own interpreter: work done
there (writing the tables and workbooks) does not take turns with this process's threads (the
one that talks to a kernel and turns its notebooks into pages) for Python's global lock.

Only the return value travels back (pickled), and the function's error, if it raises one, is
raised here again. Where a process cannot be forked safely (anything but Linux) the function
simply runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from typing import TypeVar

from reviewlib.errors import ReviewlibError

__all__ = ["can_fork", "in_child"]

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def in_child(function: Callable[..., T], *args, **kwargs) -> T:
    """`function(*args, **kwargs)` in a forked child; its value, or its error raised here."""
    if not can_fork():
        return function(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(writer, function, args, kwargs), daemon=True)
    child.start()
    writer.close()
    try:
        ok, value = reader.recv()
    except EOFError:  # it died before answering (killed, or out of memory)
        child.join()
        raise ReviewlibError(
            f"{_name(function)} stopped in its own process (exit status {child.exitcode}) "
            "before it finished; run the command again"
        ) from None
    finally:
        reader.close()
    child.join()
    if ok:
        return value
    raise value


def _name(function) -> str:
    return getattr(function, "__qualname__", repr(function))


def _child(writer, function, args, kwargs) -> None:
    try:
        outcome = (True, function(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - every error goes back to the parent
        outcome = (False, exc)
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an error that cannot travel goes as its sentence
            outcome = (False, ReviewlibError(f"{type(exc).__name__}: {exc}"))
    try:
        try:
            writer.send(outcome)  # pickled whole before a byte is sent
        except Exception as exc:  # noqa: BLE001 - a value that cannot travel
            writer.send(
                (False, ReviewlibError(f"{_name(function)} gave what cannot travel: {exc}"))
            )
    finally:
        writer.close()
        # No clean-up of what the parent owns (its kernel's sockets, its temporary files):
        # leave at once, as a forked child should.
        os._exit(0)
