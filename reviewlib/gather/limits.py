"""How much of one contribution file intake reads before it refuses the file: bounded intake.

Every limit is a setting of review.yml's `intake:` section with a default that no real
contribution comes near; a file past one becomes a single rejected ledger line naming the limit
(and the setting that raises it), and the rest of the review is read. The limits are checked
before the expensive step they guard: a workbook's unzipped size before openpyxl opens it, a
JSON number's digits before Python turns it into an int, rows and time while rows are read.

A new limit is one more field of `IntakeLimits` (with its default and a line in `DESCRIBED`);
the schema check of review.yml and the messages follow from them.
"""

from __future__ import annotations

import math
import re
import time
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from reviewlib.errors import InputError

__all__ = ["IntakeLimits", "LimitExceeded", "Deadline", "intake_limits", "check_zip"]


@dataclass(frozen=True)
class IntakeLimits:
    """The limits in force for one contribution file (review.yml `intake:`)."""

    file_mb: float = 50.0
    unzipped_mb: float = 200.0
    zip_ratio: float = 100.0
    rows: int = 50_000
    cells: int = 2_000_000
    cell_characters: int = 1_000_000
    json_depth: int = 20
    number_digits: int = 40
    seconds: float = 60.0
    pages: int = 1_000


# What each limit bounds, as the ledger says it.
DESCRIBED = {
    "file_mb": "MB on disk",
    "unzipped_mb": "MB once unzipped",
    "zip_ratio": "times its zipped size once unzipped",
    "rows": "rows",
    "cells": "cells",
    "cell_characters": "characters in one cell",
    "json_depth": "levels of nesting",
    "number_digits": "digits in one number",
    "seconds": "seconds of reading",
    "pages": "pages",
}
_WHOLE = {f.name for f in fields(IntakeLimits) if f.type in ("int", int)}


class LimitExceeded(Exception):
    """A file went past one of the intake limits; the message is the ledger's sentence."""

    def __init__(self, name: str, found: object, limit: object) -> None:
        self.name = name
        shown = f"{found:,g}" if isinstance(found, int | float) else str(found)
        super().__init__(
            f"the file has {shown} {DESCRIBED[name]}, past the limit of {limit:,g} "
            f"(intake.{name} in review.yml); nothing in this file was read — ask the "
            "contributor for a smaller file, or raise the limit if the file is genuine"
        )


def intake_limits(section: Any, file: Path | str = "review.yml") -> IntakeLimits:
    """review.yml's `intake:` section (None = every default) as IntakeLimits, checked."""
    if section is None:
        return IntakeLimits()
    if not isinstance(section, dict):
        raise InputError(f"{file}: 'intake' must be a mapping of limits, e.g. 'rows: 50000'")
    known = {f.name for f in fields(IntakeLimits)}
    changes: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise InputError(
                f"{file}: 'intake.{key}' is not an intake limit; use {', '.join(sorted(known))}"
            )
        whole = key in _WHOLE
        ok = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and value > 0
            and math.isfinite(value)
        )
        if not ok or (whole and not float(value).is_integer()):
            kind = "a positive whole number" if whole else "a positive number"
            raise InputError(f"{file}: 'intake.{key}' must be {kind}, not {value!r}")
        changes[key] = int(value) if whole else float(value)
    return replace(IntakeLimits(), **changes)


class Deadline:
    """The wall-time limit of one file, checked as its rows are read."""

    def __init__(self, limits: IntakeLimits) -> None:
        self.limit = limits.seconds
        self.start = time.monotonic()

    def check(self) -> None:
        spent = time.monotonic() - self.start
        if spent > self.limit:
            raise LimitExceeded("seconds", spent, self.limit)


def check_size(path: Path, limits: IntakeLimits) -> None:
    size = path.stat().st_size / 1e6
    if size > limits.file_mb:
        raise LimitExceeded("file_mb", round(size, 1), limits.file_mb)


def check_zip(path: Path, limits: IntakeLimits) -> None:
    """Refuse a zipped document (XLSX, DOCX) that would unzip to more than the limits allow,
    from its directory alone: nothing is unzipped."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip at all: the reader says so in its own words
    unzipped = sum(m.file_size for m in members)
    zipped = sum(m.compress_size for m in members)
    if unzipped / 1e6 > limits.unzipped_mb:
        raise LimitExceeded("unzipped_mb", round(unzipped / 1e6, 1), limits.unzipped_mb)
    # Small files compress unevenly; the ratio is judged once there is something to judge.
    if unzipped > 1_000_000 and unzipped / max(zipped, 1) > limits.zip_ratio:
        raise LimitExceeded("zip_ratio", round(unzipped / max(zipped, 1)), limits.zip_ratio)


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def check_sheets(path: Path, limits: IntakeLimits) -> None:
    """Count the rows and cells of every sheet of a workbook by streaming its XML, before
    openpyxl opens it: openpyxl reads a whole sheet at opening when the sheet does not state its
    size, which no row-by-row check could stop."""
    deadline = Deadline(limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip at all: the reader says so in its own words
    with archive:
        try:
            for member in archive.infolist():
                if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
                    continue
                rows = cells = 0
                tail = b""
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        data = tail + chunk
                        cut = max(
                            data.rfind(b"<"), 0
                        )  # the last tag may be cut: count it next time
                        rows += len(_ROW.findall(data, 0, cut))
                        cells += len(_CELL.findall(data, 0, cut))
                        tail = data[cut:]
                        check_rows(rows, cells, limits)
                        deadline.check()
                rows += len(_ROW.findall(tail))
                cells += len(_CELL.findall(tail))
                check_rows(rows, cells, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return  # a damaged workbook: the reader says so in its own words


def check_rows(count: int, cells: int, limits: IntakeLimits) -> None:
    if count > limits.rows:
        raise LimitExceeded("rows", count, limits.rows)
    if cells > limits.cells:
        raise LimitExceeded("cells", cells, limits.cells)


def check_cell(text: str, limits: IntakeLimits) -> None:
    if len(text) > limits.cell_characters:
        raise LimitExceeded("cell_characters", len(text), limits.cell_characters)


def json_depth(doc: Any, limits: IntakeLimits) -> None:
    """Refuse JSON nested deeper than the limit (walked without recursion)."""
    stack = [(doc, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limits.json_depth:
            raise LimitExceeded("json_depth", f"more than {limits.json_depth}", limits.json_depth)
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
