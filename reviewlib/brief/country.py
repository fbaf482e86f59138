"""What a Member State's brief finds: its evidence profile — what the Government reports, what
others report about it, initiatives by others in the country, what UNODC published — positive
and critical side by side, each with its source. Never a level, a grade or a rank.
"""

from __future__ import annotations

import pandas as pd

from reviewlib.brief.figures import Figure, Sentence, figure, plural
from reviewlib.brief.findings import Context, Finding, Spec
from reviewlib.brief.treaties import country_treaties
from reviewlib.scoring.evidence import ALL, NO_PILLAR
from reviewlib.terms import GROUP_LABELS, PILLAR_LABELS, PILLARS

__all__ = ["country_spec", "UNODC_INDICATORS"]

# The UNODC figures a country brief states in words (the annex lists every one it used).
UNODC_INDICATORS = {
    "Detected trafficking victims": "victims detected",
    "Persons prosecuted": "persons prosecuted",
    "Persons convicted": "persons convicted",
}
TABLE = "country_evidence"


def _label(pillar: str) -> str:
    return PILLAR_LABELS.get(pillar, "Not assigned to a pillar")


def _moved(ctx: Context, rows: pd.DataFrame, table: pd.DataFrame) -> list[Finding]:
    out = []
    for row in rows.itertuples(index=False):
        if row.government_achievements + row.initiatives_by_others == 0:
            continue
        key = {"iso3": row.iso3, "pillar": row.pillar}
        sentence: Sentence = (
            f"{_label(row.pillar)}: the Government reports ",
            *plural(figure(TABLE, table, key, "government_achievements"), "achievement"),
            "; ",
            *plural(
                figure(TABLE, table, key, "initiatives_by_others"),
                "initiative by others in the country",
                "initiatives by others in the country",
            ),
            ".",
        )
        ids = f"{row.government_achievements_ids};{row.initiatives_by_others_ids}"
        out.append(Finding(sentence, ctx.ids(ids)))
    return out


def _missing(ctx: Context, rows: pd.DataFrame, table: pd.DataFrame) -> list[Finding]:
    out = []
    for row in rows.itertuples(index=False):
        if row.government_gaps + row.others_gaps == 0:
            continue
        key = {"iso3": row.iso3, "pillar": row.pillar}
        others = figure(TABLE, table, key, "others_gaps")
        who: Sentence = (
            (" (", figure(TABLE, table, key, "others_gaps_by_type"), ")") if row.others_gaps else ()
        )
        sentence: Sentence = (
            f"{_label(row.pillar)}: others report ",
            *plural(others, "gap"),
            *who,
            "; the Government itself reports ",
            *plural(figure(TABLE, table, key, "government_gaps"), "gap"),
            ".",
        )
        ids = f"{row.others_gaps_ids};{row.government_gaps_ids}"
        out.append(Finding(sentence, ctx.ids(ids)))
    return out


def in_running_text(name: str) -> str:
    """A Member State's name inside a sentence: "the former Yugoslav Republic of Macedonia", as
    United Nations documents write it there; a name starts with "The" only at a sentence's start."""
    first, _, rest = name.partition(" ")
    return f"the {rest}" if first == "The" and rest[:1].islower() else name


def _silent(rows: pd.DataFrame, name: str) -> list[Finding]:
    spoken = set(rows.loc[rows["n_statements"].gt(0), "pillar"])
    quiet = [PILLAR_LABELS[p].lower() for p in PILLARS if p not in spoken]
    if not quiet:
        return []
    listed = quiet[0] if len(quiet) == 1 else ", ".join(quiet[:-1]) + " and " + quiet[-1]
    return [Finding((f"No contributor reported anything about {name} on {listed}.",))]


def edition_label(edition: object) -> str:
    """ "UNODC Global Report 2016", or the export's name where no edition is known."""
    return f"UNODC Global Report {edition}" if edition else "UNODC Global Report country data"


def _unodc(ctx: Context) -> tuple[Sentence, ...]:
    """The latest published UNODC figure of each main indicator, in words, with the edition that
    published it and its data year: "UNODC Global Report 2016: 19 persons convicted in 2014"
    (figures of one edition and year share the label)."""
    figures = ctx.scores.unodc_figures()
    own = figures[figures["iso3"].eq(ctx.part.value)]
    groups: dict[tuple[str, int], list[Sentence]] = {}
    for indicator, words in UNODC_INDICATORS.items():
        rows = own[own["indicator"].eq(indicator)]
        if rows.empty:
            continue
        latest = rows[rows["year"].eq(rows["year"].max())].iloc[-1]
        year = int(latest["year"])
        key = {"iso3": ctx.part.value, "indicator": indicator, "year": str(year)}
        shown = figure("unodc_figures", figures, key, "shown")
        groups.setdefault((str(latest["edition"]), year), []).append((shown, f" {words}"))
    if not groups:
        return ()
    sentence: list[str | Figure] = []
    for (edition, year), parts in groups.items():
        sentence += ["; " if sentence else "", f"{edition_label(edition)}: "]
        for i, part in enumerate(parts):
            sentence += [", " if 0 < i < len(parts) - 1 else " and " if i else "", *part]
        sentence.append(f" in {year}")
    sentence.append(". A count under five is published suppressed, never as zero.")
    return (tuple(p for p in sentence if not isinstance(p, str) or p),)


def country_spec(ctx: Context) -> Spec:
    iso3 = ctx.part.value
    ref = ctx.review.reference
    name, group = ref.name_of[iso3], ref.group_of[iso3]
    within = in_running_text(name)
    table = ctx.scores.country_evidence
    own = table[table["iso3"].eq(iso3)]
    rows = own[own["pillar"].ne(ALL)]
    total = {"iso3": iso3, "pillar": ALL}
    basis: Sentence = ()
    if len(own):
        basis = (
            "Basis: ",
            *plural(figure(TABLE, table, total, "n_statements"), "statement"),
            f" about {within} from ",
            *plural(figure(TABLE, table, total, "n_contributors"), "contributor"),
            ", and ",
            *plural(figure(TABLE, table, total, "unodc_figures"), "UNODC figure"),
            ". Every statement and figure is listed in the evidence annex.",
        )
    standing = rows.assign(pillar_label=rows["pillar"].map(_label))
    return Spec(
        title=f"{name}: the evidence",
        subtitle=(
            f"Member State brief · {GROUP_LABELS[group][0]} · what is reported, "
            "not an assessment of the State"
        ),
        moved=tuple(_moved(ctx, rows, table)),
        missing=tuple(_missing(ctx, rows, table)),
        basis=basis,
        standing=standing[standing["pillar"].ne(NO_PILLAR) | standing["n_statements"].gt(0)],
        standing_columns={
            "pillar_label": "Pillar",
            "government_achievements": "Achievements the Government reports",
            "government_gaps": "Gaps the Government reports",
            "others_gaps": "Gaps others report",
            "others_gaps_by_type": "Reported by",
            "initiatives_by_others": "Initiatives by others",
            "proposals": "Proposals",
            "unodc_figures": "UNODC figures",
        },
        standing_source=(TABLE, ("iso3", "pillar")),
        notes=tuple(f.sentence for f in _silent(rows, within))
        + _unodc(ctx)
        + (country_treaties(ctx.scores, iso3, ref.as_of),),
    )
