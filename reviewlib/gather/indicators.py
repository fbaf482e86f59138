"""The GLOTIP figures as stored in inputs/reference/indicators.csv: read back with their types,
and summed up per country (first and latest year reported).

UNODC publishes counts under five as `<5`: such a row is *suppressed* (value unknown but small,
never zero), and `suppressed` keeps that all the way through.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib.errors import InputError
from reviewlib.files import unescape_text
from reviewlib.gather.edited import read_table

SORT_KEY = ["iso3", "indicator", "dimension", "category", "sex", "age", "year"]
FILE_COLUMNS = (*SORT_KEY, "value", "suppressed", "source", "member_state")
SUMMARY_COLUMNS = (
    "iso3",
    "indicator",
    "years_reported",
    *(f"{end}_{field}" for end in ("first", "latest") for field in ("year", "value", "suppressed")),
)
_STRING_COLUMNS = ["iso3", "indicator", "dimension", "category", "sex", "age", "source"]


def load_indicators(path: Path) -> pd.DataFrame:
    """Read indicators.csv back with its types; a missing file gives an empty table.

    A hand-made file without `member_state` reads as member_state=False throughout.
    """
    path = Path(path)
    if not path.is_file():
        return _typed(pd.DataFrame({c: pd.Series([], dtype=str) for c in FILE_COLUMNS}), path)
    frame = read_table(path)
    missing = [c for c in FILE_COLUMNS if c not in frame and c != "member_state"]
    if missing:
        raise InputError(f"{path.name}: no column {', '.join(missing)}")
    if "member_state" not in frame:
        frame["member_state"] = "false"
    return _typed(frame, path)


def _typed(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    out = frame[list(FILE_COLUMNS)].copy()
    try:
        out["year"] = pd.to_numeric(out["year"]).astype("int64")
        out["value"] = pd.to_numeric(out["value"].mask(out["value"] == "")).astype("float64")
    except (ValueError, TypeError) as exc:
        raise InputError(f"{path.name}: a year or a value is not a number ({exc})") from exc
    for column in ("suppressed", "member_state"):
        out[column] = out[column].str.strip().str.lower().isin({"true", "1", "yes"})
    for column in _STRING_COLUMNS:  # written formula-safe by the importer: read back as it was
        out[column] = out[column].astype(str).map(unescape_text)
    return out


def country_summary(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per country and indicator, over the all-victims rows (dimension, sex and age all Total):
    how many years are reported, and the first and latest year with their values.

    Where the export repeats a year, the largest published value is used.
    """
    totals = indicators[
        (indicators["dimension"] == "Total")
        & (indicators["sex"] == "Total")
        & (indicators["age"] == "Total")
    ]
    if totals.empty:
        return _empty_country_summary()
    ordered = totals.sort_values(
        ["iso3", "indicator", "year", "value"], kind="mergesort", na_position="first"
    )
    yearly = ordered.drop_duplicates(["iso3", "indicator", "year"], keep="last")
    groups = yearly.groupby(["iso3", "indicator"], sort=True)
    ends = {
        end: groups.nth(position)
        .set_index(["iso3", "indicator"])[["year", "value", "suppressed"]]
        .add_prefix(f"{end}_")
        for end, position in (("first", 0), ("latest", -1))
    }
    out = groups.size().rename("years_reported").to_frame().join(ends["first"]).join(ends["latest"])
    return out.reset_index()[list(SUMMARY_COLUMNS)]


def _empty_country_summary() -> pd.DataFrame:
    types = {
        "years_reported": "int64",
        "first_year": "int64",
        "latest_year": "int64",
        "first_value": "float64",
        "latest_value": "float64",
        "first_suppressed": bool,
        "latest_suppressed": bool,
    }
    return pd.DataFrame({c: pd.Series([], dtype=types.get(c, str)) for c in SUMMARY_COLUMNS})
