"""Write derived tables safely: atomically, and so that no contributor text becomes a formula.

CSV cells that start with '=', '+', '-', '@', a tab or a carriage return get a leading
apostrophe (what spreadsheets themselves use to mark text); in XLSX they are stored as text.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temp) on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda t: t.write_text(text, encoding="utf-8"))


def safe_text(value: object) -> object:
    """A text cell as it may be written to CSV without ever turning into a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_text)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV, formula-safe, written atomically; same frame → same bytes."""
    safe = formula_safe(frame)
    atomic_write(path, lambda t: safe.to_csv(t, index=False, encoding="utf-8", lineterminator="\n"))


def write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    """One workbook, a sheet per table; every text cell is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell

    def write(temp: Path) -> None:
        book = Workbook(write_only=True)
        for name, frame in tables.items():
            sheet = book.create_sheet(title=name[:31])
            sheet.append([str(c) for c in frame.columns])
            for values in frame.itertuples(index=False):
                cells = []
                for value in values:
                    if value is None or (not isinstance(value, str) and pd.isna(value)):
                        cells.append(None)
                        continue
                    if isinstance(value, str):
                        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                        cell.data_type = "s"
                    else:
                        cell = WriteOnlyCell(
                            sheet, value=value.item() if hasattr(value, "item") else value
                        )
                    cells.append(cell)
                sheet.append(cells)
        book.save(temp)

    atomic_write(path, write)


def write_tables(
    tables: Mapping[str, pd.DataFrame], folder: Path, workbook: str = "tables.xlsx"
) -> list[Path]:
    """Each table as folder/NAME.csv, and all of them in one workbook; returns the paths written."""
    folder = Path(folder)
    written = []
    for name, frame in tables.items():
        write_csv(frame, folder / f"{name}.csv")
        written.append(folder / f"{name}.csv")
    write_xlsx(tables, folder / workbook)
    written.append(folder / workbook)
    return written
