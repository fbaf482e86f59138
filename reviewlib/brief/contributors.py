"""The acknowledgements (outputs/briefs/contributors.html): every contribution the ledger
accounts for, exactly once, by stakeholder type and regional group, with the date received,
whether it was on time and counted, the statements accepted, and the reason for anything late,
not counted or rejected — so that each contributor can see it was heard.

Read from the ledger, not from the accepted statements, so a file that could not be read at all
is listed too (by its file name).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.brief.index_page import render_page
from reviewlib.files import atomic_write_text
from reviewlib.gather.milestones import NOT_COUNTED, long_date
from reviewlib.gather.review import DECISION_FILES, Review
from reviewlib.terms import GROUP_LABELS, STAKEHOLDER_TYPES, TYPE_LABELS

COLUMNS = (
    "file",
    "submitter",
    "stakeholder_type",
    "group",
    "received",
    "accepted",
    "status",
    "reason",
)
UNREAD = "unread"  # the stakeholder type of a file that could not be read
_HEADINGS = {
    "member_state": "Member States",
    "un_entity": "UN entities",
    "international_organisation": "International organisations",
    "civil_society": "Civil society",
    "survivor_led": "Survivor-led organisations",
    "private_sector": "Private sector",
    "media": "Media",
    "academia": "Academia",
    "other": "Others",
    UNREAD: "Files that could not be read",
}


ACCEPTED = ("accepted", "accepted_with_warning")


def _first(messages: list) -> str:
    """The first of `messages` that says something ('' when none does)."""
    for message in messages:
        if not pd.isna(message) and (text := str(message)):
            return text
    return ""


def _status(rows: list[tuple], received: str, cutoff: dt.date | None) -> tuple[str, str]:
    """(status, reason) of one contribution from its ledger rows, each (status, message)."""
    accepted = sum(status in ACCEPTED for status, _ in rows)
    rejected = [message for status, message in rows if status == "rejected"]
    not_counted = [message for status, message in rows if status == NOT_COUNTED]
    if not accepted and not_counted:
        return "Not counted", _first(not_counted)
    if not accepted:
        return "Rejected", _first(rejected) or "no statement could be accepted"
    late = bool(received and cutoff and received > cutoff.isoformat())
    status = "Late, counted" if late else "Counted" if not received else "On time, counted"
    reasons = []
    if late:
        reasons.append(f"received after the cut-off date, {long_date(cutoff)}")
    if not received:
        reasons.append("no date received")
    if not_counted:
        reasons.append(f"{len(not_counted)} statement(s) not counted: {_first(not_counted)}")
    if rejected:
        reasons.append(f"{len(rejected)} row(s) rejected: {_first(rejected)}")
    return status, "; ".join(reasons)


def acknowledgements(review: Review) -> pd.DataFrame:
    """One row per contribution file of the ledger: who, type, group, received, statements
    accepted, status and reason; sorted by stakeholder type, regional group and name."""
    ledger = review.ledger[~review.ledger["file"].isin(DECISION_FILES)]
    known = pd.concat([review.contributions, review.not_counted], ignore_index=True)
    known = known.drop_duplicates("file").set_index("file").to_dict("index")
    # each file's ledger rows as plain values, in the ledger's order (no pandas lookup per file)
    ledger_rows: dict[str, list[tuple]] = {}
    for file, status, message in ledger[["file", "status", "message"]].itertuples(index=False):
        if not pd.isna(file):
            ledger_rows.setdefault(file, []).append((status, message))
    rows = []
    for file in sorted(ledger_rows):
        entries = ledger_rows[file]
        who = known.get(file)
        name = file if who is None else str(who["submitter"])
        if who is not None and who["stakeholder_type"] == "member_state":
            name = review.reference.name_of.get(str(who.get("country", "")), name)
        received = "" if who is None else str(who.get("received", "") or "")
        status, reason = _status(entries, received, review.config.cutoff)
        accepted = sum(s in ACCEPTED for s, _ in entries)
        rows.append(
            {
                "file": file,
                "submitter": name,
                "stakeholder_type": UNREAD if who is None else str(who["stakeholder_type"]),
                "group": "" if who is None else str(who.get("submitter_group", "") or ""),
                "received": received,
                "accepted": accepted,
                "status": status,
                "reason": reason,
            }
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    order = {t: i for i, t in enumerate((*STAKEHOLDER_TYPES, UNREAD))}
    table["_type"] = table["stakeholder_type"].map(lambda t: order.get(t, len(order)))
    table["_name"] = table["submitter"].str.casefold()
    return (
        table.sort_values(["_type", "group", "_name", "file"])
        .drop(columns=["_type", "_name"])
        .reset_index(drop=True)
    )


def _sections(table: pd.DataFrame) -> list[dict]:
    sections = []
    for kind, rows in table.groupby("stakeholder_type", sort=False):
        title = _HEADINGS.get(kind, TYPE_LABELS.get(kind, kind))
        shown = [
            {
                **r,
                "group": GROUP_LABELS.get(r["group"], (r["group"] or "—",))[0],
                "received": long_date(dt.date.fromisoformat(r["received"]))
                if r["received"]
                else "no date",
            }
            for r in rows.to_dict("records")
        ]
        sections.append({"id": f"type-{kind}", "title": title, "rows": shown})
    return sections


def render_contributors(review: Review) -> str:
    table = acknowledgements(review)
    counts = table["status"].value_counts()
    said = ", ".join(f"{n} {s.lower()}" for s, n in counts.items())
    return render_page(
        review,
        "contributors/contributors.html.j2",
        "../index.html",
        page_title=f"Acknowledgements — {review.config.short_title}",
        kicker=review.config.title,
        heading="Acknowledgements: who contributed",
        subtitle=f"{len(table)} contributions received: {said}.",
        sections=_sections(table),
    )


def write_contributors(review: Review, outputs: Path = paths.OUTPUTS) -> Path:
    """Write the page, unless it already says the same (a rebuild with nothing new writes
    nothing)."""
    path = Path(outputs) / "briefs" / "contributors.html"
    page = render_contributors(review)
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        atomic_write_text(path, page)
    return path
