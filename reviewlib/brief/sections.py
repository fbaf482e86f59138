"""The sections a brief notebook displays, from its content (`reviewlib.brief.content`): what has
moved, what is still missing (each finding with its quote), options for the declaration, where
the evidence stands, the basis, the evidence annex — and the overview's, the ideas brief's and
the methods note's own sections.

Quotes are shown in English, with who said it, their kind and regional group and the evidence
they gave; an achievement a non-State contributor reports of its own work is labelled as its
initiative. Every number is marked with the table cell it comes from.
"""

from __future__ import annotations

import pandas as pd

from reviewlib import paths
from reviewlib.brief import charts
from reviewlib.brief.blocks import (
    Block,
    Bundle,
    annex_heading,
    esc,
    excerpt,
    meta,
    paragraph,
    sentence,
    summary,
    table,
    table_box,
)
from reviewlib.brief.figures import Figure, figure, plural
from reviewlib.brief.quotes import english_text
from reviewlib.errors import ReviewlibError
from reviewlib.terms import GROUP_LABELS, KIND_LABELS, LANGUAGE_NAMES, PILLAR_LABELS, TYPE_LABELS

QUOTE_CHARACTERS = 200
_OWN_WORK = ("achievement", "good_practice")


def inputs(inputs_dir: str = "") -> str:
    """The inputs folder a notebook parameter names ('' = the project's inputs/)."""
    return inputs_dir or str(paths.INPUTS)


def prepare(part, inputs_dir: str = "", milestone: str = ""):
    """Load the review (once per kernel for the same files), as of a milestone of review.yml
    when one is named, and compute one brief's content."""
    from reviewlib.brief.content import prepare as _prepare
    from reviewlib.gather.review import load_review

    return _prepare(load_review(inputs(inputs_dir), milestone=milestone or None), part)


def ready(inputs_dir: str = "", ideas: bool = True) -> None:
    """Load the review and compute what every brief of it shares (scores, balance, the tables
    briefs of several kinds read, the pool of ideas, the hashes of the rows every brief's input
    digest is made of), so that a kernel does it while it would otherwise wait, not in its
    first briefs. With `ideas` False, all but the pool and the digests (which read the pool)."""
    from reviewlib.brief.content import review_wide
    from reviewlib.brief.digests import input_digest
    from reviewlib.brief.slices import Slice
    from reviewlib.gather.review import load_review
    from reviewlib.ideas.pool import pool

    review = load_review(inputs(inputs_dir))
    try:
        if paths.rubric_file(review.inputs_dir).exists():
            scores, _ = review_wide(review)
            scores.tables()  # each made once, when first asked for
        if ideas:
            pool(review)
            input_digest(review, Slice("overview"))  # (the overview reads every row)
    except ReviewlibError:  # a bad rubric or ideas setting: each brief meets it and says so
        pass


def header(content, parameters: dict) -> list[Bundle]:
    """The hidden bundles: page metadata and the index page's summary."""
    config = content.config
    return [
        meta(
            title=content.title,
            subtitle=content.subtitle,
            review_title=config.title,
            parameters={
                k: v for k, v in parameters.items() if k not in ("inputs_dir", "outputs_dir")
            },
            digest=content.digest[:16],
            latest_input=content.latest_input,
            illustrative=config.illustrative,
            illustrative_note=config.illustrative_note,
            word_budget=config.word_budget,
            lang=config.language,
            milestone_note=config.milestone.note if config.milestone else "",
            status=config.status,
            short_title=config.short_title,
        ),
        summary(key_message=content.key_message, title=content.title),
    ]


def _who(row: pd.Series | dict, names: dict[str, str] | None = None) -> str:
    """Who said it: a Member State by its UN name (however its contribution wrote it), anyone
    else by the name they gave; their kind and regional group."""
    kind = TYPE_LABELS.get(row["stakeholder_type"], row["stakeholder_type"])
    group = GROUP_LABELS.get(str(row.get("submitter_group", "")), ("",))[0]
    name = row["submitter"]
    if row["stakeholder_type"] == "member_state" and names:
        name = names.get(str(row.get("country", "")), name)
    return f"{name} ({kind}{', ' + group if group else ''})"


