"""`reviewlib build`: plan the briefs, run the ones whose digest changed, write the manifest.

Briefs run with papermill's Python API in worker processes, each with one warm kernel (see
`reviewlib.brief.runner` and `reviewlib.brief.workers`: a worker that dies costs only its brief). Every file is written atomically, the manifest after each brief,
so a build that is killed leaves no partial page and the next build carries on where it stopped.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from threadpoolctl import threadpool_limits

from reviewlib import paths
from reviewlib.brief.aside import alongside, at_work
from reviewlib.brief.digests import build_digest, input_digest
from reviewlib.brief.manifest import BriefJob, read_manifest, record, write_manifest
from reviewlib.brief.slices import PARAMETER, check_parameter
from reviewlib.brief.workers import init_worker, run_in_workers, run_job
from reviewlib.errors import InputError, UsageError
from reviewlib.files import atomic_write_text
from reviewlib.gather.review import Review
from reviewlib.terms import BRIEF_KINDS, PILLARS, REGIONAL_GROUPS

__all__ = ["NOTEBOOK", "BuildResult", "matching", "plan", "run_batch", "run_job", "read_manifest"]

DEFAULT_KINDS = BRIEF_KINDS
NOTEBOOK = {kind: f"brief_{kind}.ipynb" for kind in DEFAULT_KINDS}
BRIEFS_PER_WORKER = 8
# A kernel already warm in this process (taken over from the last build, or started while it
# read the review) runs a brief in about 0.1-0.2 s; two workers of their own cost about 3 s
# to start (a process each, a kernel each, the review readied in each) before their first
# brief. On two cores they catch up with the warm kernel at about 50 briefs: fewer stay in it.
BRIEFS_IN_A_WARM_KERNEL = 48
_LOOK = 0.05  # seconds between looks at whether the second kernel's core is free


def _countries(review: Review) -> list[str]:
    s = review.statements
    found = set(s["country"]) | set(s["scope_iso3"])
    if not review.reference.indicators.empty:  # a State with a published total figure
        ind = review.reference.indicators
        total = ind[["dimension", "sex", "age"]].eq("Total").all(axis=1)
        found |= set(ind.loc[total & ind["member_state"].astype(bool), "iso3"])
    return sorted(iso for iso in found if iso in review.reference.group_of)


def plan(
    review: Review,
    outputs: Path = paths.OUTPUTS,
    notebooks: Path = paths.NOTEBOOKS,
    only: str | None = None,
) -> list[BriefJob]:
    """Every brief review.yml asks for, with its parameters, output file and digest."""
    settings = review.config.raw.get("briefs", {}) or {}
    kinds = settings.get("kinds", DEFAULT_KINDS)
    if not Path(notebooks).is_dir():
        raise InputError(
            f"{notebooks} is missing: the briefs are built from the notebooks in it (give the "
            "project's notebooks folder with --notebooks)"
        )
    for kind in kinds:
        if not (Path(notebooks) / NOTEBOOK[kind]).is_file():
            raise InputError(
                f"{Path(notebooks) / NOTEBOOK[kind]} is missing: the {kind} briefs are built from it"
            )
    values = {
        "panel": [p.name for p in review.config.panels],
        "pillar": list(settings.get("pillars") or PILLARS),
        "theme": list(settings.get("themes") or review.reference.themes["theme"]),
        "region": list(settings.get("regional_groups") or REGIONAL_GROUPS),
        "country": _countries(review)
        if settings.get("countries", "auto") == "auto"
        else list(settings["countries"]),
    }
    folders = {  # (resolved once: 190 country briefs would each look up every folder above)
        "inputs_dir": str(Path(review.inputs_dir).resolve()),
        "outputs_dir": str(Path(outputs).resolve()),
    }
    briefs = Path(outputs) / "briefs"
    jobs = []
    for kind in kinds:
        notebook = Path(notebooks) / NOTEBOOK[kind]
        source = notebook.read_bytes()  # (read once for every brief of its kind)
        for value in values.get(kind, [""]):
            part = check_parameter(kind, value, review.inputs_dir)
            params = dict(folders)
            if kind in PARAMETER:
                params[PARAMETER[kind]] = part.value
            if review.milestone is not None:  # built as of a milestone: every page says so
                params["milestone"] = review.milestone.name or review.milestone.date.isoformat()
            if only and not any(fnmatch.fnmatch(part.brief_id, p.strip()) for p in only.split(",")):
                continue
            digest = build_digest(input_digest(review, part), source, params)
            output = str(briefs / f"{part.brief_id}.html")
            jobs.append(
                BriefJob(part.brief_id, kind, part.value, str(notebook), params, output, digest)
            )
    return jobs


def matching(
    review: Review, outputs: Path, notebooks: Path, only: str | None = None
) -> list[BriefJob]:
    """The planned briefs `only` asks for (all without it); a UsageError when it matches none."""
    jobs = plan(review, outputs, notebooks, only)
    if only and not jobs:
        raise UsageError(
            f"--only {only!r} matches none of the briefs review.yml asks for, so nothing was "
            "built; brief ids are like 'overview', 'pillar-protection', 'country-blr' (patterns "
            "may use * and ?, several separated by commas)"
        )
    return jobs


# Main side ---------------------------------------------------------------------------------


@dataclass
class BuildResult:
    built: int
    skipped: int
    failed: int
    records: dict[str, dict]
    seconds: float

    @property
    def ok(self) -> bool:
        return self.failed == 0


def _up_to_date(job: BriefJob, old: dict | None) -> bool:
    return bool(
        old
        and old.get("digest") == job.digest
        and old.get("status") in ("built", "skipped")
        and Path(job.output).exists()
    )


def _sort_out(
    jobs: list[BriefJob], previous: dict[str, dict], records: dict[str, dict], force: bool
) -> list[BriefJob]:
    """The jobs to run; the others are recorded as skipped (their page is up to date)."""
    todo = []
    for job in jobs:
        old = previous.get(job.brief_id)
        if not force and _up_to_date(job, old):
            records[job.brief_id] = {**old, "status": "skipped", "seconds": 0.0}
        else:
            todo.append(job)
    return todo


class _Recorder:
    """Writes each finished brief's page (or failed notebook) and its manifest line at once."""

    def __init__(self, outputs: Path, records: dict[str, dict], skipped: int, bar) -> None:
        self.outputs, self.records, self.bar = outputs, records, bar
        self.built = self.failed = 0
        self.skipped = skipped
        self._lock = threading.Lock()  # (two kernels of this process may finish at once)

    def __call__(self, job: BriefJob, out: dict) -> None:
        with self._lock:
            self._record(job, out)

    def _record(self, job: BriefJob, out: dict) -> None:
        failed_copy = self.outputs / "failed" / f"{job.brief_id}.ipynb"
        if out.get("error"):
            self.failed += 1
            if "notebook" in out:
                atomic_write_text(failed_copy, out["notebook"])
            self.records[job.brief_id] = record(
                job, "failed", seconds=out["seconds"], error=out["error"], cell=out.get("cell")
            )
        else:
            self.built += 1
            atomic_write_text(Path(job.output), out["html"])
            failed_copy.unlink(missing_ok=True)
            self.records[job.brief_id] = record(
                job, "built", **{k: v for k, v in out.items() if k != "html"}
            )
        write_manifest(self.outputs, self.records)
        self.bar.update(1)
        self.bar.set_postfix(done=self.built, skipped=self.skipped, failed=self.failed)


