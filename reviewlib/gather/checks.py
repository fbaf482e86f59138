"""Check the rows read from contribution files against the input contract, one named check at a time.

Every row ends in the ledger exactly once: accepted, accepted_with_warning or rejected, with a
sentence naming the row and column and what to do. `CHECKS` run in order on a `Rows`: each reads
the fields as read and what earlier checks resolved, adds resolved columns and flags problems.
Values are mapped once per distinct value, so checking 100,000 rows costs little more than
reading them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from reviewlib.gather.classify import KeywordClassifier
from reviewlib.gather.english import check_english
from reviewlib.gather.ledger import LEDGER_COLUMNS
from reviewlib.gather.readers import file_of, id_stem
from reviewlib.gather.reference import Reference
from reviewlib.gather.settings import ReviewConfig
from reviewlib.gather.spellings import (
    is_global,
    norm,
    resolve_group,
    resolve_kind,
    resolve_language,
    resolve_pillar,
    resolve_stakeholder_type,
)
from reviewlib.gather.suggest import suggest_documents
from reviewlib.terms import KINDS, LANGUAGES, PILLARS, STAKEHOLDER_TYPES
from reviewlib.text import fold_all

LONG_TEXT = 20_000
STATEMENT_COLUMNS = [
    *("statement_id", "contribution_id", "file", "row", "submitter", "stakeholder_type"),
    *("icat_member", "country", "submitter_group", "kind", "pillar", "pillar_source"),
    *("commitments", "themes", "themes_inferred", "scope", "scope_type", "scope_iso3"),
    *("regional_group", "language", "received", "text", "text_en", "text_en_source"),
    *("evidence", "status"),
]
_LANGUAGE_CODES = ", ".join(LANGUAGES)


@dataclass
class Rows:
    """The rows under check: the fields as read (all text), what the checks resolved, the problems.

    `problems` holds, per row index, (is it an error?, column, sentence) in the order found.
    """

    frame: pd.DataFrame
    reference: Reference
    config: ReviewConfig
    values: dict[str, pd.Series] = field(default_factory=dict)
    problems: dict[int, list[tuple[bool, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def __post_init__(self) -> None:
        self.frame = self.frame.reset_index(drop=True)

    def add(self, mask: pd.Series, column: str, message: str | pd.Series, error: bool) -> None:
        """Record `message` (a sentence, or one per row) for every row in `mask`."""
        for idx in mask[mask].index:
            text = message if isinstance(message, str) else message.loc[idx]
            self.problems[idx].append((error, column, text))

    def flag(self, mask: pd.Series, column: str, sentence: str | pd.Series, error: bool) -> None:
        """A problem of one column: "row N, column C: sentence"."""
        where = "row " + self.frame["row"].astype(str) + ", column " + column + ": "
        self.add(mask, column, where + sentence, error)

    def each(self, column: str, resolve: Callable[[str], object]) -> pd.Series:
        """`resolve` applied once per distinct value of a field as read."""
        field_ = self.frame[column]
        return field_.map({v: resolve(v) for v in field_.unique()})

    def is_error(self) -> pd.Series:
        index = self.frame.index
        return pd.Series(
            [any(e for e, _, _ in self.problems.get(i, ())) for i in index], index=index
        )


def _split_ids(value: str) -> list[str]:
    return [p.strip() for p in str(value).replace(",", ";").split(";") if p.strip()]


def check_reader_notes(rows: Rows) -> None:
    """What the reader noticed: '!…' means the row could not be read as fields (an error)."""
    f = rows.frame
    bad = f["_note"].str.startswith("!")
    rows.values["unreadable"] = bad
    where = "row " + f["row"].astype(str) + ": "
    rows.add(bad, "", where + f["_note"].str[1:], True)
    rows.add(f["_note"].ne("") & ~bad, "", where + f["_note"], False)


def check_required(rows: Rows) -> None:
    """Submitter, stakeholder type, kind and text must be filled in."""
    for column, what in (
        ("submitter", "the name of the organisation or State submitting"),
        ("stakeholder_type", "the stakeholder type"),
        ("kind", "achievement, gap, proposal or good_practice"),
        ("text", "the statement itself"),
    ):
        empty = rows.frame[column].eq("") & ~rows.values["unreadable"]
        rows.flag(empty, column, f"is empty; fill in {what}", True)


def check_stakeholder_type(rows: Rows) -> None:
    f = rows.frame
    stake = rows.each("stakeholder_type", resolve_stakeholder_type)
    rows.values["stakeholder_type"] = stake
    sentence = "'" + f["stakeholder_type"] + "' is not a stakeholder type; use one of "
    rows.flag(
        stake.isna() & f["stakeholder_type"].ne(""),
        "stakeholder_type",
        sentence + ", ".join(STAKEHOLDER_TYPES),
        True,
    )


def check_kind(rows: Rows) -> None:
    f = rows.frame
    kind = rows.each("kind", resolve_kind)
    rows.values["kind"] = kind
    sentence = "'" + f["kind"] + "' is not a kind of statement; use one of " + ", ".join(KINDS)
    rows.flag(kind.isna() & f["kind"].ne(""), "kind", sentence, True)


def check_country(rows: Rows) -> None:
    """The contributor's country: required of a Member State (or read from its name), optional else."""
    f, ref = rows.frame, rows.reference
    country = rows.each("country", lambda v: ref.resolve_country(v) or "")
    is_state = rows.values["stakeholder_type"].eq("member_state")
    from_name = rows.each("submitter", ref.resolve_country)
    country = country.mask(is_state & f["country"].eq("") & from_name.notna(), from_name)
    unknown = f["country"].ne("") & country.eq("")
    hint = (
        f["country"]
        .map({v: ref.suggest_country(v) for v in f["country"][unknown].unique()})
        .map(
            lambda h: (
                f"; did you mean {h}?" if isinstance(h, str) else "; write its name or ISO3 code"
            )
        )
    )
    sentence = "'" + f["country"] + "' is not a Member State" + hint
    rows.flag(unknown & is_state, "country", sentence, True)
    rows.flag(unknown & ~is_state, "country", sentence + "; the country was left blank", False)
    rows.flag(
        is_state & country.eq(""),
        "country",
        "a Member State's contribution must name its country",
        True,
    )
    rows.values["country"] = country