def _rendered_by(source: object) -> str:
    """Who made a statement's English rendering, as a reader is told."""
    return {
        "machine": "Machine translation",
        "secretariat": "English text by the secretariat",
        "contributor": "English text by the contributor",
    }.get(str(source or ""), "English text")


def quote(
    statements: pd.DataFrame,
    statement_id: str,
    language: str = "en",
    names: dict[str, str] | None = None,
) -> str:
    """One quoted statement: its English text, who said it, their evidence (when written in the
    brief's language; else it is in the annex with the original), its id."""
    row = statements.set_index("statement_id").loc[statement_id]
    row = row.copy()
    row["statement_id"] = statement_id
    text = english_text(row, language)
    own_work = row["stakeholder_type"] != "member_state" and row["kind"] in _OWN_WORK
    who = f"Initiative by {_who(row, names)}" if own_work else _who(row, names)
    original = str(row.get("language", "") or "")
    how = _rendered_by(row.get("text_en_source", ""))
    rendering = (
        f" {how} of the {LANGUAGE_NAMES.get(original, original)} original (annex)."
        if original and original != language
        else ""
    )
    evidence = str(row.get("evidence", "") or "").strip()
    given = ""
    if evidence and original in ("", language):
        given = f" Evidence given: {esc(excerpt(evidence, 120))}."
    elif evidence:
        given = " Evidence given in the original (annex)."
    return (
        f'<figure class="quote"><blockquote lang="{esc(language)}">'
        f"“{esc(excerpt(text, QUOTE_CHARACTERS))}”</blockquote>"
        f'<figcaption class="attribution">— {esc(who)} '
        f'<span class="evidence-id">[{esc(statement_id)}]</span>.{esc(rendering)}{given}'
        "</figcaption></figure>"
    )


def findings(content, which: str, empty: str) -> Block:
    """What has moved (`which` = "moved") or what is still missing ("missing"), each finding with
    the statement chosen to illustrate it."""
    items = getattr(content, which)
    if not items:
        return paragraph(empty, "note")
    shown = []
    for finding in items:
        chosen = content.quotes.get(finding, "")
        quoted = (
            quote(content.statements, chosen, content.config.language, content.names)
            if chosen
            else ""
        )
        shown.append(f"<li><p>{sentence(finding.sentence)}</p>{quoted}</li>")
    return Block(f'<ul class="findings">{"".join(shown)}</ul>')


def _support(summary: pd.DataFrame, idea_id: str) -> str:
    key = {"idea_id": idea_id}
    n = figure("idea_summary", summary, key, "n_submitters")
    kinds = figure("idea_summary", summary, key, "n_stakeholder_types")
    groups = figure("idea_summary", summary, key, "n_regional_groups")
    parts = (
        "backed by ",
        *plural(n, "contributor"),
        " of ",
        *plural(kinds, "kind"),
        " from ",
        *plural(groups, "regional group"),
    )
    return sentence(parts)


def _idea(r, summary_table: pd.DataFrame, bridge: bool = True) -> str:
    """One idea of the pool: its label, its support (cells of idea_summary) and the commitment it
    builds on where the link is meaningful."""
    both = "; Member States and non-governmental contributors alike"
    builds_on = str(getattr(r, "builds_on", "") or "")
    return (
        f'<li><span class="idea">{esc(r.label)}</span> <span class=note>— '
        f"{_support(summary_table, r.idea_id)}"
        f"{both if bridge and r.states_and_non_state else ''}"
        f"{'; builds on ' + esc(builds_on) if builds_on else ''}</span></li>"
    )


idea_item = _idea  # one idea as every list of ideas shows it (the summary's too)


