"""What a reader sees: each kind of brief opened from disk in headless Chromium, offline, on a
390-px phone and a 1280-px screen, checked by axe-core, and printed on A4."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS

from reviewlib import load_review, paths
from reviewlib.brief.build import read_manifest, run_batch
from reviewlib.brief.contributors import write_contributors
from reviewlib.brief.index_page import write_index

pytestmark = pytest.mark.slow
KINDS = [
    "summary",
    "panel-protection_trust_fund",
    "overview",
    "ideas",
    "pillar-protection",
    "theme-migration",
    "region-african",
    "country-blr",
    "country-npl",
]
BODY_PAGES = 3  # the body of a brief prints on at most this many A4 pages; the annex follows
SUMMARY_PAGES = 2  # the executive summary's body
WIDTHS = (390, 1280)  # a phone and a desktop screen
# axe-core from its npm package, pinned in the Makefile (`make axe`, which `make test` runs).
AXE = paths.PROJECT_ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing under CI: `make browser` installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One brief of each kind built from the demo, plus a contribution with hostile text about Nepal."""
    root = tmp_path_factory.mktemp("site")
    inputs = root / "inputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    (inputs / "contributions" / "CSO-HOSTILE.csv").write_text(
        "submitter,stakeholder_type,country,received,language,kind,pillar,scope,text\n"
        'Hill Shelter Trust,civil_society,,2017-05-01,en,gap,protection,NPL,"An advert read '
        "<script>alert('x')</script> and showed <img src=x onerror=alert(1)>; nobody removed it.\"\n"
    )
    outputs = root / "outputs"
    review = load_review(inputs)
    result = run_batch(review, outputs, workers=2, only=",".join(KINDS), progress=False)
    assert result.failed == 0
    write_contributors(review, outputs)
    write_index(review, result.records, outputs)
    return outputs


def _open(browser, path: Path, width: int = 1100):
    page = browser.new_page(viewport={"width": width, "height": 1400})
    events = {"requests": [], "console": [], "errors": [], "dialogs": []}

    def route(r):
        if r.request.url.startswith("file:") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            events["requests"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: events["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, events


@pytest.mark.parametrize("brief", KINDS)
def test_each_brief_renders_offline_with_no_error(browser, site, brief, tmp_path):
    page, events = _open(browser, site / "briefs" / f"{brief}.html")
    assert events == {"requests": [], "console": [], "errors": [], "dialogs": []}
    assert page.locator("h1").inner_text()
    assert page.locator(".banner").is_visible()
    # every quote and every statement of the annex says the language of its text
    assert page.locator("blockquote:not([lang])").count() == 0
    statements = '[aria-label="Statements counted"] tbody'
    rows = page.locator(f"{statements} tr").count()
    assert page.locator(f"{statements} td[lang]").count() == rows > 0
    images = page.locator("figure img")
    for i in range(images.count()):
        assert images.nth(i).get_attribute("alt")
        assert page.evaluate("img => img.naturalWidth > 0", images.nth(i).element_handle())
    page.screenshot(path=str(tmp_path / f"{brief}.png"), full_page=True)
    page.evaluate("""() => { const a = document.querySelector('.annex-start');
        if (a) { let n = a.closest('.jp-Cell') || a; while (n.nextSibling) n.nextSibling.remove(); n.remove(); }
        document.querySelector('footer')?.remove(); }""")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    most = SUMMARY_PAGES if brief == "summary" else BODY_PAGES
    assert 1 <= pages <= most, f"{brief}: body prints on {pages} pages"
    page.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing under CI: `make axe` installs it")
        pytest.skip("axe-core is not installed (make axe)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index", "contributors", *KINDS])
def test_pages_fit_the_screen_and_axe_finds_no_violation(browser, site, axe_source, name, width):
    """No page scrolls sideways (wide tables and charts scroll in their own box) and axe-core
    reports nothing, on a phone and on a desktop screen."""
    path = site / "index.html" if name == "index" else site / "briefs" / f"{name}.html"
    page, _ = _open(browser, path, width)
    assert page.evaluate("document.documentElement.scrollWidth") == width
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => "
        "`${v.id}: ${v.nodes.length} nodes, e.g. ${v.nodes[0].target.join(' ')}`)"
    )
    assert found == [], f"{name} at {width} px"
    if width == WIDTHS[0]:  # a chart keeps readable labels: drawn at its own size, scrolled
        for img in page.locator("figure.chart img").element_handles():
            assert page.evaluate("i => i.getBoundingClientRect().width >= i.naturalWidth - 1", img)
    page.close()


