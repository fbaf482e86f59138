"""Time of the elements for the zero draft on synthetic pools of 2,000 and 8,000 proposals, as a
ratio to the time of the pool itself measured in the same run (the baseline), with no cap on
Part B so that every idea above the threshold is drafted, commented and written to Word.

Proposals are those of `bench_ideas` (seeded). Usage: ``python benchmarks/bench_zero_draft.py
[SIZE ...]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ideas import synthetic_statements  # noqa: E402

from reviewlib.gather.reference import load_reference  # noqa: E402
from reviewlib.gather.settings import load_config  # noqa: E402
from reviewlib.ideas.pool import pool_statements  # noqa: E402
from reviewlib.ideas.zero_draft import elements  # noqa: E402
from reviewlib.ideas.zero_draft_word import write_docx  # noqa: E402

SIZES = (2_000, 8_000)


def _review(statements: pd.DataFrame) -> SimpleNamespace:
    """What `elements` reads of a review, around synthetic statements (no cap on Part B)."""
    config = load_config(ROOT / "inputs")
    raw = {**config.raw, "zero_draft": {**config.raw.get("zero_draft", {}), "max_new_elements": 0}}
    statements = statements.assign(country="", received="2017-06-30")
    return SimpleNamespace(
        config=SimpleNamespace(**{**config.__dict__, "raw": raw}),
        reference=load_reference(ROOT / "inputs"),
        statements=statements,
        milestone=None,
        contributions=pd.DataFrame(
            columns=["submitter", "stakeholder_type", "country", "received", "contribution_id"]
        ),
        not_counted=pd.DataFrame(
            columns=["submitter", "stakeholder_type", "country", "received", "contribution_id"]
        ),
    )


def run(n: int) -> dict[str, float]:
    statements = synthetic_statements(n)
    review = _review(statements)
    start = time.perf_counter()
    ideas = pool_statements(
        statements, review.reference.commitments, synonyms=review.reference.synonyms
    )
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    draft = elements(review, ideas, None, "benchmark")
    with tempfile.TemporaryDirectory() as folder:
        write_docx(draft, Path(folder) / "zero_draft_elements.docx")
    seconds = time.perf_counter() - start
    drafted = sum(p.number.startswith("OP") for p in draft.paragraphs())
    return {"n": n, "pool": baseline, "zero_draft": seconds, "paragraphs": drafted}


def main(sizes: list[int]) -> None:
    results = [run(n) for n in sizes]
    print(f"{'proposals':>10} {'paragraphs':>10} {'pool s':>7} {'draft s':>8} {'draft/pool':>10}")
    for r in results:
        print(
            f"{r['n']:>10,} {r['paragraphs']:>10,} {r['pool']:>7.1f} {r['zero_draft']:>8.2f}"
            f" {r['zero_draft'] / r['pool']:>10.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))
