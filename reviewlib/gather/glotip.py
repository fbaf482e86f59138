"""Import the UNODC Global Report on Trafficking in Persons (GLOTIP) export into indicators.csv.

UNODC publishes counts under five as the text `<5`. Such a row is *suppressed*: its value is
unknown but small, never zero and never missing, and the distinction is kept all the way through.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reviewlib.errors import InputError
from reviewlib.files import atomic_write_text, safe_text
from reviewlib.gather.delimited import decode, sniff_delimiter
from reviewlib.gather.indicators import FILE_COLUMNS, SORT_KEY
from reviewlib.gather.workbook import WorkbookError, open_workbook, sheet_cells

SOURCE_PREFIX = "UNODC Global Report on Trafficking in Persons data export"
SUPPRESSED_TEXT = "<5"

INDICATOR_COLUMNS = (
    "iso3",
    "country",
    "member_state",
    *SORT_KEY[1:],
    "value",
    "suppressed",
    "source",
)
LEDGER_COLUMNS = ("file", "row", "statement_id", "status", "column", "message")

# Our name for each column -> the header UNODC uses, then other spellings accepted.
_HEADERS = {
    "iso3": ("Iso3_code", "iso3", "iso", "iso3 code", "country code"),
    "country": ("Country", "country name"),
    "indicator": ("Indicator",),
    "dimension": ("Dimension",),
    "category": ("Category",),
    "sex": ("Sex",),
    "age": ("Age",),
    "year": ("Year",),
    "value": ("txtVALUE", "value", "txt value"),
    "source": ("Source",),
}
_OPTIONAL = {"source"}
_HEADER_SCAN_LINES = 50
_ISO3 = r"[A-Z]{3}"
_YEAR = r"\d{4}(\.0+)?"
_NUMBER = r"\d+(\.\d+)?"


@dataclass(frozen=True)
class GlotipSummary:
    """What an import found, in the figures a secretariat officer checks first."""

    file: str
    rows_read: int
    rows_imported: int
    rows_suppressed: int
    rows_rejected: int
    member_states: int
    non_member_areas: tuple[str, ...]
    unnamed_codes: tuple[str, ...]
    member_states_without_rows: tuple[str, ...]
    first_year: int | None
    last_year: int | None
    indicators: tuple[tuple[str, int], ...]
    rows_sharing_a_key: int


@dataclass(frozen=True)
class GlotipImport:
    """The imported rows, the ledger of rows that were refused or need a look, and a summary."""

    indicators: pd.DataFrame
    ledger: pd.DataFrame
    summary: GlotipSummary


def read_glotip(path: Path, member_states: pd.DataFrame) -> GlotipImport:
    """Read a GLOTIP export (.xlsx, or .csv with any preamble) and check every row.

    `member_states` needs an `iso3` column; other codes are kept with member_state=False.
    """
    path = Path(path)
    raw = _raw_table(path)
    problems = _row_problems(raw)
    good = raw[problems == ""]
    members = set(member_states["iso3"].astype(str).str.strip().str.upper()) - {""}
    indicators = _to_indicators(good, members)
    ledger = pd.concat(
        [_rejections(raw, problems, path.name), _unnamed_code_warnings(good, members, path.name)],
        ignore_index=True,
    )
    summary = _summarise(path.name, len(raw), indicators, members)
    return GlotipImport(indicators=indicators, ledger=ledger, summary=summary)


def _raw_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        raise InputError(f"{path.name}: a GLOTIP export must be an .xlsx or a .csv file")
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    return _table_from_rows(path.name, rows)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = open_workbook(path, data_only=True)
    except WorkbookError as exc:
        raise InputError(f"{path.name}: cannot be opened as an Excel workbook ({exc})") from exc
    try:
        for number, cells in sheet_cells(workbook.worksheets[0]):
            yield number, [_cell_text(c.value) for c in cells]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = decode(path.read_bytes())
    delimiter = sniff_delimiter(text, _is_header_line, _HEADER_SCAN_LINES)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, row in enumerate(rows, start=1):
        yield number, [cell.strip() for cell in row]


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-\"'\ufeff]+", "", header).lower()


def _is_header(first_cell: str) -> bool:
    return _norm(first_cell) in {_norm(h) for h in _HEADERS["iso3"]}


def _is_header_line(line: str) -> bool:
    return any(_is_header(line.split(d)[0]) for d in (",", ";", "\t"))


def _table_from_rows(file: str, rows: Iterator[tuple[int, list[str]]]) -> pd.DataFrame:
    """The data rows under the header, with `_row` = the row number a spreadsheet shows."""
    header, records = None, []
    for number, cells in rows:
        if header is None:
            if cells and _is_header(cells[0]):
                header = cells
            elif number >= _HEADER_SCAN_LINES:
                break
        elif any(cells):
            records.append([number, *(cells + [""] * len(header))[: len(header)]])
    if header is None:
        raise InputError(
            f"{file}: no header row starting with 'Iso3_code' in the first "
            f"{_HEADER_SCAN_LINES} rows; is this the UNODC GLOTIP export?"
        )
    columns = _match_columns(file, header)
    table = pd.DataFrame(records, columns=["_row", *range(len(header))], dtype=object)
    out = pd.DataFrame({name: table[i].astype(str) for name, i in columns.items()})
    out.insert(0, "_row", table["_row"].astype("int64"))
    if "source" not in out:
        out["source"] = ""
    return out


def _match_columns(file: str, header: list[str]) -> dict[str, int]:
    found = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for name, spellings in _HEADERS.items():
        index = next((found[_norm(s)] for s in spellings if _norm(s) in found), None)
        if index is not None:
            columns[name] = index
    missing = [_HEADERS[n][0] for n in _HEADERS if n not in columns and n not in _OPTIONAL]
    if missing:
        raise InputError(
            f"{file}: the GLOTIP export has no column {', '.join(missing)} "
            f"(columns found: {', '.join(h for h in header if h) or 'none'})"
        )
    return columns


def _row_problems(raw: pd.DataFrame) -> pd.Series:
    """One sentence per bad row ("" for a good row), naming each bad column."""
    joined = pd.Series("", index=raw.index, dtype=object)
    for problem in (_iso3_problem(raw), _year_problem(raw), _value_problem(raw)):
        separator = pd.Series("; ", index=raw.index).where((joined != "") & (problem != ""), "")
        joined = joined + separator + problem
    return joined


def _iso3_problem(raw: pd.DataFrame) -> pd.Series:
    code = raw["iso3"].str.upper()
    empty = "column Iso3_code: the country code is empty (country '" + raw["country"] + "')"
    wrong = "column Iso3_code: '" + raw["iso3"] + "' is not a three-letter country code"
    problem = pd.Series("", index=raw.index, dtype=object)
    return problem.mask(~code.str.fullmatch(_ISO3), wrong).mask(code == "", empty)


def _year_problem(raw: pd.DataFrame) -> pd.Series:
    message = "column Year: '" + raw["year"] + "' is not a year"
    return message.where(~raw["year"].str.fullmatch(_YEAR), "").astype(object)


def _value_problem(raw: pd.DataFrame) -> pd.Series:
    text = raw["value"]
    ok = _is_suppressed(text) | _number_text(text).str.fullmatch(_NUMBER)
    message = ("column txtVALUE: '" + text + "' is not a number or '<5'").where(
        text != "", "column txtVALUE: the value is empty"
    )
    return message.where(~ok, "").astype(object)


def _is_suppressed(text: pd.Series) -> pd.Series:
    return text.str.replace(" ", "", regex=False) == SUPPRESSED_TEXT


def _number_text(text: pd.Series) -> pd.Series:
    return text.str.replace(r"[,\s\u00a0\u202f]", "", regex=True)


def _to_indicators(good: pd.DataFrame, members: set[str]) -> pd.DataFrame:
    suppressed = _is_suppressed(good["value"])
    values = pd.to_numeric(_number_text(good["value"]).where(~suppressed), errors="coerce")
    iso3 = good["iso3"].str.upper()
    frame = pd.DataFrame(
        {
            "iso3": iso3,
            "country": good["country"],
            "member_state": iso3.isin(members),
            **{c: good[c] for c in ("indicator", "dimension", "category", "sex", "age")},
            "year": pd.to_numeric(good["year"]).astype("int64"),
            "value": values.astype("float64"),
            "suppressed": suppressed.astype(bool),
            "source": _source(good["source"]),
        }
    )
    return frame.reset_index(drop=True)[list(INDICATOR_COLUMNS)]


def _source(column: pd.Series) -> pd.Series:
    return (SOURCE_PREFIX + ": " + column).where(column != "", SOURCE_PREFIX)


def _ledger(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))
    return frame.astype({"row": "int64"}) if rows else frame


def _rejections(raw: pd.DataFrame, problems: pd.Series, file: str) -> pd.DataFrame:
    bad = problems != ""
    return _ledger(
        [
            {
                "file": file,
                "row": row,
                "statement_id": "",
                "status": "rejected",
                "column": ";".join(re.findall(r"column (\w+)", problem)),
                "message": f"row {row}, {problem}; the row was not imported",
            }
            for row, problem in zip(raw.loc[bad, "_row"], problems[bad], strict=True)
        ]
    )


def _unnamed_code_warnings(good: pd.DataFrame, members: set[str], file: str) -> pd.DataFrame:
    """One warning per code that has no country name and is not a Member State (a regional total)."""
    code = good["iso3"].str.upper()
    unnamed = good.assign(code=code)[(good["country"] == "") & ~code.isin(members)]
    rows = []
    for iso3, group in unnamed.groupby("code", sort=True):
        first = int(group["_row"].min())
        rows.append(
            {
                "file": file,
                "row": first,
                "statement_id": "",
                "status": "accepted_with_warning",
                "column": "Country",
                "message": (
                    f"row {first}, column Country: code '{iso3}' has no country name and is not "
                    f"a Member State (probably a UNODC regional total); its {len(group):,} rows "
                    "were imported as not belonging to any Member State"
                ),
            }
        )
    return _ledger(rows)


def _summarise(file: str, rows_read: int, ind: pd.DataFrame, members: set[str]) -> GlotipSummary:
    others = ind[~ind["member_state"]]
    named = set(others.loc[others["country"] != "", "iso3"])
    counts = ind["indicator"].value_counts()
    return GlotipSummary(
        file=file,
        rows_read=rows_read,
        rows_imported=len(ind),
        rows_suppressed=int(ind["suppressed"].sum()),
        rows_rejected=rows_read - len(ind),
        member_states=int(ind.loc[ind["member_state"], "iso3"].nunique()),
        non_member_areas=tuple(sorted(named)),
        unnamed_codes=tuple(sorted(set(others["iso3"]) - named)),
        member_states_without_rows=tuple(sorted(members - set(ind["iso3"]))),
        first_year=int(ind["year"].min()) if len(ind) else None,
        last_year=int(ind["year"].max()) if len(ind) else None,
        indicators=tuple((str(k), int(counts[k])) for k in sorted(counts.index)),
        rows_sharing_a_key=int(ind.duplicated(SORT_KEY, keep=False).sum()),
    )


def format_summary(summary: GlotipSummary) -> str:
    """A few lines to print after an import."""
    s = summary
    years = f"{s.first_year}–{s.last_year}" if s.first_year is not None else "none"
    lines = [
        f"Read {s.rows_read:,} rows from {s.file}: {s.rows_imported:,} imported "
        f"({s.rows_suppressed:,} suppressed '<5'), {s.rows_rejected:,} rejected.",
        f"{s.member_states} Member States and {len(s.non_member_areas)} other countries or "
        f"territories that are not Member States ({', '.join(s.non_member_areas) or 'none'}).",
        f"Years {years}; indicators: "
        + ("; ".join(f"{name} ({n:,} rows)" for name, n in s.indicators) or "none")
        + ".",
    ]
    if s.unnamed_codes:
        lines.append(
            f"Codes with no country name, kept but not counted as countries: "
            f"{', '.join(s.unnamed_codes)}."
        )
    if s.member_states_without_rows:
        lines.append(
            f"{len(s.member_states_without_rows)} Member States have no rows in this file."
        )
    if s.rows_sharing_a_key:
        lines.append(
            f"{s.rows_sharing_a_key:,} rows repeat the country, indicator, breakdown and year of "
            "another row (the export does so for some breakdowns); all were kept."
        )
    return "\n".join(lines)


def write_indicators(imp: GlotipImport, path: Path) -> None:
    """Write indicators.csv, sorted, atomically; the same import always gives the same bytes."""
    ordered = imp.indicators.sort_values(
        [*SORT_KEY, "suppressed", "value", "source"], kind="mergesort", na_position="first"
    )
    atomic_write_text(Path(path), _as_text(ordered).to_csv(index=False, lineterminator="\n"))


_TEXT_COLUMNS = [
    c for c in FILE_COLUMNS if c not in ("value", "year", "suppressed", "member_state")
]


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(FILE_COLUMNS)].astype({c: object for c in FILE_COLUMNS})
    out["value"] = [_number(v) for v in frame["value"]]
    out["year"] = frame["year"].astype("int64").astype(str)
    out["suppressed"] = frame["suppressed"].map({True: "true", False: "false"})
    out["member_state"] = frame["member_state"].map({True: "true", False: "false"})
    for column in _TEXT_COLUMNS:  # people open indicators.csv in Excel: no text runs as a formula
        out[column] = out[column].map(safe_text)
    return out


def _number(value: float) -> str:
    if pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
