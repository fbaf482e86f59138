"""Python's cyclic garbage collector in the workbook's own processes: collecting rarely.

A build, and the kernel and processes it starts, make a great many objects that live as long as
they do: the modules they import (pandas, nbconvert, jupyter_client, IPython: hundreds of
thousands of objects) and the review with its tables. With Python's default thresholds (700,
10, 10) the collector looks at young objects every 700 allocations and, each time the objects
that survived grow by a quarter, walks all of them again: in a build after one new contribution
about 0.22 s of the build's process and 0.14 s of its kernel, spent finding almost nothing
(reference counting frees nearly every object the moment it is no longer used; the collector
is only for reference cycles). With `THRESHOLDS`, 0.10 and 0.08 s.

`THRESHOLDS` has the youngest generation looked at every 100,000 allocations: an object freed
before then is never looked at, and the full walks a build made no longer happen before it
ends. Reference cycles are still collected, later; a long-lived process (`reviewlib watch`, the
process kept ready, a kept kernel) still walks everything from time to time, as often relative
to the young collections as before.

A process of the workbook's that has done its work and has nothing left to clean up leaves at
once (`leave`), without freeing its objects one by one first: Python's own exit does, which
took 0.3-0.6 s of CPU in a worker or the process kept ready, beside the build waiting for it.

Only the workbook's own processes are set so (`reviewlib` on the command line, the process kept
ready, the workers and the briefs' kernels); importing reviewlib elsewhere (a notebook, the
tests) changes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

THRESHOLDS = (100_000, 10, 10)

# The same, as the first line a briefs' kernel runs (`reviewlib.brief.kernel`).
KERNEL_CODE = f"import gc; gc.set_threshold{THRESHOLDS!r}\n"


def collect_rarely() -> None:
    """Set this process's collector to `THRESHOLDS`."""
    gc.set_threshold(*THRESHOLDS)


def leave(status: int = 0) -> None:
    """End this process now with `status`, once what it printed is out; its objects are left
    to the system (no exit handler runs: the caller has cleaned up what it had to)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)
