"""Elements for the zero draft: the top-ranked new ideas by pillar, as a Word document.

Each idea becomes a numbered draft paragraph (its label, lightly rewritten as a sentence) with
a Word comment naming its supporters and the GPA commitment it builds on, so that negotiators
can work on it with tracked changes. The same pool gives the same bytes: document properties
and comment dates are fixed (from ``as_of`` when given) and the package is re-zipped with fixed
timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from docx import Document

from reviewlib.files import atomic_write_bytes
from reviewlib.terms import PILLAR_LABELS

__all__ = ["draft_sentence", "write_zero_draft"]

AUTHOR, INITIALS = "GPA review workbook", "GPA"
MAX_NAMES = 12
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PROPOSER = re.compile(  # "We recommend that", "Canada proposes that", "The Philippines calls for"
    r"^(?:[Ww]e\s+(?:strongly\s+)?(?:propose|suggest|recommend|urge|call\s+on|call\s+for|support|request"
    r"|encourage|invite)|[A-Z][\w'’.()-]*(?:\s+[\w'’.()-]+){0,4}?\s+(?:strongly\s+)?(?:proposes|suggests"
    r"|recommends|urges|calls\s+on|calls\s+for|supports|requests|encourages|invites))(?:\s+that)?\s+"
)
_STATES = r"^(?:all\s+|every\s+)?(?:member\s+)?(?:states?|governments?)\s+"
_ADDRESSEE = re.compile(_STATES + r"(?:should|must|to)\s+", re.IGNORECASE)
_ADDRESSED = re.compile(_STATES + r"(?:(?:should|must|to)\s+)?", re.IGNORECASE)


def draft_sentence(label: str) -> str:
    """A label as a draft sentence: who proposes it and "States should" dropped (the comment
    names the supporters), capital first, full stop last."""
    text = _NOT_XML.sub("", " ".join(str(label).split()))
    shorter = _PROPOSER.sub("", text, count=1)
    shorter = (_ADDRESSED if shorter != text else _ADDRESSEE).sub("", shorter, count=1) or text
    shorter = shorter[:1].upper() + shorter[1:]
    return shorter if shorter.endswith((".", "…", "!", "?")) else shorter + "."


def _names(values: str, limit: int = MAX_NAMES) -> str:
    names = [v for v in str(values).split(";") if v]
    if len(names) > limit:
        return "; ".join(names[:limit]) + f"; and {len(names) - limit} more"
    return "; ".join(names) or "none recorded"


def _comment_lines(idea: Mapping, commitments: Mapping[str, str]) -> list[str]:
    nearest = str(idea["nearest_commitment"])
    builds_on = (
        (
            f"Builds on GPA commitment {nearest} (similarity {float(idea['nearest_similarity']):.2f})"
            + (f": {commitments[nearest]}" if nearest in commitments else ".")
        )
        if nearest
        else "No GPA commitment is close to this idea."
    )
    return [
        f"Supported by {idea['n_submitters']} contributor(s): {_names(idea['submitters'])}.",
        f"Stakeholder types: {_names(idea['stakeholder_types']).replace('_', ' ')}. "
        f"Regional groups: {_names(idea['regional_groups'])}.",
        builds_on,
        f"{idea['idea_id']}, rank {idea['rank']}, from {idea['n_statements']} proposal(s): "
        f"{_names(idea['statement_ids'])}.",
    ]


def write_zero_draft(
    pool,
    path: Path,
    *,
    title: str,
    illustrative: bool,
    top_n_per_pillar: int = 5,
    commitments: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
    illustrative_note: str = "Illustrative data: the contributions behind this "
    "document are fictional sample text.",
) -> Path:
    """Write the zero-draft elements for an IdeaPool to ``path`` (.docx) and return the path."""
    texts = (
        {}
        if commitments is None
        else dict(
            zip(commitments["commitment"].astype(str), commitments["text"].astype(str), strict=True)
        )
    )
    stamp = (
        _EPOCH if as_of is None else dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    )
    doc = Document()
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = _NOT_XML.sub("", title), AUTHOR, AUTHOR
    props.created = props.modified = stamp.replace(tzinfo=None)
    props.revision = 1
    doc.add_heading(_NOT_XML.sub("", title), level=0)
    if illustrative:
        doc.add_paragraph().add_run(_NOT_XML.sub("", illustrative_note)).bold = True
    doc.add_paragraph(
        "Elements for the zero draft: by pillar, the best-ranked ideas from the contributions that "
        "go beyond the commitments already in the Global Plan of Action. Each paragraph carries a "
        "comment naming its supporters and the commitment it builds on."
    )
    new = pool.top(n=len(pool.summary), new_only=True)
    sections = list(PILLAR_LABELS.items()) + (
        [("", "Not assigned to a pillar")] if new["pillar"].eq("").any() else []
    )
    for pillar, heading in sections:
        doc.add_heading(heading, level=1)
        ideas = new[new["pillar"].eq(pillar)].head(top_n_per_pillar)
        if ideas.empty:
            doc.add_paragraph("No new idea was proposed under this heading.")
            continue
        for idea in ideas.to_dict("records"):
            run = doc.add_paragraph(style="List Number").add_run(draft_sentence(idea["label"]))
            lines = [_NOT_XML.sub("", line) for line in _comment_lines(idea, texts)]
            comment = doc.add_comment(run, text=lines[0], author=AUTHOR, initials=INITIALS)
            for line in lines[1:]:
                comment.add_paragraph(line)
            comment._comment_elm.date = stamp  # python-docx stamps the wall clock otherwise
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write_bytes(Path(path), _fixed_zip(buffer.getvalue()))
    return Path(path)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so equal content gives equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