def _iso_date(value: str) -> tuple[dt.date | None, str]:
    """(date, problem) for a received date written as text."""
    if not value:
        return None, "missing"
    text = value.strip()[:10]
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        pass
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return None, "impossible"
    return None, "format"


def check_received(rows: Rows) -> None:
    """The date received, written YYYY-MM-DD, and whether it is after the review's cut-off."""
    f, cutoff = rows.frame, rows.config.cutoff
    parsed = rows.each("received", _iso_date)
    received, problem = parsed.str[0], parsed.str[1]
    written = "'" + f["received"] + "' "
    rows.flag(problem.eq("missing"), "received", "no date received; add it as YYYY-MM-DD", False)
    rows.flag(
        problem.eq("impossible"),
        "received",
        written + "is not a real date; treated as unknown — correct it (YYYY-MM-DD)",
        False,
    )
    rows.flag(
        problem.eq("format"),
        "received",
        written + "is not written YYYY-MM-DD; treated as unknown",
        False,
    )
    if cutoff:
        late = received.map(lambda d: isinstance(d, dt.date) and d > cutoff)
        sentence = (
            "received "
            + received.astype(str)
            + ", after the cut-off date "
            + cutoff.isoformat()
            + " in review.yml; accepted — confirm it may be counted"
        )
        rows.flag(late, "received", sentence, False)
    rows.values["received"] = received.map(
        lambda d: d.isoformat() if isinstance(d, dt.date) else ""
    )


def check_language(rows: Rows) -> None:
    f = rows.frame
    language = rows.each("language", resolve_language).astype(object)
    rows.flag(
        f["language"].eq(""),
        "language",
        f"no language given; add its ISO code ({_LANGUAGE_CODES})",
        False,
    )
    rows.flag(
        language.isna() & f["language"].ne(""),
        "language",
        "'" + f["language"] + f"' is not a language code the workbook knows ({_LANGUAGE_CODES})",
        False,
    )
    rows.values["language"] = language.fillna("")


def check_commitments(rows: Rows) -> None:
    """Commitment ids ('GPA-' optional); unknown ids are warned about and left out."""
    known = set(rows.reference.commitments["commitment"])

    def clean(value: str) -> tuple[str, str]:
        ids = [i.upper().removeprefix("GPA-") for i in _split_ids(value)]
        kept = ";".join(dict.fromkeys(i for i in ids if i in known))
        return kept, ", ".join(i for i in ids if i not in known)

    cleaned = rows.each("commitments", clean)
    rows.values["commitments"] = cleaned.str[0]
    bad = cleaned.str[1]
    rows.flag(
        bad.ne(""),
        "commitments",
        "'" + bad + "' not in commitments.csv; left out — use ids such as PRE-01",
        False,
    )


