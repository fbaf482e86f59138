"""The executive summary's sections (notebooks/brief_summary.ipynb): the findings that matter
most, the best-supported new ideas, what is contested between Member States and
non-governmental contributors, and what was not heard — each sentence computed from the
review-wide tables, every number a cell of one, the statements behind each finding in the annex.
"""

from __future__ import annotations

from reviewlib.brief.blocks import Block, esc, paragraph, sentence
from reviewlib.brief.figures import figure, plural
from reviewlib.brief.findings import EVIDENCE, FINDINGS_SHOWN, chosen_findings
from reviewlib.terms import GROUP_LABELS, TYPE_LABELS

CONTESTED = 3  # contested commitments it names


def key_findings(content) -> Block:
    """The summary's findings, each with the ids of the statements behind it (in the annex)."""
    items = []
    for finding in chosen_findings(content.moved, content.missing):
        ids = finding.candidates[:EVIDENCE]
        cited = f' <span class="evidence-id">[{esc(", ".join(ids))}]</span>' if ids else ""
        items.append(f"<li>{sentence(finding.sentence)}{cited}</li>")
    if not items:
        return paragraph("Nothing was reported as achieved or missing.", "note")
    return Block('<ol class="findings">' + "".join(items) + "</ol>")


def best_ideas(content) -> Block:
    """The new ideas proposed by the most contributors (rank breaks ties), with their support."""
    from reviewlib.brief.sections import idea_item

    ideas = content.pool.new_ideas()
    if ideas.empty:
        return paragraph("No new idea was proposed.", "note")
    best = ideas.sort_values(["n_submitters", "rank"], ascending=[False, True]).head(FINDINGS_SHOWN)
    items = [idea_item(r, content.pool.summary) for r in best.itertuples(index=False)]
    return Block('<ol class="options">' + "".join(items) + "</ol>")


def contested(content) -> Block:
    """Commitments where Member States and non-governmental contributors point opposite ways
    (tables/contested.csv)."""
    table = content.scores.contested()
    rows = table[table["contested"]].head(CONTESTED)
    if rows.empty:
        return paragraph(
            "On no commitment do Member States and non-governmental contributors disagree.",
            "note",
        )
    items = []
    for row in rows.itertuples(index=False):
        key = {"commitment": row.commitment}

        def f(column: str, key=key):
            return figure("contested", table, key, column)

        parts = (
            f"{row.commitment} — {row.title}: achievements from ",
            *plural(f("states_positive"), "Member State"),
            " and gaps from ",
            *plural(f("states_critical"), "Member State"),
            "; achievements from ",
            *plural(f("ngo_positive"), "non-governmental contributor"),
            " and gaps from ",
            *plural(f("ngo_critical"), "non-governmental contributor"),
            ".",
        )
        items.append(f"<li>{sentence(parts)}</li>")
    return Block("<ul>" + "".join(items) + "</ul>")


def voices(content) -> Block:
    """The balance index and who was heard, by kind of contributor and regional group (cells of
    tables/balance.csv)."""
    from reviewlib.brief.sections import balance
    from reviewlib.scoring.balance import balance_table

    b = balance_table(content.balance)
    index = balance(content)[0]
    said = []
    for dimension, labels, what in (
        ("stakeholder_type", TYPE_LABELS, "By kind of contributor: "),
        ("regional_group", {k: v[0] for k, v in GROUP_LABELS.items()}, "By regional group: "),
    ):
        rows = b[b["dimension"].eq(dimension) & b["contributions"].gt(0)]
        parts: list = [what]
        for i, category in enumerate(rows["category"]):
            key = {"dimension": dimension, "category": category}
            parts += [
                "; " if i else "",
                f"{labels.get(category, category)} ",
                figure("balance", b, key, "contributions"),
            ]
        said.append(f"<li>{sentence((*parts, ' contributions.'))}</li>")
    return Block(index.markup + "<ul>" + "".join(said) + "</ul>")


def not_heard(content) -> Block:
    """Who was not heard, or too little: every flag of the balance (tables/balance.csv) —
    kinds of contributor, regional groups, ICAT members, languages."""
    from reviewlib.scoring.balance import balance_table

    b = balance_table(content.balance)
    flags = b[b["dimension"].eq("flag")]
    if flags.empty:
        return paragraph("Every kind of contributor, regional group and ICAT member was heard.")
    items = "".join(
        "<li>"
        + sentence((figure("balance", b, {"dimension": "flag", "category": c}, "note"),))
        + "</li>"
        for c in flags["category"]
    )
    return Block(f"<ul>{items}</ul>")


__all__ = ["key_findings", "best_ideas", "contested", "voices", "not_heard"]
