"""GPA Review Workbook: gather, score, distil and brief a review of the Global Plan of Action.

The package is laid out by stage: `gather`, `score`, `ideas`, `brief`, then the `workbench`
panels; at the top only what every stage shares. This is the front door. Names are imported on first use, so that `import reviewlib` stays cheap for the
command line and the notebooks' first cell.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__version__ = "0.1.0"

# nbformat (under papermill and nbconvert) imports jsonschema, which at import compiles some
# thirty Earley parsers of rfc3987_syntax for the "iri" formats, about 1.3 s of every build
# process's start (python-jsonschema/jsonschema#1428); no notebook schema uses those formats.
# Marked absent here, before anything imports jsonschema, it is passed over (those two format
# checks are then not made in a process that imported reviewlib).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

_EXPORTS = {
    "Review": "reviewlib.gather.review",
    "load_review": "reviewlib.gather.review",
    "write_template": "reviewlib.gather.template",
    "read_glotip": "reviewlib.gather.glotip",
    "Rubric": "reviewlib.scoring.rubric",
    "load_rubric": "reviewlib.scoring.rubric",
    "Scores": "reviewlib.scoring.scores",
    "score": "reviewlib.scoring.scores",
    "Balance": "reviewlib.scoring.balance",
    "assess": "reviewlib.scoring.balance",
    "IdeaPool": "reviewlib.ideas.pool",
    "pool": "reviewlib.ideas.pool",
    "to_html": "reviewlib.brief.export",
    "run_batch": "reviewlib.brief.build",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reviewlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
