"""outputs/manifest.json: the build's record of every brief — notebook, parameters, input digest,
status (built, skipped, failed), seconds, and the error when it failed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from reviewlib.files import atomic_write_text

__all__ = ["BriefJob", "BriefRecord", "record", "read_manifest", "write_manifest"]


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


def read_manifest(outputs: Path) -> dict[str, dict]:
    """The records of the last build by brief id; {} when there is none or it cannot be read."""
    path = _path(outputs)
    if not path.exists():
        return {}
    try:
        return {b["brief_id"]: b for b in json.loads(path.read_text(encoding="utf-8"))["briefs"]}
    except (json.JSONDecodeError, KeyError, TypeError):
        return {}


def write_manifest(outputs: Path, records: dict[str, dict]) -> None:
    body = {"briefs": [records[k] for k in sorted(records)]}
    atomic_write_text(
        _path(outputs), json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    )
