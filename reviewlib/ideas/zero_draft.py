"""Elements for the zero draft: the top-ranked new ideas by pillar, as a Word document.

Each new idea becomes a numbered draft paragraph (its label, the same sentence every brief and
table shows) with a Word comment naming its supporters, its status against the GPA and the
commitment it builds on, so that negotiators can work on it with tracked changes. Ideas that
restate the GPA, or could not be compared with it for want of English text, are left out. The same pool gives the same bytes: document properties
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

from docx import Document

from reviewlib.files import atomic_write_bytes
from reviewlib.terms import PILLAR_LABELS

__all__ = ["draft_sentence", "write_zero_draft"]

AUTHOR, INITIALS = "GPA review workbook", "GPA"
MAX_NAMES = 12
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def draft_sentence(label: str) -> str:
    """A label as a draft paragraph: the label (already a full sentence), XML-safe."""
    return _NOT_XML.sub("", " ".join(str(label).split()))


def _names(values: str, limit: int = MAX_NAMES) -> str:
    names = [v for v in str(values).split(";") if v]
    if len(names) > limit:
        return "; ".join(names[:limit]) + f"; and {len(names) - limit} more"
    return "; ".join(names) or "none recorded"


def _comment_lines(idea: Mapping) -> list[str]:
    builds_on = (
        f"Builds on GPA commitment {idea['builds_on']} "
        f"(similarity {float(idea['nearest_similarity']):.2f})."
        if idea["builds_on"]
        else "No GPA commitment is close to this idea."
    )
    return [
        f"Supported by {idea['n_submitters']} contributor(s): {_names(idea['submitters'])}.",
        f"Stakeholder types: {_names(idea['stakeholder_types']).replace('_', ' ')}. "
        f"Regional groups: {_names(idea['regional_groups'])}.",
        f"Against the GPA: {idea['status_label']}. {builds_on}",
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
    as_of: dt.date | None = None,
    illustrative_note: str = "Illustrative data: the contributions behind this "
    "document are fictional sample text.",
) -> Path:
    """Write the zero-draft elements for an IdeaPool to ``path`` (.docx) and return the path."""
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
        "go beyond the commitments already in the Global Plan of Action, worded as in the briefs. "
        "Each paragraph carries a comment naming its supporters and the commitment it builds on."
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
            lines = [_NOT_XML.sub("", line) for line in _comment_lines(idea)]
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
