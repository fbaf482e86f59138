"""Choose the statements a brief quotes: relevant to the finding they illustrate, and spread across
stakeholder types and regional groups by the rule in rubric.yml (`quotes:`).

For each finding in turn, among the statements that bear on it (its candidates), the one with the
best score is quoted, where score = relevance − (how often its stakeholder type and its regional
group have been quoted already in this brief), a statement over the rubric's caps (per type, per
group, per brief) being passed over. Relevance = |weight| × citations, plus a half for a
statement that gives its evidence. Ties go to a fixed hash of the statement id, so that no
alphabet (ACA- before UN-) decides who speaks. Only statements with English text are quoted.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from reviewlib.scoring.rubric import Rubric

__all__ = ["QuoteRule", "english_text", "choose"]


@dataclass(frozen=True)
class QuoteRule:
    per_brief: int = 6
    max_per_type: int = 2
    max_per_group: int = 2

    @classmethod
    def of(cls, rubric: Rubric) -> QuoteRule:
        return cls(rubric.quotes_per_brief, rubric.quotes_max_per_type, rubric.quotes_max_per_group)


def english_text(statement: pd.Series, language: str = "en") -> str:
    """The English text of a statement: its `text_en` when given, its text when written in the
    review's language, else "" (a statement with no English rendering is not quoted)."""
    rendered = str(statement.get("text_en", "") or "").strip()
    if rendered:
        return rendered
    if str(statement.get("language", "")).strip().lower() == language:
        return str(statement.get("text", "")).strip()
    return ""


def _tie(statement_id: str) -> str:
    return hashlib.sha1(str(statement_id).encode()).hexdigest()


def choose(
    findings: Sequence[Sequence[str]],
    statements: pd.DataFrame,
    weighed: pd.DataFrame,
    rule: QuoteRule,
    language: str = "en",
    *,
    spread_groups: bool = True,
) -> list[str]:
    """One statement id per finding ("" where none can be quoted), in the order of `findings`,
    each a list of candidate statement ids. `statements` are the review's (with text, language,
    evidence, stakeholder type and group), `weighed` the scoring's (weight, citations). Without
    `spread_groups` (a brief about one State or one group) regional groups are not balanced."""
    # the candidates' rows as plain records, each looked up once (not a row of a frame per look)
    named = {sid for candidates in findings for sid in candidates}
    table = statements[statements["statement_id"].isin(named)].set_index("statement_id")
    table = table.to_dict("index")
    weights = weighed[weighed["statement_id"].isin(named)].set_index("statement_id")
    weights = weights[["weight", "citations"]].to_dict("index")
    used: set[str] = set()
    types: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    chosen: list[str] = []
    for candidates in findings:
        best: tuple[float, str, str] | None = None
        for sid in dict.fromkeys(candidates):
            if sid in used or sid not in table or len(used) >= rule.per_brief:
                continue
            row = table[sid]
            if not english_text(row, language):
                continue
            kind = str(row["stakeholder_type"])
            group = str(row.get("submitter_group", "") or "") if spread_groups else ""
            if types[kind] >= rule.max_per_type or (group and groups[group] >= rule.max_per_group):
                continue
            w = weights.get(sid)
            relevance = (abs(float(w["weight"])) * float(w["citations"])) if w is not None else 0.0
            relevance += 0.5 if str(row.get("evidence", "") or "").strip() else 0.0
            score = relevance - types[kind] - (groups[group] if group else 0)
            key = (score, _tie(sid), sid)
            if best is None or (key[0], key[1]) > (best[0], best[1]):
                best = key
        if best is None:
            chosen.append("")
            continue
        sid = best[2]
        row = table[sid]
        used.add(sid)
        types[str(row["stakeholder_type"])] += 1
        group = str(row.get("submitter_group", "") or "")
        if group and spread_groups:
            groups[group] += 1
        chosen.append(sid)
    return chosen
