"""A contribution sent as a document → the rows the intake checks, and a ledger line for every
paragraph that is not a candidate statement.

The document is read (`documents`), its sender found (`sidecar`), its blocks split into
candidate statements and skipped paragraphs (`splitting`). Candidates become rows like those of
a CSV file, marked as read from a document: the row checks suggest their kind, pillar and scope
(`suggest`) and they wait, `suggested`, until an officer confirms them in triage. A row's number
is the paragraph's number in the document, so the ledger counts every paragraph once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib.gather.delimited import decode, sniff_delimiter
from reviewlib.gather.documents import DOCUMENT_SUFFIXES, read_document
from reviewlib.gather.ledger import file_entry
from reviewlib.gather.limits import IntakeLimits
from reviewlib.gather.readers import FIELDS, header_key
from reviewlib.gather.sidecar import contributor_fields
from reviewlib.gather.splitting import SKIP_REASONS, Paragraph, split

__all__ = ["is_document", "read_document_rows", "SUGGESTED", "SKIPPED"]

SUGGESTED = "suggested"
SKIPPED = "skipped"
_EXCERPT = 80
_OCR_NOTE = (
    "a scan with no text layer, read by OCR: check each statement against the scan in triage, "
    "OCR misreads words"
)


def _is_table(path: Path) -> bool:
    """True when a .txt file is a table of statements (a header with 'kind' and 'text')."""
    with path.open("rb") as handle:
        head = decode(handle.read(20_000))
    first = next((line for line in head.splitlines() if line.strip()), "")
    keys = {header_key(c) for c in first.split(sniff_delimiter(first))}
    return {"kind", "text"} <= keys


def is_document(path: Path) -> bool:
    """True for a contribution sent as a document rather than as a table of statements."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        try:
            return not _is_table(path)
        except OSError:
            return False
    return suffix in DOCUMENT_SUFFIXES


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1].rstrip() + "…"


def _entry(path: Path, paragraph: Paragraph, status: str, message: str) -> dict[str, object]:
    return {
        "file": path.name,
        "row": paragraph.number,
        "statement_id": "",
        "status": status,
        "column": "",
        "message": f"paragraph {paragraph.number}: {message}: '{_excerpt(paragraph.text)}'",
    }


def _who_notes(path: Path, fields: dict[str, str], origin: dict[str, str]) -> list[str]:
    taken = [f for f, o in origin.items() if o == "document properties"]
    if not taken:
        return []
    said = ", ".join(f"{f} '{fields[f]}'" for f in taken)
    return [
        f"taken from the document's own properties: {said}; check it, and write "
        f"{path.stem}.meta.yml beside the document to correct it"
    ]


def read_document_rows(path: Path, limits: IntakeLimits | None = None) -> pd.DataFrame:
    """The candidate statements of a document as rows (FIELDS, file, row, _note, _origin,
    _context) with `attrs['entries']` holding the ledger lines of every other paragraph and of
    the file itself. Raises UnreadableFile or LimitExceeded as the table readers do."""
    document = read_document(path, limits)
    paragraphs = split(document.blocks)
    fields, origin, problems = contributor_fields(path, document.properties)
    entries = [file_entry(path, "accepted_with_warning", p) for p in problems]
    if document.properties.get("ocr"):
        entries.append(file_entry(path, "accepted_with_warning", _OCR_NOTE))
    entries += [
        file_entry(path, "accepted_with_warning", n) for n in _who_notes(path, fields, origin)
    ]
    for p in paragraphs:
        if p.skip:
            entries.append(_entry(path, p, SKIPPED, f"skipped, {SKIP_REASONS[p.skip]}"))
    candidates = [p for p in paragraphs if not p.skip]
    missing = [f for f in ("submitter", "stakeholder_type") if not fields.get(f)]
    if missing and candidates:
        entries.append(
            file_entry(
                path,
                SUGGESTED,
                f"who sent this document is not known ({' and '.join(missing)} missing): write "
                f"{path.stem}.meta.yml beside it (contributor, stakeholder_type, country, "
                f"received, language); its {len(candidates)} candidate statements wait until then",
            )
        )
        entries += [
            _entry(path, p, SUGGESTED, "waiting for who sent the document") for p in candidates
        ]
        candidates = []
    # Where a statement came from is its file and paragraph (shown in triage and the ledger),
    # not evidence it gives: a brief would print it as "Evidence given: the file's name".
    frame = pd.DataFrame(
        {
            **{f: [fields.get(f, "")] * len(candidates) for f in FIELDS},
            "text": [p.text for p in candidates],
            "evidence": [""] * len(candidates),
        },
        columns=list(FIELDS),
        dtype=object,
    )
    frame.insert(0, "row", [p.number for p in candidates])
    frame.insert(0, "file", path.name)
    frame["_note"] = ""
    frame["_origin"] = "document"
    frame["_context"] = [p.heading for p in candidates]
    frame.attrs["unknown_columns"] = []
    frame.attrs["present"] = set(FIELDS)
    frame.attrs["entries"] = entries
    return frame
