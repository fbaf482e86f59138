"""Reference facts as they stood on a date: Member State names, the UNODC Global Report editions
published by then and the figures they carried, ICAT membership, treaty status.

A review stands on one date (review.yml's `as_of`, the meeting by default). Every dated fact a
reader is shown is the one valid on that date: "Turkey" in a 2017 review, "Türkiye" in a 2023
one; figures only for data years an edition published by then covered, each labelled with it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from reviewlib.errors import InputError
from reviewlib.gather.edited import read_table

__all__ = ["read_dated", "names_on", "read_editions", "published_editions", "editions_of_years"]
__all__ += ["icat_on", "ICAT_MEMBER", "ICAT_UNCONFIRMED", "treaty_status", "treaty_summary"]
__all__ += ["TREATIES", "TREATY_COLUMNS", "PARTY", "NOT_PARTY", "NOT_CONFIRMED"]
__all__ += [
    "editions_sentence",
    "published_last_year",
    "indicators_on",
    "is_true",
    "EDITION_COLUMNS",
]

NAME_COLUMNS = ("iso3", "name", "valid_from", "valid_to", "confirmed_on", "source", "verified")
EDITION_COLUMNS = ("edition", "published", "data_years_mainly", "source", "verified")


def is_true(value: object) -> bool:
    """A reference table's flag: only "true" (any case) is true; empty or "partial" is not."""
    return str(value).strip().lower() == "true"


def _day(value: object, path: Path, row: int, column: str) -> dt.date | None:
    text = str(value).strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date.fromisoformat(f"{text}-01")
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{path.name}, row {row}, column {column}: '{text}' is not a date written YYYY-MM-DD "
            "(or YYYY-MM); correct it in the file"
        ) from None


def read_dated(path: Path, columns: tuple[str, ...], dates: tuple[str, ...]) -> pd.DataFrame:
    """A dated reference table, its date columns parsed (None where empty); absent → no rows."""
    if not path.is_file():
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    frame = read_table(path, columns, "the workbook needs it to date the reference facts")
    for column in dates:
        frame[column] = [_day(v, path, i + 2, column) for i, v in enumerate(frame[column].tolist())]
    return frame


def _name_valid(row: pd.Series, day: dt.date) -> bool:
    if row["valid_from"] is not None and day < row["valid_from"]:
        return False
    # Change date unknown: the former name, last confirmed in use, is kept on every date (a
    # later name shown before it was adopted is the worse mistake); today's is an alias.
    return row["valid_to"] is None or day < row["valid_to"]


def names_on(
    member_states: pd.DataFrame, history: pd.DataFrame, day: dt.date | None
) -> pd.DataFrame:
    """member_states.csv with each State's name as it was on ``day`` (today's name without a
    day); every other name it has had, today's included, becomes an alias so either resolves."""
    out = member_states.copy()
    if history.empty:
        return out
    shown = dict(zip(out["iso3"], out["name"], strict=True))
    others: dict[str, list[str]] = {}
    for _, row in history.iterrows():
        iso3 = row["iso3"]
        if iso3 not in shown:
            continue
        names = others.setdefault(iso3, [shown[iso3]])
        names.append(row["name"])
        if day is not None and _name_valid(row, day):
            shown[iso3] = row["name"]
    aliases = []
    for iso3, current in zip(out["iso3"], out["aliases"], strict=True):
        extra = [n for n in others.get(iso3, []) if n != shown[iso3]]
        parts = [p.strip() for p in str(current).split(";") if p.strip()]
        known = {p.casefold() for p in parts} | {shown[iso3].casefold()}
        parts += [n for n in extra if n.casefold() not in known]
        aliases.append(";".join(p for p in parts if p.casefold() != shown[iso3].casefold()))
    out["name"] = out["iso3"].map(shown)
    out["aliases"] = aliases
    return out


ICAT_MEMBER, ICAT_UNCONFIRMED = "member", "not confirmed"


def icat_on(entities: pd.DataFrame, day: dt.date | None, path: Path) -> pd.DataFrame:
    """entities.csv with `icat_status` on ``day``: "member" only for a verified row whose
    `icat_from` (and `icat_to`, if any) put the day inside the membership; "not confirmed" for
    any other row flagged a member; '' otherwise. `icat_member` is "true" for members only."""
    out = entities.copy()
    for column in ("icat_from", "icat_to", "verified"):
        if column not in out:
            out[column] = ""
    status = []
    for i, row in enumerate(out.itertuples(index=False)):
        start = _day(row.icat_from, path, i + 2, "icat_from")
        end = _day(row.icat_to, path, i + 2, "icat_to")
        if not is_true(row.icat_member):
            status.append("")
        elif not is_true(row.verified) or start is None:
            status.append(ICAT_UNCONFIRMED)
        elif day is not None and (day < start or (end is not None and day >= end)):
            status.append("")
        else:
            status.append(ICAT_MEMBER)
    out["icat_status"] = status
    out["icat_member"] = ["true" if s == ICAT_MEMBER else "false" for s in status]
    return out


def _span(text: object) -> tuple[int, int] | None:
    """ "2016-2018 (some 2019)" → (2016, 2018): the years an edition mainly covers."""
    found = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", str(text))
    return (int(found.group(1)), int(found.group(2))) if found else None


