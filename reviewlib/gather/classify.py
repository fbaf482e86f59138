"""Infer a statement's pillar and themes from its text, with the keywords kept in reference data.

Keywords are ';'-separated in themes.csv and pillars.csv; a trailing '*' matches any ending.
Text and keywords are compared after folding case and accents, in any language listed there.
"""

from __future__ import annotations

import re

import pandas as pd

from reviewlib.text import fold


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

    def counts(self, folded: pd.Series) -> pd.DataFrame:
        """Keyword hits per text (rows) and label (columns); texts already passed through `fold`."""
        return pd.DataFrame(
            {label: folded.str.count(p) for label, p in self.patterns.items()}, index=folded.index
        )

    def all_matches(self, folded: pd.Series) -> pd.Series:
        """';'-joined labels (in table order) whose keywords occur in each folded text."""
        joined = pd.Series("", index=folded.index, dtype=object)
        for label, pattern in self.patterns.items():
            joined = joined + folded.str.contains(pattern).map({True: f"{label};", False: ""})
        return joined.str.rstrip(";")

    def best(self, folded: pd.Series) -> pd.Series:
        """The label with the most hits in each folded text; '' when none or when two labels tie."""
        counts = self.counts(folded)
        if counts.empty:
            return pd.Series("", index=folded.index, dtype=object)
        top = counts.max(axis=1)
        winners = counts.eq(top, axis=0).sum(axis=1)
        best = counts.idxmax(axis=1)
        return best.where((top > 0) & (winners == 1), "")
