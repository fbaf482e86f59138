"""Check the rows read from contribution files against the input contract.

Every row ends in the ledger exactly once: accepted, accepted_with_warning or rejected, with a
sentence naming the row and column and what to do. Values are mapped once per distinct value,
so checking 100,000 rows costs little more than reading them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pandas as pd

from reviewlib.classify import KeywordClassifier, fold_all
from reviewlib.config import ReviewConfig
from reviewlib.reference import (
    KINDS,
    PILLARS,
    STAKEHOLDER_TYPES,
    Reference,
    is_global,
    norm,
    resolve_group,
    resolve_language,
    resolve_pillar,
)

LEDGER_COLUMNS = ["file", "row", "statement_id", "status", "column", "message"]
LONG_TEXT = 20_000
STATEMENT_COLUMNS = [
    "statement_id",
    "contribution_id",
    "file",
    "row",
    "submitter",
    "stakeholder_type",
    "icat_member",
    "country",
    "submitter_group",
    "kind",
    "pillar",
    "pillar_source",
    "commitments",
    "themes",
    "themes_inferred",
    "scope",
    "scope_type",
    "scope_iso3",
    "regional_group",
    "language",
    "received",
    "text",
    "evidence",
    "status",
]

_STAKEHOLDER_ALIASES = {
    "state": "member_state",
    "government": "member_state",
    "member state": "member_state",
    "un": "un_entity",
    "un entity": "un_entity",
    "un agency": "un_entity",
    "united nations": "un_entity",
    "international organization": "international_organisation",
    "io": "international_organisation",
    "igo": "international_organisation",
    "regional organisation": "international_organisation",
    "ngo": "civil_society",
    "cso": "civil_society",
    "civil society organisation": "civil_society",
    "civil society organization": "civil_society",
    "survivor led organisation": "survivor_led",
    "survivor led organization": "survivor_led",
    "survivor": "survivor_led",
    "business": "private_sector",
    "company": "private_sector",
    "private": "private_sector",
    "academic": "academia",
    "university": "academia",
    "research": "academia",
    "journalist": "media",
    "press": "media",
}
_KIND_ALIASES = {
    "good practice": "good_practice",
    "best practice": "good_practice",
    "practice": "good_practice",
    "recommendation": "proposal",
    "suggestion": "proposal",
    "challenge": "gap",
    "progress": "achievement",
}


def _enum(value: str, allowed: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    key = norm(value)
    if key.replace(" ", "_") in allowed:
        return key.replace(" ", "_")
    return aliases.get(key)


class _Issues:
    """Problems found per row: (is_error, column, sentence)."""

    def __init__(self) -> None:
        self.by_row: dict[int, list[tuple[bool, str, str]]] = defaultdict(list)

    def add(self, mask: pd.Series, column: str, message, error: bool) -> None:
        """Record `message` (a str, or a Series aligned with the frame) for every row in mask."""
        for idx in mask[mask].index:
            text = message if isinstance(message, str) else message.loc[idx]
            self.by_row[idx].append((error, column, text))

    def errors(self, index: pd.Index) -> pd.Series:
        return pd.Series([any(e for e, _, _ in self.by_row.get(i, ())) for i in index], index=index)


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


def _split_ids(value: str) -> list[str]:
    return [p.strip() for p in str(value).replace(",", ";").split(";") if p.strip()]


def check_rows(
    frame: pd.DataFrame, reference: Reference, config: ReviewConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of every readable file → (accepted statements, one ledger row per input row)."""
    frame = frame.reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS), pd.DataFrame(columns=LEDGER_COLUMNS)
    issues = _Issues()
    where = "row " + frame["row"].astype(str) + ", column "

    def flag(mask: pd.Series, column: str, sentence, error: bool) -> None:
        issues.add(mask, column, where + column + ": " + sentence, error)

    bad_object = frame["_note"].str.startswith("!")
    issues.add(
        bad_object, "", "row " + frame["row"].astype(str) + ": " + frame["_note"].str[1:], True
    )
    note = frame["_note"].ne("") & ~bad_object
    issues.add(note, "", "row " + frame["row"].astype(str) + ": " + frame["_note"], False)

    for column, what in (
        ("submitter", "the name of the organisation or State submitting"),
        ("stakeholder_type", "the stakeholder type"),
        ("kind", "achievement, gap, proposal or good_practice"),
        ("text", "the statement itself"),
    ):
        empty = frame[column].eq("") & ~bad_object
        flag(empty, column, f"is empty; fill in {what}", True)

    stake = frame["stakeholder_type"].map(
        {
            v: _enum(v, STAKEHOLDER_TYPES, _STAKEHOLDER_ALIASES)
            for v in frame["stakeholder_type"].unique()
        }
    )
    flag(
        stake.isna() & frame["stakeholder_type"].ne(""),
        "stakeholder_type",
        "'"
        + frame["stakeholder_type"]
        + "' is not a stakeholder type; use one of "
        + ", ".join(STAKEHOLDER_TYPES),
        True,
    )
    kind = frame["kind"].map({v: _enum(v, KINDS, _KIND_ALIASES) for v in frame["kind"].unique()})
    flag(
        kind.isna() & frame["kind"].ne(""),
        "kind",
        "'" + frame["kind"] + "' is not a kind of statement; use one of " + ", ".join(KINDS),
        True,
    )

    # The contributor's country: required of a Member State, optional for others.
    country = frame["country"].map(
        {v: reference.resolve_country(v) or "" for v in frame["country"].unique()}
    )
    is_state = stake.eq("member_state")
    from_name = frame["submitter"].map(
        {v: reference.resolve_country(v) for v in frame["submitter"].unique()}
    )
    use_name = is_state & frame["country"].eq("") & from_name.notna()
    country = country.mask(use_name, from_name)
    unknown = frame["country"].ne("") & country.eq("")
    hint = frame["country"].map(
        {v: reference.suggest_country(v) for v in frame["country"][unknown].unique()}
    )
    sentence = (
        "'"
        + frame["country"]
        + "' is not a Member State"
        + hint.map(
            lambda h: (
                f"; did you mean {h}?" if isinstance(h, str) else "; write its name or ISO3 code"
            )
        )
    )
    flag(unknown & is_state, "country", sentence, True)
    flag(unknown & ~is_state, "country", sentence + "; the country was left blank", False)
    flag(
        is_state & country.eq(""),
        "country",
        "a Member State's contribution must name its country",
        True,
    )

    # Received date and the cut-off.
    parsed = {v: _iso_date(v) for v in frame["received"].unique()}
    received = frame["received"].map(lambda v: parsed[v][0])
    problem = frame["received"].map(lambda v: parsed[v][1])
    flag(problem.eq("missing"), "received", "no date received; add it as YYYY-MM-DD", False)
    flag(
        problem.eq("impossible"),
        "received",
        "'"
        + frame["received"]
        + "' is not a real date; treated as unknown — correct it (YYYY-MM-DD)",
        False,
    )
    flag(
        problem.eq("format"),
        "received",
        "'" + frame["received"] + "' is not written YYYY-MM-DD; treated as unknown",
        False,
    )
    if config.cutoff:
        late = received.map(lambda d: d is not None and d > config.cutoff)
        flag(
            late,
            "received",
            "received "
            + received.astype(str)
            + ", after the cut-off date "
            + config.cutoff.isoformat()
            + " in review.yml; accepted — confirm it may be counted",
            False,
        )

    language = (
        frame["language"]
        .map({v: resolve_language(v) for v in frame["language"].unique()})
        .astype(object)
    )
    flag(
        frame["language"].eq(""),
        "language",
        "no language given; add its ISO code (en, fr, es, ru, ar, zh)",
        False,
    )
    flag(
        language.isna() & frame["language"].ne(""),
        "language",
        "'"
        + frame["language"]
        + "' is not a language code the workbook knows (en, fr, es, ru, ar, zh)",
        False,
    )
    language = language.fillna("")

    # Commitments and themes: unknown ids are warned about and left out.
    known_c = set(reference.commitments["commitment"])

    def clean_commitments(value: str) -> tuple[str, list[str]]:
        ids = [i.upper().removeprefix("GPA-") for i in _split_ids(value)]
        return ";".join(dict.fromkeys(i for i in ids if i in known_c)), [
            i for i in ids if i not in known_c
        ]

    commit_map = {v: clean_commitments(v) for v in frame["commitments"].unique()}
    commitments = frame["commitments"].map(lambda v: commit_map[v][0])
    bad_c = frame["commitments"].map(lambda v: ", ".join(commit_map[v][1]))
    flag(
        bad_c.ne(""),
        "commitments",
        "'" + bad_c + "' not in commitments.csv; left out — use ids such as PRE-01",
        False,
    )

    theme_keys = {norm(t): t for t in reference.themes["theme"]} | {
        norm(label): t
        for t, label in zip(reference.themes["theme"], reference.themes["label"], strict=True)
    }

    def clean_themes(value: str) -> tuple[list[str], list[str]]:
        ids = _split_ids(value)
        return [theme_keys[norm(i)] for i in ids if norm(i) in theme_keys], [
            i for i in ids if norm(i) not in theme_keys
        ]

    theme_map = {v: clean_themes(v) for v in frame["themes"].unique()}
    given_themes = frame["themes"].map(lambda v: theme_map[v][0])
    bad_t = frame["themes"].map(lambda v: ", ".join(theme_map[v][1]))
    flag(
        bad_t.ne(""),
        "themes",
        "'" + bad_t + "' not in themes.csv; left out — use ids such as migration",
        False,
    )

    # Scope: a Member State, a regional group, or global; empty means the contributor's country.
    def scope_of(value: str) -> tuple[str, str, str] | None:
        if not value:
            return None
        if (iso := reference.resolve_country(value)) is not None:
            return iso, "country", iso
        if (group := resolve_group(value)) is not None:
            return group, "region", ""
        if is_global(value):
            return "global", "global", ""
        return ("", "unknown", "")

    scopes = {v: scope_of(v) for v in frame["scope"].unique()}
    scope = frame["scope"].map(scopes)
    default = country.map(lambda c: (c, "country", c) if c else ("global", "global", ""))
    scope = scope.where(scope.notna(), default)
    bad_scope = scope.map(lambda s: s[1] == "unknown")
    scope_hint = frame["scope"].map(
        {v: reference.suggest_country(v) for v in frame["scope"][bad_scope].unique()}
    )
    flag(
        bad_scope,
        "scope",
        "'"
        + frame["scope"]
        + "' is not a Member State, a regional group or 'global'"
        + scope_hint.map(lambda h: f"; did you mean {h}?" if isinstance(h, str) else ""),
        True,
    )

    long_text = frame["text"].str.len() > LONG_TEXT
    flag(
        long_text,
        "text",
        "is very long ("
        + frame["text"].str.len().map("{:,}".format)
        + " characters); accepted, but briefs will show an excerpt",
        False,
    )

    # Ids: derived from the file and row when absent; a repeated id is rejected.
    contribution_id = frame["contribution_id"].where(
        frame["contribution_id"].ne(""), frame["file"].map(lambda f: Path(f).stem)
    )
    statement_id = frame["statement_id"].where(
        frame["statement_id"].ne(""),
        frame["file"].map(lambda f: Path(f).stem) + "-" + frame["row"].astype(str),
    )
    first = statement_id.duplicated(keep="first")
    holder = pd.Series(frame.index, index=frame.index).groupby(statement_id).transform("first")
    flag(
        first,
        "statement_id",
        "'"
        + statement_id
        + "' is already used in "
        + frame["file"].reindex(holder.values).values
        + " row "
        + frame["row"].reindex(holder.values).astype(str).values
        + "; give this statement its own id",
        True,
    )

    # Pillar: as given, else from the commitments named, else inferred from the text.
    pillar_given = frame["pillar"].map({v: resolve_pillar(v) for v in frame["pillar"].unique()})
    flag(
        pillar_given.isna() & frame["pillar"].ne(""),
        "pillar",
        "'" + frame["pillar"] + "' is not a pillar (" + ", ".join(PILLARS) + "); inferred instead",
        False,
    )
    first_pillar = commitments.map(
        lambda ids: next(
            (
                reference.commitment_pillar[i]
                for i in ids.split(";")
                if reference.commitment_pillar.get(i) in PILLARS
            ),
            "",
        )
    )
    pillar = pillar_given.fillna("")
    source = pd.Series("given", index=frame.index).where(pillar.ne(""), "")
    from_c = pillar.eq("") & first_pillar.ne("")
    pillar = pillar.mask(from_c, first_pillar)
    source = source.mask(from_c, "commitments")
    need = pillar.eq("") & frame["text"].ne("")
    folded = fold_all(frame["text"])
    inferred = (
        KeywordClassifier(reference.pillars, "pillar")
        .best(folded[need])
        .reindex(frame.index)
        .fillna("")
    )
    pillar = pillar.mask(need, inferred)
    source = source.mask(need & inferred.ne(""), "inferred")
    flag(
        need & inferred.ne(""),
        "pillar",
        "was empty; inferred as '" + inferred + "' from the text — set it if that is wrong",
        False,
    )
    flag(
        need & inferred.eq(""),
        "pillar",
        "is empty and could not be inferred from the text; set one of " + ", ".join(PILLARS),
        False,
    )

    found = KeywordClassifier(reference.themes, "theme").all_matches(folded)
    order = {t: i for i, t in enumerate(reference.themes["theme"])}
    themes, themes_inferred = [], []
    for given, hits in zip(given_themes, found, strict=True):
        extra = [t for t in hits.split(";") if t and t not in given]
        themes.append(";".join(sorted({*given, *extra}, key=order.__getitem__)))
        themes_inferred.append(";".join(extra))

    entities = {v: reference.resolve_entity(v) for v in frame["submitter"].unique()}
    icat = frame["submitter"].map(lambda v: bool(entities[v] and entities[v][1]))
    group_of = reference.group_of
    submitter_group = country.map(lambda c: group_of.get(c, ""))
    scope_value = scope.map(lambda s: s[0])
    scope_type = scope.map(lambda s: s[1])
    scope_iso3 = scope.map(lambda s: s[2])
    regional_group = scope_iso3.map(lambda c: group_of.get(c, "")).mask(
        scope_type.eq("region"), scope_value
    )
    regional_group = regional_group.mask(scope_type.eq("global"), submitter_group)

    is_error = issues.errors(frame.index)
    has_issue = pd.Series([i in issues.by_row for i in frame.index], index=frame.index)
    status = (
        pd.Series("accepted", index=frame.index)
        .mask(has_issue, "accepted_with_warning")
        .mask(is_error, "rejected")
    )
    ledger = pd.DataFrame(
        {
            "file": frame["file"],
            "row": frame["row"],
            "statement_id": statement_id,
            "status": status,
            "column": [
                ";".join(dict.fromkeys(c for _, c, _ in issues.by_row.get(i, ()) if c))
                for i in frame.index
            ],
            "message": ["; ".join(m for _, _, m in issues.by_row.get(i, ())) for i in frame.index],
        }
    )
    statements = pd.DataFrame(
        {
            "statement_id": statement_id,
            "contribution_id": contribution_id,
            "file": frame["file"],
            "row": frame["row"],
            "submitter": frame["submitter"],
            "stakeholder_type": stake.fillna(""),
            "icat_member": icat,
            "country": country,
            "submitter_group": submitter_group,
            "kind": kind.fillna(""),
            "pillar": pillar,
            "pillar_source": source,
            "commitments": commitments,
            "themes": themes,
            "themes_inferred": themes_inferred,
            "scope": scope_value,
            "scope_type": scope_type,
            "scope_iso3": scope_iso3,
            "regional_group": regional_group,
            "language": language,
            "received": received.map(lambda d: d.isoformat() if d else ""),
            "text": frame["text"],
            "evidence": frame["evidence"],
            "status": status,
        }
    )[~is_error][STATEMENT_COLUMNS]
    return statements.reset_index(drop=True), ledger
