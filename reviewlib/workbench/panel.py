"""What every workbench panel shares: it displays as its widget, writes its status as a coloured
note, and shows tables with readable numbers; the officer's name as reviewer, remembered; and
the workbook's own failures shown in a notebook as one sentence.
"""

from __future__ import annotations

import contextlib
import json
import os

import ipywidgets as w
import pandas as pd

from reviewlib import paths
from reviewlib.brief.blocks import esc, table
from reviewlib.errors import ReviewlibError
from reviewlib.files import atomic_write_text

__all__ = [
    "OK",
    "ERROR",
    "Panel",
    "note",
    "readable_table",
    "default_reviewer",
    "remember_reviewer",
    "show_errors_as_sentences",
]

OK = "color:#1a6b2f"
ERROR = "color:#a40000"


def note(text: str, style: str = OK) -> str:
    return f'<span style="{style}">{esc(text)}</span>'


def readable_table(
    frame: pd.DataFrame, columns: dict[str, str], numeric=(), empty: str = "Nothing to show."
):
    """briefs.table with numbers made readable: shares as percentages, other decimals to two places."""
    shown = frame[list(columns)].copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            pattern = "{:.0%}" if "share" in column else "{:.2f}"
            shown[column] = shown[column].map(
                lambda v, p=pattern: "–" if pd.isna(v) else p.format(v)
            )
    return table(shown, columns, numeric, empty)


def _user_settings() -> dict:
    try:
        data = json.loads(paths.user_settings().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def default_reviewer(reviewer: str = "") -> str:
    """The name decisions are saved under: the one given, else the one this officer typed before
    (remembered per user account), else the JupyterHub name; "" when the panel must ask."""
    remembered = _user_settings().get("reviewer", "")
    return (
        reviewer.strip()
        or (remembered.strip() if isinstance(remembered, str) else "")
        or os.environ.get("JUPYTERHUB_USER", "")
    )


def remember_reviewer(name: str) -> None:
    """Keep the officer's name for the next time a panel asks (nothing is kept for an empty one)."""
    name = name.strip()
    if not name or _user_settings().get("reviewer") == name:
        return
    # A read-only home only means the name is asked again next time.
    with contextlib.suppress(OSError):
        atomic_write_text(
            paths.user_settings(), json.dumps({**_user_settings(), "reviewer": name}, indent=1)
        )


def _sentence(value: BaseException) -> str:
    if isinstance(value, OSError) and not isinstance(value, ReviewlibError):
        where = " → ".join(str(f) for f in (value.filename, value.filename2) if f)
        what = value.strerror or str(value)
        return (
            f"{where}: {what}; check the folder exists and your account may use it"
            if where
            else what
        )
    return str(value)


def show_errors_as_sentences() -> None:
    """In a notebook, the workbook's own failures (a broken review.yml, a reference table, a
    permission) show as one red sentence, not a traceback; a bug still shows its traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        # IPython hands a custom handler's result to nobody: show it as the error output.
        lines = [f"\x1b[31merror: {_sentence(value)}\x1b[0m"]
        shell._showtraceback(etype, value, lines)
        return lines

    shell.set_custom_exc((ReviewlibError, OSError), handler)


show_errors_as_sentences()


class Panel:
    """Displays as its widget in a notebook."""

    widget: w.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
