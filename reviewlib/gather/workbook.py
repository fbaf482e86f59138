"""A workbook (XLSX) read sheet by sheet and row by row, whatever size its sheets declare.

openpyxl's read-only mode trusts a sheet's `<dimension>` tag: a tag of `A1:D3` on a sheet of
fifty rows reads three, and a tag reaching `XFD1048576` pads millions of empty cells. Here the
tag is dropped before a sheet is read, rows are taken as the XML holds them (a missing row is an
empty one, a row as wide as its last cell), and only rows with a value count against the
intake limits. The contribution reader and the GLOTIP importer both read workbooks this way.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from reviewlib.gather.limits import Deadline, IntakeLimits, check_cell, check_rows

# The template's own sheets (folded names): guidance and drop-down lists, never statements.
TEMPLATE_SHEETS = ("instructions", "lists")
CONTRIBUTOR_SHEET = "contributor"


class WorkbookError(Exception):
    """The workbook cannot be opened; the message says why, in the ledger's words."""


def fold_sheet(name: str) -> str:
    """A sheet name with case, spaces and punctuation ignored ('Statements.' → 'statements')."""
    return re.sub(r"\W+", "", name.casefold())


def open_workbook(path: Path, data_only: bool = False):
    """The workbook in read-only mode (defusedxml guards its XML), or WorkbookError."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise WorkbookError(
            f"the file is not a readable Excel workbook ({exc.__class__.__name__})"
        ) from None
    except Exception as exc:  # defusedxml and openpyxl raise many kinds on hostile XML
        cause = exc.__cause__ or exc.__context__
        if cause is not None and type(cause).__module__.startswith("defusedxml"):
            raise WorkbookError(
                "the workbook declares XML entities, which are refused for safety "
                f"({type(cause).__name__})"
            ) from None
        raise WorkbookError(f"the workbook's XML is invalid ({str(exc).splitlines()[0]})") from None


def sheet_cells(sheet, deadline: Deadline | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, its cells) for every row of a sheet that holds a cell,
    read from the sheet's XML whatever `<dimension>` says."""
    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
        if deadline is not None and number % 4096 == 0:
            deadline.check()
        if cells:
            yield number, cells


class RowCounter:
    """The rows and cells with a value read so far from one file, against the intake limits."""

    def __init__(self, limits: IntakeLimits) -> None:
        self.limits = limits
        self.deadline = Deadline(limits)
        self.rows = self.cells = 0

    def count(self, values: list[str]) -> None:
        self.rows += 1
        self.cells += sum(1 for v in values if v)
        check_rows(self.rows, self.cells, self.limits)
        for value in values:
            if len(value) > 1000:
                check_cell(value, self.limits)
