"""The program's own failures. Problems in what people submitted are ledger entries, not exceptions."""

from __future__ import annotations


class ReviewlibError(Exception):
    """Base class for every failure the workbook reports by itself."""


class InputError(ReviewlibError):
    """A file the workbook needs (review.yml, a reference table) cannot be used as it is."""


class RubricError(ReviewlibError):
    """inputs/rubric.yml is malformed; the message names the key."""


class ParameterError(ReviewlibError):
    """A brief was asked for with a parameter value that does not exist."""


class UsageError(ReviewlibError):
    """The command was asked for something that is not there (the command line exits with 2)."""


class BriefError(ReviewlibError):
    """A brief notebook failed; the message names the notebook and the cell."""
