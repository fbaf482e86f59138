"""Write files safely: atomically, readable as any file the user saves, under a lock where several
people save the same file, and as spreadsheets in which no contributor text becomes a formula.

Every file the workbook writes goes through `atomic_write`: a reader never sees half a file, and a
build that is killed leaves the previous file in place. In the CSV files people open (the
published tables and ledger, indicators.csv), cells that start with '=', '+', '-', '@', a tab or
a carriage return get a leading apostrophe (what spreadsheets themselves use to mark text; a
cell that already starts with one before such a character gets a second, so the escape reads
back exactly, `unescape_text`); in XLSX they are stored as text. Files the program reads back
as data (the secretariat's decisions) are written verbatim, `write_data_csv`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import numbers
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib.errors import ReviewlibError

LOCK_TIMEOUT = 30.0  # seconds to wait for another notebook to finish its write
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write: Callable[[Path], None], *, mode: int | None = None) -> None:
    """Call write(temp) on a temporary file beside `path`, then rename it into place.

    The file gets `mode`, by default the mode of any file the user creates (0644 under the usual
    umask), not the private mode of a temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda t: t.write_text(text, encoding="utf-8"))


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    atomic_write(path, lambda t: t.write_bytes(data), mode=mode)


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold `<path>.lock` while reading and replacing a file that several people save."""
    from filelock import FileLock, Timeout

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The lock file stays after release, so a folder listing never sees it come and go.
        with FileLock(str(path) + ".lock", timeout=timeout, preserve_lock_file=True):
            yield
    except Timeout:
        raise ReviewlibError(
            f"{path.name} has been locked by another notebook for {timeout:g} seconds; "
            f"nothing was saved — try again, or remove {path.name}.lock if no one is saving"
        ) from None


# --- spreadsheets -------------------------------------------------------------------------------


# What the published CSV files say about their protection (tables/README.txt).
CSV_PROTECTION = (
    "In these CSV files a text cell that begins with =, +, -, @, a tab or a carriage return "
    "starts with an apostrophe ('), so that a spreadsheet shows it as text and never runs it as "
    "a formula; the apostrophe is not part of the value. The XLSX workbook stores the same "
    "cells as text, without one."
)


def _escaped(value: str) -> bool:
    return value.startswith(_FORMULA_START) or (
        value.startswith("'") and value[1:].startswith((*_FORMULA_START, "'"))
    )


def safe_text(value: object) -> object:
    """A text cell as it may be written to CSV without ever turning into a formula."""
    if isinstance(value, str) and _escaped(value):
        return "'" + value
    return value


def unescape_text(value: object) -> object:
    """The value `safe_text` escaped, as it was."""
    if isinstance(value, str) and value.startswith("'") and _escaped(value[1:]):
        return value[1:]
    return value


# The first characters of the text cells `safe_text` may escape (all others it leaves as they are).
_ESCAPED_FIRST = frozenset(start[0] for start in (*_FORMULA_START, "'"))


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell as `safe_text` gives it (a copy, when any cell changes)."""
    out = frame
    for position, (_, series) in enumerate(frame.items()):
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        values = series.to_numpy(dtype=object)
        rows = [
            i
            for i, v in enumerate(values.tolist())
            if isinstance(v, str) and v[:1] in _ESCAPED_FIRST
        ]
        candidates = values[rows].tolist()
        escaped = [safe_text(v) for v in candidates]
        if escaped == candidates:  # (a cell that starts with "'" may need none)
            continue
        values = values.copy()
        values[rows] = escaped
        if out is frame:
            out = frame.copy()
        out.isetitem(position, pd.Series(values, index=series.index, dtype=series.dtype))
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV for people to open, formula-safe, written atomically; same frame → same bytes."""
    write_data_csv(formula_safe(frame), path)


def write_data_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV that the program reads back: every value verbatim (quoted where CSV needs it),
    written atomically; same frame → same bytes."""
    atomic_write(
        path, lambda t: frame.to_csv(t, index=False, encoding="utf-8", lineterminator="\n")
    )


# Characters XML 1.0 cannot hold (control characters other than tab, line feed and carriage
# return): left out of a workbook's cells, as a spreadsheet program would refuse the file.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A workbook's stated creation time: fixed, so that the same tables give the same bytes (the
# files inside carry the zip format's first date, 1 January 1980, for the same reason).
WORKBOOK_CREATED = dt.datetime(1980, 1, 1)


