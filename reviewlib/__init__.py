"""GPA Review Workbook: gather, score, distil and brief a review of the Global Plan of Action.

The front door. Names are imported on first use, so that `import reviewlib` stays cheap for the
command line and the notebooks' first cell.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Review": "reviewlib.inputs",
    "load_review": "reviewlib.inputs",
    "Rubric": "reviewlib.rubric",
    "load_rubric": "reviewlib.rubric",
    "Scores": "reviewlib.scoring",
    "score": "reviewlib.scoring",
    "Balance": "reviewlib.balance",
    "assess": "reviewlib.balance",
    "IdeaPool": "reviewlib.ideas",
    "pool": "reviewlib.ideas",
    "to_html": "reviewlib.export",
    "run_batch": "reviewlib.build",
    "write_template": "reviewlib.template",
    "read_glotip": "reviewlib.indicators",
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
