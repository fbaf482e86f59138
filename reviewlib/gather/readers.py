"""Read one contribution file (CSV, XLSX or JSON) into rows of text fields, whatever its dialect.

Readers only read: they never judge a value. A file that cannot be read at all raises
`UnreadableFile` with a sentence for the ledger, one past an intake limit `LimitExceeded`
(`reviewlib.gather.limits`); problems of one row travel with the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from reviewlib.gather.delimited import (
    decode_bytes,
    dialect,
    looks_garbled,
    records,
    rejoined,
    row_bytes_note,
    shown,
)
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
from reviewlib.gather.workbook import (
    CONTRIBUTOR_SHEET,
    TEMPLATE_SHEETS,
    RowCounter,
    WorkbookError,
    fold_sheet,
    open_workbook,
    sheet_cells,
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


GARBLED = (
    "the text reads like another script's letters decoded in the wrong encoding (mojibake); "
    "check it, and ask the contributor for the file saved as UTF-8"
)


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
    delimiter: str = "",
) -> pd.DataFrame:
    """Rows under a header → a frame of the canonical fields (all text) plus file, row, _note;
    a row with values where the header names no column has a note showing them."""
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
    named = {i for i, name in enumerate(header) if str(name).strip()}
    stray = [[c for i, c in enumerate(r) if c and i not in named] for r in records]
    if any(stray):
        notes = [
            "; ".join(n for n in (note, stray_note(len(header), r, s, delimiter)) if n)
            for note, r, s in zip(notes or [""] * len(records), records, stray, strict=True)
        ]
    garbled = [looks_garbled(t) for t in data["text"]]
    if any(garbled):
        notes = [
            "; ".join(n for n in (note, GARBLED if bad else "") if n)
            for note, bad in zip(notes or [""] * len(records), garbled, strict=True)
        ]
    for field, value in (extra or {}).items():
        if field not in columns:
            frame[field] = value
    frame.insert(0, "row", rows)
    frame.insert(0, "file", file)
    frame["_note"] = notes if notes is not None else ""
    frame.attrs["unknown_columns"] = unknown
    frame.attrs["present"] = set(columns) | set(extra or {})
    return frame


def stray_note(width: int, record: list[str], stray: list[str], delimiter: str) -> str:
    """The warning for a row with values where the header has no column: a CSV row split by a
    delimiter inside an unquoted text is shown whole, a workbook's far cells one by one."""
    if not stray:
        return ""
    if delimiter:
        return (
            f"the row has {len(record)} fields where the header has {width}, so a text may have "
            f"been cut at a '{delimiter}' that is not inside quotes; the row as written: "
            f"{shown(delimiter.join(record))} — check its fields, and put quotes around a "
            "text that holds the delimiter"
        )
    return (
        f"{len(stray)} value(s) in columns the header does not name were not read: "
        + ", ".join(shown(v, 100) for v in stray)
        + " — move them under a column of the template"
    )


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
    """A CSV/TSV file in any encoding and dialect (see `reviewlib.gather.delimited`)."""
    decoded = decode_bytes(path.read_bytes())
    if not decoded.text.strip():
        raise UnreadableFile("the file is empty")
    delimiter, text = dialect(decoded.text)
    previous = csv.field_size_limit(limits.cell_characters + 1)
    try:
        parsed = records(text, delimiter)
        lines = [record for _, record in _bounded((r for r, _ in parsed), limits)]
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
    text_at = next((i for i, name in enumerate(header) if header_key(name) == "text"), None)
    records_, rows, notes = [], [], []
    for i, record in enumerate(lines[header_at + 1 :], start=header_at + 1):
        if any(c.strip() for c in record):
            whole, note = rejoined(record, len(header), text_at, delimiter)
            records_.append([c.strip() for c in whole])
            rows.append(i + 1)
            notes.append("; ".join(n for n in (parsed[i][1], note, row_bytes_note(record)) if n))
    frame = _table(records_, header, rows, path.name, notes=notes, delimiter=delimiter)
    frame.attrs["warnings"] = [decoded.warning] if decoded.warning else []
    return frame


def _sheet_rows(sheet, counter: RowCounter) -> list[tuple[int, list[str], bool]]:
    """(row number, text of each cell, holds a formula?) of every row of a sheet with a value."""
    out = []
    for number, cells in sheet_cells(sheet, counter.deadline):
        values = [_cell(c.value) for c in cells]
        if any(values):
            counter.count(values)
            formula = any(getattr(c, "data_type", "") == "f" for c in cells)
            out.append((number, values, formula))
    return out


