"""The review-wide files in outputs/: ledger, derived tables, acknowledgements, zero draft.

Circulated tables go to outputs/tables/ and never carry a level or grade of a State; the
secretariat's internal working aids (levels) go to outputs/internal/, each row labelled, and only
when review.yml's `internal_levels` is not false.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.brief.aside import Aside
from reviewlib.brief.contributors import write_contributors
from reviewlib.brief.digests import code_digest, input_digest
from reviewlib.brief.manifest import read_published, write_published
from reviewlib.brief.slices import Slice
from reviewlib.files import (
    CSV_PROTECTION,
    atomic_write_text,
    tables_digest,
    write_csv,
    write_tables,
)
from reviewlib.gather.review import Review
from reviewlib.ideas.pool import IdeaPool, pool
from reviewlib.ideas.zero_draft import elements
from reviewlib.ideas.zero_draft_text import write_text
from reviewlib.ideas.zero_draft_word import write_docx
from reviewlib.scoring.balance import assess, balance_table
from reviewlib.scoring.scores import score
from reviewlib.terms import INTERNAL_LABEL

ZERO_DRAFT = "zero_draft_elements.docx"
ZERO_DRAFT_TEXT = "zero_draft_elements.md"
VERSION_LENGTH = 12  # characters of the input digest that name a version of the zero draft
INTERNAL = "internal"
_NOT_CIRCULATED = ("country_scores", "country_criteria", "pillar_levels", "region_levels")


def derived_tables(review: Review, ideas: IdeaPool | None = None) -> dict[str, pd.DataFrame]:
    """The tables DESIGN.md lists, computed from the review."""
    tables = {"statements": review.statements, "contributions": review.contributions}
    tables["balance"] = balance_table(assess(review))
    # Scores need a rubric; a review folder without rubric.yml gets the other tables only.
    if paths.rubric_file(review.inputs_dir).exists():
        tables.update(score(review).tables())
    ideas = ideas if ideas is not None else pool(review)  # the one pool of the review
    tables["ideas"] = ideas.ideas
    tables["idea_summary"] = ideas.summary
    return tables


def internal_tables(review: Review) -> dict[str, pd.DataFrame]:
    """The levels, every row labelled as an internal working aid; none when switched off."""
    if review.config.raw.get("internal_levels", True) is False:
        return {}
    if not paths.rubric_file(review.inputs_dir).exists():
        return {}
    return {
        name: frame.assign(internal_working_aid=INTERNAL_LABEL)[
            ["internal_working_aid", *frame.columns]
        ]
        for name, frame in score(review).internal_tables().items()
    }


def _write_internal(review: Review, outputs: Path, known: dict[str, str]) -> list[Path]:
    folder = Path(outputs) / INTERNAL
    for name in _NOT_CIRCULATED:  # never left beside the circulated tables by an older build
        (paths.tables_dir(outputs) / f"{name}.csv").unlink(missing_ok=True)
    tables = internal_tables(review)
    if not tables:
        return []
    atomic_write_text(
        folder / "README.txt",
        f"INTERNAL: {INTERNAL_LABEL}.\nThese tables are the secretariat's working aids "
        "(levels per Member State and pillar, see inputs/rubric.yml). They are not an assessment "
        f"of any State and are never circulated; the circulated tables are in ../tables/.\n"
        f"{CSV_PROTECTION}\n",
    )
    return [
        folder / "README.txt",
        *write_tables(tables, folder, workbook="internal.xlsx", known=known),
    ]


def write_zero_draft(
    review: Review,
    outputs: Path,
    ideas: IdeaPool | None = None,
    coverage: pd.DataFrame | None = None,
) -> list[Path]:
    """outputs/zero_draft_elements.docx and its plain-text twin (.md), from the review's one pool
    and its published coverage table (computed here when not given; none without a rubric); the
    version is the review's input digest, as the overview brief's footer shows it."""
    if coverage is None and paths.rubric_file(review.inputs_dir).exists():
        coverage = score(review).coverage
    version = input_digest(review, Slice("overview"))[:VERSION_LENGTH]
    draft = elements(review, ideas if ideas is not None else pool(review), coverage, version)
    return [
        write_text(draft, Path(outputs) / ZERO_DRAFT_TEXT),
        write_docx(draft, Path(outputs) / ZERO_DRAFT),
    ]


def published_digest(review: Review) -> str:
    """What the ledger, the tables, the workbook and the zero draft are made from: every
    statement, GLOTIP row and idea (the overview's inputs), the ledger, the contributions,
    the milestone and reviewlib's code."""
    h = hashlib.sha256()
    for piece in (
        input_digest(review, Slice("overview")),
        code_digest(),
        repr(review.milestone),
        tables_digest({"ledger": review.ledger, "contributions": review.contributions}),
    ):
        h.update(piece.encode() + b"\0")
    return h.hexdigest()


def write_outputs(
    review: Review, outputs: Path = paths.OUTPUTS, *, if_changed: bool = False, aside: bool = False
) -> list[Path]:
    """outputs/ledger.csv, outputs/tables/*, outputs/internal/*, the acknowledgements page and
    the zero-draft elements (the Word file last); returns the files written or found up to
    date. With `if_changed`, nothing is written when the manifest says the same files were
    made from the same inputs and code and all are there; and otherwise each table file and
    workbook only when its own tables changed (the manifest keeps the digest of each). With
    `aside`, the files are written by a child process (see `start_outputs`)."""
    if aside:
        return start_outputs(review, outputs, if_changed=if_changed).result()
    return _Writing(review, outputs, if_changed, aside=False).result()


def start_outputs(
    review: Review,
    outputs: Path = paths.OUTPUTS,
    *,
    if_changed: bool = False,
    give_way: bool = False,
) -> _Writing:
    """`write_outputs` begun in a child process forked now (`reviewlib.brief.aside`), beside
    whatever this process does next (plan and run the briefs); `.result()` waits for it, and
    then the manifest is written here, by the one process that writes it. With `give_way`, the
    child runs behind this process and the kernel(s) it runs its briefs in, here
    (`Aside.give_way`): a build of a few briefs waits for them, not for the tables, which are
    done before them all the same."""
    writing = _Writing(review, outputs, if_changed, aside=True)
    if give_way and writing.child is not None:
        writing.child.give_way()
    return writing


@contextmanager
def outputs_aside(
    review: Review, outputs: Path, *, if_changed: bool = True, give_way: bool = False
) -> Iterator[None]:
    """The review-wide files written by a child (`start_outputs`, which says what `give_way`
    does) while the body of the `with` runs (the briefs); they are waited for at its end, even
    when the body fails, so that no file is left half-written; their error, if any, is raised
    when the body did not fail."""
    writing = start_outputs(review, outputs, if_changed=if_changed, give_way=give_way)
    try:
        yield
    except BaseException:
        with suppress(Exception):  # the body's error is the one to report
            writing.result()
        raise
    writing.result()


class _Writing:
    """The review-wide files being written: at once here, or in a child process (`aside`)."""

    def __init__(self, review: Review, outputs: Path, if_changed: bool, aside: bool) -> None:
        self.outputs = outputs
        self.child: Aside | None = None
        self.digest = published_digest(review)
        last = read_published(outputs)
        self.up_to_date = if_changed and (
            last.get("digest") == self.digest
            and all((Path(outputs) / name).is_file() for name in last.get("files", []))
        )
        if self.up_to_date:
            return
        same_code = last.get("code") == code_digest()
        self.known = dict(last.get("tables") or {}) if if_changed and same_code else {}
        self.child = Aside(_write_and_know, review, outputs, self.known) if aside else None
        if not aside:
            self.written = _write_outputs(review, outputs, self.known)

    def result(self) -> list[Path]:
        """The files written (waited for), recorded in the manifest; asked for once."""
        if self.up_to_date:
            return []
        if self.child is not None:
            self.written, self.known = self.child.result()
        write_published(
            self.outputs,
            self.digest,
            [
                Path(p).resolve().relative_to(Path(self.outputs).resolve()).as_posix()
                for p in self.written
            ],
            tables=self.known,
            code=code_digest(),
        )
        return self.written


def _write_and_know(review: Review, outputs: Path, known: dict[str, str]):
    """The files written, and the digests of their tables (in a child, `known` is its own)."""
    return _write_outputs(review, outputs, known), known


def _write_outputs(review: Review, outputs: Path, known: dict[str, str]) -> list[Path]:
    """outputs/ledger.csv, outputs/tables/*, outputs/internal/*, the acknowledgements page and
    the zero-draft elements (the Word file last); returns their paths. A table file or workbook
    whose tables have the digest `known` gives it is not written again (`files.write_tables`)."""
    ideas = pool(review)
    write_csv(review.ledger, paths.ledger_file(outputs))
    tables = derived_tables(review, ideas)
    about = paths.tables_dir(outputs) / "README.txt"
    atomic_write_text(about, f"{CSV_PROTECTION} So does ../ledger.csv.\n")
    return [
        paths.ledger_file(outputs),
        about,
        *write_tables(tables, paths.tables_dir(outputs), known=known),
        *_write_internal(review, outputs, known),
        write_contributors(review, outputs),
        *write_zero_draft(review, outputs, ideas, tables.get("coverage")),
    ]
