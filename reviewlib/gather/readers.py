"""Read one contribution file (CSV, XLSX or JSON) into rows of text fields, whatever its dialect.

Readers only read: they never judge a value. A file that cannot be read at all raises
`UnreadableFile` with a sentence for the ledger, one past an intake limit `LimitExceeded`
(`reviewlib.gather.limits`); problems of one row travel with the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import pandas as pd

from reviewlib.gather.limits import (
    Deadline,
    IntakeLimits,
    LimitExceeded,
    check_cell,
    check_rows,
    check_sheets,
    check_size,
    check_zip,
    json_depth,
)

_DEFAULT = IntakeLimits()
CONTRIBUTION_FIELDS = (
    "contribution_id",
    "submitter",
    "stakeholder_type",
    "country",
    "received",
    "language",
)
STATEMENT_FIELDS = (
    "statement_id",
    "kind",
    "pillar",
    "commitments",
    "themes",
    "scope",
    "text",
    "text_en",
    "text_en_source",
    "evidence",
)
FIELDS = CONTRIBUTION_FIELDS + STATEMENT_FIELDS
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json")
# Zipped documents: their unzipped size is checked before any is opened.
_ZIPPED = (".xlsx", ".xlsm", ".docx", ".odt", ".ods", ".pptx", ".zip")

# Headers are matched with case, spaces, '_' and '-' ignored; a few other spellings people use.
_HEADER_ALIASES = {
    "organisation": "submitter",
    "organization": "submitter",
    "submittedby": "submitter",
    "stakeholder": "stakeholder_type",
    "typeofstakeholder": "stakeholder_type",
    "contribution": "contribution_id",
    "contributionid": "contribution_id",
    "statement": "text",
    "statementtext": "text",
    "daterecieved": "received",
    "datereceived": "received",
    "date": "received",
    "lang": "language",
    "commitment": "commitments",
    "theme": "themes",
    "statementid": "statement_id",
    "id": "statement_id",
    "english": "text_en",
    "englishtext": "text_en",
    "textinenglish": "text_en",
    "translation": "text_en",
    "englishsource": "text_en_source",
    "translationsource": "text_en_source",
    "translatedby": "text_en_source",
}


class UnreadableFile(Exception):
    """The whole file cannot be read; the message is the ledger's sentence."""


def header_key(name: object) -> str | None:
    """The canonical field a column header stands for, or None."""
    key = re.sub(r"[\W_]+", "", str(name).casefold())
    for field in FIELDS:
        if key == field.replace("_", ""):
            return field
    return _HEADER_ALIASES.get(key)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value).strip()