def _kernels_here() -> int:
    """How many kernels this process has for its briefs already: taken over from the last
    build, or started (and maybe still importing) while the review was read."""
    runner = sys.modules.get("reviewlib.brief.runner")
    return 0 if runner is None else sum(engine.km is not None for engine in runner.ENGINES)


def _second_kernel(todo: list[BriefJob]):
    """This process's second kernel (taken over from the last build, or `reviewlib watch`'s),
    when it is ready and there are briefs for two (None otherwise)."""
    from reviewlib.brief.runner import SecondKernel

    ready = SecondKernel.warming is None and SecondKernel.alive()  # (alive: it has one)
    return SecondKernel if ready and len(todo) > 1 else None


def _run_in_two(todo: list[BriefJob], finish: _Recorder, timeout: float, second) -> None:
    """Run `todo` in this process's two warm kernels: each takes the next brief when it is done
    with one (this thread drives the first, another the second). The second starts once the
    child writing the tables and workbooks (`aside`) is done: both cores are then free for the
    kernels, and a few briefs are done by the first alone as soon."""
    waiting = deque(todo)

    def drive(kernel=None) -> None:
        if kernel is not None:  # its channels this thread's own (`WarmKernelEngine.reconnect`)
            kernel.reconnect()
            while waiting and at_work():
                time.sleep(_LOOK)
        while True:
            try:
                job = waiting.popleft()
            except IndexError:
                return
            finish(job, run_job(job, timeout, kernel=kernel))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-kernel") as other:
        helper = other.submit(drive, second)
        drive()
        helper.result()


