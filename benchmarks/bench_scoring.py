"""Scoring a large synthetic review, as a ratio to a plain group-by of the same statements.

    python benchmarks/bench_scoring.py [--sizes 10000 30000 100000] [--repeat 3]

The floor is `statements.groupby(["scope_iso3", "pillar"]).agg(count, sum of a weight column)`:
what any per-country, per-pillar tally must pay. Timed in the same run on the same frames, best
of N. `score_statements` is timed twice: cold (matching statements to criteria, keywords
included) and with the matches kept from an earlier run (as the scoring notebook does while
weights are tried out: matching depends on the criteria, not on the weights).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import paths
from reviewlib.gather.reference import load_reference
from reviewlib.scoring.rubric import load_rubric
from reviewlib.scoring.scores import match_criteria, score_statements
from reviewlib.terms import KINDS, PILLARS, STAKEHOLDER_TYPES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _synthetic import PHRASES, best  # noqa: E402

GLOTIP = paths.PROJECT_ROOT.parent / "shared" / "data" / "glotip" / "data_glotip.xlsx"

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reference = load_reference(paths.INPUTS)
    rubric = load_rubric(paths.rubric_file())
    if GLOTIP.exists():
        from reviewlib.gather.glotip import read_glotip

        reference = replace(
            reference, indicators=read_glotip(GLOTIP, reference.member_states).indicators
        )
        print(f"GLOTIP: {len(reference.indicators):,} rows from {GLOTIP.name}")
    else:
        print(f"GLOTIP: {GLOTIP} is not here; scoring without UNODC figures")
    weights = {k: float(v) for k, v in rubric.kind_weights.items()}
    print(
        f"{'statements':>10} {'floor':>8} {'cold':>8} {'ratio':>6} {'warm':>8} {'ratio':>6} {'match':>8}  "
        "(seconds; ratio = time ÷ floor)"
    )
    results = {}
    for n in args.sizes:
        statements = synthesise(n, reference)
        statements["w"] = statements["kind"].map(weights)

        def floor(s: pd.DataFrame = statements) -> pd.DataFrame:
            return s.groupby(["scope_iso3", "pillar"]).agg(n=("w", "size"), w=("w", "sum"))

        t_floor, _ = best(floor, args.repeat)
        t_cold, scores = best(
            lambda s=statements: score_statements(s, reference, rubric, meeting_year=2017),
            args.repeat,
        )
        t_match, matches = best(lambda s=scores.statements: match_criteria(s, rubric), args.repeat)
        t_warm, _ = best(
            lambda s=statements, m=matches: score_statements(
                s, reference, rubric, meeting_year=2017, matches=m
            ),
            args.repeat,
        )
        results[n] = (t_floor, t_cold, t_warm)
        print(
            f"{n:>10,} {t_floor:>8.3f} {t_cold:>8.3f} {t_cold / t_floor:>6.1f} {t_warm:>8.3f} "
            f"{t_warm / t_floor:>6.1f} {t_match:>8.3f}"
        )
        levelled = scores.country_scores["level"].notna().sum()
        print(
            f"{'':>10} {len(scores.country_scores):,} country × pillar rows, {levelled:,} with a level; "
            f"{len(scores.evidence):,} statement-criterion links"
        )
    if len(results) > 1:
        lo, hi = min(results), max(results)
        print(
            f"growth {lo:,} → {hi:,} statements (×{hi / lo:g}): floor ×{results[hi][0] / results[lo][0]:.1f}, "
            f"cold ×{results[hi][1] / results[lo][1]:.1f}, warm ×{results[hi][2] / results[lo][2]:.1f}"
        )


if __name__ == "__main__":
    main()
