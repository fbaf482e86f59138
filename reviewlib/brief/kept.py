"""Warm kernels kept for the next `reviewlib build` of the same outputs folder.

A build after one new contribution or triage decision rebuilds a few briefs, and used to spend
most of its time starting a kernel and importing pandas and matplotlib in it. As Quarto keeps a
kernel daemon between renders, a build leaves kernels running (two: `kernels_kept`), warm and
with the review read (and, when fresh, with a brief of each kind rehearsed:
`reviewlib.brief.rehearsal`), for KEEP_SECONDS (five minutes unless `--keep-kernel` or
REVIEWLIB_KEEP_KERNEL say otherwise; 0 keeps none, and stops those kept). The next build of
the same outputs folder takes them over. The record names the first and lists the others;
each of the points below holds for each kernel.

- The kept kernel runs apart from the build (its own session; its output in a log in its private
  folder), so it holds no terminal or pipe of the build's; it stops itself, and removes its
  folder, when no build has held it for that long or the build holding it has gone
  (`reviewlib.brief.lease`).
- One build at a time holds it: a lock beside its record. A build that finds the lock taken
  uses a kernel of its own and stops it at its end.
- Only a build of the same code, Python, libraries and REVIEWLIB_ settings takes it over (the
  record's stamp); a kernel kept by another is stopped, and a fresh one started.
- The record (pid, folder, connection info with its key, stamp) lives in the private folder of the disk cache
  (`reviewlib.gather.cache`), one per outputs folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import signal
import sys
from pathlib import Path

from reviewlib.brief.lease import running
from reviewlib.brief.rehearsal import WANTED

KEEP_SECONDS = 300.0
# Kernels kept: two on a machine of two cores or more. A decision on a proposal changes a few
# dozen briefs, which two warm kernels build in about half the time of one; each holds about
# 180 MB while it waits.
KERNELS_KEPT = 2
_HOLD = (
    "__import__('reviewlib.brief.lease', fromlist=['hold']).hold({pid}, {seconds!r}, {{folder!r}})"
)
_RELEASE = "__import__('reviewlib.brief.lease', fromlist=['release']).release()\n"


def keep_seconds(option: float | None = None) -> float:
    """How long a kernel is kept after a build: the option, else REVIEWLIB_KEEP_KERNEL, else
    KEEP_SECONDS (a setting that is not a number of seconds keeps none)."""
    if option is not None:
        return max(0.0, option)
    try:
        return max(0.0, float(os.environ.get("REVIEWLIB_KEEP_KERNEL", KEEP_SECONDS)))
    except ValueError:
        return 0.0


def stamp() -> str:
    """What a kept kernel must share with the build taking it over: the code, Python, the
    libraries and every REVIEWLIB_ setting."""
    from reviewlib.gather.cache import code_digest, versions

    text = f"{code_digest()}\0{versions()}\0{sys.executable}\0{settings()}"
    return hashlib.sha256(text.encode()).hexdigest()


def kernels_kept() -> int:
    """How many kernels a build keeps: `KERNELS_KEPT`, or one on a machine of one core."""
    return max(1, min(KERNELS_KEPT, os.cpu_count() or 1))


def kernels_in(info: dict | None) -> list[dict]:
    """The kernels a record names, the first first, each with the record's stamp."""
    if not isinstance(info, dict):
        return []
    others = info.get("others")
    others = [k for k in others if isinstance(k, dict)] if isinstance(others, list) else []
    return [info, *({**k, "stamp": info.get("stamp")} for k in others)]


def settings() -> list[tuple[str, str]]:
    """Every REVIEWLIB_ setting but how long things are kept."""
    return sorted(
        (k, v)
        for k, v in os.environ.items()
        if k.startswith("REVIEWLIB_") and k != "REVIEWLIB_KEEP_KERNEL"
    )


def _ours(pid: int, mark: str) -> bool:
    """Whether `pid` is still the process whose command line holds `mark` (a kept kernel: its
    private folder, where its connection file is), not another process given its number."""
    if not running(pid):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return mark.encode() in f.read()
    except OSError:
        return True  # no /proc: the pid is all there is to go by


