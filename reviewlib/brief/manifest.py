"""outputs/manifest.json: the build's record of every brief — notebook, parameters, input digest,
status (built, skipped, failed), seconds, and the error when it failed — and of the review-wide
files (ledger, tables, workbook, zero draft): their digest and names.
"""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from reviewlib.files import atomic_write_text

__all__ = [
    "BriefJob",
    "BriefRecord",
    "record",
    "read_manifest",
    "write_manifest",
    "read_published",
    "write_published",
]


@dataclass(frozen=True)
class BriefJob:
    """One brief to build: its id, kind and value, notebook, parameters, output page and digest."""

    brief_id: str
    kind: str
    value: str
    notebook: str
    parameters: dict
    output: str
    digest: str


@dataclass
class BriefRecord:
    """One brief's line in the manifest."""

    brief_id: str
    kind: str
    parameters: dict
    notebook: str
    output: str
    digest: str
    status: str  # built | skipped | failed
    seconds: float = 0.0
    error: str = ""
    cell: int | None = None
    title: str = ""
    key_message: str = ""
    words: int = 0
    word_budget: int | None = None
    over_budget: bool = False


_FIXED = {"brief_id", "kind", "parameters", "notebook", "output", "digest", "status"}


def record(job: BriefJob, status: str, **data) -> dict:
    """The manifest line of a job; `data` may hold any other field of BriefRecord (others are ignored)."""
    fields = {
        k: v for k, v in data.items() if k in BriefRecord.__dataclass_fields__ and k not in _FIXED
    }
    return asdict(
        BriefRecord(
            job.brief_id,
            job.kind,
            job.parameters,
            job.notebook,
            job.output,
            job.digest,
            status,
            **fields,
        )
    )


def _path(outputs: Path) -> Path:
    return Path(outputs) / "manifest.json"


def _body(outputs: Path) -> dict:
    path = _path(outputs)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


def read_manifest(outputs: Path) -> dict[str, dict]:
    """The records of the last build by brief id; {} when there is none or it cannot be read."""
    try:
        return {b["brief_id"]: b for b in _body(outputs)["briefs"]}
    except (KeyError, TypeError):
        return {}


def read_published(outputs: Path) -> dict:
    """The review-wide files of the last build: {"digest": …, "files": […]}, or {}."""
    published = _body(outputs).get("published")
    return published if isinstance(published, dict) else {}


def _dumps(value: object) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)


# Each brief's record as written last: (a copy of the record, its text). The manifest is written
# after every brief, and Python's json writes indented text in Python, not C: the whole of it,
# every time, was 10 ms per brief built (two seconds of a full build); a record unchanged since
# it was last written keeps its text.
_WRITTEN: dict[str, tuple[dict, str]] = {}


def _record_text(brief: dict) -> str:
    """`brief` as it stands in the manifest's list (two levels in)."""
    known = _WRITTEN.get(brief.get("brief_id", ""))
    if known is not None and known[0] == brief:
        return known[1]
    text = _dumps(brief).replace("\n", "\n  ")  # (no JSON string holds a line break)
    _WRITTEN[brief.get("brief_id", "")] = (copy.deepcopy(brief), text)
    return text


def _text(briefs: list[dict], published: dict) -> str:
    """The manifest's text: `_dumps({"briefs": briefs, "published": published})` (without the
    published part when there is none), each record's text made once."""
    listed = "[\n  " + ",\n  ".join(map(_record_text, briefs)) + "\n ]" if briefs else "[]"
    parts = [f' "briefs": {listed}']
    if published:
        parts.append(' "published": ' + _dumps(published).replace("\n", "\n "))
    return "{\n" + ",\n".join(parts) + "\n}"


def _write(outputs: Path, briefs: dict[str, dict], published: dict) -> None:
    listed = [briefs[k] for k in sorted(briefs)]
    for gone in _WRITTEN.keys() - briefs.keys():
        del _WRITTEN[gone]
    atomic_write_text(_path(outputs), _text(listed, published) + "\n")


# The briefs' records and the review-wide files' line may be written from two threads of one
# build (reviewlib watch writes the tables while its kernel runs the briefs): one at a time.
_WRITING = threading.Lock()


def write_manifest(outputs: Path, records: dict[str, dict]) -> None:
    """The briefs' records; the review-wide files' line is kept as it is."""
    with _WRITING:
        _write(outputs, records, read_published(outputs))


def write_published(outputs: Path, digest: str, files: list[str], **more) -> None:
    """The review-wide files' digest and names (and `more` about them: the digest of each table
    file, the code they were written by); the briefs' records are kept as they are."""
    with _WRITING:
        published = {"digest": digest, "files": sorted(files), **more}
        _write(outputs, read_manifest(outputs), published)