def options(content) -> Block:
    """Options for the declaration: the best-ranked new ideas of the review's one pool that bear
    on this brief's statements, with the support of the whole pool."""
    if content.options.empty:
        return paragraph("No new idea was proposed on this part of the review.", "note")
    summary_table = content.pool.summary
    items = [_idea(r, summary_table) for r in content.options.itertuples(index=False)]
    return Block('<ol class="options">' + "".join(items) + "</ol>")


def standing(content) -> list[Block]:
    """Where the evidence stands: the table of the brief's rows of a published table, notes and
    a chart of contributors reporting achievements and gaps."""
    blocks: list[Block] = []
    if not content.standing.empty:
        columns = content.standing_columns
        source_name, keys = content.standing_source
        shown = content.standing
        numeric = [c for c in columns if pd.api.types.is_numeric_dtype(shown[c])]
        marked = [c for c in columns if c not in ("commitment_label", "pillar_label", "label")]
        blocks.append(
            table(
                shown,
                columns,
                numeric,
                source=(source_name, keys),
                figures=marked,
                label="Where the evidence stands",
            )
        )
    blocks += [Block(f"<p>{sentence(note)}</p>") for note in content.notes]
    chart = content.chart
    if len(chart):
        blocks.append(charts.chart(chart, content.chart_title, content.inputs))
    return blocks


def basis(content) -> Block:
    return Block(f'<p class="basis">{sentence(content.basis)}</p>')


def _annexed(r, language: str) -> str:
    """A statement's annex cell: its English rendering first when the original is in another
    language, then the original with its language; the evidence the contributor gave."""
    given = str(getattr(r, "evidence", "") or "").strip()
    evidence = f"<br><small>Evidence given: {esc(excerpt(given, 200))}</small>" if given else ""
    lang = esc(r.language or "und")
    english = str(getattr(r, "text_en", "") or "").strip()
    if not english or r.language in ("", language) or english == r.text:
        return f'<td lang="{lang}">{esc(excerpt(r.text, 400))}{evidence}</td>'
    name = LANGUAGE_NAMES.get(r.language, r.language)
    return (
        f'<td lang="{esc(language)}">{esc(excerpt(english, 400))} '
        f"<small>({_rendered_by(getattr(r, 'text_en_source', ''))})</small>"
        f'<br><small>{esc(name)} original:</small> <span lang="{lang}">'
        f"{esc(excerpt(r.text, 400))}{evidence}</span></td>"
    )


def annex(content) -> list[Block]:
    """The evidence annex: every statement the brief counted, in its original language, and the
    UNODC figures it used."""
    blocks = [
        annex_heading(),
        paragraph(
            "The statements behind each finding above (at most four each; the overview's annex "
            "and tables/statements.csv hold every one)"
            if content.part.kind == "summary"
            else "Every statement this brief counted"
            + ", as submitted (text shortened): in English, and in its original language where "
            "that is another.",
            "note",
        ),
    ]
    names = content.names

    def about(scope: str) -> str:
        return names.get(scope, GROUP_LABELS.get(scope, (scope,))[0])

    language = content.config.language or "en"
    rows = []
    for r in content.annex.itertuples(index=False):
        rows.append(
            f"<tr><td>{esc(r.statement_id)}</td><td>{esc(_who(r._asdict(), names))}</td>"
            f"<td>{esc(KIND_LABELS.get(r.kind, r.kind))}</td>"
            f"<td>{esc(PILLAR_LABELS.get(r.pillar, 'none'))}</td><td>{esc(about(r.scope))}</td>"
            f"{_annexed(r, language)}</tr>"
        )
    if rows:
        head = "".join(
            f'<th scope="col">{h}</th>'
            for h in ("Id", "Contributor", "Kind", "Pillar", "About", "Statement")
        )
        blocks.append(table_box(head, rows, "Statements counted"))
    else:
        blocks.append(paragraph("No statement is counted.", "note"))
    figures = content.annex_figures
    if not figures.empty:
        blocks.append(Block("<h3>UNODC Global Report figures</h3>"))
        blocks.append(
            table(
                figures.assign(year=figures["year"].astype(str)),  # a year, not "2,014"
                {
                    "indicator": "Indicator",
                    "year": "Year",
                    "shown": "Value",
                    "edition": "Published in (Global Report)",
                },
                ["year"],
                source=("unodc_figures", ("iso3", "indicator", "year")),
                figures=["shown"],
                label="UNODC Global Report figures",
            )
        )
        blocks.append(
            paragraph(
                "Source: UNODC Global Report on Trafficking in Persons, country data. "
                "'<5' is a count under five, published suppressed: not zero.",
                "note",
            )
        )
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
        source=("theme_summary", ("theme",)),
        figures=["achievements", "gaps", "proposals", "status"],
        label="Themes the GPA covers thinly",
    )


