"""Intake of a large synthetic review, as a ratio to a bare read of the same files.

    python benchmarks/bench_intake.py [--statements 100000] [--files 1000]

The bare read is pandas.read_csv / read_excel / json.load of every file with no checks: the
floor any intake must pay. Both are timed in the same run, on the same files, best of N.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _synthetic import best, make_inputs  # noqa: E402

from reviewlib import load_review  # noqa: E402


def bare_read(folder: Path) -> int:
    rows = 0
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            sep = ";" if path.read_bytes()[:300].count(b";") > 3 else ","
            rows += len(pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False))
        elif path.suffix == ".xlsx":
            rows += len(pd.read_excel(path, sheet_name=None, dtype=str)["Statements"])
        elif path.suffix == ".json":
            rows += len(json.loads(path.read_text())["statements"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        inputs = make_inputs(Path(tmp) / "inputs", args.files, args.statements // args.files)
        print(
            f"generated {args.statements:,} statements in {args.files:,} files "
            f"(CSV , and ;, JSON, XLSX) in {time.perf_counter() - start:.1f} s"
        )
        t_bare, rows = best(lambda: bare_read(inputs / "contributions"), args.repeat)
        t_intake, review = best(lambda: load_review(inputs, cache=False), args.repeat)
        accepted = len(review.statements)
        print(f"bare read : {t_bare:7.2f} s  ({rows:,} rows)")
        print(
            f"intake    : {t_intake:7.2f} s  ({accepted:,} statements accepted, "
            f"{len(review.ledger):,} ledger rows)"
        )
        print(f"ratio intake / bare read: {t_intake / t_bare:.2f}  (aim: within 3)")


if __name__ == "__main__":
    main()
