"""The PDF engine, measured: the demo's summary, a pillar, a country brief and the
acknowledgements printed to A4 by headless Chromium (the engine `reviewlib build --pdf` uses,
the baseline) and by WeasyPrint when it is installed (pip install weasyprint), as a ratio of
time, with the pages each prints.

Usage: ``python benchmarks/bench_pdf.py [OUTPUTS]`` (an outputs folder already built; default:
build the four pages into a temporary folder first).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewlib import load_review  # noqa: E402
from reviewlib.brief.build import read_manifest, run_batch  # noqa: E402
from reviewlib.brief.contributors import write_contributors  # noqa: E402
from reviewlib.brief.pdf import FOLDER, papers, print_pages  # noqa: E402

ONLY = "summary,pillar-protection,country-blr"


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def main(outputs: Path) -> None:
    if not (outputs / "manifest.json").exists():
        review = load_review(ROOT / "inputs")
        run_batch(review, outputs, only=ONLY, progress=False, workers=1)
        write_contributors(review, outputs)
    chosen = [
        p
        for p in papers(read_manifest(outputs), outputs)
        if p.paper_id in {*ONLY.split(","), "contributors"}
    ]
    folder = outputs / FOLDER
    start = time.perf_counter()
    print_pages([(p, folder / f"{p.paper_id}.pdf") for p in chosen])
    chromium = time.perf_counter() - start
    pages = {p.paper_id: _pages((folder / f"{p.paper_id}.pdf").read_bytes()) for p in chosen}
    print(f"chromium: {len(chosen)} papers printed in {chromium:.2f} s (baseline); pages {pages}")
    try:
        import weasyprint
    except ImportError:
        print("weasyprint: not installed (pip install weasyprint to measure it)")
        return
    start = time.perf_counter()
    printed = {p.paper_id: weasyprint.HTML(filename=str(p.html)).write_pdf() for p in chosen}
    weasy = time.perf_counter() - start
    pages = {k: _pages(v) for k, v in printed.items()}
    print(
        f"weasyprint {weasyprint.__version__}: {weasy:.2f} s, {weasy / chromium:.2f}× chromium; pages {pages}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
