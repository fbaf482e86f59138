"""Infer a statement's pillar and themes from its text, with the keywords kept in reference data.

Keywords are ';'-separated in themes.csv and pillars.csv; a trailing '*' matches any ending.
Text and keywords are compared after folding case and accents, in any language listed there.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd


def fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\W_]+", " ", s)


def _pattern(keywords: str) -> re.Pattern[str] | None:
    terms = []
    for raw in str(keywords).split(";"):
        term = fold(raw.strip()).strip()
        if not term:
            continue
        prefix = raw.strip().endswith("*")
        body = r"\s+".join(re.escape(word) for word in term.split())
        terms.append(body + (r"\w*" if prefix else ""))
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(terms, key=len, reverse=True)) + r")(?!\w)")


class KeywordClassifier:
    """Matches folded text against one keyword pattern per label (theme or pillar)."""

    def __init__(self, table: pd.DataFrame, label_column: str):
        self.patterns = {
            row[label_column]: pattern
            for _, row in table.iterrows()
            if (pattern := _pattern(row["keywords"])) is not None
        }

    def counts(self, texts: pd.Series) -> pd.DataFrame:
        """Keyword hits per text (rows) and label (columns)."""
        folded = texts.fillna("").astype(str).map(fold)
        return pd.DataFrame(
            {label: folded.str.count(p) for label, p in self.patterns.items()}, index=texts.index
        )

    def all_matches(self, texts: pd.Series) -> pd.Series:
        """';'-joined labels (in table order) whose keywords occur in each text."""
        joined = pd.Series("", index=texts.index, dtype=object)
        for label, hits in (self.counts(texts) > 0).items():
            joined = joined + hits.map({True: f"{label};", False: ""})
        return joined.str.rstrip(";")

    def best(self, texts: pd.Series) -> pd.Series:
        """The label with the most hits in each text; '' when none or when two labels tie."""
        counts = self.counts(texts)
        if counts.empty:
            return pd.Series("", index=texts.index, dtype=object)
        top = counts.max(axis=1)
        winners = counts.eq(top, axis=0).sum(axis=1)
        best = counts.idxmax(axis=1)
        return best.where((top > 0) & (winners == 1), "")
