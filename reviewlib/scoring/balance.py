"""How representative the pool of contributions is: who spoke, from which region, in which
language, on which themes, and which ICAT members have not yet been heard.

Only statements that count are used (`reviewlib.gather.decisions.counting`: not set aside, not merged
into another), and a contribution counts when at least one of its statements does.

The balance index (0–1) is the weighted mean of three parts, each in 0–1 (equal weights unless
review.yml says otherwise under `balance: weights:`):

- stakeholder_evenness — how evenly contributions spread over the nine stakeholder types:
  the Shannon entropy of the shares, H = −Σ p·ln p, divided by its maximum ln 9. One type
  alone gives 0; the same number of contributions from every type gives 1.
- regional_representativeness — whether the Member States that contributed mirror the
  membership: 1 − ½·Σ |p_g − q_g| over the five regional groups, where p_g is group g's share
  of contributing Member States and q_g its share of all Member States in member_states.csv
  (one minus the total variation distance). 0 when no Member State has contributed.
- icat_coverage — the share of ICAT members in entities.csv that have contributed. Left out of
  the mean when entities.csv lists no ICAT member.

A contributing Member State is one that sent a contribution as a member_state (counted once,
however many it sent); civil society from a country does not make the State a contributor.
The index measures spread, not volume: twenty States spread across the groups in proportion to
their membership score as well as all 193. The count tables show the volume.

Flags are plain sentences computed from the tables (`reviewlib.scoring.balance_flags`). Their
thresholds are in `THRESHOLDS`; review.yml may override any of them under `balance:` (e.g.
`balance: {under_ratio: 0.6}`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from reviewlib.errors import InputError
from reviewlib.gather.dated import ICAT_MEMBER, ICAT_UNCONFIRMED
from reviewlib.gather.decisions import counting
from reviewlib.gather.review import Review
from reviewlib.scoring import balance_flags
from reviewlib.scoring.balance_flags import NO_THEME, NOT_GIVEN
from reviewlib.terms import REGIONAL_GROUPS, STAKEHOLDER_TYPES

THRESHOLDS: dict[str, float] = {
    # A stakeholder type with more than none but fewer than this many contributions is flagged.
    "few_contributions": 3,
    # Flag when civil society, survivor-led groups, the private sector, media and academia
    # together sent less than this share of contributions.
    "min_non_governmental_share": 0.25,
    # Flag a regional group whose share of contributing States, divided by its share of all
    # Member States, is below under_ratio (under two-thirds of its weight in the membership)
    # or above over_ratio (over one and a half times it); a group with none is always flagged.
    "under_ratio": 0.67,
    "over_ratio": 1.5,
    # Flag when one language carries more than this share of contributions.
    "dominant_language_share": 0.8,
}
PARTS = ("stakeholder_evenness", "regional_representativeness", "icat_coverage")
WEIGHTS: dict[str, float] = dict.fromkeys(PARTS, 1.0)

NO_COUNTRY = "no country / global"
TABLE_COLUMNS = [
    "dimension",
    "category",
    "contributions",
    "statements",
    "share",
    "reference_share",
    "note",
]
ICAT_COLUMNS = [
    "entity",
    "short_name",
    "stakeholder_type",
    "contributed",
    "contributions",
    "statements",
    "membership",
]
CONFIRMED = "confirmed"


@dataclass(frozen=True, eq=False)
class Balance:
    """How representative the counting pool is. Every table has a fixed order of rows.

    by_stakeholder, by_group, by_language: the category, then contributions, statements,
      contribution_share, statement_share (groups: the five, then NO_COUNTRY; languages:
      review.yml's, then any other seen, then NOT_GIVEN).
    by_theme: theme, label, statements, contributions, statement_share (themes.csv order,
      then NO_THEME; a statement with several themes counts for each).
    states: regional_group, member_states, contributing_states, contributions, statements,
      share_of_member_states, share_of_contributing_states, ratio (the second share ÷ the first).
    icat: ICAT_COLUMNS, one row per ICAT member in entities.csv order.
    parts: part, value, weight (normalised to sum to 1), detail; `index` is their weighted mean.
    flags: dimension, category, message.
    """

    n_contributions: int
    n_statements: int
    by_stakeholder: pd.DataFrame
    by_group: pd.DataFrame
    by_language: pd.DataFrame
    by_theme: pd.DataFrame
    states: pd.DataFrame
    icat: pd.DataFrame
    parts: pd.DataFrame
    index: float
    flags: pd.DataFrame
    thresholds: Mapping[str, float]

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(self.flags["message"])


def settings(review: Review) -> tuple[dict[str, float], dict[str, float]]:
    """The thresholds and weights in force: module defaults, overridden by review.yml `balance:`."""
    raw = review.config.raw.get("balance") or {}
    if not isinstance(raw, dict):
        raise InputError("review.yml: 'balance' must be a mapping of thresholds and weights")
    thresholds, weights = dict(THRESHOLDS), dict(WEIGHTS)
    for key, value in raw.items():
        if key == "weights":
            if not isinstance(value, dict):
                raise InputError("review.yml: 'balance.weights' must map parts to numbers")
            for part, weight in value.items():
                if part not in WEIGHTS:
                    raise InputError(
                        f"review.yml: 'balance.weights.{part}' is not a part of the "
                        f"index; use {', '.join(PARTS)}"
                    )
                weights[part] = _number(weight, f"balance.weights.{part}")
            if sum(weights.values()) <= 0:
                raise InputError("review.yml: 'balance.weights' must not all be zero")
        elif key in THRESHOLDS:
            thresholds[key] = _number(value, f"balance.{key}")
        else:
            raise InputError(
                f"review.yml: 'balance.{key}' is not a balance setting; use "
                f"{', '.join([*THRESHOLDS, 'weights'])}"
            )
    return thresholds, weights


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise InputError(f"review.yml: '{key}' must be a number of zero or more, not {value!r}")
    if math.isinf(value):
        raise InputError(f"review.yml: '{key}' must be a finite number, not {value!r}")
    return float(value)


def stakeholder_evenness(counts: Iterable[int], types: int = len(STAKEHOLDER_TYPES)) -> float:
    """Shannon entropy of the counts divided by ln(types); 0 for no or one kind of contributor."""
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0 or types < 2:
        return 0.0
    entropy = -sum(c / total * math.log(c / total) for c in values)
    return min(1.0, max(0.0, entropy / math.log(types)))


def regional_representativeness(contributing: Iterable[int], member_states: Iterable[int]) -> float:
    """1 − total variation distance between two distributions over the same groups."""
    p, q = list(contributing), list(member_states)
    if sum(p) == 0 or sum(q) == 0:
        return 0.0
    distance = sum(abs(a / sum(p) - b / sum(q)) for a, b in zip(p, q, strict=True)) / 2
    return min(1.0, max(0.0, 1 - distance))


def _share(part: pd.Series, total: float) -> pd.Series:
    return (part / total).astype(float) if total else pd.Series(0.0, index=part.index)


def _pool(review: Review) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(contributions with at least one counting statement, and how many; the counting statements)."""
    statements = counting(review.statements)
    per = statements.groupby("contribution_id").size()
    contributions = review.contributions
    contributions = contributions[contributions["contribution_id"].isin(per.index)].copy()
    contributions["statements"] = contributions["contribution_id"].map(per).astype(int)
    return contributions.sort_values("contribution_id").reset_index(drop=True), statements


def _counts(
    contributions: pd.DataFrame,
    by: pd.Series,
    order: list[str],
    statements: pd.Series | None = None,
) -> pd.DataFrame:
    """Contributions and statements per category in `order`; statements are counted from the
    contributions unless given one value per statement."""
    n = contributions.groupby(by).size().reindex(order, fill_value=0)
    s = (
        statements.value_counts()
        if statements is not None
        else contributions.groupby(by)["statements"].sum()
    )
    s = s.reindex(order, fill_value=0)
    out = pd.DataFrame({by.name: order, "contributions": n.values, "statements": s.values})
    out[["contributions", "statements"]] = out[["contributions", "statements"]].astype(int)
    out["contribution_share"] = _share(out["contributions"], n.sum()).values
    out["statement_share"] = _share(out["statements"], s.sum()).values
    return out


def _by_theme(review: Review, statements: pd.DataFrame) -> pd.DataFrame:
    themes = review.reference.themes
    order = [*themes["theme"], NO_THEME]
    labels = [*themes["label"], "No theme given or found in the text"]
    pairs = statements[["statement_id", "contribution_id"]].assign(
        theme=statements["themes"].str.split(";")
    )
    pairs = pairs.explode("theme")
    pairs = pairs[pairs["theme"].isin(themes["theme"])]
    plain = statements.loc[~statements["statement_id"].isin(pairs["statement_id"])]
    pairs = pd.concat([pairs, plain[["statement_id", "contribution_id"]].assign(theme=NO_THEME)])
    counts = pairs.groupby("theme").nunique().reindex(order, fill_value=0)
    out = pd.DataFrame({"theme": order, "label": labels})
    out["statements"] = counts["statement_id"].values.astype(int)
    out["contributions"] = counts["contribution_id"].values.astype(int)
    out["statement_share"] = _share(out["statements"], len(statements)).values
    return out


def _states(review: Review, contributions: pd.DataFrame) -> pd.DataFrame:
    states = contributions[contributions["stakeholder_type"].eq("member_state")]
    by = states.groupby("submitter_group")

    def per_group(counts: pd.Series) -> list[int]:
        return [int(counts.get(g, 0)) for g in REGIONAL_GROUPS]

    out = pd.DataFrame({"regional_group": list(REGIONAL_GROUPS)})
    out["member_states"] = per_group(
        review.reference.member_states.groupby("regional_group").size()
    )
    out["contributing_states"] = per_group(by["country"].nunique())
    out["contributions"] = per_group(by.size())
    out["statements"] = per_group(by["statements"].sum())
    out["share_of_member_states"] = _share(out["member_states"], out["member_states"].sum())
    contributing = out["contributing_states"]
    out["share_of_contributing_states"] = _share(contributing, contributing.sum())
    of_all = out["share_of_member_states"].where(out["member_states"] > 0)
    out["ratio"] = (out["share_of_contributing_states"] / of_all).astype(float)
    return out


def _icat(review: Review, contributions: pd.DataFrame) -> pd.DataFrame:
    """Every entity of entities.csv listed as an ICAT member, `membership` "confirmed" (a
    verified row covering the review's date) or "membership in 2017 not confirmed"; a submitter
    is matched by name or alias. Only confirmed members are counted."""
    entities = review.reference.entities
    listed = entities[entities["icat_status"].isin([ICAT_MEMBER, ICAT_UNCONFIRMED])]
    members = pd.concat(  # confirmed first: the denominator, then the others
        [
            listed[listed["icat_status"].eq(ICAT_MEMBER)],
            listed[listed["icat_status"].ne(ICAT_MEMBER)],
        ]
    )
    day = review.reference.as_of
    unconfirmed = f"membership in {day.year} not confirmed" if day else "membership not confirmed"
    names = {s: review.reference.resolve_entity(s) for s in contributions["submitter"].unique()}
    by = contributions.groupby(contributions["submitter"].map(lambda s: (names[s] or ("",))[0]))
    n, s = by.size(), by["statements"].sum()
    rows = []
    for row in members.itertuples(index=False):
        aliases = [a.strip() for a in str(row.aliases).split(";") if a.strip()]
        short = min([row.name, *aliases[:1]], key=len)
        count = int(n.get(row.name, 0))
        membership = CONFIRMED if row.icat_status == ICAT_MEMBER else unconfirmed
        rows.append(
            (
                *(row.name, short, row.stakeholder_type, count > 0, count),
                *(int(s.get(row.name, 0)), membership),
            )
        )
    return pd.DataFrame(rows, columns=ICAT_COLUMNS)


def _parts(
    by_stakeholder: pd.DataFrame,
    states: pd.DataFrame,
    icat: pd.DataFrame,
    weights: Mapping[str, float],
) -> tuple[pd.DataFrame, float]:
    present = int(by_stakeholder["contributions"].gt(0).sum())
    unconfirmed = int(icat["membership"].ne(CONFIRMED).sum())
    icat = icat[icat["membership"].eq(CONFIRMED)]
    contributing = int(states["contributing_states"].sum())
    heard = int(icat["contributed"].sum())
    values = {
        "stakeholder_evenness": stakeholder_evenness(by_stakeholder["contributions"]),
        "regional_representativeness": regional_representativeness(
            states["contributing_states"], states["member_states"]
        ),
        "icat_coverage": heard / len(icat) if len(icat) else math.nan,
    }
    details = {
        "stakeholder_evenness": f"{present} of {len(STAKEHOLDER_TYPES)} stakeholder types "
        "contributed; Shannon entropy of their shares ÷ ln 9",
        "regional_representativeness": f"{contributing} contributing Member States; 1 − total "
        "variation distance from the regional groups' shares of all Member States",
        "icat_coverage": f"{heard} of {len(icat)} ICAT members contributed (members confirmed "
        "on the review's date"
        + (
            f"; {unconfirmed} more listed whose membership is not confirmed are not counted)"
            if unconfirmed
            else ")"
        ),
    }
    if not len(icat):
        details["icat_coverage"] = "entities.csv lists no ICAT member; left out of the index"
    used = {p: weights[p] for p in PARTS if not math.isnan(values[p])}
    total = sum(used.values())
    weight = {p: used.get(p, 0.0) / total if total else 0.0 for p in PARTS}
    parts = pd.DataFrame(
        [(p, values[p], weight[p], details[p]) for p in PARTS],
        columns=["part", "value", "weight", "detail"],
    )
    index = sum(values[p] * weight[p] for p in PARTS if weight[p] > 0)
    return parts, min(1.0, max(0.0, float(index)))


def assess(review: Review) -> Balance:
    """The balance of the review's counting contributions: tables, index with its parts, flags."""
    thresholds, weights = settings(review)
    pool, statements = _pool(review)
    expected = tuple(review.config.languages)
    seen = sorted((set(pool["language"]) | set(statements["language"])) - {"", *expected})
    group = pool["submitter_group"].replace("", NO_COUNTRY).rename("regional_group")
    language = pool["language"].replace("", NOT_GIVEN)
    tables: dict[str, Any] = {
        "n_contributions": len(pool),
        "n_statements": len(statements),
        "by_stakeholder": _counts(pool, pool["stakeholder_type"], list(STAKEHOLDER_TYPES)),
        "by_group": _counts(pool, group, [*REGIONAL_GROUPS, NO_COUNTRY]),
        "by_language": _counts(
            pool,
            language,
            [*expected, *seen, NOT_GIVEN],
            statements["language"].replace("", NOT_GIVEN),
        ),
        "by_theme": _by_theme(review, statements),
        "states": _states(review, pool),
        "icat": _icat(review, pool),
    }
    tables["parts"], tables["index"] = _parts(
        tables["by_stakeholder"], tables["states"], tables["icat"], weights
    )
    tables["flags"] = balance_flags.flags({**tables, "pool": pool}, thresholds, expected)
    return Balance(**tables, thresholds=thresholds)


@lru_cache(maxsize=4)  # one Balance is shown by several briefs and written to the tables
def balance_table(balance: Balance) -> pd.DataFrame:
    """One long table for outputs/tables/balance.csv, with TABLE_COLUMNS.

    `share` is the share of contributions (dimensions stakeholder_type, regional_group,
    language), of statements (theme; a statement with several themes counts for each), of
    contributing States (member_states; `reference_share` is then the share of all Member
    States), or the value of the index and its parts (index; `reference_share` holds the weight).
    Flags come last, their sentence in `note`.
    """

    def rows(
        dimension: str, frame: pd.DataFrame, category: str, share: str | None, **extra: Any
    ) -> pd.DataFrame:
        out = pd.DataFrame({"dimension": dimension, "category": frame[category].values})
        for column in ("contributions", "statements"):
            out[column] = frame[column].values if column in frame else pd.NA
        out["share"] = frame[share].values if share else math.nan
        for column, values in extra.items():
            out[column] = list(values)
        return out

    s, p, f = balance.states, balance.parts, balance.flags
    index = pd.DataFrame(
        {"part": ["balance_index", *p["part"]], "value": [balance.index, *p["value"]]}
    )
    contributed = [
        f"{c} of {m} Member States contributed"
        for c, m in zip(s["contributing_states"], s["member_states"], strict=True)
    ]
    frames = [
        rows("stakeholder_type", balance.by_stakeholder, "stakeholder_type", "contribution_share"),
        rows("regional_group", balance.by_group, "regional_group", "contribution_share"),
        rows(
            "member_states",
            s,
            "regional_group",
            "share_of_contributing_states",
            reference_share=s["share_of_member_states"],
            note=contributed,
        ),
        rows("language", balance.by_language, "language", "contribution_share"),
        rows("theme", balance.by_theme, "theme", "statement_share", note=balance.by_theme["label"]),
        rows(
            "icat",
            balance.icat,
            "entity",
            None,
            note=balance.icat["contributed"].map({True: "contributed", False: "not contributed"})
            + "; "
            + balance.icat["membership"],
        ),
        rows(
            "index",
            index,
            "part",
            "value",
            reference_share=[math.nan, *p["weight"]],
            note=["weighted mean of the parts", *p["detail"]],
        ),
        pd.DataFrame(
            {
                "dimension": "flag",
                "category": (f["dimension"] + ":" + f["category"]).str.rstrip(":"),
                "note": f["message"],
            }
        ),
    ]
    table = pd.concat([x for x in frames if len(x)], ignore_index=True).reindex(
        columns=TABLE_COLUMNS
    )
    for column in ("contributions", "statements"):
        table[column] = pd.to_numeric(table[column]).astype("Int64")
    for column in ("share", "reference_share"):
        table[column] = pd.to_numeric(table[column]).astype(float)
    for column in ("dimension", "category", "note"):
        table[column] = table[column].fillna("").astype(str)
    return table
