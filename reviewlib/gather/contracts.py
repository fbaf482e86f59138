"""The contract of each table, as pandera schemas: reference inputs and the tables we publish.

Reference tables are checked lazily when loaded, so every problem is reported at once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from reviewlib.errors import InputError
from reviewlib.gather.ledger import STATUSES
from reviewlib.terms import DECISIONS, KINDS, PILLARS, REGIONAL_GROUPS, STAKEHOLDER_TYPES

_TEXT = pa.Column(str)
_FLAG = pa.Column(str, pa.Check.isin(["true", "false", "True", "False", "TRUE", "FALSE"]))

MEMBER_STATES = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, [pa.Check.str_matches(r"^[A-Z]{3}$")], unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=2), unique=True),
        "regional_group": pa.Column(str, pa.Check.isin(REGIONAL_GROUPS)),
        "aliases": _TEXT,
    },
    strict=False,
    name="member_states.csv",
)
COMMITMENTS = pa.DataFrameSchema(
    {
        "commitment": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}-\d{2}$"), unique=True),
        "pillar": pa.Column(str, pa.Check.isin([*PILLARS, "general"])),
        "title": pa.Column(str, pa.Check.str_length(min_value=3, max_value=80)),
        "text": pa.Column(str, pa.Check.str_length(min_value=10)),
    },
    strict=False,
    name="commitments.csv",
)
THEMES = pa.DataFrameSchema(
    {
        "theme": pa.Column(str, pa.Check.str_matches(r"^[a-z_]+$"), unique=True),
        "label": pa.Column(str, pa.Check.str_length(min_value=2)),
        "keywords": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=False,
    name="themes.csv",
)
PILLAR_TABLE = pa.DataFrameSchema(
    {"pillar": pa.Column(str, pa.Check.isin(PILLARS), unique=True), "keywords": _TEXT},
    strict=False,
    name="pillars.csv",
)
ENTITIES = pa.DataFrameSchema(
    {
        "name": pa.Column(str, unique=True),
        "stakeholder_type": pa.Column(str, pa.Check.isin(STAKEHOLDER_TYPES)),
        "icat_member": _FLAG,
    },
    strict=False,
    name="entities.csv",
)
STATEMENTS = pa.DataFrameSchema(
    {
        "statement_id": pa.Column(str, unique=True),
        "stakeholder_type": pa.Column(str, pa.Check.isin(STAKEHOLDER_TYPES)),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "pillar": pa.Column(str, pa.Check.isin([*PILLARS, ""])),
        "scope_type": pa.Column(str, pa.Check.isin(["global", "country", "region"])),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "decision": pa.Column(str, pa.Check.isin([*DECISIONS, ""])),
        "status": pa.Column(str, pa.Check.isin(["accepted", "accepted_with_warning"])),
    },
    strict=False,
    name="statements",
)
LEDGER = pa.DataFrameSchema(
    {
        "file": _TEXT,
        "row": pa.Column("Int64", nullable=True),
        "status": pa.Column(str, pa.Check.isin(list(STATUSES))),
        "message": _TEXT,
    },
    strict=False,
    name="ledger",
)
REFERENCE_SCHEMAS = {
    "member_states": MEMBER_STATES,
    "commitments": COMMITMENTS,
    "themes": THEMES,
    "pillars": PILLAR_TABLE,
    "entities": ENTITIES,
}


def check_reference(name: str, frame: pd.DataFrame, path: Path) -> None:
    """Raise InputError listing every failure of a reference table, in sentences."""
    try:
        REFERENCE_SCHEMAS[name].validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for case in cases.head(20).itertuples():
            row = f"row {int(case.index) + 2}, " if pd.notna(case.index) else ""
            lines.append(f"{row}column {case.column}: {case.failure_case!r} fails {case.check}")
        more = f" (and {len(cases) - 20} more)" if len(cases) > 20 else ""
        raise InputError(f"{path} has problems{more}:\n  " + "\n  ".join(lines)) from None