def _print(page) -> list[list[str]]:
    """The page printed on A4: the lines of text of each sheet, the margin furniture (two lines
    at the head of each sheet's text) apart."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [sheet.extract_text().splitlines() for sheet in reader.pages]


@pytest.mark.parametrize("brief", KINDS)
def test_printed_pages_carry_the_stamp_and_no_heading_ends_a_page(browser, site, brief):
    page, _ = _open(browser, site / "briefs" / f"{brief}.html")
    headings = {
        " ".join(t.split()) for t in page.locator("main h2, main h3").all_inner_texts() if t
    }
    sheets = _print(page)
    for n, lines in enumerate(sheets, 1):
        furniture = " ".join(lines[:2])
        assert "GPA review 2017" in furniture and "Advance unedited draft" in furniture
        assert f"Page {n} of {len(sheets)}" in furniture and "Version " in furniture
        body = [line.strip() for line in lines[2:] if line.strip()]
        if n < len(sheets):
            assert body[-1] not in headings, f"{brief}: '{body[-1]}' ends page {n}"
    page.close()


def test_hostile_text_shows_as_text_and_runs_nothing(browser, site):
    page, events = _open(browser, site / "briefs" / "country-npl.html")
    assert "<script>alert('x')</script>" in page.locator("main").inner_text()
    assert (
        page.locator("main script").count() == 0 and page.locator("main img[onerror]").count() == 0
    )
    assert events["dialogs"] == [] and events["errors"] == []
    page.close()


def test_the_index_links_every_brief(browser, site):
    page, events = _open(browser, site / "index.html")
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    assert {f"briefs/{b}.html" for b in KINDS} <= set(hrefs)
    # the papers for the meeting come first: the summary, then the acknowledgements
    assert hrefs[:2] == ["briefs/summary.html", "briefs/contributors.html"]
    assert events["requests"] == [] and events["errors"] == []
    page.close()


def _annex_page(pdf: Path) -> int:
    """The printed page on which the evidence annex starts (1-based; 0 when it has none)."""
    from pypdf import PdfReader

    for n, sheet in enumerate(PdfReader(str(pdf)).pages, 1):
        if any(line.strip() == "Evidence annex" for line in sheet.extract_text().splitlines()):
            return n
    return 0


def test_each_brief_and_the_book_as_pdf_rebuilt_only_when_the_html_changed(browser, site):
    from pypdf import PdfReader

    from reviewlib.brief.pdf import BOOK, FOLDER, write_pdfs

    records = read_manifest(site)
    first = write_pdfs(records, site)
    assert set(first.written) == {*KINDS, "contributors"} and first.book_written
    for paper in first.written:
        pdf = site / FOLDER / f"{paper}.pdf"
        annex = _annex_page(pdf)
        most = SUMMARY_PAGES if paper == "summary" else BODY_PAGES
        if paper != "contributors":
            assert 2 <= annex <= most + 1, f"{paper}: the annex starts on page {annex}"
    book = PdfReader(str(site / BOOK))
    titles = [item.title for item in book.outline if not isinstance(item, list)]
    assert titles[0] == "Executive summary" and titles[-1] == "Acknowledgements"
    assert len(titles) == len(first.written)
    assert len(book.pages) == sum(
        len(PdfReader(str(site / FOLDER / f"{p}.pdf")).pages) for p in first.written
    )
    again = write_pdfs(records, site)
    assert again.written == () and not again.book_written
    page = site / "briefs" / "country-npl.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    third = write_pdfs(records, site)
    assert third.written == ("country-npl",) and third.book_written
