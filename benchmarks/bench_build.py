"""The build three ways, in one run, on a copy of the demo inputs:

  (a) naive: `papermill` command then `jupyter nbconvert --to html` command per brief, serial
      (timed on a sample of briefs, reported per brief);
  (b) `reviewlib build --force` (warm kernels, parallel workers);
  (c) floor: the same brief content computed by reviewlib in one plain Python process and
      rendered with Jinja2, no Jupyter at all;

plus an incremental rebuild after one changed contribution, as a share of the full build.

    python benchmarks/bench_build.py [--sample 6] [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jinja2

from reviewlib import load_review, paths
from reviewlib.brief import blocks as briefs
from reviewlib.brief.build import plan
from reviewlib.brief.content import prepare
from reviewlib.brief.slices import Slice

BIN = Path(sys.executable).parent
PAGE = jinja2.Template(
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{{ c.title|e }}</title>"
    "</head><body><h1>{{ c.title|e }}</h1>{% for b in blocks %}{{ b }}{% endfor %}</body></html>"
)


def floor_page(review, job) -> str:
    content = prepare(review, Slice(job.kind, job.value))
    blocks = [
        briefs.key_messages(content.key_messages),
        briefs.quotes(content.achievements, "-"),
        briefs.quotes(content.gaps, "-"),
        *briefs.standing(content),
        briefs.ideas(content),
        *briefs.annex(content),
    ]
    return PAGE.render(c=content, blocks=[str(b) for b in blocks])


def naive(job, work: Path) -> None:
    executed = work / f"{job.brief_id}.ipynb"
    args = [str(BIN / "papermill"), job.notebook, str(executed), "--no-progress-bar"]
    for key, value in job.parameters.items():
        args += ["-p", key, value]
    subprocess.run(args, check=True, capture_output=True)
    subprocess.run(
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
        check=True,
        capture_output=True,
    )


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (workers and their kernels), in MB."""
    parents, rss = {}, {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    tree, frontier = {root}, [root]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier and p not in tree]
        tree.update(children)
        frontier = children
    return sum(rss.get(p, 0) for p in tree) / 1024


def _run_measured(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the whole process tree) of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.2)
    if process.returncode:
        raise SystemExit(f"{args} failed with status {process.returncode}")
    return time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=6, help="briefs timed the naive way")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs, outputs = root / "inputs", root / "outputs"
        shutil.copytree(
            paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock")
        )
        review = load_review(inputs)
        jobs = plan(review, outputs)
        n = len(jobs)

        t_build, peak = _run_measured(
            [
                str(BIN / "reviewlib"),
                "build",
                "--inputs",
                str(inputs),
                "--outputs",
                str(outputs),
                "--force",
                "--quiet",
                "--workers",
                str(args.workers),
            ]
        )

        start = time.perf_counter()
        fresh = load_review(inputs, cache=False)
        for job in jobs:
            floor_page(fresh, job)
        t_floor = time.perf_counter() - start

        sample = [jobs[i * n // args.sample] for i in range(args.sample)]
        start = time.perf_counter()
        for job in sample:
            naive(job, root)
        t_naive_each = (time.perf_counter() - start) / len(sample)

        (inputs / "contributions" / "BENCH-NEW.csv").write_text(
            "submitter,stakeholder_type,country,received,language,kind,pillar,themes,text\n"
            "Ministry of Labour,member_state,Kenya,2017-07-01,en,achievement,prevention,,"
            "Labour inspectors now visit flower farms every quarter.\n"
        )
        start = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "reviewlib"),
                "build",
                "--inputs",
                str(inputs),
                "--outputs",
                str(outputs),
                "--quiet",
                "--workers",
                str(args.workers),
            ],
            check=True,
            capture_output=True,
        )
        t_incremental = time.perf_counter() - start

    per = {"naive (a)": t_naive_each, "build (b)": t_build / n, "floor (c)": t_floor / n}
    print(f"{n} briefs; naive timed on {len(sample)} of them; {args.workers} workers")
    for name, seconds in per.items():
        print(f"  {name:10s} {seconds:6.2f} s per brief")
    print(f"  a/b = {per['naive (a)'] / per['build (b)']:.1f}  (aim >= 10)")
    print(f"  b/c = {per['build (b)'] / per['floor (c)']:.1f}  (aim <= 4)")
    print(f"  peak memory of the build (main process, workers and kernels): {peak:.0f} MB")
    print(
        f"  incremental rebuild after one new contribution: {t_incremental:.1f} s = "
        f"{100 * t_incremental / t_build:.0f}% of the full build ({t_build:.1f} s)  (aim <= 10%)"
    )


if __name__ == "__main__":
    main()