def _stop_kernel(kernel: dict) -> None:
    """Stop a kept kernel (when its pid is still that kernel) and remove its folder."""
    with contextlib.suppress(KeyError, TypeError, ValueError, OSError):
        if _ours(int(kernel["pid"]), str(kernel["folder"]) + os.sep):
            os.killpg(int(kernel["pid"]), signal.SIGKILL)
        shutil.rmtree(str(kernel["folder"]), ignore_errors=True)


class Keeper:
    """Within a build: take over the kernels kept for `outputs`, and keep them at the end.

    `with Keeper(outputs, cwd, seconds, inputs) as keeper:` holds the lock (when no other build
    does); `keeper.take()` takes over the fit kept kernels; `keeper.launch()` starts the build's
    kernel able to be kept; on leaving without an error, the kernels (`kernels_kept()`: the
    build's, those it took over, fresh ones for the rest) are kept for the next build, readying
    `inputs`. With seconds 0, the kernels kept for `outputs` are stopped and none is kept.
    """

    def __init__(self, outputs: Path, cwd: Path | None, seconds: float, inputs: str = "") -> None:
        self.outputs = Path(outputs)
        self.cwd = cwd
        self.seconds = seconds
        self.inputs = inputs  # the review a kept kernel reads
        self.taken = False  # the kernel kept by an earlier build is this build's
        self.kept = False  # a kernel is kept for the next build
        self._lock = None

    @functools.cached_property
    def record(self) -> Path | None:
        """Where the kernel kept for these outputs is recorded (None: no private folder).
        Found only when asked: a build with nothing to do imports nothing for it."""
        from reviewlib.paths import private_folder

        folder = private_folder()
        where = hashlib.sha256(str(self.outputs.resolve()).encode()).hexdigest()[:16]
        return folder / f"kernel-{where}.json" if folder is not None else None

    # --- the lock and the record ---------------------------------------------------------------

    def __enter__(self) -> Keeper:
        from filelock import FileLock, Timeout

        if self.record is None or not (self.seconds or self.record.exists()):
            return self  # (nothing kept, none to keep)
        lock = FileLock(str(self.record) + ".lock", timeout=0, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            return self  # another build of this folder holds the kept kernel
        self._lock = lock
        if not self.seconds:
            self._discard(self._read())
        return self

    def _read(self) -> dict | None:
        try:
            return json.loads(self.record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _discard(self, info: dict | None) -> None:
        """Stop the kernels a record names (those still those kernels) and forget them."""
        for kernel in kernels_in(info):
            _stop_kernel(kernel)
        if self.record is not None:
            self.record.unlink(missing_ok=True)

    # --- the build's kernel --------------------------------------------------------------------

    @property
    def holding(self) -> bool:
        return self._lock is not None and self.seconds > 0

    def _hold(self) -> str:
        return _HOLD.format(pid=os.getpid(), seconds=self.seconds)

    def _fit(self, info: dict) -> bool:
        """Whether the kernel a record names is running and of the same code and settings."""
        try:
            connection = info["connection"]
            listening = (
                connection["transport"] != "ipc"
                or Path(f"{connection['ip']}-{connection['shell_port']}").exists()
            )  # its shell socket: it listens where the record says
            return (
                info.get("stamp") == stamp()
                and listening
                and _ours(int(info["pid"]), str(info["folder"]) + os.sep)
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return False

    def take(self) -> bool:
        """Take over the kernels kept for this folder that are fit; False when the first is not
        (none is then taken). (They read the review when the build has: `prepare`.)"""
        if not self.holding or not (kernels := kernels_in(info := self._read())):
            return False
        from reviewlib.brief.runner import ENGINES

        for kernel in kernels:  # one still rehearsing stops after the brief it is on
            with contextlib.suppress(OSError, KeyError, TypeError):
                (Path(kernel["folder"]) / WANTED).touch()
        for n, (engine, kernel) in enumerate(zip(ENGINES, kernels, strict=False)):
            if not self._attach(engine, kernel):
                if n == 0:  # (all of them are stopped and forgotten)
                    self._discard(info)
                    return False
                _stop_kernel(kernel)
        for kernel in kernels[len(ENGINES) :]:
            _stop_kernel(kernel)
        self.record.unlink(missing_ok=True)  # held now: kept again (or not) at the end
        self.taken = True
        return True

    def _attach(self, engine, kernel: dict) -> bool:
        """Have `engine` (one of `runner.ENGINES`) hold a kept kernel, if it is fit."""
        try:
            if not self._fit(kernel):
                raise RuntimeError("not fit")
            hold = self._hold().format(folder=str(kernel["folder"]))
            engine.attach(kernel["connection"], int(kernel["pid"]), self.cwd, hold)
        except (RuntimeError, OSError, KeyError, TypeError, ValueError):
            engine.stop()
            return False
        return True

    def launch(self) -> None:
        """Start the build's kernel: one that can be kept when this build holds the lock. It is
        started before this process imports papermill (`reviewlib.brief.kernel`), which it
        imports once the review is read and the child writing the tables is forked: the
        runner takes the kernel over when it is imported."""
        from reviewlib.brief.kernel import launch, set_aside

        # It waits for this kernel: charts' imports are left to the first chart drawn (if any)
        keep = {"hold": self._hold()} if self.holding else None
        set_aside(launch(self.cwd, keep, self.inputs))  # (it reads the review as it starts)

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if (started := sys.modules.get("reviewlib.brief.kernel")) and started.waiting():
                # started (`launch`) but the build ended before it imported the runner, which
                # takes it over: to be kept, or stopped now rather than when this process ends
                import reviewlib.brief.runner  # noqa: F401
            if kind is None and self.holding:
                self._keep()
            # (every kernel started or taken over is the runner's by now, if any is)
            if (runner := sys.modules.get("reviewlib.brief.runner")) is not None:
                for engine in runner.ENGINES:
                    engine.stop()  # the build's own: a kept one was left
        finally:
            if self._lock is not None:
                self._lock.release()

    def _keep(self) -> None:
        """Keep the build's kernels; when it used none here, those an earlier build kept; and
        fresh ones for the rest (they import after this build has ended)."""
        from reviewlib.brief.kernel import DRAWING, WARM_UP, ready_code
        from reviewlib.brief.rehearsal import rehearsal_code
        from reviewlib.brief.runner import ENGINES, WarmKernelEngine
        from reviewlib.files import atomic_write_bytes

        # (a kernel the build started without charts' imports has them once the build is over)
        codes = [_RELEASE, DRAWING] + ([ready_code(self.inputs)] if self.inputs else [])
        if not (WarmKernelEngine.kept and WarmKernelEngine.alive()):
            self.take()
        # A fresh one imports what briefs use, reads the review and rehearses its briefs once
        # started, after this build has ended (code sent now would be lost with this process's
        # channels).
        then = WARM_UP + DRAWING + (ready_code(self.inputs) if self.inputs else "")
        cwd, outputs = self.cwd, str(self.outputs)

        def code(folder: str) -> str:  # (a rehearsal needs the notebooks' folder)
            return then + (rehearsal_code(str(cwd), outputs, folder) if cwd else "")

        keep = {"hold": self._hold(), "then": code}
        kernels = []
        for engine in ENGINES[: kernels_kept()]:
            if not (engine.kept and engine.alive()):
                engine.launch(self.cwd, keep=keep, talk=False)
            if (left := engine.leave(*codes)) is not None:
                pid, connection = left
                folder = os.path.dirname(connection["ip"])
                kernels.append({"pid": pid, "folder": folder, "connection": connection})
        if kernels:
            record = {**kernels[0], "stamp": stamp(), "others": kernels[1:]}
            atomic_write_bytes(self.record, json.dumps(record).encode(), mode=0o600)
            self.kept = True

    def line(self) -> str:
        """What a build says about the kernel it kept ('' when it kept none)."""
        if not self.kept:
            return ""
        minutes = self.seconds / 60
        how_long = (
            f"{minutes:g} minute{'s' if minutes != 1 else ''}"
            if minutes >= 1
            else f"{self.seconds:g} seconds"
        )
        two = kernels_kept() > 1
        if self.taken:
            which = (
                "The kernels kept from the last build stay"
                if two
                else "The kernel kept from the last build stays"
            )
        else:
            which = "Two warm kernels stay" if two else "A warm kernel stays"
        return (
            f"{which} ready for the next build of these outputs for {how_long} "
            f"(--keep-kernel 0 stops {'them' if two else 'it'})."
        )