def _write_cell(sheet, row: int, column: int, value: object) -> None:
    """One cell: text always as text (never a formula, link or number), numbers as numbers,
    nothing for a missing value or an empty text."""
    if value is None or (isinstance(value, str) and not value):
        return
    if isinstance(value, str):
        sheet.write_string(row, column, _NOT_IN_XML.sub("", value))
    elif isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, column, bool(value))
    elif isinstance(value, numbers.Number):
        if pd.isna(value):
            return
        if np.isfinite(value):
            sheet.write_number(row, column, value)
        else:  # a workbook has no number for infinity
            sheet.write_string(row, column, str(value))
    elif not pd.isna(value):
        sheet.write_string(row, column, _NOT_IN_XML.sub("", str(value)))


def _write_column(sheet, column: int, series: pd.Series) -> None:
    """A table's column, from the sheet's second row on, each cell as `_write_cell` writes it;
    the three kinds of column a table is mostly made of are sorted out for the whole column at
    once (numbers; yes or no; text), not a value at a time."""
    values = series.to_numpy(dtype=object)
    if series.dtype.kind in "iuf":  # numbers: the finite ones as numbers, a missing one empty
        as_float = series.to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(as_float)
        for row in np.flatnonzero(finite).tolist():
            sheet.write_number(row + 1, column, values[row])
        rest = np.flatnonzero(~finite & ~np.isnan(as_float)).tolist()
    elif series.dtype == bool:  # yes or no, never missing
        for row, value in enumerate(values.tolist()):
            sheet.write_boolean(row + 1, column, value)
        rest = []
    else:  # text: every non-empty string as text; nothing for an empty one or None; anything
        # else a cell at a time
        kinds = np.fromiter(
            ((2 if v else 0) if type(v) is str else (v is not None) for v in values),
            np.int8,
            len(values),
        )
        rows = np.flatnonzero(kinds == 2).tolist()
        strings = values[rows].tolist()
        if _NOT_IN_XML.search("\n".join(strings)):
            strings = [_NOT_IN_XML.sub("", v) for v in strings]
        for row, value in zip(rows, strings, strict=True):
            sheet.write_string(row + 1, column, value)
        rest = np.flatnonzero(kinds == 1).tolist()
    for row in rest:
        _write_cell(sheet, row + 1, column, values[row])


def write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    """One workbook, a sheet per table; every text cell is stored as text, never as a formula;
    the same tables give the same bytes."""
    import xlsxwriter

    def write(temp: Path) -> None:
        book = xlsxwriter.Workbook(
            str(temp),
            {
                "in_memory": True,  # no temporary files, and fixed dates inside the zip
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        book.set_properties({"created": WORKBOOK_CREATED})
        for name, frame in tables.items():
            sheet = book.add_worksheet(name[:31])
            sheet.write_row(0, 0, [str(c) for c in frame.columns])
            for column in range(frame.shape[1]):
                _write_column(sheet, column, frame.iloc[:, column])
        book.close()

    atomic_write(path, write)


def tables_digest(tables: Mapping[str, pd.DataFrame]) -> str:
    """A digest of tables: their names, columns, the columns' types and every cell's value
    (hashed as pandas holds it; a column pandas cannot hash as it is, as text)."""
    h = hashlib.sha256()
    for name, frame in tables.items():
        h.update(("\0".join([name, *map(str, frame.columns)]) + "\n").encode())
        h.update(("\0".join(map(str, frame.dtypes)) + "\n").encode())
        h.update(_cells_hash(frame).tobytes())
    return h.hexdigest()


def _cells_hash(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash per row of `frame`, from every cell's value."""
    try:
        return pd.util.hash_pandas_object(frame, index=False).to_numpy()
    except TypeError:  # a cell of a type pandas does not hash (a list, say): the rows as text
        return pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    folder: Path,
    workbook: str | None = "tables.xlsx",
    *,
    known: dict[str, str] | None = None,
) -> list[Path]:
    """Each table as folder/NAME.csv, and all of them in one workbook (unless `workbook` is None);
    returns the paths (written or already up to date).

    `known` maps a file (its folder and name) to the digest of the tables it was last written
    from; it is updated here, and a file whose tables are unchanged and which is still there is
    not written again."""
    folder = Path(folder)
    # each table hashed once: a CSV file has its table's digest, the workbook one of them all
    digests = {n: tables_digest({n: f}) for n, f in tables.items()} if known is not None else {}

    def due(path: Path, digest: str | None) -> bool:
        if known is None:
            return True
        key = f"{folder.name}/{path.name}"
        stale = known.get(key) != digest or not path.is_file()
        known[key] = digest
        return stale

    written = []
    for name, frame in tables.items():
        if due(folder / f"{name}.csv", digests.get(name)):
            write_csv(frame, folder / f"{name}.csv")
        written.append(folder / f"{name}.csv")
    if workbook:
        together = hashlib.sha256("\0".join(digests.values()).encode()).hexdigest()
        if due(folder / workbook, together):
            write_xlsx(tables, folder / workbook)
        written.append(folder / workbook)
    return written
