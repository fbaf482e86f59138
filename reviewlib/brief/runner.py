"""Run brief notebooks with papermill's Python API in a kernel that stays warm between briefs.

Starting a kernel and importing pandas costs seconds a brief; a warm kernel costs nothing after
the first. Between briefs every name a notebook defined is deleted, figures are closed and
matplotlib's settings restored, so nothing one brief defines is visible to the next; the build's
tests prove it by building in different orders and worker counts and comparing bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.provisioning.provisioner_base import KernelProvisionerBase
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.log import logger

from reviewlib.brief.kernel import KERNEL, Launched, Started, claim, ready_code, start
from reviewlib.brief.rehearsal import RESET, WANTED, rehearsal_code

ENGINE = "reviewlib-warm"
# Seconds a cell's output may take to arrive once the kernel has answered that the cell ran
# (at most the cell's own timeout). nbclient's default, four seconds and then carry on without
# it, would publish a brief with a section missing; here the brief fails instead, and is built
# again by the next build.
OUTPUT_WAIT = 30.0


class WarmKernelEngine(Engine):
    """A papermill engine that executes every notebook in one kernel per process, reset between runs."""

    name = ENGINE
    km = None
    kc = None
    sockets: str | None = None
    kept = False  # launched or taken over to outlive this process (see `leave`)
    # the imports `launch` sent, until `join` has their reply ('' for a kernel that ran them as
    # it started, until `join` has heard it)
    warming: str | None = None
    cwd = str(Path.cwd())
    last_nb: nbformat.NotebookNode | None = None

    @classmethod
    def start(cls, cwd: Path | None = None, inputs: str = "", meanwhile=None) -> None:
        """Start the kernel and import what briefs use in it; `meanwhile()` runs while it imports."""
        cls.launch(cwd)
        cls.join(inputs, meanwhile)

    @classmethod
    def launch(cls, cwd: Path | None = None, keep: dict | None = None, talk: bool = True) -> None:
        """Start the kernel, send it the imports briefs use and return at once: it imports while
        this process goes on (reads the review, then has it readied with `prepare`); `join`
        waits for it. `keep` and `talk` as `reviewlib.brief.kernel.start` has them."""
        cls.adopt(start(cwd, keep, talk))

    @classmethod
    def adopt(cls, launched: Launched) -> None:
        """Take over a kernel `reviewlib.brief.kernel.start` started (this engine's one stopped)."""
        cls.stop()
        cls.cwd = launched.cwd
        cls.km, cls.kc, cls.sockets = launched.km, launched.kc, launched.sockets
        cls.kept, cls.warming = launched.kept, launched.warming

    @classmethod
    def take_started(cls, started: Started) -> None:
        """Connect to a kernel `reviewlib.brief.kernel.launch` started (this engine's one
        stopped): it is watched and stopped through its process, which is this process's
        child; its imports ran as it started, so `join` waits for its answer alone."""
        cls._connect(started.connection, started.process.pid, started.cwd, started.kept)
        cls.km.provisioner.process = started.process  # (killed and waited for by `stop`)
        cls.warming = ""  # (its imports ran as it started: `join` has only its answer to wait for)

    @classmethod
    def attach(cls, connection: dict, pid: int, cwd: Path | None, hold: str) -> None:
        """Take over a kernel another build kept (its process `pid`, its `connection` info) and
        hold it: returns once it answered, raises RuntimeError when it has stopped or does not
        answer."""
        cls._connect(connection, pid, str(cwd or Path.cwd()), kept=True)
        cls._wait(cls.kc.execute(hold, silent=True, store_history=False), timeout=30)

    @classmethod
    def _connect(cls, connection: dict, pid: int, cwd: str, kept: bool) -> None:
        """Be the engine of a running kernel (this engine's one stopped): a manager that watches
        it through its pid (`Running`), and a client whose channels open now."""
        from jupyter_client.manager import AsyncKernelManager

        cls.stop()
        cls.cwd, cls.kept = cwd, kept
        cls.km = AsyncKernelManager(kernel_name=KERNEL)
        cls.km.load_connection_info(connection)
        cls.km.provisioner = Running(
            kernel_id=cls.km.kernel_id or "", kernel_spec=None, parent=cls.km, pid=pid
        )
        cls.sockets = os.path.dirname(connection["ip"])
        cls.kc = cls.km.client()
        cls.kc.start_channels()

    @classmethod
    def leave(cls, *codes: str) -> tuple[int, dict] | None:
        """Send `codes` to a kernel launched or taken over to be kept, and leave it running:
        returns its pid and connection info (None when there is none)."""
        if not cls.kept or not cls.alive():
            return None
        if cls.kc is not None:
            for code in codes:
                cls.kc.execute(code, silent=True, store_history=False, stop_on_error=False)
            cls.kc.stop_channels()
        connection = cls.km.get_connection_info(session=False)
        connection["key"] = connection["key"].decode()
        kept = (cls.km.provisioner.pid, connection)
        # A manager removes the connection file it wrote when it is collected; a kernel just
        # launched may not have read it yet (it would then listen elsewhere): the file stays.
        cls.km._connection_file_written = False
        cls.km = cls.kc = cls.sockets = cls.warming = None
        cls.kept = False
        return kept

    @classmethod
    def join(cls, inputs: str = "", meanwhile=None) -> None:
        """Wait until the kernel `launch` started has imported what briefs use, and (with
        `inputs`) readied the review's shared results; `meanwhile()` runs here first."""
        sent = [cls.warming] if cls.warming else []
        if inputs:
            sent.append(cls.kc.execute(ready_code(inputs), silent=True, store_history=False))
        if meanwhile is not None:
            meanwhile()
        for msg_id in sent:
            cls._wait(msg_id)
        cls.warming = None
        cls._until_heard()

    @classmethod
    def reconnect(cls) -> None:
        """Open this process's channels to the kernel anew, to be used from this thread only.
        An asyncio client's sockets are watched by the event loop of each thread that waited
        on them: a thread whose loop still watches them while another uses them takes that
        one's messages, which then waits out nbclient's four seconds for a brief's output."""
        if cls.kc is not None:
            cls.kc.stop_channels()
        cls.kc = cls.km.client()
        cls.kc.start_channels()
        cls._until_heard()

    @classmethod
    def _until_heard(cls, timeout: float = 60) -> None:
        """Wait until the kernel answers this process and what it publishes reaches it (a
        brief's output would otherwise be lost): the reply to a kernel_info request, then the
        'idle' status the kernel publishes after it. Asked again when that status was published
        before this process's subscription reached the kernel. (jupyter_client's
        `wait_for_ready` waits besides for a fifth of a second in which nothing is published:
        a fifth of a second of every build that waits for its kernel.)"""
        end = time.monotonic() + timeout
        while True:
            asked = cls.kc.kernel_info()
            cls._wait(asked, timeout)
            heard = time.monotonic() + 1  # (published right after the reply)
            while (left := heard - time.monotonic()) > 0:
                try:
                    msg = run_sync(cls.kc.get_iopub_msg)(timeout=left)
                except queue.Empty:
                    break
                if (
                    msg["parent_header"].get("msg_id") == asked
                    and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"
                ):
                    return
            if time.monotonic() > end:
                raise RuntimeError(f"kernel warm-up failed: no output heard in {timeout:.0f} s")

    @classmethod
    def _wait(cls, msg_id: str, timeout: float = 300) -> None:
        """Wait for the kernel's reply to a request; a kernel that stops or fails is an error."""
        end = time.monotonic() + timeout
        while True:
            try:
                reply = run_sync(cls.kc.get_shell_msg)(timeout=1)
            except queue.Empty:
                if not cls.alive():
                    raise RuntimeError("kernel warm-up failed: the kernel stopped") from None
                if time.monotonic() > end:
                    raise RuntimeError(
                        f"kernel warm-up failed: no answer in {timeout:.0f} s"
                    ) from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel warm-up failed: {reply['content'].get('evalue')}")

    @classmethod
    def stop(cls) -> None:
        if cls.kc is not None:
            cls.kc.stop_channels()
        if cls.km is not None and cls.km.has_kernel:
            # A kernel this process started is killed and waited for here: jupyter_client would
            # look every tenth of a second whether it has gone, and find it has at the second look.
            if (process := getattr(cls.km.provisioner, "process", None)) is not None:
                _kill(process.pid)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
                if process.returncode is not None:  # gone: shutting down is cleaning up alone,
                    # not "interrupting" it first (for which jupyter_client would look up the
                    # kernel's spec, importing IPython in this process: 0.05 s at a build's end)
                    cls.km.provisioner.pid = None
            try:
                run_sync(cls.km.shutdown_kernel)(now=True)
            except RuntimeError:  # this thread's event loop was left mid-call by Ctrl-C: it
                # stops before any new call is done, so the kernel is stopped without it
                _kill(getattr(cls.km.provisioner, "pid", None))
        if cls.sockets:
            shutil.rmtree(cls.sockets, ignore_errors=True)
        cls.km = cls.kc = cls.sockets = cls.warming = None
        cls.kept = False

    @classmethod
    def alive(cls) -> bool:
        return cls.km is not None and bool(run_sync(cls.km.is_alive)())

    @classmethod
    def prepare(cls, inputs: str) -> None:
        """Have the warm kernel, if there is one, ready a review's shared results now, while
        this process plans; the next brief's code waits behind it in the kernel's queue, and
        an error in it stops nothing (each brief meets the same error and says so). A
        rehearsal the kernel is still on stops after its current brief (`rehearse`)."""
        if cls.sockets:
            with contextlib.suppress(OSError):
                (Path(cls.sockets) / WANTED).touch()
        if cls.kc is not None and cls.alive():
            cls.kc.execute(
                ready_code(inputs), silent=True, store_history=False, stop_on_error=False
            )

    @classmethod
    def rehearse(cls, outputs: str) -> None:
        """Have the warm kernel, if there is one, rehearse a brief of each kind the last build
        of `outputs` made (`reviewlib.brief.rehearsal`), now, while nothing is asked of it;
        whatever comes next waits behind it in the kernel's queue, and `prepare` has it stop
        after the brief it is on."""
        if cls.kc is not None and cls.alive():
            cls.kc.execute(
                rehearsal_code(cls.cwd, outputs, cls.sockets or ""),
                silent=True,
                store_history=False,
                stop_on_error=False,
            )

    @classmethod
    def _run(cls, code: str, timeout: float = 60) -> None:
        reply = run_sync(cls.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
        )
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content'].get('evalue')}")

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs):
        if not cls.alive():
            cls.start(Path(cls.cwd))
        cls._run(RESET.format(cwd=cls.cwd))
        cls.last_nb = nb_man.nb
        client = PapermillNotebookClient(
            nb_man,
            km=cls.km,
            timeout=execution_timeout,
            kernel_name=kernel_name,
            log=logger,
            startup_timeout=60,
            **_output_wait(execution_timeout),
        )
        client.kc = cls.kc
        return client.execute()


