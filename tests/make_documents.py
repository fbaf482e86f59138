"""Write the demo's documents into inputs/contributions/ and the labelled set into
tests/data/documents/ (with labels.csv), from tests/documents_content.py. Run it with the
project's Python after changing the content: `.venv/bin/python tests/make_documents.py`.
The files are committed; nothing is fetched."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from documents_content import (  # noqa: E402
    DEMO,
    DEMO_DECISIONS,
    DEMO_ENGLISH,
    LABELLED,
    OFFICER,
)
from documents_kit import expected, write  # noqa: E402

from reviewlib.gather.decisions import DECISION_COLUMNS  # noqa: E402
from reviewlib.gather.english import TRANSLATION_COLUMNS  # noqa: E402

ROOT = HERE.parent
LABELS = HERE / "data" / "documents" / "labels.csv"


AT = "2017-07-03T10:00:00+00:00"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_demo() -> None:
    """The demo's documents, and an officer's decisions on their statements."""
    for doc in DEMO:
        write(doc, ROOT / "inputs" / "contributions")
    decisions = ROOT / "inputs" / "decisions"
    rows = []
    for sid, (decision, kind, pillar, note) in sorted(DEMO_DECISIONS.items()):
        given = {"statement_id": sid, "decision": decision, "pillar": pillar, "note": note}
        given |= {"kind": kind, "reviewer": OFFICER, "at": AT}
        rows.append([given.get(c, "") for c in DECISION_COLUMNS])
    _write_csv(decisions / "triage.csv", DECISION_COLUMNS, rows)
    _write_csv(
        decisions / "translations.csv",
        TRANSLATION_COLUMNS,
        [[sid, text, "contributor", "", OFFICER, AT] for sid, text in sorted(DEMO_ENGLISH.items())],
    )


def main() -> None:
    write_demo()
    folder = LABELS.parent
    rows = []
    for doc in LABELLED:
        write(doc, folder)
        for label, text in expected(doc):
            kind, _, pillar = label.partition("/")
            skip = "" if pillar else label
            rows.append(
                [doc.name, doc.meta["language"], doc.split, skip, kind * bool(pillar), pillar, text]
            )
    with LABELS.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "language", "split", "skip", "kind", "pillar", "text"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
