"""An executed brief notebook → one self-contained HTML page (nbconvert with our own template).

No code, no prompts, no parameters cell, no script and nothing fetched from another host; a
table of contents from the headings; the banner, title and provenance footer from the metadata
the notebook displayed through `reviewlib.brief.blocks.meta`.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat

from reviewlib import paths
from reviewlib.brief.mime import META_MIME, SUMMARY_MIME

_HIDDEN_TAGS = {"parameters", "injected-parameters", "remove", "hide"}
_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<text>.*?)</h2>", re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")
_CELL_ID = re.compile(r'\sid="cell-id=[^"]*"')
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class ExportedBrief:
    html: str
    title: str
    words: int
    word_budget: int | None
    summary: dict

    @property
    def over_budget(self) -> bool:
        return self.word_budget is not None and self.words > self.word_budget


# nbconvert's HTML exporter with our template: no code, no prompts, images inside the page.
EXPORTER_OPTIONS = {
    "template_name": "brief",
    "extra_template_basedirs": [str(paths.TEMPLATES)],
    "exclude_input": True,
    "exclude_input_prompt": True,
    "exclude_output_prompt": True,
    "exclude_anchor_links": True,
    "embed_images": True,
    # the notebook is checked against its schema once, after every preprocessor, not after each
    "optimistic_validation": True,
}


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass. That pass parses the whole page
        again (BeautifulSoup) to give an image with no alt text a stock one and to make the
        cells of a JupyterLab page focusable, then writes the page out again. A brief has
        neither: every image it shows carries its own alt text (`blocks`) and its template
        keeps none of the notebook's cells. The pass left the same document (only the spelling
        of its tags changed) and took nine tenths of the export: 0.45 s of the overview's."""

        def _create_environment(self):
            """nbconvert's template environment, its compiled templates kept in the disk cache
            (Jinja's own bytecode cache, by each template's source): a process's first page
            then reads the six templates it renders with rather than compiling them (0.05 s)."""
            from jinja2 import FileSystemBytecodeCache

            from reviewlib.gather.cache import side_folder

            environment = super()._create_environment()
            if (folder := side_folder("templates")) is not None:
                environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
            return environment

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            lexer = nb.metadata.get("language_info", {}).get("pygments_lexer")
            self.register_filter(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefExporter(**EXPORTER_OPTIONS)


def prime() -> None:
    """Make the exporter and render a small page with it: its first page costs about a tenth of
    a second more than the next (the templates compiled, the Markdown parser and its plugins
    made), which a process that waits for its first brief can pay beforehand."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "## A heading\n\nSome *text*, [a link](#a) and a list:\n\n- one"
            ),
            nbformat.v4.new_code_cell(
                "",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data", {"text/html": "<p>A paragraph.</p>", "text/plain": "-"}
                    )
                ],
            ),
        ]
    )
    export(nb)


@lru_cache(maxsize=1)
def _css() -> str:
    return (paths.TEMPLATES / "brief" / "brief.css").read_text(encoding="utf-8")


def _strip(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict, dict]:
    """Drop hidden cells, code inputs and widget state; take out the brief's metadata bundles."""
    nb = copy.deepcopy(nb)
    meta: dict = {}
    summary: dict = {}
    cells = []
    for cell in nb.cells:
        if _HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            outputs = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if META_MIME in data:
                    meta.update(data[META_MIME])
                    continue
                if SUMMARY_MIME in data:
                    summary.update(data[SUMMARY_MIME])
                    continue
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                outputs.append(output)
            if not outputs:
                continue
            cell.outputs = outputs
            cell.source = ""
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    return nb, meta, summary


def word_count(body_html: str) -> int:
    """Words a reader reads in the body of a brief (the evidence annex and footer excluded)."""
    start = body_html.find("<main>")
    end = body_html.find('class="annex-start"')
    end = body_html.rfind("<", 0, end) if end >= 0 else body_html.find("</main>")
    text = html.unescape(_TAG.sub(" ", body_html[max(start, 0) : end]))
    return len(_WORD.findall(text))


def _with_toc(page: str) -> str:
    """Give every body heading an id and list them in the table of contents."""
    start = page.find("<main>")
    head, main = page[:start], page[start:]
    items: list[str] = []
    used: set[str] = set()

    def visit(match: re.Match[str]) -> str:
        attrs, text = match["attrs"], match["text"]
        found = _ID.search(attrs)
        anchor = (
            found.group(1)
            if found
            else re.sub(r"[^\w]+", "-", _TAG.sub("", text).strip().lower()).strip("-")
        )
        base, n = anchor or "section", 1
        while anchor in used or not anchor:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        if not found:
            attrs = f' id="{anchor}"' + attrs
        if "no-toc" not in attrs:
            items.append(f'<li><a href="#{anchor}">{_TAG.sub("", text).strip()}</a></li>')
        return f"<h2{attrs}>{text}</h2>"

    main = _H2.sub(visit, main)
    toc = (
        '<h2 class="no-toc toc-title">Contents</h2><ol>' + "".join(items) + "</ol>" if items else ""
    )
    return head.replace("@@TOC@@", toc, 1) + main


def export(
    notebook: nbformat.NotebookNode | str | Path, word_budget: int | None = None
) -> ExportedBrief:
    """Render an executed brief; `word_budget` defaults to the one the notebook recorded."""
    if not isinstance(notebook, nbformat.NotebookNode):
        notebook = nbformat.read(str(notebook), as_version=4)
    nb, meta, summary = _strip(notebook)
    body, _ = _exporter().from_notebook_node(nb, resources={"brief": meta, "brief_css": _css()})
    page = _with_toc(_CELL_ID.sub("", body))
    page = "\n".join(line.rstrip() for line in page.splitlines()) + "\n"
    budget = word_budget if word_budget is not None else meta.get("word_budget")
    return ExportedBrief(page, str(meta.get("title", "")), word_count(page), budget, summary)


def to_html(notebook: nbformat.NotebookNode | str | Path) -> str:
    """The self-contained HTML of an executed brief notebook."""
    return export(notebook).html