def read_editions(path: Path) -> pd.DataFrame:
    """glotip_editions.csv: each edition, its publication date and the data years it covers."""
    frame = read_dated(path, EDITION_COLUMNS, ("published",))
    spans = [_span(v) for v in frame["data_years_mainly"]]
    bad = [i for i, s in enumerate(spans) if s is None]
    if bad:
        raise InputError(
            f"{path.name}, row {bad[0] + 2}, column data_years_mainly: write the years an "
            "edition covers as YYYY-YYYY"
        )
    frame["first_year"] = [s[0] for s in spans]
    frame["last_year"] = [s[1] for s in spans]
    frame["edition"] = frame["edition"].astype(str).str.strip()
    return frame.sort_values("published", kind="stable").reset_index(drop=True)


def published_editions(editions: pd.DataFrame, day: dt.date | None) -> pd.DataFrame:
    """The editions public on ``day`` (all of them without a day), from verified rows only: an
    edition whose date or coverage is not confirmed is never used to date a figure."""
    if editions.empty:
        return editions
    verified = editions[editions["verified"].map(is_true)]
    if day is None:
        return verified
    return verified[[p is not None and p <= day for p in verified["published"]]]


def published_last_year(editions: pd.DataFrame, day: dt.date | None) -> int | None:
    """The latest data year an edition published by ``day`` covered (None: no edition)."""
    public = published_editions(editions, day)
    return int(public["last_year"].max()) if len(public) else None


def editions_sentence(editions: pd.DataFrame, day: dt.date | None) -> str:
    """What the methods note says about the editions a review's figures come from."""
    public = published_editions(editions, day)
    if public.empty:
        return ""
    names = public["edition"].tolist()
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    latest = public.iloc[-1]
    when = f"{calendar.month_name[latest['published'].month]} {latest['published'].year}"
    by = f" by {day.day} {calendar.month_name[day.month]} {day.year}" if day else ""
    return (
        f"Figures come only from the editions published{by} ({listed}; the latest, of {when}, "
        f"covers mainly {latest['first_year']}–{latest['last_year']}), each labelled with its "
        "edition; values as in UNODC's current data."
    )


def editions_of_years(editions: pd.DataFrame, years: pd.Series, day: dt.date | None) -> pd.Series:
    """Per data year, the latest edition published by ``day`` that covered it ('' when none did)."""
    public = published_editions(editions, day)
    label = pd.Series("", index=years.index, dtype=object)
    for row in public.itertuples(index=False):  # by publication: a later edition wins
        label = label.mask(years.between(row.first_year, row.last_year), row.edition)
    return label


def indicators_on(
    indicators: pd.DataFrame, editions: pd.DataFrame, day: dt.date | None
) -> pd.DataFrame:
    """The GLOTIP rows a reader on ``day`` could have seen, each with the `edition` that carried
    it. Without an editions table nothing is cut and the edition is left empty."""
    if editions.empty or indicators.empty:
        return indicators.assign(edition=pd.Series("", index=indicators.index, dtype=object))
    edition = editions_of_years(editions, indicators["year"], day)
    return indicators.assign(edition=edition)[edition.ne("")].reset_index(drop=True)


TREATY_COLUMNS = ("treaty", "iso3", "ratification", "action", "verified", "source")
TREATIES = {
    "protocol": "the Trafficking in Persons Protocol",
    "convention": "the Convention against Transnational Organized Crime",
}
PARTY, NOT_PARTY, NOT_CONFIRMED = "party", "not a party", "status not confirmed"
STATUS_COLUMNS = ["iso3", "treaty", "status", "since", "action", "source"]


def _sourced(flag: object) -> bool:
    """A party row to state: verified, or from the Convention's UNTC snapshot ("partial": the
    rows it has are sourced, the list is what is incomplete)."""
    return str(flag).strip().lower() in ("true", "partial")


def treaty_status(
    parties: pd.DataFrame, member_states: pd.DataFrame, day: dt.date | None
) -> pd.DataFrame:
    """Per Member State and treaty, its status on ``day``: "party" (since the date of deposit)
    from a sourced row dated by then; "not a party" only where a sourced row dates its deposit
    later; "status not confirmed" for every other State (the lists are known to be incomplete,
    so a missing row never means "not a party")."""
    rows = []
    found = {(r.treaty, r.iso3): r for r in parties.itertuples(index=False) if _sourced(r.verified)}
    for iso3 in member_states["iso3"]:
        for treaty in TREATIES:
            row = found.get((treaty, iso3))
            date = getattr(row, "ratification", None)
            if row is None or date is None:
                rows.append((iso3, treaty, NOT_CONFIRMED, "", "", ""))
            elif day is None or date <= day:
                rows.append((iso3, treaty, PARTY, date.isoformat(), row.action, row.source))
            else:
                rows.append((iso3, treaty, NOT_PARTY, "", "", row.source))
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def treaty_summary(status: pd.DataFrame, day: dt.date | None) -> pd.DataFrame:
    """Per treaty: how many Member States were confirmed parties, confirmed non-parties, and of
    unconfirmed status on ``day``."""
    counts = status.groupby(["treaty", "status"]).size().unstack(fill_value=0)
    out = pd.DataFrame({"treaty": list(TREATIES)})
    for column, status_name in (
        ("parties", PARTY),
        ("not_parties", NOT_PARTY),
        ("not_confirmed", NOT_CONFIRMED),
    ):
        values = counts[status_name] if status_name in counts else pd.Series(dtype=int)
        out[column] = out["treaty"].map(values).fillna(0).astype(int)
    out["as_of"] = day.isoformat() if day else ""
    return out