def _kill(pid: int | None) -> None:
    """Stop a kernel process and those it started (its process group, when it leads one)."""
    if not pid:
        return
    with contextlib.suppress(OSError):  # (gone already)
        if hasattr(os, "killpg") and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)


class SecondKernel(WarmKernelEngine):
    """A second warm kernel of the same process, kept beside the first (`reviewlib.brief.kept`):
    a build that takes both over runs its briefs in the two at once, one per core (a decision
    on a proposal changes a few dozen briefs). Its state is its own, not the first's."""

    name = f"{ENGINE}-2"
    km = None
    kc = None
    sockets = None
    kept = False
    warming = None
    last_nb = None


ENGINES = (WarmKernelEngine, SecondKernel)
for _engine in ENGINES:
    papermill_engines.register(_engine.name, _engine)


class Running(KernelProvisionerBase):
    """A kernel process that is already running, not this process's child (a kept kernel):
    the kernel manager watches, interrupts and stops it through its pid. The kernel leads its
    own process group, so signals reach what it started too."""

    def __init__(self, pid: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pid: int | None = pid

    @property
    def has_process(self) -> bool:
        return self.pid is not None

    async def poll(self) -> int | None:
        from reviewlib.brief.lease import running

        return None if self.pid is not None and running(self.pid) else 0

    async def wait(self) -> int | None:
        while await self.poll() is None:
            await asyncio.sleep(0.05)
        self.pid = None
        return 0

    async def send_signal(self, signum: int) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signum)

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def launch_kernel(self, cmd: list[str], **kwargs):
        raise RuntimeError("a running kernel is taken over, never launched")

    async def cleanup(self, restart: bool = False) -> None:
        pass