def _header_at(rows: list[tuple[int, list[str], bool]]) -> int | None:
    return next(
        (i for i, (_, v, _) in enumerate(rows) if {"text", "kind"} & {header_key(c) for c in v}),
        None,
    )


def sheet_label(file: str, sheet: str) -> str:
    """The ledger's name for rows of a workbook's further sheet of statements."""
    return f"{file}, sheet '{sheet}'"


def file_of(label: str) -> str:
    """The file a ledger's name stands for (a workbook's, for rows of its further sheets)."""
    return label.split(", sheet '", 1)[0]


def id_stem(label: str) -> str:
    """What ids derived from the file start with: the file's stem (and the sheet's name)."""
    file, _, sheet = label.partition(", sheet '")
    sheet = re.sub(r"\W+", "", sheet)
    return Path(file).stem + (f"-{sheet}" if sheet else "")


def _statement_sheets(book) -> list[str]:
    """The sheets that may hold statements, the one named 'Statements' first."""
    names = [
        n
        for n in book.sheetnames
        if fold_sheet(n) not in (*TEMPLATE_SHEETS, CONTRIBUTOR_SHEET) or len(book.sheetnames) == 1
    ]
    named = [n for n in names if n.strip().casefold() == "statements"]
    return named[:1] + [n for n in names if n not in named[:1]]


def read_xlsx(path: Path, limits: IntakeLimits = _DEFAULT) -> pd.DataFrame:
    """Every sheet of statements of a workbook (the template's, or copies of it) and its
    Contributor sheet; a sheet with text but no statement header is named in a warning."""
    try:
        book = open_workbook(path)
    except WorkbookError as exc:
        raise UnreadableFile(str(exc)) from None
    counter = RowCounter(limits)
    try:
        extra: dict[str, str] = {}
        for name in book.sheetnames:
            if fold_sheet(name) == CONTRIBUTOR_SHEET:
                for _, values, _ in _sheet_rows(book[name], counter):
                    key = header_key(values[0]) if values else None
                    if key in CONTRIBUTION_FIELDS and len(values) > 1:
                        extra[key] = values[1]
        sheets = {name: _sheet_rows(book[name], counter) for name in _statement_sheets(book)}
    except (UnreadableFile, LimitExceeded):
        raise
    except Exception as exc:
        raise UnreadableFile(
            f"the workbook could not be read ({exc.__class__.__name__}: {exc})"
        ) from None
    finally:
        book.close()
    frames, ignored = [], []
    for name, rows in sheets.items():
        header_at = _header_at(rows)
        if header_at is None:
            if rows:
                ignored.append(name)
            continue
        label = path.name if not frames else sheet_label(path.name, name)
        frames.append(_sheet_frame(rows, header_at, label, extra))
    if not frames:
        raise UnreadableFile(
            "no sheet of the workbook has a header row with 'kind' and 'text' columns: "
            "use the template from 'reviewlib template'"
        )
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame.attrs = {
        "unknown_columns": sorted({c for f in frames for c in f.attrs["unknown_columns"]}),
        "present": set().union(*(f.attrs["present"] for f in frames)),
        "warnings": [
            f"sheet '{name}' was not read: it has no header row with 'kind' and 'text' columns"
            for name in ignored
        ],
    }
    return frame


def _sheet_frame(rows, header_at: int, label: str, extra: dict[str, str]) -> pd.DataFrame:
    body = rows[header_at + 1 :]
    notes = [
        "a cell holds a spreadsheet formula; its text is kept as written, never calculated"
        if formula
        else ""
        for _, _, formula in body
    ]
    return _table(
        [v for _, v, _ in body], rows[header_at][1], [n for n, _, _ in body], label, extra, notes
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


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are all different; a repeated key is an error, never a choice."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            where = key.encode("utf-8", "backslashreplace").decode("utf-8")[:60]
            raise UnreadableFile(
                f'the key "{where}" is given twice in one object of the file, so one of them '
                'would be lost; merge the two into one (e.g. one "statements" list)'
            )
        out[key] = value
    return out


def read_json(path: Path, limits: IntakeLimits = _DEFAULT) -> pd.DataFrame:
    decoded = decode_bytes(path.read_bytes())
    text = decoded.text
    if not text.strip():
        raise UnreadableFile("the file is empty")
    try:
        doc = json.loads(
            text,
            parse_int=_number(limits, int),
            parse_float=_number(limits, float),
            parse_constant=_number(limits, float),
            object_pairs_hook=_unique_keys,
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
    frame = _table(records, header, list(range(1, len(records) + 1)), path.name, extra, notes)
    frame.attrs["warnings"] = [decoded.warning] if decoded.warning else []
    return frame


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
