"""The English rendering of each statement (`text_en`) and who made it (`text_en_source`).

A contributor may give an English rendering beside a statement in another language (column or
key `text_en`), and say in `text_en_source` whether it came from a translation tool
(`machine`) or from themselves (`contributor`, the default). The secretariat adds or corrects
renderings in `inputs/decisions/translations.csv` (never in the contribution file); the last row
for a statement wins, and an empty `text_en` there takes a wrong rendering back.

After loading, `text_en` is the text grouped, compared with the GPA and shown first in briefs:
the statement itself when it was written in English (`text_en_source` "original"), the
rendering otherwise, or "" when there is none, and such a statement is never compared with
English text as if it had been.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.gather.decisions import read_table
from reviewlib.gather.ledger import warnings
from reviewlib.gather.spellings import norm

__all__ = [
    "TRANSLATION_COLUMNS",
    "check_english",
    "resolve_source",
    "read_translations",
    "apply_translations",
]

TRANSLATION_COLUMNS = ["statement_id", "text_en", "source", "note", "reviewer", "at"]
_SOURCES = {
    "contributor": "contributor",
    "own": "contributor",
    "human": "contributor",
    "official": "contributor",
    "translator": "contributor",
    "machine": "machine",
    "machine translation": "machine",
    "mt": "machine",
    "automatic": "machine",
    "tool": "machine",
    "translation tool": "machine",
}


def resolve_source(text: object) -> str | None:
    """`contributor` or `machine` as a contributor may write them, or None."""
    return _SOURCES.get(norm(text))


def check_english(rows) -> None:
    """The English rendering a contributor gave, and where it came from (a check of
    `reviewlib.gather.checks`: runs after the language is known)."""
    f, v = rows.frame, rows.values
    given = f["text_en"].ne("")
    source = rows.each("text_en_source", resolve_source)
    written = f["text_en_source"].ne("")
    rows.flag(
        written & given & source.isna(),
        "text_en_source",
        "'" + f["text_en_source"] + "' is not a source of English text; read as 'contributor' "
        "— write 'machine' if a translation tool made it",
        False,
    )
    rows.flag(
        written & ~given, "text_en_source", "is filled in but text_en is empty; ignored", False
    )
    english = v["language"].eq("en")
    v["text_en"] = f["text_en"].where(given, f["text"].where(english, ""))
    original = pd.Series("original", index=f.index).where(english, "")
    v["text_en_source"] = source.fillna("contributor").where(given, original).astype(object)


def read_translations(inputs: Path = paths.INPUTS) -> pd.DataFrame:
    """translations.csv as written, every column present, in file order (empty without a file)."""
    return read_table(paths.translations_file(inputs), TRANSLATION_COLUMNS)


def apply_translations(
    statements: pd.DataFrame, table: pd.DataFrame, file: str = "translations.csv"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements with the secretariat's English renderings applied (the last row per statement
    wins), and ledger rows for renderings that cannot be applied (kept in the file)."""
    out = statements.copy()
    index = pd.Series(out.index, index=out["statement_id"])
    problems = []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        sid = str(row.statement_id).strip()
        if sid not in index.index:
            problems.append(
                (
                    number,
                    sid,
                    f"row {number}: English text for statement '{sid}': no such statement in the "
                    "contributions any more; kept in translations.csv but not applied",
                )
            )
            continue
        source = str(row.source).strip().lower()
        if source not in ("machine", "secretariat"):
            source = "secretariat"
        text = str(row.text_en).strip()
        out.at[index[sid], "text_en"] = text
        out.at[index[sid], "text_en_source"] = source if text else ""
    return out, warnings(file, problems)
