"""`reviewlib build`: plan the briefs, run the ones whose digest changed, write manifest and index.

Briefs run with papermill's Python API in a pool of worker processes, each with one warm kernel
(see `reviewlib.runner`). Every file is written atomically, the manifest after each brief, so a
build that is killed leaves no partial page and the next build carries on where it stopped.
"""

from __future__ import annotations

import concurrent.futures as cf
import fnmatch
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from reviewlib import paths
from reviewlib.inputs import Review
from reviewlib.reference import PILLARS, REGIONAL_GROUPS
from reviewlib.slices import PARAMETER, build_digest, check_parameter, input_digest
from reviewlib.tables import atomic_write_text

NOTEBOOK = {
    kind: f"brief_{kind}.ipynb"
    for kind in ("overview", "ideas", "pillar", "theme", "region", "country")
}
BRIEFS_PER_WORKER = 8
DEFAULT_KINDS = ("overview", "ideas", "pillar", "theme", "region", "country")


@dataclass(frozen=True)
class BriefJob:
    brief_id: str
    kind: str
    value: str
    notebook: str
    parameters: dict
    output: str
    digest: str


@dataclass
class BriefRecord:
    """One brief's line in the manifest."""

    brief_id: str
    kind: str
    parameters: dict
    notebook: str
    output: str
    digest: str
    status: str  # built | skipped | failed
    seconds: float = 0.0
    error: str = ""
    cell: int | None = None
    title: str = ""
    key_message: str = ""
    words: int = 0
    word_budget: int | None = None
    over_budget: bool = False


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


def _manifest_path(outputs: Path) -> Path:
    return Path(outputs) / "manifest.json"


def read_manifest(outputs: Path) -> dict[str, dict]:
    path = _manifest_path(outputs)
    if not path.exists():
        return {}
    try:
        return {b["brief_id"]: b for b in json.loads(path.read_text(encoding="utf-8"))["briefs"]}
    except (json.JSONDecodeError, KeyError, TypeError):
        return {}


def write_manifest(outputs: Path, records: dict[str, dict]) -> None:
    body = {"briefs": [records[k] for k in sorted(records)]}
    atomic_write_text(
        _manifest_path(outputs),
        json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    )


# Worker side -------------------------------------------------------------------------------


def _init_worker(cwd: str, inputs: str = "", meanwhile: Callable[[], object] | None = None) -> None:
    """Start this worker's kernel; while it imports, import papermill, prime the HTML exporter
    and do `meanwhile` here."""
    from reviewlib.runner import WarmKernelEngine

    def prime() -> None:
        import papermill  # noqa: F401

        from reviewlib.export import _exporter

        _exporter()
        if meanwhile is not None:
            meanwhile()

    WarmKernelEngine.start(Path(cwd), inputs=inputs, meanwhile=prime)


def run_job(job: BriefJob, timeout: float, warm: bool = True) -> dict:
    """Run and export one brief; returns the HTML or the failure, never raises."""
    from reviewlib.export import export
    from reviewlib.runner import run_notebook

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


def _record(job: BriefJob, status: str, **data) -> dict:
    fixed = {"brief_id", "kind", "parameters", "notebook", "output", "digest", "status"}
    fields = {
        k: v for k, v in data.items() if k in BriefRecord.__dataclass_fields__ and k not in fixed
    }
    return asdict(
        BriefRecord(
            job.brief_id,
            job.kind,
            job.parameters,
            job.notebook,
            job.output,
            job.digest,
            status,
            **fields,
        )
    )


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
    todo = []
    skipped = 0
    for job in jobs:
        old = previous.get(job.brief_id)
        if (
            not force
            and old
            and old.get("digest") == job.digest
            and old.get("status") in ("built", "skipped")
            and Path(job.output).exists()
        ):
            records[job.brief_id] = {**old, "status": "skipped", "seconds": 0.0}
            skipped += 1
        else:
            todo.append(job)
    # Starting a worker and its kernel costs a few seconds: a second one only pays off with
    # enough briefs to share (BRIEFS_PER_WORKER each).
    workers = max(1, min(workers or os.cpu_count() or 1, -(-len(todo) // BRIEFS_PER_WORKER)))
    built = failed = 0
    bar = tqdm(total=len(jobs), initial=skipped, disable=not progress, unit="brief", desc="briefs")

    def finish(job: BriefJob, out: dict) -> None:
        nonlocal built, failed
        if out.get("error"):
            failed += 1
            if "notebook" in out:
                atomic_write_text(outputs / "failed" / f"{job.brief_id}.ipynb", out["notebook"])
            records[job.brief_id] = _record(
                job, "failed", seconds=out["seconds"], error=out["error"], cell=out.get("cell")
            )
        else:
            built += 1
            atomic_write_text(Path(job.output), out["html"])
            (outputs / "failed" / f"{job.brief_id}.ipynb").unlink(missing_ok=True)
            records[job.brief_id] = _record(
                job, "built", **{k: v for k, v in out.items() if k != "html"}
            )
        write_manifest(outputs, records)
        bar.update(1)
        bar.set_postfix(done=built, skipped=skipped, failed=failed)

    cwd = str(Path(notebooks).resolve() if Path(notebooks).exists() else Path.cwd())
    if meanwhile is not None and not todo:
        meanwhile()
    if todo and workers == 1:
        _init_worker(cwd, str(review.inputs_dir), meanwhile)
        try:
            for job in todo:
                finish(job, run_job(job, timeout))
        finally:
            from reviewlib.runner import WarmKernelEngine

            WarmKernelEngine.stop()
    elif todo:
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(cwd, str(review.inputs_dir)),
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
    bar.close()
    write_manifest(outputs, records)
    return BuildResult(built, skipped, failed, records, time.perf_counter() - start)
