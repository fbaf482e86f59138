"""The one way text is folded before it is compared: case, accents and punctuation set aside.

Names ("Côte d’Ivoire"), keywords ("trafficking*"), stop words and stems all go through `fold`,
so that two parts of the workbook never disagree on whether two words are the same.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case, accents and punctuation folded: 'Côte d’Ivoire' → 'cote d ivoire', 'Ёлка' → 'елка'.

    Runs of punctuation become one space; leading and trailing spaces are kept as they fall.
    """
    text = str(text)
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return _NON_WORD.sub(" ", text.casefold())


def fold_all(texts: pd.Series) -> pd.Series:
    """`fold` for every text of a column (missing values as empty text)."""
    return texts.fillna("").astype(str).map(fold)
