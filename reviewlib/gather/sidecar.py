"""Who sent a document: its sidecar `NAME.meta.yml`, else what the document's own properties say.

A contribution sent as a letter or report does not carry our contributor fields. The secretariat
writes them in a small YAML file beside it (`NOTE-VERBALE.docx` → `NOTE-VERBALE.meta.yml`):

    contributor: Republic of Example
    stakeholder_type: member_state
    country: Example
    received: 2017-05-02
    language: en

A field the sidecar does not give is taken from the document's properties where it has them
(author, language; never the date it was written, which is not the date it was received); what
is still unknown is said in the ledger, and the
document's statements wait in triage until it is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reviewlib.errors import InputError
from reviewlib.gather import edited
from reviewlib.gather.readers import CONTRIBUTION_FIELDS, header_key

__all__ = ["SIDECAR_SUFFIXES", "sidecar_path", "is_sidecar", "contributor_fields"]

SIDECAR_SUFFIXES = (".meta.yml", ".meta.yaml")
_ALIASES = {"contributor": "submitter", "sender": "submitter", "from": "submitter"}
# Authors that word processors and libraries write by themselves: they say nothing of the sender.
_TOOL_AUTHORS = {"python-docx", "fpdf2", "microsoft office user", "user", "author", "admin"}


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIXES)


def sidecar_path(document: Path) -> Path | None:
    """The sidecar of a document, if the folder has one."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = document.with_name(document.stem + suffix)
        if candidate.exists():
            return candidate
    return None


def _value(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def read_sidecar(path: Path) -> tuple[dict[str, str], list[str]]:
    """The contributor fields a sidecar gives, and a sentence for each thing wrong with it."""
    try:
        data = edited.read_yaml(path, "it says who sent the document beside it")
    except InputError as exc:
        return {}, [f"{exc}; the document's properties were used instead"]
    if data is None:
        return {}, [f"{path.name} is empty; write the contributor's fields in it"]
    if not isinstance(data, dict):
        return {}, [f"{path.name} must be 'field: value' lines (contributor, stakeholder_type, …)"]
    fields: dict[str, str] = {}
    problems = []
    for key, value in data.items():
        name = _ALIASES.get(str(key).strip().lower()) or header_key(key)
        if name in CONTRIBUTION_FIELDS:
            fields[name] = _value(value)
        else:
            problems.append(
                f"{path.name}: '{key}' is not a contributor field and was not read; use "
                "contributor, stakeholder_type, country, received, language or contribution_id"
            )
    return fields, problems


def contributor_fields(
    document: Path, properties: dict[str, str]
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(the contributor fields, where each came from — 'sidecar' or 'document properties', and
    sentences about the sidecar) for a document and its own properties."""
    fields: dict[str, str] = {}
    origin: dict[str, str] = {}
    author = properties.get("submitter", "")
    from_document = {
        "submitter": "" if author.strip().lower() in _TOOL_AUTHORS else author,
        "language": properties.get("language", "").split("-")[0].lower(),
    }
    for name, value in from_document.items():
        if value:
            fields[name], origin[name] = value, "document properties"
    problems: list[str] = []
    if (path := sidecar_path(document)) is not None:
        given, problems = read_sidecar(path)
        for name, value in given.items():
            if value:
                fields[name], origin[name] = value, "sidecar"
    return fields, origin, problems
