"""Findings: what a brief says has moved or is still missing, each with the statements that bear
on it, and the pieces every kind of brief builds its findings from.

Every number is a `Figure`: a cell of a published table (coverage, theme_commitments,
region_commitments, country_evidence, the summaries), so that a brief, the tables and every
other brief agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from reviewlib.brief.figures import Figure, Sentence, figure, plural
from reviewlib.brief.slices import Slice
from reviewlib.gather.review import Review
from reviewlib.scoring.scores import Scores

__all__ = [
    "FINDINGS",
    "POSITIVE",
    "Finding",
    "Spec",
    "Context",
    "verb",
    "commitment_findings",
    "silence",
    "summary_basis",
    "contributors_chart",
    "COMMITMENT_COLUMNS",
]

FINDINGS = 3  # findings per section in a brief
POSITIVE = ("achievement", "good_practice")


@dataclass(frozen=True)
class Finding:
    """One finding: its sentence and the statements that bear on it, most relevant first."""

    sentence: Sentence
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    title: str
    subtitle: str
    moved: tuple[Finding, ...] = ()
    missing: tuple[Finding, ...] = ()
    basis: Sentence = ()
    standing: pd.DataFrame = field(default_factory=pd.DataFrame)
    standing_columns: dict[str, str] = field(default_factory=dict)
    standing_source: tuple[str, tuple[str, ...]] = ("", ())
    notes: tuple[Sentence, ...] = ()
    chart: pd.DataFrame = field(default_factory=pd.DataFrame)
    chart_title: str = ""


@dataclass(frozen=True)
class Context:
    """What a brief reads: the review, its slice, the review-wide scores and its statements."""

    review: Review
    part: Slice
    scores: Scores
    statements: pd.DataFrame  # the slice's statements that count (weighed)

    def ids(self, value: str, kinds: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The statement ids of a ';'-joined list that are in this brief's slice (and of kinds)."""
        wanted = [i for i in str(value).split(";") if i]
        s = self.statements
        if kinds:
            s = s[s["kind"].isin(kinds)]
        inside = set(s["statement_id"])
        return tuple(i for i in wanted if i in inside)

    def describe(self, commitment: str) -> str:
        return self.review.reference.describe_commitment(commitment)


def verb(n: Figure, one: str, many: str) -> str:
    return one if n.shown == "1" else many


def commitment_findings(
    ctx: Context, table: pd.DataFrame, name: str, key: tuple[str, ...], critical: bool
) -> tuple[Finding, ...]:
    """Findings on the commitments of a table (coverage or theme_commitments): those with the
    most contributors reporting achievements (or gaps), most first."""
    count = "n_critical_contributors" if critical else "n_positive_contributors"
    extra = ["gaps"] if critical else ["achievements", "good_practices"]
    rows = table[table[count].gt(0)]
    rows = rows.assign(_m=rows[extra].sum(axis=1))
    rows = rows.sort_values([count, "_m", "commitment"], ascending=[False, False, True])
    out = []
    for row in rows.head(FINDINGS).itertuples(index=False):
        at = {k: getattr(row, k) for k in key}
        n = figure(name, table, at, count)
        head: Sentence = (f"{ctx.describe(row.commitment)}: ", *plural(n, "contributor"))
        if critical:
            gaps = figure(name, table, at, "gaps")
            body: Sentence = (
                f" {verb(n, 'reports', 'report')} gaps (",
                *plural(gaps, "gap statement"),
                "); status: ",
                figure(name, table, at, "status"),
                ".",
            )
            wanted = ("gap",)
        else:
            body = (
                f" {verb(n, 'reports', 'report')} achievements or good practices (",
                *plural(figure(name, table, at, "achievements"), "achievement"),
                ", ",
                *plural(figure(name, table, at, "good_practices"), "good practice"),
                ").",
            )
            wanted = POSITIVE
        out.append(Finding((*head, *body), ctx.ids(row.statement_ids, wanted)))
    return tuple(out)


def silence(ctx: Context, table: pd.DataFrame) -> tuple[Finding, ...]:
    """The commitments nobody reported anything on (no evidence)."""
    quiet = table[table["status"].eq("no evidence")]["commitment"]
    if quiet.empty:
        return ()
    names = "; ".join(ctx.describe(c) for c in quiet)
    return (Finding((f"Nothing was reported as achieved or missing on {names}.",)),)


FINDINGS_SHOWN = 5  # findings, and new ideas, the executive summary shows
EVIDENCE = 4  # statements per finding listed in the summary's annex


def chosen_findings(moved: tuple, missing: tuple, n: int = FINDINGS_SHOWN) -> tuple:
    """The findings that matter most: two of what has moved, the rest of what is missing (the
    declaration's business), topped up from either side when one is short."""
    ups, downs = list(moved), list(missing)
    take_up = min(len(ups), max(2, n - len(downs)))
    return tuple(ups[:take_up] + downs[: n - take_up])


def summary_basis(name: str, table: pd.DataFrame, key: dict[str, str], what: str) -> Sentence:
    def f(column: str) -> Figure:
        return figure(name, table, key, column)

    return (
        "Basis: ",
        *plural(f("n_statements"), "statement"),
        f" {what} from ",
        *plural(f("n_contributors"), "contributor"),
        ": ",
        *plural(f("achievements"), "achievement"),
        ", ",
        *plural(f("gaps"), "gap"),
        ", ",
        *plural(f("good_practices"), "good practice"),
        " and ",
        *plural(f("proposals"), "proposal"),
        ". Every one is listed in the evidence annex.",
    )


COMMITMENT_COLUMNS = {
    "commitment_label": "Commitment",
    "achievements": "Achievements",
    "gaps": "Gaps",
    "good_practices": "Good practices",
    "proposals": "Proposals",
    "status": "Status",
}


def contributors_chart(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    shown = table[table["n_statements"].gt(0)]
    return pd.DataFrame(
        {
            "category": shown["commitment"],
            "achievements": shown["n_positive_contributors"],
            "gaps": shown["n_critical_contributors"],
        }
    )
