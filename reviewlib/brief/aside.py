"""Run one function in a child process forked from this one, and have what it returns later.

The child starts with everything this process has loaded (the review, its pool of ideas), so
nothing is read or pickled again on the way in, and it runs on its own interpreter: work done
there (writing the tables and workbooks) takes no turns with this process (planning the briefs,
talking to a kernel, turning its notebooks into pages) for Python's global lock, and shares
nothing it could change under this process's feet.

Only the return value travels back (pickled), and the function's error, if it raises one, is
raised here again. Where a process cannot be forked safely (anything but Linux) the function
simply runs here, at once.

A child can give way (`Aside.give_way`) to the processes it shares the cores with: the few
briefs a build runs in a kernel of its own, whose turns it would otherwise share while that
kernel readies the review and this process plans them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import sys
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from reviewlib.errors import ReviewlibError

__all__ = ["GIVING_WAY", "Aside", "alongside", "at_work", "can_fork", "in_child"]

T = TypeVar("T")
_started: weakref.WeakSet = weakref.WeakSet()  # every Aside whose child was started
# How far a child that gives way steps back (its nice value above this process's): it then runs
# on the time the processes beside it leave, and on a tenth of a core or so when they leave none.
GIVING_WAY = 10


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class Aside(Generic[T]):
    """`function(*args, **kwargs)` started in a forked child; `result()` waits for its value
    (or raises its error). Fork it from the thread that does the rest of the work: a child
    forked while another thread of this process is in the middle of something could inherit
    a lock that thread holds."""

    def __init__(self, function: Callable[..., T], *args, **kwargs) -> None:
        self.function = function
        self.child = self.reader = None
        self.done: tuple[bool, object] | None = None
        if not can_fork():
            try:
                self.done = (True, function(*args, **kwargs))
            except Exception as exc:  # noqa: BLE001 - raised by result(), as from a child
                self.done = (False, exc)
            return
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.child = context.Process(
            target=_child, args=(writer, function, args, kwargs), daemon=True
        )
        self.child.start()
        writer.close()
        _started.add(self)

    def give_way(self, way: bool = True) -> None:
        """Have the child run behind (`way`) or again beside this process and those at its
        priority. Put back only where the system lets a process raise a priority it lowered
        (a privileged account's); elsewhere it stays behind, and still ends."""
        if self.child is None or self.done is not None:
            return
        own = os.getpriority(os.PRIO_PROCESS, 0)
        with contextlib.suppress(OSError):  # (not allowed back, or already gone)
            os.setpriority(
                os.PRIO_PROCESS, self.child.pid, min(19, own + (GIVING_WAY if way else 0))
            )

    def finished(self) -> bool:
        """Whether the child has answered (or ended) and so no longer uses a core."""
        try:
            return self.done is not None or self.reader.poll()
        except (OSError, ValueError):  # closed by `result` meanwhile: it has answered
            return True

    def result(self) -> T:
        if self.done is None:
            try:
                self.done = self.reader.recv()
            except EOFError:  # it died before answering (killed, or out of memory)
                self.child.join()
                self.done = (
                    False,
                    ReviewlibError(
                        f"{_name(self.function)} stopped in its own process (exit status "
                        f"{self.child.exitcode}) before it finished; run the command again"
                    ),
                )
            finally:
                self.reader.close()
            self.child.join()
        ok, value = self.done
        if ok:
            return value
        raise value


def at_work() -> bool:
    """Whether a child started here is still at work (it takes a core until it is done)."""
    return any(not aside.finished() for aside in list(_started))


def alongside() -> None:
    """Every child started here and still at work runs beside this process again
    (`Aside.give_way`)."""
    for aside in list(_started):
        aside.give_way(False)


def in_child(function: Callable[..., T], *args, **kwargs) -> T:
    """`function(*args, **kwargs)` in a forked child; its value, or its error raised here."""
    return Aside(function, *args, **kwargs).result()


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