@dataclass
class RunResult:
    """What running one notebook gave: the executed notebook, or where and why it failed."""

    notebook: nbformat.NotebookNode | None
    seconds: float
    error: str = ""
    cell: int | None = None
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error


def run_notebook(
    path: Path,
    parameters: dict,
    timeout: float = 300,
    warm: bool = True,
    kernel: type[WarmKernelEngine] = WarmKernelEngine,
) -> RunResult:
    """Execute one notebook with papermill (in `kernel`, one of `ENGINES`, when `warm`);
    failures come back as a RunResult, never raised."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    engine = kernel.name if warm else None
    try:
        nb = papermill.execute_notebook(
            str(path),
            None,
            parameters=parameters,
            engine_name=engine,
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            **_output_wait(timeout),
        )
        return RunResult(nb, time.perf_counter() - start)
    except PapermillExecutionError as exc:
        message = f"{exc.ename}: {exc.evalue}"
        return RunResult(kernel.last_nb, time.perf_counter() - start, message, exc.cell_index)
    except (CellTimeoutError, DeadKernelError, RuntimeError, OSError) as exc:
        kernel.stop()  # a stuck or dead kernel is replaced before the next brief
        seconds = time.perf_counter() - start
        if isinstance(exc, CellTimeoutError) and _OUTPUT_LOST in str(exc):
            wait = _output_wait(timeout)["iopub_timeout"]
            return RunResult(
                kernel.last_nb,
                seconds,
                f"the output of this cell had not reached the build {wait:g} s after the kernel "
                "ran it (the kernel or this machine was overloaded, or the kernel lost it): the "
                "brief was not published without it; build again",
                _running_cell(kernel.last_nb) if warm else None,
            )
        kind = "timeout" if isinstance(exc, CellTimeoutError) else type(exc).__name__
        return RunResult(kernel.last_nb, seconds, f"{kind}: {exc}".strip())


_OUTPUT_LOST = "Timeout waiting for IOPub output"  # nbclient's words


def _output_wait(timeout: float | None) -> dict:
    """What nbclient is told about a cell's output that is late: wait `OUTPUT_WAIT` seconds
    (no more than the cell's timeout), then fail."""
    wait = OUTPUT_WAIT if timeout is None else min(OUTPUT_WAIT, timeout)
    return {"iopub_timeout": max(1, round(wait)), "raise_on_iopub_timeout": True}


def _running_cell(nb: nbformat.NotebookNode | None) -> int | None:
    """The index of the cell papermill started last: the one running when the notebook stopped."""
    started = [
        index
        for index, cell in enumerate(nb.cells if nb is not None else ())
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return started[-1] if started else None


# The kernel a build started before it imported this module (`reviewlib.brief.kept`) is the
# first engine's.
if (_started := claim()) is not None:
    WarmKernelEngine.take_started(_started)
