"""What every workbench panel shares: it displays as its widget, writes its status as a coloured
note, and shows tables with readable numbers.
"""

from __future__ import annotations

import getpass
import os

import ipywidgets as w
import pandas as pd

from reviewlib.brief.blocks import esc, table

__all__ = ["OK", "ERROR", "Panel", "note", "readable_table", "default_reviewer"]

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


def default_reviewer(reviewer: str = "") -> str:
    """The name decisions are saved under: the notebook's parameter, else the JupyterHub or login name."""
    return reviewer.strip() or os.environ.get("JUPYTERHUB_USER", "") or getpass.getuser()


class Panel:
    """Displays as its widget in a notebook."""

    widget: w.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
