"""`reviewlib build`: plan the briefs, run the ones whose digest changed, write the manifest.

Briefs run with papermill's Python API in a pool of worker processes, each with one warm kernel
(see `reviewlib.brief.runner`). Every file is written atomically, the manifest after each brief,
so a build that is killed leaves no partial page and the next build carries on where it stopped.
"""

from __future__ import annotations

import concurrent.futures as cf
import fnmatch
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewlib import paths
from reviewlib.brief.digests import build_digest, input_digest
from reviewlib.brief.manifest import BriefJob, read_manifest, record, write_manifest
from reviewlib.brief.slices import PARAMETER, check_parameter
from reviewlib.errors import InputError
from reviewlib.files import atomic_write_text
from reviewlib.gather.review import Review
from reviewlib.terms import BRIEF_KINDS, PILLARS, REGIONAL_GROUPS

__all__ = ["NOTEBOOK", "BuildResult", "plan", "run_batch", "run_job", "read_manifest"]

DEFAULT_KINDS = BRIEF_KINDS
NOTEBOOK = {kind: f"brief_{kind}.ipynb" for kind in DEFAULT_KINDS}
BRIEFS_PER_WORKER = 8


def _countries(review: Review) -> list[str]:
    s = review.statements
    found = set(s["country"]) | set(s["scope_iso3"])
    if not review.reference.indicators.empty:
        ind = review.reference.indicators
        found |= set(ind.loc[ind["member_state"].astype(str).str.lower().eq("true"), "iso3"])
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
        "pillar": list(settings.get("pillars") or PILLARS),
        "theme": list(settings.get("themes") or review.reference.themes["theme"]),
        "region": list(settings.get("regional_groups") or REGIONAL_GROUPS),
        "country": _countries(review)
        if settings.get("countries", "auto") == "auto"
        else list(settings["countries"]),
    }
    jobs = []
    for kind in kinds:
        for value in values.get(kind, [""]):
            part = check_parameter(kind, value, review.inputs_dir)
            notebook = Path(notebooks) / NOTEBOOK[kind]
            params = {
                "inputs_dir": str(Path(review.inputs_dir).resolve()),
                "outputs_dir": str(Path(outputs).resolve()),
            }
            if kind in PARAMETER:
                params[PARAMETER[kind]] = part.value
            if only and not any(fnmatch.fnmatch(part.brief_id, p.strip()) for p in only.split(",")):
                continue
            digest = build_digest(input_digest(review, part), notebook, params)
            output = str(Path(outputs) / "briefs" / f"{part.brief_id}.html")
            jobs.append(
                BriefJob(part.brief_id, kind, part.value, str(notebook), params, output, digest)
            )
    return jobs


# Worker side -------------------------------------------------------------------------------


def _init_worker(cwd: str, inputs: str = "", meanwhile: Callable[[], object] | None = None) -> None:
    """Start this worker's kernel; while it imports, import papermill, prime the HTML exporter
    and do `meanwhile` here."""
    from reviewlib.brief.runner import WarmKernelEngine

    def prime() -> None:
        import papermill  # noqa: F401

        from reviewlib.brief.export import _exporter

        _exporter()
        if meanwhile is not None:
            meanwhile()

    WarmKernelEngine.start(Path(cwd), inputs=inputs, meanwhile=prime)


def run_job(job: BriefJob, timeout: float, warm: bool = True) -> dict:
    """Run and export one brief; returns the HTML or the failure, never raises."""
    from reviewlib.brief.export import export
    from reviewlib.brief.runner import run_notebook

    start = time.perf_counter()
    result = run_notebook(Path(job.notebook), job.parameters, timeout=timeout, warm=warm)
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

    def __call__(self, job: BriefJob, out: dict) -> None:
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


def _run_here(
    todo: list[BriefJob], finish: _Recorder, cwd: str, inputs: str, timeout: float, meanwhile
) -> None:
    """One worker: this process, with one warm kernel."""
    from reviewlib.brief.runner import WarmKernelEngine

    _init_worker(cwd, inputs, meanwhile)
    try:
        for job in todo:
            finish(job, run_job(job, timeout))
    finally:
        WarmKernelEngine.stop()


def _run_pool(
    todo: list[BriefJob],
    finish: _Recorder,
    workers: int,
    cwd: str,
    inputs: str,
    timeout: float,
    meanwhile,
) -> None:
    """Several worker processes, each with its warm kernel; a worker that dies fails its brief only."""
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(cwd, inputs)
    ) as pool:
        futures = {pool.submit(run_job, job, timeout): job for job in todo}
        if meanwhile is not None:
            meanwhile()
        for future in cf.as_completed(futures):
            job = futures[future]
            try:
                out = future.result()
            except Exception as exc:  # a worker that died takes only its brief with it
                out = {"error": f"worker failed: {type(exc).__name__}: {exc}", "seconds": 0.0}
            finish(job, out)


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
) -> BuildResult:
    """Build the briefs that are out of date; every other brief keeps its page and manifest line.

    `meanwhile` is called once the workers have their briefs (the tables are written while the
    kernels start), or at once when there is nothing to build.
    """
    from tqdm import tqdm

    start = time.perf_counter()
    outputs = Path(outputs)
    (outputs / "briefs").mkdir(parents=True, exist_ok=True)
    for leftover in (outputs / "briefs").glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    jobs = plan(review, outputs, notebooks, only)
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
    bar = tqdm(total=len(jobs), initial=skipped, disable=not progress, unit="brief", desc="briefs")
    finish = _Recorder(outputs, records, skipped, bar)
    cwd = str(Path(notebooks).resolve() if Path(notebooks).exists() else Path.cwd())
    inputs = str(review.inputs_dir)
    if not todo:
        if meanwhile is not None:
            meanwhile()
    elif workers == 1:
        _run_here(todo, finish, cwd, inputs, timeout, meanwhile)
    else:
        _run_pool(todo, finish, workers, cwd, inputs, timeout, meanwhile)
    bar.close()
    write_manifest(outputs, records)
    return BuildResult(finish.built, skipped, finish.failed, records, time.perf_counter() - start)
