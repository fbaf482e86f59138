"""Building blocks of a brief page: metadata bundles, paragraphs, sentences with their figures
marked, tables, charts, the annex heading.

Every block returns an object Jupyter displays as HTML. Contributor text is escaped in every
block; nothing here writes a <script>. The word budget is counted by `reviewlib.brief.export`.
The sections a brief notebook displays are `reviewlib.brief.sections`.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence

import pandas as pd

from reviewlib import __version__
from reviewlib.brief.figures import Figure
from reviewlib.brief.mime import META_MIME, SUMMARY_MIME
from reviewlib.brief.stamp import Stamp

EXCERPT = 320  # characters of a statement shown in tables


class Block:
    """Some HTML for a notebook output (rendered by Jupyter through _repr_html_)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


class Bundle:
    """A hidden bundle the exporter takes out of the notebook (brief metadata, index summary)."""

    def __init__(self, mime: str, data: dict):
        self.mime, self.data = mime, data

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {self.mime: self.data, "text/plain": ""}


def esc(value: object) -> str:
    return html.escape(
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    )


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def meta(
    *,
    title: str,
    review_title: str,
    parameters: dict,
    digest: str,
    latest_input: str,
    illustrative: bool,
    illustrative_note: str,
    word_budget: int,
    lang: str = "en",
    subtitle: str = "",
    milestone_note: str = "",
    status: str = "",
    short_title: str = "",
) -> Bundle:
    """What the exporter needs for the page: title, banners (illustrative data; the milestone
    the review is built as of), the stamp (`reviewlib.brief.stamp`), budget and the provenance
    footer."""
    shown = ", ".join(f"{k}={v}" for k, v in sorted(parameters.items())) or "none"
    return Bundle(
        META_MIME,
        {
            "title": title,
            "subtitle": subtitle,
            "review_title": review_title,
            "lang": lang,
            "illustrative": illustrative,
            "illustrative_note": illustrative_note,
            "milestone_note": milestone_note,
            "word_budget": word_budget,
            "version": __version__,
            "stamp": Stamp(short_title or review_title, status, latest_input, digest).as_dict(),
            "provenance": {
                "Review": review_title,
                "Parameters": shown,
                "Input digest": digest,
                "reviewlib version": __version__,
                "Latest input": latest_input or "unknown",
            },
        },
    )


def summary(**data: object) -> Bundle:
    """Facts for the index page (the key message shown beside the brief's link)."""
    return Bundle(SUMMARY_MIME, {k: v for k, v in data.items()})


def paragraph(text: str, css: str = "") -> Block:
    cls = f' class="{css}"' if css else ""
    return Block(f"<p{cls}>{esc(text)}</p>")


def bullets(items: Iterable[str]) -> Block:
    return Block("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def figure_span(f: Figure) -> str:
    """A figure with the table cell it is, for a reader or a test to check."""
    return (
        f'<span class="figure" data-table="{esc(f.table)}" data-key="{esc(f.key_text)}" '
        f'data-column="{esc(f.column)}">{esc(f.shown)}</span>'
    )


def sentence(parts: Iterable[str | Figure]) -> str:
    """A sentence as HTML: text escaped, figures marked with their source."""
    return "".join(figure_span(p) if isinstance(p, Figure) else esc(p) for p in parts)


def _cell(value: object) -> str:
    if isinstance(value, float) and value == int(value):
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def table(
    frame: pd.DataFrame,
    columns: dict[str, str] | None = None,
    numeric: Iterable[str] = (),
    empty: str = "Nothing to show.",
    source: tuple[str, Sequence[str]] | None = None,
    figures: Iterable[str] = (),
    label: str = "Table",
) -> Block:
    """A plain, escaped HTML table in its scrolling box (`table_box`); `columns` maps column →
    heading (and picks and orders them).

    With `source` = (published table, its key columns), the cells of the columns in `figures`
    are marked as figures of that table (the key columns must be in `frame`)."""
    if frame.empty:
        return paragraph(empty, "note")
    columns = columns or {c: c for c in frame.columns}
    numeric, marked = set(numeric), set(figures) if source else set()
    head = "".join(
        f'<th{" class=num" if c in numeric else ""} scope="col">{esc(h)}</th>'
        for c, h in columns.items()
    )
    rows = []
    for _, record in frame.iterrows():
        key = tuple((k, str(record[k])) for k in source[1]) if source else ()
        cells = []
        for c in columns:
            shown = _cell(record[c])
            inner = figure_span(Figure(shown, source[0], key, c)) if c in marked else esc(shown)
            cells.append(f"<td{' class=num' if c in numeric else ''}>{inner}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return table_box(head, rows, label)


def table_box(head: str, rows: Iterable[str], label: str = "Table") -> Block:
    """A table in its own box, which scrolls sideways on a narrow screen instead of the page;
    the box is a labelled region a keyboard can reach, so its overflow can be scrolled."""
    return Block(
        f'<div class="table-box" role="region" tabindex="0" aria-label="{esc(label)}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def figure(fig, alt: str, caption: str) -> Block:
    """A matplotlib figure as an inline SVG image with alt text and a caption; same figure → same
    bytes. On a narrow screen the chart keeps its size (readable labels) and scrolls in its box."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "reviewlib", "svg.fonttype": "none"}):
        fig.savefig(
            buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return Block(
        f'<figure class="chart" tabindex="0"><img src="data:image/svg+xml;base64,{data}" '
        f'alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def annex_heading(title: str = "Evidence annex") -> Block:
    """Starts the annex: a new page when printed, and not counted in the word budget."""
    return Block(f'<h2 id="annex" class="annex-start">{esc(title)}</h2>')
