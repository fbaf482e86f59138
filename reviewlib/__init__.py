"""GPA Review Workbook: gather, score, distil and brief a review of the Global Plan of Action."""

__version__ = "0.1.0"

from reviewlib.inputs import Review, load_review

__all__ = ["Review", "load_review", "__version__"]
