"""Briefs as PDF (`reviewlib build --pdf`, or `pdf: true` in review.yml): each page printed by
headless Chromium on A4 — the engine the browser tests check the print layout with, so the PDF
is what those tests measured — and one combined book with a bookmark per paper.

A PDF is written atomically and only when its HTML changed (the HTML's digest is kept in
outputs/pdf/digests.json); the book only when one of its PDFs changed. Needs the `pdf` extra
(playwright, pypdf) and Debian's Chromium (`make browser`); nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reviewlib import paths
from reviewlib.errors import InputError
from reviewlib.files import atomic_write_bytes, atomic_write_text

FOLDER = "pdf"
BOOK = "review_book.pdf"
DIGESTS = "digests.json"
# The book's order: the papers a secretariat circulates first, then brief kinds as the index.
BOOK_ORDER = ("summary", "panel", "overview", "ideas", "pillar", "theme", "region", "country")
BOOK_LAST = ("methods", "contributors")
_CHROMIUM = (Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium"))
_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@dataclass(frozen=True)
class Paper:
    """One page to print: its id (the PDF's name), kind, title and HTML file."""

    paper_id: str
    kind: str
    title: str
    html: Path


@dataclass(frozen=True)
class PdfResult:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    book: Path | None
    book_written: bool


def chromium() -> Path:
    """Debian's Chromium, the one engine the PDFs are printed with."""
    found = next((p for p in _CHROMIUM if p.exists()), None) or shutil.which("chromium")
    if not found:
        raise InputError(
            "PDF needs Debian's Chromium: install it with `make browser` (apt-get install chromium)"
        )
    return Path(found)


def papers(records: dict[str, dict], outputs: Path) -> list[Paper]:
    """Every brief built (the manifest's records) and the acknowledgements, in the book's order."""
    rank = {k: i for i, k in enumerate((*BOOK_ORDER, *BOOK_LAST))}
    found = [
        Paper(r["brief_id"], r["kind"], r.get("title") or r["brief_id"], Path(r["output"]))
        for r in records.values()
        if r.get("status") != "failed" and Path(r["output"]).exists()
    ]
    thanks = Path(outputs) / "briefs" / "contributors.html"
    if thanks.exists():
        found.append(Paper("contributors", "contributors", "Acknowledgements", thanks))
    return sorted(found, key=lambda p: (rank.get(p.kind, len(rank)), p.title.casefold()))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def print_pages(targets: Iterable[tuple[Paper, Path]]) -> None:
    """Print each HTML page to its PDF in one Chromium, offline (file: and data: URLs only).
    Where an event loop runs in this thread (a Jupyter kernel), in a thread of its own, since
    Playwright's synchronous API may not run inside one."""
    targets = list(targets)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _print_here(targets)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_print_here, targets).result()


def _print_here(targets: list[tuple[Paper, Path]]) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise InputError(
            "PDF needs the pdf extra: pip install -e '.[pdf]' (playwright and pypdf)"
        ) from exc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium()), headless=True, args=_FLAGS)
        try:
            for paper, target in targets:
                page = browser.new_page()
                page.route(
                    "**/*",
                    lambda r: (
                        r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                    ),
                )
                page.goto(paper.html.resolve().as_uri())
                page.wait_for_load_state("load")
                data = page.pdf(format="A4", outline=True, tagged=True, prefer_css_page_size=True)
                atomic_write_bytes(target, data)
                page.close()
        finally:
            browser.close()


def _book(done: list[tuple[Paper, Path]], path: Path) -> None:
    """One PDF of every paper, a top-level bookmark each, their headings' bookmarks beneath."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for paper, pdf in done:
        writer.append(str(pdf), outline_item=paper.title, import_outline=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic_write_bytes(path, buffer.getvalue())


def write_pdfs(records: dict[str, dict], outputs: Path = paths.OUTPUTS) -> PdfResult:
    """Print what changed since the last time, then the book if any of its PDFs changed."""
    folder = Path(outputs) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    seen_file = folder / DIGESTS
    seen = json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.exists() else {}
    todo, unchanged, now = [], [], {}
    listed = papers(records, outputs)
    for paper in listed:
        target = folder / f"{paper.paper_id}.pdf"
        now[paper.paper_id] = _digest(paper.html)
        if seen.get(paper.paper_id) == now[paper.paper_id] and target.exists():
            unchanged.append(paper.paper_id)
        else:
            todo.append((paper, target))
    if todo:
        print_pages(todo)
    book = Path(outputs) / BOOK
    order = [p.paper_id for p in listed]
    rebuild_book = bool(listed) and (
        bool(todo) or not book.exists() or seen.get("__book__") != order
    )
    if rebuild_book:
        _book([(p, folder / f"{p.paper_id}.pdf") for p in listed], book)
    atomic_write_text(seen_file, json.dumps({**now, "__book__": order}, indent=1, sort_keys=True))
    return PdfResult(
        tuple(p.paper_id for p, _ in todo),
        tuple(unchanged),
        book if listed else None,
        rebuild_book,
    )