def check_themes(rows: Rows) -> None:
    """Theme ids or labels; unknown ones are warned about and left out."""
    themes = rows.reference.themes
    keys = {norm(t): t for t in themes["theme"]} | {
        norm(label): t for t, label in zip(themes["theme"], themes["label"], strict=True)
    }

    def clean(value: str) -> tuple[list[str], str]:
        ids = _split_ids(value)
        return [keys[norm(i)] for i in ids if norm(i) in keys], ", ".join(
            i for i in ids if norm(i) not in keys
        )

    cleaned = rows.each("themes", clean)
    rows.values["themes_given"] = cleaned.str[0]
    bad = cleaned.str[1]
    rows.flag(
        bad.ne(""),
        "themes",
        "'" + bad + "' not in themes.csv; left out — use ids such as migration",
        False,
    )


def check_scope(rows: Rows) -> None:
    """What a statement is about: a Member State, a regional group or global; empty = the
    contributor's country (or global when it has none)."""
    f, ref = rows.frame, rows.reference

    def scope_of(value: str) -> tuple[str, str, str] | None:
        if not value:
            return None
        if (iso := ref.resolve_country(value)) is not None:
            return iso, "country", iso
        if (group := resolve_group(value)) is not None:
            return group, "region", ""
        if is_global(value):
            return "global", "global", ""
        return ("", "unknown", "")

    scope = rows.each("scope", scope_of)
    default = rows.values["country"].map(
        lambda c: (c, "country", c) if c else ("global", "global", "")
    )
    scope = scope.where(scope.notna(), default)
    bad = scope.str[1].eq("unknown")
    hint = f["scope"].map({v: ref.suggest_country(v) for v in f["scope"][bad].unique()})
    rows.flag(
        bad,
        "scope",
        "'"
        + f["scope"]
        + "' is not a Member State, a regional group or 'global'"
        + hint.map(lambda h: f"; did you mean {h}?" if isinstance(h, str) else ""),
        True,
    )
    rows.values["scope"], rows.values["scope_type"], rows.values["scope_iso3"] = (
        scope.str[0],
        scope.str[1],
        scope.str[2],
    )


def check_text_length(rows: Rows) -> None:
    length = rows.frame["text"].str.len()
    sentence = (
        "is very long ("
        + length.map("{:,}".format)
        + " characters); accepted, but briefs will show an excerpt"
    )
    rows.flag(length > LONG_TEXT, "text", sentence, False)


def check_ids(rows: Rows) -> None:
    """Ids derived from the file and row when absent; a statement id used twice is rejected."""
    f = rows.frame
    stem = f["file"].map(id_stem)  # a workbook's further sheet: the file's stem and the sheet's
    whole = f["file"].map(lambda label: id_stem(file_of(label)))
    rows.values["contribution_id"] = f["contribution_id"].where(f["contribution_id"].ne(""), whole)
    statement_id = f["statement_id"].where(
        f["statement_id"].ne(""), stem + "-" + f["row"].astype(str)
    )
    repeated = statement_id.duplicated(keep="first")
    holder = pd.Series(f.index, index=f.index).groupby(statement_id).transform("first")
    sentence = (
        "'"
        + statement_id
        + "' is already used in "
        + f["file"].reindex(holder.values).values
        + " row "
        + f["row"].reindex(holder.values).astype(str).values
        + "; give this statement its own id"
    )
    rows.flag(repeated, "statement_id", sentence, True)
    rows.values["statement_id"] = statement_id


def check_pillar(rows: Rows) -> None:
    """The pillar as given, else that of the first commitment named, else inferred from the text."""
    f, ref = rows.frame, rows.reference
    given = rows.each("pillar", resolve_pillar)
    rows.flag(
        given.isna() & f["pillar"].ne(""),
        "pillar",
        "'" + f["pillar"] + "' is not a pillar (" + ", ".join(PILLARS) + "); inferred instead",
        False,
    )
    first_named = rows.values["commitments"].map(
        lambda ids: next(
            (
                ref.commitment_pillar[i]
                for i in ids.split(";")
                if ref.commitment_pillar.get(i) in PILLARS
            ),
            "",
        )
    )
    pillar = given.fillna("")
    source = pd.Series("given", index=f.index).where(pillar.ne(""), "")
    from_named = pillar.eq("") & first_named.ne("")
    pillar, source = pillar.mask(from_named, first_named), source.mask(from_named, "commitments")
    need = pillar.eq("") & f["text"].ne("")
    rows.values["folded"] = folded = fold_all(f["text"])
    inferred = pd.Series("", index=f.index, dtype=object)
    if need.any():  # (the pillars' keywords compiled only for a row that has no pillar)
        inferred = KeywordClassifier(ref.pillars, "pillar").best(folded[need]).reindex(f.index)
        inferred = inferred.fillna("")
    found = need & inferred.ne("")
    rows.flag(
        found,
        "pillar",
        "was empty; inferred as '" + inferred + "' from the text — set it if that is wrong",
        False,
    )
    rows.flag(
        need & inferred.eq(""),
        "pillar",
        "is empty and could not be inferred from the text; set one of " + ", ".join(PILLARS),
        False,
    )
    rows.values["pillar"] = pillar.mask(need, inferred)
    rows.values["pillar_source"] = source.mask(found, "inferred")