def _run_here(
    todo: list[BriefJob],
    finish: _Recorder,
    cwd: str,
    inputs: str,
    timeout: float,
    meanwhile,
    keep_warm: bool = False,
) -> None:
    """One worker: this process, with one warm kernel (kept for the next build with `keep_warm`)."""
    from reviewlib.brief.runner import WarmKernelEngine

    side = None
    if (
        (keep_warm or WarmKernelEngine.kept)
        and WarmKernelEngine.warming is None
        and WarmKernelEngine.alive()
    ):
        if meanwhile is not None:  # done beside the kernel's work, as while a kernel starts
            side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meanwhile")
            pending = side.submit(meanwhile)
    else:
        init_worker(cwd, inputs, meanwhile)
    try:
        if (second := _second_kernel(todo)) is not None:
            _run_in_two(todo, finish, timeout, second)
        else:
            for job in todo:
                finish(job, run_job(job, timeout))
    finally:
        if side is not None:
            side.shutdown(wait=True)
        if not keep_warm and not WarmKernelEngine.kept:  # a kept kernel is its build's to keep
            WarmKernelEngine.stop()
    if side is not None:
        pending.result()  # its error, if any, is the build's


@threadpool_limits.wrap(limits=1)  # beside the kernels, one thread (see kernel.ONE_THREAD)
def run_batch(
    review: Review,
    outputs: Path = paths.OUTPUTS,
    *,
    workers: int | None = None,
    only: str | None = None,
    force: bool = False,
    timeout: float = 300,
    notebooks: Path = paths.NOTEBOOKS,
    progress: bool = True,
    order: list[str] | None = None,
    meanwhile: Callable[[], object] | None = None,
    keep_warm: bool = False,
) -> BuildResult:
    """Build the briefs that are out of date; every other brief keeps its page and manifest line.

    `meanwhile` is called once the workers have their briefs (the tables are written while the
    kernels start), or at once when there is nothing to build. With `keep_warm` the briefs run
    here, in one kernel kept running for the next call (what `reviewlib watch` does).
    """
    from tqdm import tqdm

    start = time.perf_counter()
    outputs = Path(outputs)
    (outputs / "briefs").mkdir(parents=True, exist_ok=True)
    for leftover in (outputs / "briefs").glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    jobs = matching(review, outputs, notebooks, only)
    if order:
        rank = {b: i for i, b in enumerate(order)}
        jobs.sort(key=lambda j: rank.get(j.brief_id, len(rank)))
    previous = read_manifest(outputs)
    records = dict(previous)
    if only is None:  # briefs no longer planned leave the manifest
        records = {k: v for k, v in records.items() if k in {j.brief_id for j in jobs}}
    todo = _sort_out(jobs, previous, records, force)
    skipped = len(jobs) - len(todo)
    # Starting a worker and its kernel costs a few seconds: a second one only pays off with
    # enough briefs to share (BRIEFS_PER_WORKER each).
    workers = max(1, min(workers or os.cpu_count() or 1, -(-len(todo) // BRIEFS_PER_WORKER)))
    here = _kernels_here()
    if keep_warm or here > 1 or (here and len(todo) <= BRIEFS_IN_A_WARM_KERNEL):
        workers = 1  # (two warm kernels here are never caught up with by two started now)
    bar = tqdm(total=len(jobs), initial=skipped, disable=not progress, unit="brief", desc="briefs")
    finish = _Recorder(outputs, records, skipped, bar)
    cwd = str(Path(notebooks).resolve() if Path(notebooks).exists() else Path.cwd())
    inputs = str(review.inputs_dir)
    if not todo:
        if meanwhile is not None:
            meanwhile()
    elif workers == 1:
        _run_here(todo, finish, cwd, inputs, timeout, meanwhile, keep_warm)
    else:
        alongside()  # a child that gave way to a kernel here runs beside the workers again
        if "reviewlib.brief.runner" in sys.modules:  # a kernel started early here is not used
            for engine in sys.modules["reviewlib.brief.runner"].ENGINES:
                if not engine.kept:  # (one to be kept for the next build waits)
                    engine.stop()
        run_in_workers(todo, finish, workers, cwd, inputs, timeout, meanwhile)
    bar.close()
    write_manifest(outputs, records)
    return BuildResult(finish.built, skipped, finish.failed, records, time.perf_counter() - start)
