"""`reviewlib validate` on the demo review plus one hostile file, for each kind of hostile file:
wall time and peak memory, as ratios to the demo alone measured in the same run.

    python benchmarks/bench_hostile.py

The hostile files are those of tests/hostile.py (delimiters only, JSON nested 100,000 deep, a
5,000-digit number, a lone surrogate, XLSX and DOCX zip bombs of 300 MB, a 1,048,576-row
sheet). Aim: each under 1 GB of memory and a minute; the test asserts only the ledger line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from hostile import HOSTILE  # noqa: E402

from reviewlib import paths  # noqa: E402

BIN = Path(sys.executable).parent
# Runs the command as its only child and prints that child's peak resident memory (kB).
_PEAK = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def validate(inputs: Path, outputs: Path) -> tuple[float, float, int]:
    """Seconds, peak MB and exit status of one `reviewlib validate` (no review cache)."""
    start = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            _PEAK,
            BIN / "reviewlib",
            "validate",
            "--inputs",
            inputs,
            "--outputs",
            outputs,
        ],
        capture_output=True,
        text=True,
        env={"REVIEWLIB_NO_CACHE": "1", "PATH": "/usr/bin:/bin"},
    )
    seconds = time.perf_counter() - start
    code, peak_kb = run.stdout.split()
    return seconds, int(peak_kb) / 1024, int(code)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = tmp / "inputs"
        shutil.copytree(
            paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock")
        )
        base_s, base_mb, _ = validate(inputs, tmp / "out")
        print(f"{'demo alone':<22} {base_s:6.1f} s  {base_mb:7.0f} MB  (the baseline)")
        worst_s = worst_mb = 0.0
        for name, (make, _) in HOSTILE.items():
            path = make(inputs / "contributions" / name)
            size = path.stat().st_size / 1e6
            seconds, mb, code = validate(inputs, tmp / "out")
            path.unlink()
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
            print(
                f"+ {name:<20} {seconds:6.1f} s  {mb:7.0f} MB  time ×{seconds / base_s:4.2f}  "
                f"memory ×{mb / base_mb:4.2f}  ({size:.1f} MB on disk, exit {code})"
            )
        ok = worst_mb < 1024 and worst_s < 60
        print(
            f"worst: {worst_s:.1f} s, {worst_mb:.0f} MB — {'within' if ok else 'OVER'} 1 GB and 60 s"
        )


if __name__ == "__main__":
    main()
