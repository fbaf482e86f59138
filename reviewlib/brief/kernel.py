"""Start the Jupyter kernels briefs run in, before papermill is imported.

`start` starts one through jupyter_client (workers, watch, kernels kept for the next build).
A build with no kernel kept for it (the first of the day, or `--keep-kernel 0`) waits for the
one it starts: about a second while it starts IPython and imports pandas and the briefs' code.
So that kernel is started first, by `launch`, which imports nothing but the standard library
(jupyter_client alone takes a tenth of a second to import, papermill and nbformat a fifth). The
kernel is set aside (`set_aside`) while this process reads the review and forks the child that
writes the tables; `reviewlib.brief.runner`, once imported, takes it over
(`WarmKernelEngine.take_started`). Both start ipykernel without its debugger (`LAUNCHER`).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reviewlib.collector import KERNEL_CODE

__all__ = [
    "DRAWING",
    "KERNEL",
    "KERNEL_ARGUMENTS",
    "LAUNCHER",
    "ONE_THREAD",
    "WARM_UP",
    "Launched",
    "Started",
    "claim",
    "launch",
    "ready_code",
    "set_aside",
    "start",
    "waiting",
    "without_debugger",
]

# A kernel per core: the numerical libraries in it use one thread each. With their default of a
# thread per core, two kernels (or a kernel and the build) computing at once on two cores slow
# each other down twofold and more.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
KERNEL = "python3"
# A brief's cells are not the user's input: IPython would write each one to the user's history
# database (an SQLite write per cell, and the user's own history filled with briefs' code).
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)
# How the briefs' kernels start: as `python -m ipykernel_launcher` does, but without the debugger
# ipykernel offers a front end: it imports debugpy to find out whether it can (a seventh of the
# kernel's start, 0.09 s), and no one debugs a brief. Marked absent, debugpy is passed over.
LAUNCHER = (
    "import runpy, sys; sys.modules.setdefault('debugpy', None); "
    "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)"
)
# What briefs import, imported once per kernel while it starts, after the collector is set as
# in the build's own process (`reviewlib.collector`).
WARM_UP = (
    KERNEL_CODE + "import pandas, reviewlib, reviewlib.brief.sections, reviewlib.brief.content\n"
)
# What a brief that draws a chart imports besides (a fifth of a second): a kernel with time to
# spare before its first brief (a kept one, or watch's) imports it while it starts, so that brief
# does not pay it. A build waiting for the kernel it has just started does not: its charts are
# mostly read back from the disk cache (`reviewlib.brief.charts`), and a chart drawn imports it.
DRAWING = (
    "import matplotlib\nmatplotlib.use('Agg')\n"
    "import matplotlib.pyplot, matplotlib.backends.backend_svg\n"
)


def ready_code(inputs: str, ideas: bool = True) -> str:
    """What a kernel runs to have a review's shared results ready for its briefs
    (`reviewlib.brief.sections.ready`; with `ideas` False, all but the pool of ideas): the
    inputs folder named as the briefs' parameters name it (resolved here, not in the kernel's
    folder)."""
    inputs = str(Path(inputs).resolve()) if inputs else inputs
    module = "__import__('reviewlib.brief.sections', fromlist=['ready'])"  # defines no name
    return f"{module}.ready({inputs!r}{'' if ideas else ', ideas=False'})\n"


def reading(inputs: str) -> str:
    """What a kernel `launch` starts runs once it has imported what briefs use: it reads the
    review `inputs` names and readies what its briefs share but the ideas, on the core the
    build leaves idle while it reads the review itself, rather than once the build has read it
    and forked the child writing the tables (then three processes share two cores). The ideas
    the build pools are read later, from the disk cache (`WarmKernelEngine.prepare`); an error
    is met again, and told, by the briefs."""
    return f"try:\n    {ready_code(inputs, ideas=False)}except Exception:\n    pass\n"


@dataclass
class Launched:
    """A kernel just started: its manager, client (None when no channel was opened), private
    folder of sockets, whether it may outlive this process, and the id of the warm-up request
    sent to it (None without a client)."""

    km: object
    kc: object | None
    sockets: str
    kept: bool
    warming: str | None
    cwd: str


def start(
    cwd: Path | str | None = None,
    keep: dict | None = None,
    talk: bool = True,
) -> Launched:
    """Start a kernel and, with `talk`, send it the imports briefs use and those of charts
    (`DRAWING`); returns at once: it imports while this process goes on. With
    `keep` (see `reviewlib.brief.kept`) the kernel can outlive this process: it runs apart
    from it, its output goes to a log, and it stops itself when no build holds it;
    `keep["then"]`, given the kernel's private folder, gives code it runs once it has started,
    before any other. With `talk` False, this process connects no channel to it (it is left
    at once)."""
    from jupyter_core.utils import run_sync

    cwd = str(cwd or Path.cwd())
    # Local sockets and the connection file in a private folder: no other account can reach
    # the kernel, and the kernel has no reason to warn of plain TCP on every start.
    sockets = tempfile.mkdtemp(prefix="reviewlib-kernel-")
    km = _manager()(
        kernel_name=KERNEL,
        transport="ipc",
        ip=os.path.join(sockets, "kernel"),
        connection_file=os.path.join(sockets, "connection.json"),
    )
    env = {**os.environ, **ONE_THREAD}
    options: dict = {"extra_arguments": list(KERNEL_ARGUMENTS)}
    if keep is not None:
        env.pop("JPY_PARENT_PID", None)  # no parent to follow: the lease decides
        log = open(os.path.join(sockets, "kernel.log"), "ab")  # noqa: SIM115
        then = keep["then"](sockets) if "then" in keep else ""
        hold = keep["hold"].format(folder=sockets) + "\n" + then
        options = {
            "independent": True,
            "stdin": subprocess.DEVNULL,
            "stdout": log,
            "stderr": log,
            "extra_arguments": [*KERNEL_ARGUMENTS, f"--IPKernelApp.exec_lines={hold}"],
        }
    try:
        run_sync(km.start_kernel)(cwd=cwd, env=env, **options)
    finally:
        if keep is not None:
            log.close()
    launched = Launched(km, None, sockets, keep is not None, None, cwd)
    if talk:
        launched.kc = km.client()
        launched.kc.start_channels()
        # Sent before the kernel is up: it waits in the channel and runs first.
        warm_up = WARM_UP + DRAWING
        launched.warming = launched.kc.execute(warm_up, silent=True, store_history=False)
    return launched


def without_debugger(command: list[str]) -> list[str]:
    """A kernel's command with ipykernel's launcher (`-m ipykernel_launcher`) run as `LAUNCHER`
    runs it; any other command as it is."""
    for i in range(len(command) - 1):
        if command[i : i + 2] == ["-m", "ipykernel_launcher"]:
            return [*command[:i], "-c", LAUNCHER, *command[i + 2 :]]
    return list(command)


@lru_cache(maxsize=1)
def _manager() -> type:
    """jupyter_client's kernel manager, starting the kernel spec's command `without_debugger`."""
    from jupyter_client.manager import AsyncKernelManager

    class BriefKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return without_debugger(super().format_kernel_cmd(extra_arguments))

    return BriefKernelManager


@dataclass
class Started:
    """A kernel `launch` started: its process, connection info, private folder, whether it may
    outlive this process, and its working folder."""

    process: subprocess.Popen
    connection: dict
    sockets: str
    kept: bool
    cwd: str


def launch(cwd: Path | str | None = None, keep: dict | None = None, inputs: str = "") -> Started:
    """Start a kernel for the briefs as jupyter_client starts this Python's `python3` kernel
    (ipykernel's launcher, but without its debugger: `LAUNCHER`; its own session; it follows
    this process, or with `keep` its lease, and writes to a log),
    but without importing jupyter_client first (a tenth of a second before a build that waits
    for its kernel can read the review): the connection file is written here, and the imports
    briefs use (`WARM_UP`; not `DRAWING`: a build waiting for this kernel reads most charts
    back; with `inputs`, then `reading` them) run as the kernel starts (IPython's exec_lines),
    so no channel is needed yet.
    `reviewlib.brief.runner` connects to it later (`WarmKernelEngine.take_started`)."""
    import json
    import sys
    import uuid

    cwd = str(cwd or Path.cwd())
    sockets = tempfile.mkdtemp(prefix="reviewlib-kernel-")  # (mode 0700: this account's)
    ports = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
    connection = {
        **{port: number for number, port in enumerate(ports, 1)},  # ipc: <ip>-<number>
        "ip": os.path.join(sockets, "kernel"),
        "key": str(uuid.uuid4()),
        "transport": "ipc",
        "signature_scheme": "hmac-sha256",
        "kernel_name": KERNEL,
    }
    file = os.path.join(sockets, "connection.json")
    with open(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        json.dump(connection, out)
    env = {**os.environ, **ONE_THREAD}
    code = WARM_UP + (reading(inputs) if inputs else "")
    output = None
    if keep is not None:
        env.pop("JPY_PARENT_PID", None)  # no parent to follow: the lease decides
        code = keep["hold"].format(folder=sockets) + "\n" + code
        output = open(os.path.join(sockets, "kernel.log"), "ab")  # noqa: SIM115
    else:
        env["JPY_PARENT_PID"] = str(os.getpid())  # it stops when this process has gone
    command = without_debugger(
        [sys.executable, "-m", "ipykernel_launcher", "-f", file, *KERNEL_ARGUMENTS]
    )
    try:
        process = subprocess.Popen(
            [*command, f"--IPKernelApp.exec_lines={code}"],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,  # as jupyter_client: interrupted and stopped as a group
        )
    finally:
        if output is not None:
            output.close()
    return Started(process, connection, sockets, keep is not None, cwd)


# A kernel started before `reviewlib.brief.runner` is imported, which takes it over on import.
_SET_ASIDE: list[Started] = []


def set_aside(started: Started) -> None:
    """Leave a kernel `launch` started for `reviewlib.brief.runner` to take over once imported
    (at once, if it is already)."""
    import sys

    if (runner := sys.modules.get("reviewlib.brief.runner")) is not None:
        runner.WarmKernelEngine.take_started(started)
    else:
        _SET_ASIDE.append(started)


def claim() -> Started | None:
    """The kernel set aside for the runner, if any (it is then the caller's)."""
    return _SET_ASIDE.pop() if _SET_ASIDE else None


def waiting() -> bool:
    """Whether a kernel is set aside, not yet taken over."""
    return bool(_SET_ASIDE)