def infer_themes(rows: Rows) -> None:
    """Themes as given, plus those whose keywords occur in the text (listed as inferred)."""
    themes = rows.reference.themes
    found = KeywordClassifier(themes, "theme").all_matches(rows.values["folded"])
    order = {t: i for i, t in enumerate(themes["theme"])}
    joined, inferred = [], []
    for given, hits in zip(rows.values["themes_given"], found, strict=True):
        extra = [t for t in hits.split(";") if t and t not in given]
        joined.append(";".join(sorted({*given, *extra}, key=order.__getitem__)))
        inferred.append(";".join(extra))
    rows.values["themes"] = pd.Series(joined, index=rows.frame.index, dtype=object)
    rows.values["themes_inferred"] = pd.Series(inferred, index=rows.frame.index, dtype=object)


def place_contributor(rows: Rows) -> None:
    """ICAT membership of the submitter, its regional group, and the group a statement is about."""
    ref, v = rows.reference, rows.values
    entities = rows.each("submitter", ref.resolve_entity)
    v["icat_member"] = entities.map(lambda e: isinstance(e, tuple) and bool(e[1])).astype(bool)
    v["submitter_group"] = v["country"].map(lambda c: ref.group_of.get(c, ""))
    regional = v["scope_iso3"].map(lambda c: ref.group_of.get(c, ""))
    regional = regional.mask(v["scope_type"].eq("region"), v["scope"])
    v["regional_group"] = regional.mask(v["scope_type"].eq("global"), v["submitter_group"])


CHECKS: tuple[Callable[[Rows], None], ...] = (
    suggest_documents,
    check_reader_notes,
    check_required,
    check_stakeholder_type,
    check_kind,
    check_country,
    check_received,
    check_language,
    check_english,
    check_commitments,
    check_themes,
    check_scope,
    check_text_length,
    check_ids,
    check_pillar,
    infer_themes,
    place_contributor,
)


def _status(rows: Rows) -> pd.Series:
    index = rows.frame.index
    has_issue = pd.Series([i in rows.problems for i in index], index=index)
    empty = pd.Series("", index=index)
    return (
        pd.Series("accepted", index=index)
        .mask(has_issue, "accepted_with_warning")
        .mask(rows.is_error(), "rejected")
        .mask(rows.frame.get("_origin", empty).eq("document") & ~rows.is_error(), "suggested")
    )


def _ledger(rows: Rows, status: pd.Series) -> pd.DataFrame:
    problems, index = rows.problems, rows.frame.index
    return pd.DataFrame(
        {
            "file": rows.frame["file"],
            "row": rows.frame["row"],
            "statement_id": rows.values["statement_id"],
            "status": status,
            "column": [
                ";".join(dict.fromkeys(c for _, c, _ in problems.get(i, ()) if c)) for i in index
            ],
            "message": ["; ".join(m for _, _, m in problems.get(i, ())) for i in index],
        }
    )


def check_rows(
    frame: pd.DataFrame, reference: Reference, config: ReviewConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of every readable file → (accepted statements, one ledger row per input row)."""
    if frame.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS), pd.DataFrame(columns=list(LEDGER_COLUMNS))
    rows = Rows(frame, reference, config)
    for check in CHECKS:
        check(rows)
    status = _status(rows)
    v, f = rows.values, rows.frame
    statements = pd.DataFrame(
        {
            **{c: v[c] if c in v else f[c] for c in STATEMENT_COLUMNS if c != "status"},
            "stakeholder_type": v["stakeholder_type"].fillna(""),
            "kind": v["kind"].fillna(""),
            "status": status,
            "confidence": v["confidence"],
            "pillar_cues": v["pillar_cues"],
        }
    )[~rows.is_error()]
    # A suggestion's confidence and cues travel with the statements read from documents.
    keep = STATEMENT_COLUMNS + ["confidence", "pillar_cues"] * bool(status.eq("suggested").any())
    return statements[keep].reset_index(drop=True), _ledger(rows, status)
