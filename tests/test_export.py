"""The HTML exporter: no code, no script, nothing from another host; TOC, banner, footer, budget."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reviewlib.brief.export import META_MIME, SUMMARY_MIME, export, to_html, word_count

HOSTILE = "<script>alert('x')</script> <img src=x onerror=alert(1)>"


def _notebook(illustrative: bool = True, body_words: int = 20) -> object:
    meta = {
        "title": "Belarus: achievements <and> gaps",
        "lang": "en",
        "illustrative": illustrative,
        "illustrative_note": "Sample data only.",
        "review_title": "GPA review 2017",
        "word_budget": 50,
        "provenance": {
            "Review": "GPA review 2017",
            "Parameters": "country=BLR",
            "Input digest": "abc123",
        },
    }
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    cells = [
        new_code_cell('country = "BLR"', metadata={"tags": ["parameters"]}),
        new_code_cell('country = "BLR"', metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("How to run this notebook.", metadata={"tags": ["hide"]}),
        new_code_cell(
            "display(header)",
            outputs=[
                new_output("display_data", data={META_MIME: meta, "text/plain": ""}),
                new_output(
                    "display_data", data={SUMMARY_MIME: {"key_message": "Strongest on prevention."}}
                ),
                new_output("stream", name="stderr", text="a warning nobody should read\n"),
            ],
        ),
        new_markdown_cell("## Key messages"),
        new_code_cell(
            "x",
            outputs=[
                new_output(
                    "execute_result",
                    execution_count=3,
                    data={
                        "text/html": "<ul class='key-messages'><li>"
                        + " ".join(["word"] * body_words)
                        + "</li></ul>",
                        "text/plain": "x",
                    },
                )
            ],
        ),
        new_markdown_cell("## What has been achieved"),
        new_code_cell(
            "quote", outputs=[new_output("display_data", data={"text/html": f"<p>{escaped}</p>"})]
        ),
        new_code_cell(
            "js",
            outputs=[
                new_output(
                    "display_data",
                    data={"application/javascript": "alert('js')", "text/plain": "js"},
                )
            ],
        ),
        new_code_cell(
            "annex",
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "text/html": '<h2 id="annex" class="annex-start">Evidence annex</h2><p>'
                        + " ".join(["annexword"] * 500)
                        + "</p>"
                    },
                )
            ],
        ),
    ]
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )


def test_page_has_no_code_script_or_remote_reference():
    page = to_html(_notebook())
    soup = BeautifulSoup(page, "lxml")
    assert soup.find("script") is None
    assert not soup.select("[onerror]")
    assert "country = " not in page and "display(header)" not in page
    assert "alert('js')" not in page
    assert "a warning nobody should read" not in page
    assert not re.search(r"https?://", page)
    for tag in soup.find_all(["link", "img", "iframe", "source"]):
        assert not re.match(r"https?:", tag.get("src", "") + tag.get("href", ""))
    assert "In&nbsp;[" not in page and "Out[" not in page


def test_contributor_text_shows_as_text():
    soup = BeautifulSoup(to_html(_notebook()), "lxml")
    assert HOSTILE in soup.get_text()


def test_title_banner_toc_footer_and_lang():
    soup = BeautifulSoup(to_html(_notebook()), "lxml")
    assert soup.html["lang"] == "en"
    assert soup.title.string == "Belarus: achievements <and> gaps"
    assert "Sample data only." in soup.select_one(".banner").get_text()
    toc = [a.get_text() for a in soup.select("nav.toc a")]
    assert toc == ["Key messages", "What has been achieved", "Evidence annex"]
    for a in soup.select("nav.toc a"):
        assert soup.find(id=a["href"][1:]) is not None
    footer = soup.select_one("footer.provenance").get_text()
    assert "country=BLR" in footer and "abc123" in footer
    assert soup.select_one(".annex-start") is not None


def test_no_banner_when_not_illustrative():
    assert (
        BeautifulSoup(to_html(_notebook(illustrative=False)), "lxml").select_one(".banner") is None
    )


@pytest.mark.parametrize("words, over", [(20, False), (60, True)])
def test_word_budget_counts_the_body_only(words, over):
    result = export(_notebook(body_words=words))
    assert result.over_budget is over
    assert (
        10 <= result.words - words <= 30
    )  # headings and the quote; the 500 annex words are not counted
    assert result.summary == {"key_message": "Strongest on prevention."}


def test_same_notebook_same_bytes():
    assert to_html(_notebook()) == to_html(_notebook())


def test_word_count_stops_at_the_annex():
    page = '<main><p>one two three</p><h2 class="annex-start">Annex</h2><p>four five</p></main>'
    assert word_count(page) == 3


def test_the_page_is_the_document_nbconverts_own_last_pass_would_give():
    """The exporter leaves out nbconvert's last pass (alt text for images without any, focusable
    notebook cells): for a brief that pass changed nothing but how tags are spelled."""
    from nbconvert import HTMLExporter

    from reviewlib.brief.export import EXPORTER_OPTIONS, _css, _exporter, _strip

    nb, meta, _ = _strip(_notebook())
    resources = {"brief": meta, "brief_css": _css()}
    theirs, _ = HTMLExporter(**EXPORTER_OPTIONS).from_notebook_node(nb, resources=dict(resources))
    ours, _ = _exporter().from_notebook_node(nb, resources=dict(resources))
    assert ours != theirs  # spelled differently …
    parsed = [BeautifulSoup(page, "html.parser").decode() for page in (ours, theirs)]
    assert parsed[0] == parsed[1]  # … the same document


def test_a_build_process_starts_without_compiling_the_iri_grammars():
    """Importing what runs and exports briefs (papermill, nbformat, nbconvert) in a fresh
    process does not import rfc3987_syntax, whose import compiles some thirty parsers (about
    1.3 s of every build and worker process); notebooks are still checked against their schema."""
    import subprocess
    import sys

    code = (
        "import sys, reviewlib.brief.runner, reviewlib.brief.export, papermill, nbformat\n"
        "from nbformat.v4 import new_notebook, new_code_cell\n"
        "nbformat.validate(new_notebook(cells=[new_code_cell('1')]))\n"
        "print('jsonschema' in sys.modules, sys.modules.get('rfc3987_syntax', 'absent'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "None"], run.stdout + run.stderr


_FIRST_PAGE = """
import hashlib
import jinja2
from reviewlib.brief import export

compiled = []
real = jinja2.Environment.compile
jinja2.Environment.compile = lambda self, *a, **k: compiled.append(1) or real(self, *a, **k)
nb = export.nbformat.v4.new_notebook(cells=[export.nbformat.v4.new_markdown_cell("## A heading")])
page = export.export(nb).html
print(len(compiled), hashlib.sha256(page.encode()).hexdigest())
"""


def test_a_process_first_page_reads_the_compiled_templates_from_the_disk_cache(tmp_path):
    """The templates a brief's page is rendered with are compiled once and kept in the disk
    cache: the next process renders its first page without compiling any, the same page."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "REVIEWLIB_NO_CACHE"}
    env["TMPDIR"] = str(tmp_path)

    def first_page() -> list[str]:
        run = subprocess.run(
            [sys.executable, "-c", _FIRST_PAGE], capture_output=True, text=True, env=env
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    compiled, page = first_page()
    assert int(compiled) > 0
    assert first_page() == ["0", page]
    assert list((tmp_path / f"reviewlib-cache-{os.getuid()}" / "templates").iterdir())
