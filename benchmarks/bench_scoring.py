"""What-if scoring: seconds from a moved weight slider to redrawn tables, as the review grows.

    python benchmarks/bench_scoring.py [--sizes 10000 100000] [--moves 7]

The 10_score panel (`ScorePanel`) is built on the demo review and on synthetic reviews of the
given sizes (the demo's reference data, statements shaped like a real review), then the gap
weight's slider is moved several times. Each move re-reads the rubric with the new setting,
scores again with the criteria matched once (matching depends on the criteria, not on the
weights) and redraws the tables: what the officer waits for. Reported: median and worst of the
moves, split into scoring and tables, and the growth against the number of statements (aim:
at most 0.1 s on the demo, growing linearly).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import paths
from reviewlib.gather.review import load_review
from reviewlib.terms import KINDS, PILLARS, STAKEHOLDER_TYPES
from reviewlib.workbench.score_panels import ScorePanel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _synthetic import PHRASES  # noqa: E402

FILLER = (
    "in {n} districts since {y}",
    "according to the ministry",
    "with support from partners",
    "although funding remains short",
    "as reported by local groups",
    "for the {n}th year",
)
STAKE_P = [0.30, 0.10, 0.08, 0.30, 0.05, 0.04, 0.03, 0.07, 0.03]  # order of STAKEHOLDER_TYPES
KIND_P = [0.30, 0.30, 0.25, 0.15]  # order of KINDS: achievement, gap, proposal, good_practice


def synthesise(n: int, reference, seed: int = 11) -> pd.DataFrame:
    """n statements with the columns of Review.statements, seeded; shaped like a real review."""
    rng = np.random.default_rng(seed)
    states = reference.member_states["iso3"].to_numpy()
    groups = reference.member_states["regional_group"].to_numpy()
    by_pillar = {
        p: reference.commitments.loc[reference.commitments["pillar"].eq(p), "commitment"].to_numpy()
        for p in PILLARS
    }
    themes = reference.themes["theme"].to_numpy()
    stake = rng.choice(np.array(STAKEHOLDER_TYPES, dtype=object), n, p=STAKE_P)
    n_contributions = max(1, n // 12)
    contribution = rng.integers(0, n_contributions, n)
    home = rng.integers(0, len(states), n_contributions)[contribution]
    country = np.where(stake == "member_state", states[home], "")
    where = rng.random(n)
    target = np.where(stake == "member_state", home, rng.integers(0, len(states), n))
    scope_iso3 = np.where(where < 0.6, states[target], "")
    scope_type = np.where(where < 0.6, "country", np.where(where < 0.7, "region", "global"))
    regional_group = np.where(
        where < 0.7, groups[target], np.where(stake == "member_state", groups[home], "")
    )
    pillar = rng.choice(np.array(PILLARS, dtype=object), n)
    pillar[rng.random(n) < 0.05] = ""
    commitments = np.empty(n, dtype=object)
    how_many = rng.choice([0, 1, 1, 2], n)
    for p in PILLARS:
        ids = by_pillar[p]
        for k in (0, 1, 2):
            rows = np.flatnonzero((pillar == p) & (how_many == k))
            picks = rng.choice(ids, (len(rows), k)) if k else np.empty((len(rows), 0), dtype=object)
            commitments[rows] = [";".join(sorted(set(x))) for x in picks]
    commitments[pillar == ""] = ""
    theme_pick = rng.choice(np.append(themes, ["", "", ""]), (n, 2))
    text = [
        f"{PHRASES[a].format(n=b)} {FILLER[c].format(n=b % 90 + 1, y=2000 + b % 17)}."
        for a, b, c in zip(
            rng.integers(0, len(PHRASES), n),
            rng.integers(2, 900, n),
            rng.integers(0, len(FILLER), n),
            strict=True,
        )
    ]
    ids = np.array([f"SYN-{i:06d}" for i in range(n)], dtype=object)
    decision = rng.choice(
        np.array(["", "keep", "set_aside", "merge"], dtype=object), n, p=[0.85, 0.10, 0.03, 0.02]
    )
    merged_into = np.where(decision == "merge", ids[rng.integers(0, n, n)], "")
    return pd.DataFrame(
        {
            "statement_id": ids,
            "contribution_id": [f"C{c:05d}" for c in contribution],
            "submitter": stake,
            "stakeholder_type": stake,
            "country": country,
            "kind": rng.choice(np.array(KINDS, dtype=object), n, p=KIND_P),
            "pillar": pillar,
            "commitments": commitments,
            "themes": [";".join(sorted({a, b} - {""})) for a, b in theme_pick],
            "scope_type": scope_type,
            "scope_iso3": scope_iso3,
            "regional_group": regional_group,
            "text": text,
            "decision": decision,
            "merged_into": merged_into,
            "note": "",
        }
    )


MOVES = (-2.0, -1.5, -0.5, -2.5, -1.0, -3.0, -1.25, -0.75, -1.75)


def what_if(review, moves: int) -> dict[str, float]:
    """Median and worst seconds of `moves` moves of the gap slider, and their two steps."""
    panel = ScorePanel(review)
    totals, scoring, tables = [], [], []
    for value in MOVES[:moves]:
        panel.kind_sliders["gap"].value = value
        totals.append(panel.last_seconds)
        start = time.perf_counter()
        panel._score(panel.rubric)
        scoring.append(time.perf_counter() - start)
        start = time.perf_counter()
        panel.render()
        tables.append(time.perf_counter() - start)
    return {
        "median": statistics.median(totals),
        "worst": max(totals),
        "scoring": statistics.median(scoring),
        "tables": statistics.median(tables),
        "scores": len(panel.scores.country_scores),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--moves", type=int, default=7)
    args = parser.parse_args()
    demo = load_review(paths.INPUTS)
    reviews = {"demo": demo}
    for n in args.sizes:
        reviews[f"{n:,}"] = replace(demo, statements=synthesise(n, demo.reference))
    print(
        f"{'review':>8} {'statements':>10} {'median':>8} {'worst':>8} {'scoring':>8} {'tables':>8}"
        "  (seconds per move of a slider)"
    )
    results = {}
    for name, review in reviews.items():
        n = len(review.statements)
        figures = what_if(review, args.moves)
        results[n] = figures["median"]
        print(
            f"{name:>8} {n:>10,} {figures['median']:>8.3f} {figures['worst']:>8.3f} "
            f"{figures['scoring']:>8.3f} {figures['tables']:>8.3f}  "
            f"({figures['scores']:,} Member State x pillar scores)"
        )
    print(
        f"aim: <= 0.1 s on the demo: {'met' if results[len(demo.statements)] <= 0.1 else 'NOT met'}"
    )
    sizes = sorted(results)
    for lo, hi in zip(sizes, sizes[1:], strict=False):
        print(
            f"growth {lo:,} -> {hi:,} statements (x{hi / lo:.1f}): "
            f"time x{results[hi] / results[lo]:.1f}"
        )


if __name__ == "__main__":
    main()
