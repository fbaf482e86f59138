"""Intake of a large synthetic review, as a ratio to a bare read of the same files.

    python benchmarks/bench_intake.py [--statements 100000] [--files 1000] [--documents 200]

The bare read is pandas.read_csv / read_excel / json.load of every file with no checks: the
floor any intake must pay. Both are timed in the same run, on the same files, best of N.

Documents (Word and PDF copies of the labelled set in tests/data/documents/) are timed the same
way, as paragraphs per second: the intake (read, split, sender, suggestions, row checks, ledger)
against a bare python-docx paragraph read and a bare pypdf text extraction of the same files.
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


def bare_documents(folder: Path) -> int:
    import docx
    from pypdf import PdfReader

    paragraphs = 0
    for path in sorted(folder.iterdir()):
        if path.suffix == ".docx":
            paragraphs += sum(1 for p in docx.Document(str(path)).paragraphs if p.text.strip())
        elif path.suffix == ".pdf":
            text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
            paragraphs += sum(1 for line in text.splitlines() if line.strip())
    return paragraphs


def _fresh(inputs: Path):
    """The review read with nothing remembered: no disk cache and no file parsed before."""
    from reviewlib.gather import review as reading

    reading._PARSED.clear()
    return load_review(inputs, cache=False)


def bench_documents(tmp: Path, copies: int, repeat: int) -> None:
    """Intake of `copies` Word and PDF documents, as paragraphs per second, against a bare read."""
    import shutil

    source = Path(__file__).resolve().parent.parent / "tests" / "data" / "documents"
    inputs = make_inputs(tmp / "documents", 0, 0)
    folder = inputs / "contributions"
    originals = sorted(p for p in source.iterdir() if p.suffix in (".docx", ".pdf"))
    for i in range(copies):
        original = originals[i % len(originals)]
        shutil.copy(original, folder / f"D{i:05d}{original.suffix}")
        shutil.copy(original.with_suffix(".meta.yml"), folder / f"D{i:05d}.meta.yml")
    t_bare, _ = best(lambda: bare_documents(folder), repeat)
    t_intake, review = best(lambda: _fresh(inputs), repeat)
    paragraphs = int(review.ledger["row"].notna().sum())
    print(f"documents : {copies:,} Word and PDF files, {paragraphs:,} paragraphs")
    print(f"bare read : {t_bare:7.2f} s  ({paragraphs / t_bare:,.0f} paragraphs/s)")
    print(f"intake    : {t_intake:7.2f} s  ({paragraphs / t_intake:,.0f} paragraphs/s)")
    print(f"ratio intake / bare read: {t_intake / t_bare:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--documents", type=int, default=200, help="Word and PDF files (0: none)")
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
        if args.documents:
            bench_documents(Path(tmp), args.documents, args.repeat)


if __name__ == "__main__":
    main()
