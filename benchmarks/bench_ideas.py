"""Time and memory of the pool of ideas on 5,000, 10,000 and 20,000 synthetic proposals.

Proposals are generated (seeded) from templates x vocabulary: an idea is a (who, what for,
where) triple, written with varied verbs, word order and filler, mostly in English with some
French, Spanish and Russian. Each size runs in its own subprocess (best of two) so that peak
memory (maxrss, which includes the ~170 MB of imports) is that size's alone. Usage: ``python benchmarks/bench_ideas.py [SIZE ...]``.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from reviewlib.terms import PILLARS, REGIONAL_GROUPS, STAKEHOLDER_TYPES

ROOT = Path(__file__).resolve().parent.parent
SIZES = (5_000, 10_000, 20_000)

WHO = [
    "labour inspectors",
    "specialised prosecutors",
    "border officials",
    "consular staff",
    "community health workers",
    "teachers",
    "bank compliance officers",
    "airline crews",
    "hotel staff",
    "social workers",
    "child protection officers",
    "peacekeepers",
    "journalists",
    "trade unions",
    "recruitment agencies",
    "technology companies",
    "local authorities",
    "faith leaders",
    "shelter staff",
    "judges",
    "police investigators",
    "diplomats",
    "employers in agriculture",
    "fishing vessel inspectors",
    "humanitarian workers",
    "university researchers",
    "statistical offices",
    "ombudsperson offices",
    "procurement officers",
    "transport companies",
    "online marketplaces",
    "money transfer operators",
    "hospitals",
    "school counsellors",
    "youth workers",
    "migrant community leaders",
    "interpreters",
    "port authorities",
    "garment brands",
    "construction firms",
]
WHAT = [
    "to identify victims of forced labour",
    "to detect sexual exploitation online",
    "to trace illicit financial flows",
    "to protect unaccompanied children",
    "to prevent debt bondage",
    "to support the reintegration of returnees",
    "to spot fraudulent job offers",
    "to refer presumed victims to assistance",
    "to collect data broken down by sex and age",
    "to stop recruitment fees being charged",
    "to screen for trafficking among refugees",
    "to prevent trafficking for organ removal",
    "to audit suppliers for forced labour",
    "to protect domestic workers",
    "to investigate corruption of officials",
    "to provide legal aid to survivors",
    "to run awareness campaigns in schools",
    "to give survivors compensation",
    "to detect child labour",
    "to share information across borders",
]
WHERE = [
    "in the fishing sector",
    "in conflict-affected areas",
    "along migration routes",
    "in garment supply chains",
    "in rural areas",
    "in refugee camps",
    "in border regions",
    "in the construction industry",
    "in domestic work",
    "in the tourism sector",
    "in mining areas",
    "on social media",
    "after natural disasters",
    "in large cities",
    "in agriculture",
    "at airports",
]
VERB = ["Train", "Equip", "Mandate", "Fund", "Support", "Mobilise", "Require", "Encourage"]
FILL = [
    "",
    "",
    " as a matter of priority",
    " with adequate resources",
    " in partnership with civil society",
    " by 2030",
    " with survivors' participation",
    " under a national action plan",
    " every year",
]
TEMPLATES = [
    "{verb} {who} {what} {where}{fill}.",
    "{Where}, {who} should be helped {what}{fill}.",
    "We recommend that States enable {who} {what} {where}{fill}.",
    "It is essential for {who} {where} {what}{fill}.",
]
OTHER = {
    "fr": [
        "Former les {n} pour repérer les victimes du travail forcé.",
        "Financer les {n} afin de protéger les enfants non accompagnés.",
        "Renforcer les {n} pour retracer les flux financiers illicites.",
    ],
    "es": [
        "Capacitar a los {n} para detectar a las víctimas de trabajo forzoso.",
        "Financiar a los {n} para proteger a los niños no acompañados.",
        "Fortalecer a los {n} para rastrear los flujos financieros ilícitos.",
    ],
    "ru": [
        "Обучать {n} выявлению жертв принудительного труда.",
        "Финансировать {n} для защиты несопровождаемых детей.",
        "Укреплять {n} для отслеживания незаконных финансовых потоков.",
    ],
}
OTHER_WHO = {
    "fr": ["inspecteurs du travail", "procureurs", "travailleurs sociaux", "enseignants"],
    "es": ["inspectores de trabajo", "fiscales", "trabajadores sociales", "docentes"],
    "ru": ["инспекторов труда", "прокуроров", "социальных работников", "учителей"],
}
TYPES = list(STAKEHOLDER_TYPES)
GROUPS = list(REGIONAL_GROUPS)


def synthetic_statements(n: int, seed: int = 7) -> pd.DataFrame:
    """n proposals in about n/15 ideas, with the statement columns the pool reads."""
    rnd = random.Random(seed)
    ideas = [(rnd.choice(WHO), rnd.choice(WHAT), rnd.choice(WHERE)) for _ in range(max(1, n // 15))]
    rows = []
    for i in range(n):
        who, what, where = rnd.choice(ideas)
        lang = rnd.choices(["en", "fr", "es", "ru"], weights=[85, 5, 5, 5])[0]
        if lang == "en":
            text = rnd.choice(TEMPLATES).format(
                verb=rnd.choice(VERB),
                who=who,
                what=what,
                where=where,
                Where=where[0].upper() + where[1:],
                fill=rnd.choice(FILL),
            )
        else:
            text = rnd.choice(OTHER[lang]).format(n=rnd.choice(OTHER_WHO[lang]))
        submitter = rnd.randrange(max(1, n // 4))
        rows.append(
            {
                "statement_id": f"SYN-{i:06d}",
                "kind": "proposal",
                "language": lang,
                "text": text,
                "submitter": f"Contributor {submitter}",
                "stakeholder_type": TYPES[submitter % 9],
                "regional_group": GROUPS[submitter % 5],
                "pillar": rnd.choice(PILLARS),
                "themes": "",
                "decision": "",
                "merged_into": "",
            }
        )
    return pd.DataFrame(rows)


def _run_one(n: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from reviewlib.ideas.pool import pool_statements

    statements = synthetic_statements(n)
    commitments = pd.read_csv(
        ROOT / "inputs/reference/commitments.csv", dtype=str, keep_default_na=False
    )
    synonyms = pd.read_csv(ROOT / "inputs/reference/synonyms.csv", dtype=str, keep_default_na=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    result = pool_statements(statements, commitments, synonyms=synonyms)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "n": n,
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak / 1024,
        "baseline_mb": before / 1024,
        "ideas": len(result.summary),
    }


def main(sizes: list[int], repeats: int = 2) -> None:
    """Best of ``repeats`` runs per size (the machine may be shared), each in a fresh process."""
    results = []
    for n in sizes:
        runs = []
        for _ in range(repeats):
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(n)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        results.append(min(runs, key=lambda r: r["seconds"]))
    print(
        f"{'proposals':>10} {'ideas':>7} {'seconds':>8} {'cpu s':>7} {'peak MB':>8} {'before MB':>9}"
    )
    for r in results:
        print(
            f"{r['n']:>10,} {r['ideas']:>7,} {r['seconds']:>8.1f} {r['cpu']:>7.1f} {r['peak_mb']:>8.0f}"
            f" {r['baseline_mb']:>9.0f}"
        )
    by_size = {r["n"]: r["seconds"] for r in results}
    if 5_000 in by_size and 20_000 in by_size:
        print(f"t(20k)/t(5k) = {by_size[20_000] / by_size[5_000]:.1f} (linear 4, quadratic 16)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(_run_one(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or list(SIZES))
