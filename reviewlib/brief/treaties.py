"""Treaty status in words: a Member State's status under the Trafficking in Persons Protocol and
the Convention on the review's date, and the review-wide count of confirmed parties. Stated
only from sourced rows: an unconfirmed State reads "status not confirmed", never "not a party".
"""

from __future__ import annotations

import datetime as dt

from reviewlib.brief.figures import Figure, Sentence, figure
from reviewlib.gather.dated import NOT_PARTY, PARTY, TREATIES
from reviewlib.scoring.scores import Scores

__all__ = ["country_treaties", "review_treaties"]

_SHORT = {"protocol": "the Protocol", "convention": "the Convention"}


def _on(scores: Scores, day: dt.date | None) -> Sentence:
    """ "on 27 September 2017" (the date a cell of treaty_summary), or "today" without a date."""
    if day is None:
        return ("today",)
    key = {"treaty": next(iter(TREATIES))}
    return ("on ", figure("treaty_summary", scores.treaty_summary, key, "as_of_in_words"))


def country_treaties(scores: Scores, iso3: str, day: dt.date | None) -> Sentence:
    """ "On 27 September 2017: party to the Trafficking in Persons Protocol since 21 August 2002
    (ratification); party to the Convention … ; …"."""
    table = scores.treaty_status
    parts: list[str | Figure] = ["Treaty status ", *_on(scores, day), ": "]
    for i, treaty in enumerate(TREATIES):
        key = {"iso3": iso3, "treaty": treaty}
        rows = table[table["iso3"].eq(iso3) & table["treaty"].eq(treaty)]
        if rows.empty:
            continue
        row = rows.iloc[0]
        name = TREATIES[treaty]
        if i:
            parts.append("; ")
        if row["status"] == PARTY:
            action = f" ({row['action']})" if row["action"] else ""
            parts += [figure("treaty_status", table, key, "status"), f" to {name} since "]
            parts += [figure("treaty_status", table, key, "since_in_words"), action]
        elif row["status"] == NOT_PARTY:
            parts += [figure("treaty_status", table, key, "status"), f" to {name}"]
        else:
            parts += [f"under {name}, ", figure("treaty_status", table, key, "status")]
    parts.append(".")
    return tuple(parts)


def review_treaties(scores: Scores, day: dt.date | None) -> Sentence:
    """ "On 27 September 2017, 164 Member States were confirmed parties to the Protocol (25
    more whose status is not confirmed, not counted as non-parties); …"."""
    table = scores.treaty_summary
    on = _on(scores, day)
    parts: list[str | Figure] = [f"{str(on[0])[:1].upper()}{str(on[0])[1:]}", *on[1:], ", "]
    for i, treaty in enumerate(TREATIES):
        key = {"treaty": treaty}
        parts += ["; " if i else "", figure("treaty_summary", table, key, "parties")]
        parts.append(f" Member States were confirmed parties to {TREATIES[treaty]} (")
        parts += [figure("treaty_summary", table, key, "not_confirmed")]
        parts.append(" more whose status is not confirmed, not counted as non-parties)")
    parts.append(".")
    return tuple(p for p in parts if not isinstance(p, str) or p)