def balance(content) -> list[Block]:
    """How representative the contributions are: the index and the first flags, as in balance.csv."""
    from reviewlib.scoring.balance import balance_table

    b = balance_table(content.balance)
    index = figure(
        "balance",
        b,
        {"dimension": "index", "category": "balance_index"},
        "share",
        shown=f"{content.balance.index:.2f}",
    )
    flags = b[b["dimension"].eq("flag")].head(4)
    items = "".join(
        "<li>"
        + sentence((figure("balance", b, {"dimension": "flag", "category": c}, "note"),))
        + "</li>"
        for c in flags["category"]
    )
    return [
        Block(
            "<p>Balance index "
            + sentence((index,))
            + " on a scale from zero (one kind of voice from one region) to one (every kind of "
            "contributor, regions in proportion, every ICAT member).</p>"
        ),
        Block(f"<ul>{items}</ul>"),
    ]


def ideas_by_pillar(content, per_pillar: int = 3) -> list[Block]:
    """Elements for the zero draft: the best-ranked new ideas of each pillar among those the Word
    file's Part B drafts (the same selection, by review.yml's `zero_draft` threshold)."""
    from reviewlib.ideas.zero_draft import draft_settings
    from reviewlib.ideas.zero_draft_parts import chosen_ideas

    settings = draft_settings((content.config.raw or {}).get("zero_draft"))
    chosen, _, _ = chosen_ideas(content.pool, settings)
    blocks = []
    summary_table = content.pool.summary
    for pillar, label in PILLAR_LABELS.items():
        top = chosen[chosen["pillar"].eq(pillar)].head(per_pillar)
        blocks.append(Block(f"<h3>{esc(label)}</h3>"))
        if top.empty:
            blocks.append(paragraph("No new idea under this pillar passes the threshold.", "note"))
            continue
        items = [_idea(r, summary_table, bridge=False) for r in top.itertuples(index=False)]
        blocks.append(Block("<ol>" + "".join(items) + "</ol>"))
    return blocks


def good_practices(content, n: int = 5) -> Block:
    """The good practices most widely reported, grouped like proposals."""
    top = content.pool.top(n=n, kind="good_practice")
    if top.empty:
        return paragraph("No good practice was reported.", "note")
    summary_table = content.pool.summary
    items = [_idea(r, summary_table, bridge=False) for r in top.itertuples(index=False)]
    return Block("<ol>" + "".join(items) + "</ol>")


def methods(content) -> list[Block]:
    """The methods note, from rubric.yml and review.yml."""
    from reviewlib.brief.methods import methods_note

    blocks = []
    for heading, paragraphs in methods_note(
        content.scores.rubric, content.config, content.scores.editions_note
    ):
        blocks.append(Block(f"<h2>{esc(heading)}</h2>"))
        blocks += [paragraph(p) for p in paragraphs]
    return blocks


__all__ = [
    "inputs",
    "prepare",
    "header",
    "quote",
    "findings",
    "options",
    "standing",
    "basis",
    "annex",
    "themes",
    "balance",
    "ideas_by_pillar",
    "good_practices",
    "methods",
    "Figure",
]
