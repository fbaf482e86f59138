"""Worker processes for the build, each with one warm kernel, where a worker that dies costs only
the brief it was building; and what a worker does with one brief (run it, export it).

The pool hands each worker one brief at a time, so it always knows which brief a worker holds:
when a worker is killed (by the out-of-memory killer, a crash, an officer's `kill`), that brief
is recorded as failed, a fresh worker takes the briefs still queued, and the build goes on.
(concurrent.futures fails every queued brief of a pool whose worker died.)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from reviewlib import collector
from reviewlib.brief.manifest import BriefJob

__all__ = ["init_worker", "run_job", "run_in_workers"]

_POLL = 0.5  # seconds between looks at the workers while no result comes


def init_worker(cwd: str, inputs: str = "", meanwhile: Callable[[], object] | None = None) -> None:
    """Start this worker's kernel; while it imports, import papermill, prime the HTML exporter
    and do `meanwhile` here."""
    from reviewlib.brief.runner import WarmKernelEngine

    def prime() -> None:
        import papermill  # noqa: F401

        from reviewlib.brief.export import prime

        prime()
        if meanwhile is not None:
            meanwhile()

    if WarmKernelEngine.warming is not None:
        # launched early, while the review was read, and readied by whoever launched it once
        # the review was read (`WarmKernelEngine.prepare`): only its warm-up is waited for
        WarmKernelEngine.join(meanwhile=prime)
    else:
        WarmKernelEngine.start(Path(cwd), inputs=inputs, meanwhile=prime)


def run_job(job: BriefJob, timeout: float, warm: bool = True, kernel=None) -> dict:
    """Run and export one brief (in `kernel`, one of `runner.ENGINES`; the first without it);
    returns the HTML or the failure, never raises."""
    from reviewlib.brief.export import export
    from reviewlib.brief.runner import WarmKernelEngine, run_notebook

    start = time.perf_counter()
    result = run_notebook(
        Path(job.notebook), job.parameters, timeout, warm, kernel or WarmKernelEngine
    )
    out: dict = {"brief_id": job.brief_id, "error": result.error, "cell": result.cell}
    if result.ok:
        try:
            exported = export(result.notebook)
        except Exception as exc:  # a brief that cannot be exported fails alone
            out["error"] = f"export failed: {type(exc).__name__}: {exc}"
        else:
            out.update(
                html=exported.html,
                title=exported.title,
                words=exported.words,
                word_budget=exported.word_budget,
                over_budget=exported.over_budget,
                key_message=str(exported.summary.get("key_message", "")),
            )
    if out["error"] and result.notebook is not None:
        import nbformat

        out["notebook"] = nbformat.writes(result.notebook)
    out["seconds"] = round(time.perf_counter() - start, 3)
    return out


def _worker_main(cwd: str, inputs: str, jobs, results, timeout: float) -> None:
    """One worker: start its kernel, then build the briefs it is handed until it is told to stop."""
    from reviewlib.brief.runner import WarmKernelEngine

    collector.collect_rarely()
    init_worker(cwd, inputs)
    kernel = getattr(getattr(WarmKernelEngine.km, "provisioner", None), "pid", None)
    results.put((os.getpid(), "kernel", kernel))
    try:
        while (job := jobs.get()) is not None:
            results.put((os.getpid(), job.brief_id, run_job(job, timeout)))
    finally:
        WarmKernelEngine.stop()
    leave(results)


def leave(results) -> None:
    """End a worker told to stop, once every result it sent has gone out, at once
    (`collector.leave`): Python's own exit freed its objects one by one first (the review,
    pandas, nbconvert), 0.3-0.4 s at the end of every build in workers, which waits for them."""
    results.close()
    results.join_thread()
    collector.leave()


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


class _Worker:
    def __init__(self, context, cwd: str, inputs: str, results, timeout: float) -> None:
        self.jobs = context.Queue()
        self.process = context.Process(
            target=_worker_main, args=(cwd, inputs, self.jobs, results, timeout), daemon=True
        )
        self.process.start()
        self.job = None
        self.kernel: int | None = None

    def give(self, job) -> None:
        self.job = job
        self.jobs.put(job)

    def bury(self) -> None:
        """After the worker died: stop the kernel it leaves behind."""
        if self.kernel:
            with contextlib.suppress(OSError):
                os.kill(self.kernel, signal.SIGKILL)


def run_in_workers(
    todo: list,
    finish: Callable[[object, dict], None],
    workers: int,
    cwd: str,
    inputs: str,
    timeout: float,
    meanwhile: Callable[[], object] | None = None,
) -> None:
    """Build `todo` in `workers` processes; `finish(job, out)` records each brief as it ends."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    waiting = deque(todo)

    def start() -> _Worker:
        worker = _Worker(context, cwd, inputs, results, timeout)
        if waiting:
            worker.give(waiting.popleft())
        return worker

    pool = [start() for _ in range(workers)]
    if meanwhile is not None:
        meanwhile()
    try:
        while any(w.job is not None for w in pool):
            with contextlib.suppress(queue.Empty):
                pid, what, out = results.get(timeout=_POLL)
                worker = next((w for w in pool if w.process.pid == pid), None)
                if worker is not None and what == "kernel":
                    worker.kernel = out
                elif worker is not None and worker.job is not None:
                    job, worker.job = worker.job, None
                    finish(job, out)
                    if waiting:
                        worker.give(waiting.popleft())
            for i, worker in enumerate(pool):
                if worker.job is not None and not worker.process.is_alive():
                    worker.bury()
                    finish(
                        worker.job,
                        {
                            "error": f"the worker building this brief stopped "
                            f"({_how(worker.process.exitcode)}); the other briefs went on — "
                            "build again to retry it",
                            "seconds": 0.0,
                        },
                    )
                    worker.job = None
                    pool[i] = start() if waiting else worker
    finally:
        for worker in pool:
            if worker.process.is_alive():
                worker.jobs.put(None)
        for worker in pool:
            worker.process.join(timeout=60)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=10)
            worker.jobs.close()
        results.close()
