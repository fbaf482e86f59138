"""Read the files the secretariat edits by hand — review.yml, rubric.yml, the reference tables,
triage.csv — behind one error boundary.

They are decoded as contributions are (UTF-8 with or without BOM, else Windows-1252, so a file
saved from Excel on Windows reads); YAML is read without aliases (an "alias bomb" is refused
before it can expand); and every problem, a missing file, a permission, a broken quote, is one
InputError sentence naming the file, the line and what to do.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from reviewlib.errors import InputError
from reviewlib.gather.delimited import decode

__all__ = ["read_text", "read_yaml", "parse_yaml", "read_table", "refuse_aliases"]

MAX_SETTINGS_BYTES = 5_000_000  # far beyond any review.yml or rubric.yml


def read_text(path: Path, needed_for: str = "the workbook needs it") -> str:
    """The text of a hand-edited file; an InputError saying what is wrong when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} is missing: {needed_for}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file: {needed_for}") from None
    except OSError as exc:
        raise InputError(
            f"{path} cannot be read ({exc.strerror}); check that your account may read it"
        ) from None
    return decode(data)


def refuse_aliases(text: str, path: Path) -> None:
    """Refuse YAML with aliases (`*name`): settings never need them, and nested aliases expand
    to gigabytes ("billion laughs"). Parsing events expands nothing."""
    import yaml

    if len(text.encode("utf-8", "surrogatepass")) > MAX_SETTINGS_BYTES:
        raise InputError(
            f"{path} is larger than {MAX_SETTINGS_BYTES // 1_000_000} MB, which no settings file "
            "needs; check that it is the right file"
        )
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(
                f"{path} line {event.start_mark.line + 1}: '*{event.anchor}' repeats another value "
                "(a YAML alias); aliases are not allowed in settings files — write the value out"
            )


def _loader():
    """PyYAML's safe loader, in C where PyYAML was built with libyaml (as its wheels are): the
    same data and errors, read ten times faster (rubric.yml: 33 ms in Python, 3 ms in C, in
    every process that scores)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, needed_for: str = "the workbook needs it") -> Any:
    """The data of a YAML settings file, read safely; one InputError sentence for any problem."""
    path = Path(path)
    return parse_yaml(read_text(path, needed_for), path)


def parse_yaml(text: str, path: Path) -> Any:
    """The data of a settings file's text (`read_yaml`, for a caller that has read it)."""
    import yaml

    try:
        refuse_aliases(text, path)
        return yaml.load(text, Loader=_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            f"{path} is not valid YAML{where} ({problem}); check the indentation, colons and "
            "quotes there"
        ) from None


def _csv_line(message: str) -> str:
    """Where pandas says a CSV is broken, as the line a text editor shows."""
    if found := re.search(r"starting at row (\d+)", message):
        return f"line {int(found.group(1)) + 1}"
    if found := re.search(r"in line (\d+)", message):
        return f"line {found.group(1)}"
    return "somewhere"


def read_table(
    path: Path, required: tuple[str, ...] = (), needed_for: str = "the workbook needs it"
) -> pd.DataFrame:
    """A hand-edited CSV table, every cell as text; InputError naming the file, line or column."""
    path = Path(path)
    text = read_text(path, needed_for)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=list(required), dtype=object)
    except pd.errors.ParserError as exc:
        message = str(exc).split("C error: ")[-1].strip()
        raise InputError(
            f"{path}: {_csv_line(message)}: not readable as CSV ({message}); look for a quote "
            "that is not closed or a row with too many commas, or open it in a spreadsheet "
            "and save it again as CSV"
        ) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path} lacks the column(s) {', '.join(missing)}; its first line must name the "
            f"columns ({', '.join(required)})"
        )
    return frame
