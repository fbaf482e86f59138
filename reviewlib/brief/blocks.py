"""Building blocks the brief notebooks call: metadata, key messages, tables, figures, the annex.

Every block returns an object Jupyter displays as HTML. Contributor text is escaped in every
block; nothing here writes a <script>. The word budget is counted by `reviewlib.export`.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence

import pandas as pd

from reviewlib import __version__, paths
from reviewlib.brief.export import META_MIME, SUMMARY_MIME
from reviewlib.terms import KIND_LABELS, PILLAR_LABELS, TYPE_LABELS

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
) -> Bundle:
    """What the exporter needs for the page: title, banner, budget and the provenance footer."""
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
            "word_budget": word_budget,
            "version": __version__,
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


def key_messages(messages: Sequence[str]) -> Block:
    items = "".join(f"<li>{esc(m)}</li>" for m in messages)
    return Block(f'<ul class="key-messages">{items}</ul>')


def paragraph(text: str, css: str = "") -> Block:
    cls = f' class="{css}"' if css else ""
    return Block(f"<p{cls}>{esc(text)}</p>")


def bullets(items: Iterable[str]) -> Block:
    return Block("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def table(
    frame: pd.DataFrame,
    columns: dict[str, str] | None = None,
    numeric: Iterable[str] = (),
    empty: str = "Nothing to show.",
) -> Block:
    """A plain, escaped HTML table; `columns` maps column → heading (and picks and orders them)."""
    if frame.empty:
        return paragraph(empty, "note")
    columns = columns or {c: c for c in frame.columns}
    numeric = set(numeric)
    head = "".join(
        f'<th{" class=num" if c in numeric else ""} scope="col">{esc(h)}</th>'
        for c, h in columns.items()
    )
    rows = []
    for record in frame[list(columns)].itertuples(index=False):
        cells = "".join(
            f"<td{' class=num' if c in numeric else ''}>{esc(v)}</td>"
            for c, v in zip(columns, record, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return Block(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def figure(fig, alt: str, caption: str) -> Block:
    """A matplotlib figure as an inline SVG image with alt text and a caption; same figure → same bytes."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "reviewlib", "svg.fonttype": "none"}):
        fig.savefig(
            buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return Block(
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def annex_heading(title: str = "Evidence annex") -> Block:
    """Starts the annex: a new page when printed, and not counted in the word budget."""
    return Block(f'<h2 id="annex" class="annex-start">{esc(title)}</h2>')


# Blocks of a brief, from its content (reviewlib.brief.content.BriefContent) -----------------------


def inputs(inputs_dir: str = "") -> str:
    """The inputs folder a notebook parameter names ('' = the project's inputs/)."""
    return inputs_dir or str(paths.INPUTS)


def prepare(part, inputs_dir: str = ""):
    """Load the review (once per kernel for the same files) and compute one brief's content."""
    from reviewlib.brief.content import prepare as _prepare
    from reviewlib.gather.review import load_review

    return _prepare(load_review(inputs(inputs_dir)), part)


def header(content, parameters: dict) -> list[Bundle]:
    """The hidden bundles: page metadata and the index page's summary."""
    review_config = content.config
    return [
        meta(
            title=content.title,
            subtitle=content.subtitle,
            review_title=review_config.title,
            parameters={
                k: v for k, v in parameters.items() if k not in ("inputs_dir", "outputs_dir")
            },
            digest=content.digest[:16],
            latest_input=content.latest_input,
            illustrative=review_config.illustrative,
            illustrative_note=review_config.illustrative_note,
            word_budget=review_config.word_budget,
            lang=review_config.language,
        ),
        summary(
            key_message=content.key_messages[0] if content.key_messages else "", title=content.title
        ),
    ]


def quotes(frame: pd.DataFrame, empty: str) -> Block:
    """Statements quoted in the body, each with who said it and its id for the annex."""
    if frame.empty:
        return paragraph(empty, "note")
    items = []
    for r in frame.itertuples(index=False):
        who = f"{esc(r.submitter)} ({esc(TYPE_LABELS.get(r.stakeholder_type, r.stakeholder_type))})"
        items.append(
            f'<li><span class="quote">{esc(excerpt(r.text, 220))}</span> — {who} '
            f'<span class="evidence-id">[{esc(r.statement_id)}]</span></li>'
        )
    return Block("<ul>" + "".join(items) + "</ul>")


def standing(content) -> list[Block]:
    """The brief's table of where things stand, and its chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    blocks = []
    if not content.standing.empty:
        numeric = [
            c
            for c in content.standing_columns
            if pd.api.types.is_numeric_dtype(content.standing[c])
        ]
        shown = content.standing.copy()
        if "text" in shown:
            shown["text"] = shown["text"].map(lambda t: excerpt(t, 90))
        for c in numeric:
            if pd.api.types.is_float_dtype(shown[c]):
                shown[c] = shown[c].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}")
        blocks.append(table(shown, content.standing_columns, numeric))
    chart = content.chart.dropna()
    if len(chart):
        fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(chart) + 0.9), dpi=100)
        ax.barh(list(chart["category"])[::-1], list(chart["value"])[::-1], color="#00558c")
        ax.set_title(content.chart_title, fontsize=10, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=9)
        alt = (
            content.chart_title
            + ": "
            + "; ".join(
                f"{c} {v:g}" for c, v in zip(chart["category"], chart["value"], strict=True)
            )
        )
        blocks.append(figure(fig, alt=alt, caption=content.chart_title + "."))
    return blocks


def ideas(content) -> Block:
    """The best-ranked ideas: label, support, novelty and the commitment each builds on."""
    if content.ideas.empty:
        return paragraph("No proposals were made on this part of the review.", "note")
    rows = []
    for r in content.ideas.itertuples(index=False):
        support = (
            f"{r.n_submitters} contributor{'s' if r.n_submitters != 1 else ''}, "
            f"{r.n_stakeholder_types} kind{'s' if r.n_stakeholder_types != 1 else ''}"
        )
        novelty = r.status_label + (f" ({r.builds_on})" if r.builds_on else "")
        rows.append(
            f"<tr><td class=num>{esc(r.rank)}</td><td>{esc(r.label)}</td><td>{esc(support)}</td>"
            f"<td>{esc(novelty)}</td></tr>"
        )
    return Block(
        f'<p>{esc(content.ideas_headline)}.</p><table><thead><tr><th class=num scope="col">Rank</th>'
        '<th scope="col">Idea</th><th scope="col">Support</th><th scope="col">Against the GPA</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def annex(content) -> list[Block]:
    """The evidence annex: every statement and GLOTIP figure the body cites, by id."""
    blocks = [
        annex_heading(),
        paragraph(
            "Every statement quoted or counted above, with its id, as submitted (text shortened).",
            "note",
        ),
    ]
    statements = content.annex.assign(
        who=lambda f: (
            f["submitter"] + " (" + f["stakeholder_type"].map(TYPE_LABELS).fillna("") + ")"
        ),
        kind_label=lambda f: f["kind"].map(KIND_LABELS),
        short=lambda f: f["text"].map(lambda t: excerpt(t, 400)),
    )
    blocks.append(
        table(
            statements,
            {
                "statement_id": "Id",
                "who": "Contributor",
                "kind_label": "Kind",
                "pillar": "Pillar",
                "scope": "About",
                "short": "Statement",
            },
            empty="No statement is cited.",
        )
    )
    if not content.annex_indicators.empty:
        ind = content.annex_indicators.assign(
            shown=lambda f: f.apply(
                lambda r: "<5" if r["suppressed"] else f"{r['value']:,.0f}", axis=1
            )
        )
        blocks.append(Block("<h3>UNODC Global Report figures</h3>"))
        blocks.append(
            table(ind, {"indicator": "Indicator", "year": "Year", "shown": "Value"}, ["year"])
        )
        blocks.append(
            paragraph(
                "Source: UNODC Global Report on Trafficking in Persons, country data export. "
                "'<5' is a count under five, published suppressed: not zero.",
                "note",
            )
        )
    return blocks


def ideas_by_pillar(content, per_pillar: int = 3) -> list[Block]:
    """Elements for the zero draft: the best-ranked new ideas of each pillar."""
    blocks = []
    for pillar, label in PILLAR_LABELS.items():
        top = content.pool.top(pillar=pillar, n=per_pillar, new_only=True)
        blocks.append(Block(f"<h3>{esc(label)}</h3>"))
        if top.empty:
            blocks.append(paragraph("No new idea was proposed under this pillar.", "note"))
            continue
        items = [
            f"<li>{esc(r.label)} <span class=note>— {r.n_submitters} contributors "
            f"({esc(r.stakeholder_types.replace(';', ', ').replace('_', ' '))})"
            f"{'; builds on ' + esc(r.builds_on) if r.builds_on else ''}</span></li>"
            for r in top.itertuples(index=False)
        ]
        blocks.append(Block("<ol>" + "".join(items) + "</ol>"))
    return blocks


def themes(content) -> Block:
    """The themes the GPA covers thinly: what was reported on each."""
    t = content.scores.theme_summary
    return table(
        t,
        {
            "label": "Theme",
            "achievements": "Achievements",
            "gaps": "Gaps",
            "proposals": "Proposals",
            "status": "Status",
        },
        ["achievements", "gaps", "proposals"],
    )


def balance(content) -> list[Block]:
    """How representative the contributions are: the index and the flags."""
    b = content.balance
    return [
        paragraph(
            f"Balance index {b.index:.2f} (0 = one kind of voice from one region; 1 = every kind of "
            "contributor, regions in proportion, every ICAT member)."
        ),
        bullets(b.messages[:4]),
    ]


def good_practices(content, n: int = 5) -> Block:
    """The good practices most widely reported, as ideas grouped like proposals."""
    top = content.pool.top(n=n, kind="good_practice")
    if top.empty:
        return paragraph("No good practice was reported.", "note")
    items = [
        f"<li>{esc(r.label)} <span class=note>— {r.n_submitters} contributor"
        f"{'s' if r.n_submitters != 1 else ''}</span></li>"
        for r in top.itertuples(index=False)
    ]
    return Block("<ol>" + "".join(items) + "</ol>")
