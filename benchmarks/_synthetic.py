"""Synthetic contributions for the benchmarks: seeded, realistic in shape, mixed formats."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.gather.reference import load_reference
from reviewlib.terms import KINDS, PILLARS, STAKEHOLDER_TYPES

PHRASES = [
    "labour inspectors visited {n} farms and found workers whose passports were held",
    "a national referral mechanism now links police, shelters and health services",
    "prosecutors received training on financial investigations of trafficking cases",
    "recruitment agencies must register and may not charge fees to migrant workers",
    "children in residential care are screened for signs of exploitation",
    "online advertisements offering work abroad are reported to a joint unit",
    "victims may stay and work while the case against their traffickers proceeds",
    "survivors sit on the board that reviews the national action plan",
    "joint investigation teams work across the border with neighbouring States",
    "data on victims is disaggregated by sex, age and form of exploitation",
    "{n} persons were convicted and assets worth {n} thousand were confiscated",
    "no shelter accepts men, and compensation orders are rarely paid",
]


def make_inputs(root: Path, n_files: int, per_file: int, seed: int = 7) -> Path:
    """An inputs folder with the project's reference data and n_files × per_file statements."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(
        paths.reference_dir(), root / "reference", ignore=shutil.ignore_patterns("indicators.csv")
    )
    shutil.copy(paths.review_file(), root / "review.yml")
    folder = root / "contributions"
    folder.mkdir()
    reference = load_reference(paths.INPUTS)
    states = list(reference.member_states["name"])
    commitments = list(reference.commitments["commitment"])
    themes = list(reference.themes["theme"])
    for f in range(n_files):
        stake = rng.choice(STAKEHOLDER_TYPES)
        contribution = {
            "contribution_id": f"SYN-{f:05d}",
            "submitter": f"Organisation {f}",
            "stakeholder_type": stake,
            "country": rng.choice(states) if stake == "member_state" else "",
            "received": f"2017-0{rng.randint(3, 8)}-{rng.randint(10, 28)}",
            "language": "en",
        }
        rows = []
        for s in range(per_file):
            rows.append(
                {
                    "statement_id": f"SYN-{f:05d}-{s:03d}",
                    "kind": rng.choice(KINDS),
                    "pillar": rng.choice(PILLARS) if rng.random() > 0.05 else "",
                    "commitments": ";".join(rng.sample(commitments, rng.randint(0, 2))),
                    "themes": ";".join(rng.sample(themes, rng.randint(0, 2))),
                    "scope": rng.choice(["", "global", rng.choice(states)]),
                    "text": rng.choice(PHRASES).format(n=rng.randint(2, 400)).capitalize() + ".",
                    "evidence": "",
                }
            )
        kind = f % 4
        if kind in (0, 1):
            frame = pd.DataFrame([{**contribution, **r} for r in rows])
            frame.to_csv(folder / f"syn{f:05d}.csv", index=False, sep="," if kind == 0 else ";")
        elif kind == 2:
            (folder / f"syn{f:05d}.json").write_text(
                json.dumps({"contribution": contribution, "statements": rows})
            )
        else:
            with pd.ExcelWriter(folder / f"syn{f:05d}.xlsx", engine="openpyxl") as writer:
                pd.DataFrame(
                    {"field": list(contribution), "value": list(contribution.values())}
                ).to_excel(writer, sheet_name="Contributor", index=False)
                pd.DataFrame(rows).to_excel(writer, sheet_name="Statements", index=False)
    return root


def best(func, repeat: int) -> tuple[float, object]:
    """The best time of `repeat` runs of func(), and its result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result