def _table(
    records: list[list[str]],
    header: list[object],
    rows: list[int],
    file: str,
    extra: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """Rows under a header → a frame of the canonical fields (all text) plus file, row, _note."""
    columns: dict[str, int] = {}
    unknown = []
    for i, name in enumerate(header):
        key = header_key(name)
        if key and key not in columns:
            columns[key] = i
        elif str(name).strip():
            unknown.append(str(name).strip())
    data = {
        f: [r[columns[f]] if columns[f] < len(r) else "" for r in records]
        if f in columns
        else [""] * len(records)
        for f in FIELDS
    }
    frame = pd.DataFrame(data, dtype=object)
    for field, value in (extra or {}).items():
        if field not in columns:
            frame[field] = value
    frame.insert(0, "row", rows)
    frame.insert(0, "file", file)
    frame["_note"] = notes if notes is not None else ""
    frame.attrs["unknown_columns"] = unknown
    frame.attrs["present"] = set(columns) | set(extra or {})
    return frame


def decode(data: bytes) -> str:
    """Text of a file sent as UTF-8 (with or without BOM) or, failing that, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(
    text: str, is_header: Callable[[str], bool] | None = None, scan: int = 50
) -> str:
    """The delimiter of CSV text: of ',', ';' and tab, the one used most on its header line — the
    first line with text, or the first of `scan` lines that `is_header` accepts; ',' on a tie."""
    for line in islice(io.StringIO(text), scan):
        if line.strip() and (is_header is None or is_header(line)):
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            return max(counts, key=lambda d: (counts[d], d == ","))
    return ","


def _bounded(records, limits: IntakeLimits):
    """Rows of text cells, counted against the limits as they come (numbered from 1)."""
    deadline = Deadline(limits)
    cells = 0
    for number, record in enumerate(records, start=1):
        cells += len(record)
        if number % 500 == 0:
            deadline.check()
        check_rows(number, cells, limits)
        for value in record:
            if isinstance(value, str) and len(value) > 1000:
                check_cell(value, limits)
        yield number, record


def read_csv(path: Path, limits: IntakeLimits = _DEFAULT) -> pd.DataFrame:
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    previous = csv.field_size_limit(limits.cell_characters + 1)
    try:
        lines = [record for _, record in _bounded(reader, limits)]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise LimitExceeded(
                "cell_characters", "more than one", limits.cell_characters
            ) from None
        raise UnreadableFile(f"the file is not readable as CSV ({exc})") from None
    finally:
        csv.field_size_limit(previous)
    header_at = next((i for i, r in enumerate(lines) if any(c.strip() for c in r)), None)
    if header_at is None:
        raise UnreadableFile(
            "the file holds no text, only delimiters or blank lines; "
            "save the spreadsheet again as CSV with its header and statements"
        )
    header = lines[header_at]
    records, rows = [], []
    for i, record in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if any(c.strip() for c in record):
            records.append([c.strip() for c in record])
            rows.append(i)
    return _table(records, header, rows, path.name)


def _sheet_rows(sheet, limits: IntakeLimits) -> list[tuple[int, list[str], bool]]:
    out = []
    for number, cells in _bounded(sheet.iter_rows(), limits):
        values = [_cell(c.value) for c in cells]
        for value in values:
            if len(value) > 1000:
                check_cell(value, limits)
        formula = any(getattr(c, "data_type", "") == "f" for c in cells)
        if any(values):
            out.append((number, values, formula))
    return out


def read_xlsx(path: Path, limits: IntakeLimits = _DEFAULT) -> pd.DataFrame:
    import openpyxl  # uses defusedxml when it is installed: no entity expansion, no XML bombs

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableFile(
            f"the file is not a readable Excel workbook ({exc.__class__.__name__})"
        ) from None
    except Exception as exc:  # defusedxml and openpyxl raise many kinds on hostile XML
        cause = exc.__cause__ or exc.__context__
        if cause is not None and type(cause).__module__.startswith("defusedxml"):
            raise UnreadableFile(
                "the workbook declares XML entities, which are refused for safety "
                f"({type(cause).__name__})"
            ) from None
        raise UnreadableFile(
            f"the workbook's XML is invalid ({str(exc).splitlines()[0]})"
        ) from None
    try:
        sheets = {re.sub(r"\W+", "", name.casefold()): name for name in book.sheetnames}
        extra: dict[str, str] = {}
        if "contributor" in sheets:
            for _, values, _ in _sheet_rows(book[sheets["contributor"]], limits):
                key = header_key(values[0]) if values else None
                if key in CONTRIBUTION_FIELDS and len(values) > 1:
                    extra[key] = values[1]
        name = sheets.get("statements") or (
            book.sheetnames[0] if len(book.sheetnames) == 1 else None
        )
        if name is None:
            raise UnreadableFile(
                "the workbook has no 'Statements' sheet: use the template from 'reviewlib template'"
            )
        rows = _sheet_rows(book[name], limits)
    except (UnreadableFile, LimitExceeded):
        raise
    except Exception as exc:
        raise UnreadableFile(
            f"the workbook could not be read ({exc.__class__.__name__}: {exc})"
        ) from None
    finally:
        book.close()
    header_at = next(
        (i for i, (_, v, _) in enumerate(rows) if {"text", "kind"} & {header_key(c) for c in v}),
        None,
    )
    if header_at is None:
        raise UnreadableFile(f"sheet '{name}' has no header row with 'kind' and 'text' columns")
    body = rows[header_at + 1 :]
    notes = [
        "a cell holds a spreadsheet formula; its text is kept as written, never calculated"
        if formula
        else ""
        for _, _, formula in body
    ]
    return _table(
        [v for _, v, _ in body],
        rows[header_at][1],
        [n for n, _, _ in body],
        path.name,
        extra,
        notes,
    )


def _number(limits: IntakeLimits, convert: Callable[[str], object]) -> Callable[[str], object]:
    """A JSON number parser that refuses numbers longer than the limit before converting them."""

    def parse(text: str) -> object:
        if len(text) > limits.number_digits:
            raise LimitExceeded("number_digits", len(text), limits.number_digits)
        return convert(text)

    return parse


def _lone_surrogate(doc: object) -> str | None:
    """The first text of a parsed JSON document that is not valid Unicode (an escaped lone
    surrogate such as \\ud800), or None."""
    stack = [doc]
    while stack:
        item = stack.pop()
        texts = [item] if isinstance(item, str) else []
        if isinstance(item, dict):
            texts, children = list(item), list(item.values())
        else:
            children = item if isinstance(item, list) else []
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return text
        stack.extend(children)
    return None


def read_json(path: Path, limits: IntakeLimits = _DEFAULT) -> pd.DataFrame:
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("the file is empty")
    try:
        doc = json.loads(
            text,
            parse_int=_number(limits, int),
            parse_float=_number(limits, float),
            parse_constant=_number(limits, float),
        )
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise LimitExceeded(
            "json_depth", f"more than {limits.json_depth}", limits.json_depth
        ) from None
    json_depth(doc, limits)
    if (bad := _lone_surrogate(doc)) is not None:
        where = bad.encode("utf-8", "backslashreplace").decode("ascii")[:60]
        raise UnreadableFile(
            f"a text in the file is not valid Unicode (an escaped lone surrogate, in '{where}'); "
            "ask the contributor to save the file again as UTF-8"
        )
    if not isinstance(doc, dict) or not isinstance(doc.get("statements"), list):
        raise UnreadableFile(
            'the JSON must be an object {"contribution": {...}, "statements": [...]}'
        )
    contribution = doc.get("contribution") or {}
    if not isinstance(contribution, dict):
        raise UnreadableFile('"contribution" must be an object of contribution fields')
    extra = {k: _cell(v) for k, v in ((header_key(k), v) for k, v in contribution.items()) if k}
    header = sorted({k for s in doc["statements"] if isinstance(s, dict) for k in s}, key=str)
    records, notes = [], []
    check_rows(len(doc["statements"]), len(doc["statements"]) * max(len(header), 1), limits)
    for item in doc["statements"]:
        if isinstance(item, dict):
            records.append([_cell(item.get(k)) for k in header])
            for value in records[-1]:
                check_cell(value, limits)
            notes.append("")
        else:
            records.append([""] * len(header))
            notes.append("!this statement is not a JSON object of fields")
    return _table(records, header, list(range(1, len(records) + 1)), path.name, extra, notes)


def read_file(path: Path, limits: IntakeLimits = _DEFAULT) -> pd.DataFrame:
    """One contribution file → its rows; raises UnreadableFile or LimitExceeded with the ledger's
    sentence. Size limits are checked before anything is opened (a zipped document's from its
    directory alone), so that a hostile file costs nothing to refuse."""
    suffix = path.suffix.lower()
    try:
        check_size(path, limits)
        if suffix in _ZIPPED:
            check_zip(path, limits)
        if suffix == ".xlsx":
            check_sheets(path, limits)
            return read_xlsx(path, limits)
        if suffix == ".json":
            return read_json(path, limits)
        if suffix in (".csv", ".tsv", ".txt"):
            return read_csv(path, limits)
    except OSError as exc:
        raise UnreadableFile(f"the file could not be opened ({exc.strerror})") from None
    raise UnreadableFile(
        f"'{suffix}' files are not read: send CSV, XLSX (from the template) or JSON"
    )
