"""Load a review: settings, reference tables, every contribution file, the ledger and decisions.

`load_review()` is the one door every other part of the workbook goes through: the command
line, the notebooks, the widgets and the batch build all see the same `Review`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reviewlib import paths
from reviewlib.errors import ReviewlibError
from reviewlib.gather.checked import checked
from reviewlib.gather.confirmation import hold_suggested
from reviewlib.gather.decisions import apply_decisions, read_decisions
from reviewlib.gather.document_rows import is_document, read_document_rows
from reviewlib.gather.english import apply_translations, read_translations
from reviewlib.gather.idea_decisions import check_idea_decisions, read_idea_decisions
from reviewlib.gather.ledger import SKIPPED, SUGGESTED, file_entry, ledger_frame
from reviewlib.gather.limits import IntakeLimits, LimitExceeded
from reviewlib.gather.milestones import NOT_COUNTED, Milestone, cut, resolve
from reviewlib.gather.readers import FIELDS, UnreadableFile, file_of, read_file
from reviewlib.gather.reference import Reference, load_reference
from reviewlib.gather.settings import ReviewConfig, load_config
from reviewlib.gather.sidecar import is_sidecar, sidecar_path

CONTRIBUTION_COLUMNS = [
    "contribution_id",
    "file",
    "submitter",
    "stakeholder_type",
    "icat_member",
    "country",
    "submitter_group",
    "received",
    "language",
    "n_statements",
    "n_rejected",
]
_REQUIRED = ("submitter", "stakeholder_type", "kind", "text")
DECISION_FILES = ("triage.csv", "translations.csv", "ideas.csv")


@dataclass(frozen=True, eq=False)
class Review:
    """Everything known about one review, validated. DataFrames are not to be modified in place."""

    inputs_dir: Path
    config: ReviewConfig
    reference: Reference
    contributions: pd.DataFrame
    statements: pd.DataFrame
    ledger: pd.DataFrame
    decisions: pd.DataFrame
    # The secretariat's curation of the pool of ideas, checked (see gather.idea_decisions).
    idea_decisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    # At a milestone: the contributions received after it (or undated), not counted.
    not_counted: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=CONTRIBUTION_COLUMNS)
    )
    # Statements read from documents that no officer has confirmed yet: never counted.
    suggested: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> dict[str, int]:
        skipped = self.ledger["status"].eq(SKIPPED) & self.ledger["row"].isna()
        contributions = self.ledger[~self.ledger["file"].isin(DECISION_FILES) & ~skipped]
        counts = contributions[contributions["row"].notna()]["status"].value_counts()
        return {
            "files": int(contributions["file"].map(file_of).nunique()),
            "contributions": len(self.contributions),
            "accepted": int(counts.get("accepted", 0)),
            "accepted_with_warning": int(counts.get("accepted_with_warning", 0)),
            "rejected": int(counts.get("rejected", 0)),
            "not_counted": int(counts.get(NOT_COUNTED, 0)),
            "suggested": int(counts.get(SUGGESTED, 0)),
            "skipped": int(counts.get(SKIPPED, 0)),
            "skipped_files": int(skipped.sum()),
            "unreadable_files": int(
                ((self.ledger["row"].isna()) & self.ledger["status"].eq("rejected")).sum()
            ),
        }

    @property
    def has_rejections(self) -> bool:
        return bool(self.ledger["status"].eq("rejected").any())

    @property
    def milestone(self) -> Milestone | None:
        """The release point the review is loaded at (None: every contribution counts)."""
        return self.config.milestone


def contribution_files(folder: Path) -> list[Path]:
    """Every file of the contributions folder, in a stable order (see `passed_over`)."""
    if not folder.exists():
        return []
    return sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: p.name)


def passed_over(path: Path) -> str | None:
    """Why a file of the contributions folder is not read as a contribution, or None."""
    name = path.name
    if name.startswith("~$") or name.startswith(".~lock.") or path.suffix.lower() == ".lock":
        return (
            "a lock file that Excel or LibreOffice keeps while a file is open; not read — "
            "it goes away when the file is closed"
        )
    if path.suffix.lower() in (".tmp", ".temp", ".part", ".crdownload") or name.endswith("~"):
        return (
            "a temporary file a program leaves while saving or downloading; not read — "
            "when the program is done the file it was writing is read instead"
        )
    if name.startswith("."):
        return (
            "a hidden file (its name starts with '.'); not read — if it holds statements, "
            "rename it without the leading '.'"
        )
    if is_sidecar(path):
        return "says who sent the document beside it (a sidecar); read with that document"
    if path.stem.upper() in ("README", "READ_ME", "READ ME"):
        return (
            "a note about the folder (its name is README), not a contribution; not read — if it "
            "holds statements, rename it after the contributor"
        )
    return None


def _read_one(path: Path, limits: IntakeLimits) -> pd.DataFrame | str:
    """The rows of one file, or the ledger's sentence saying why none was read. Whatever happens
    while one file is read, the others are still read and the ledger is written."""
    try:
        return read_document_rows(path, limits) if is_document(path) else read_file(path, limits)
    except (UnreadableFile, LimitExceeded) as exc:
        return (
            f"{exc}" if isinstance(exc, LimitExceeded) else f"{exc}; nothing in this file was read"
        )
    except MemoryError:
        return "the file is too large to read in the memory available; nothing in it was read"
    except RecursionError:
        return "the file is nested too deeply to read; nothing in it was read"
    except Exception as exc:  # a reader's own bug must not stop the review either
        return (
            f"the file could not be read ({type(exc).__name__}: {str(exc)[:200]}); "
            "nothing in it was read — please report this file to the workbook's maintainers"
        )


_PARSED: dict[tuple, pd.DataFrame] = {}  # (name, sha256, limits) → rows of the files last read


def _read_cached(path: Path, limits: IntakeLimits, used: set) -> pd.DataFrame | str:
    """`_read_one`, remembered by the file's content: a watch or a notebook reading the review
    again parses only the files that changed. Failures are not remembered (tried again)."""
    try:
        if path.stat().st_size > limits.file_mb * 1_000_000:
            return _read_one(path, limits)
        with path.open("rb") as handle:
            key = (path.name, hashlib.file_digest(handle, "sha256").hexdigest(), limits)
        if (beside := sidecar_path(path)) is not None:  # a document is read with its sidecar
            key += (hashlib.sha256(beside.read_bytes()).hexdigest(),)
    except OSError:
        return _read_one(path, limits)
    used.add(key)
    if key not in _PARSED:
        found = _read_one(path, limits)
        if isinstance(found, str):
            return found
        _PARSED[key] = found
    return _PARSED[key].copy()


def remember_files(inputs: Path | str) -> None:
    """Parse every contribution file into the per-file cache, so that the next reading of the
    review (after a change) parses only the files that changed. What `reviewlib watch` does once
    at the start, when the review itself came from the disk cache and no file was parsed."""
    inputs = Path(inputs)
    try:
        limits = load_config(inputs).intake
    except ReviewlibError:  # the next reading says what is wrong with review.yml
        return
    read_contributions(paths.contributions_dir(inputs), limits)


def read_contributions(
    folder: Path, limits: IntakeLimits | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every readable row of every file, and ledger entries for files that cannot be used at all
    (unreadable, past an intake limit of review.yml, or without the required columns)."""
    limits = limits or IntakeLimits()
    frames, entries, used = [], [], set()
    for path in contribution_files(folder):
        if (reason := passed_over(path)) is not None:
            entries.append(file_entry(path, SKIPPED, reason))
            continue
        frame = _read_cached(path, limits, used)
        if isinstance(frame, str):
            entries.append(file_entry(path, "rejected", frame))
            continue
        entries += frame.attrs.get("entries", [])
        missing = [c for c in _REQUIRED if c not in frame.attrs["present"]]
        if missing:
            entries.append(
                file_entry(
                    path,
                    "rejected",
                    f"required column(s) {', '.join(missing)} "
                    f"missing; nothing in this file was read — use the template's columns",
                )
            )
            continue
        if not len(frame) and not frame.attrs.get("entries"):
            entries.append(file_entry(path, "rejected", "the file has no statements"))
            continue
        entries.extend(
            file_entry(path, "accepted_with_warning", w) for w in frame.attrs.get("warnings", ())
        )
        if frame.attrs["unknown_columns"]:
            names = ", ".join(f"'{c}'" for c in frame.attrs["unknown_columns"])
            entries.append(
                file_entry(
                    path,
                    "accepted_with_warning",
                    f"column(s) {names} are not part of the format and were not read",
                )
            )
        frames.append(frame)
    for key in set(_PARSED) - used:  # files gone or changed are forgotten
        del _PARSED[key]
    rows = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["file", "row", *FIELDS, "_note"])
    )
    return rows, ledger_frame(entries)


def _contributions(statements: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    if statements.empty:
        return pd.DataFrame(columns=CONTRIBUTION_COLUMNS)
    first = statements.groupby("contribution_id", sort=True).first()
    rows = ledger[ledger["status"].eq("rejected") & ledger["row"].notna()]
    rejected = rows["file"].map(file_of).value_counts()  # a workbook's sheets are one file
    out = first.reset_index()
    out["file"] = out["file"].map(file_of)
    out["n_statements"] = statements.groupby("contribution_id", sort=True).size().values
    out["n_rejected"] = out["file"].map(rejected).fillna(0).astype(int)
    return out[CONTRIBUTION_COLUMNS]


_CACHE: dict[str, Review] = {}


def load_review(
    inputs: Path | str = paths.INPUTS, *, cache: bool = True, milestone: str | None = None
) -> Review:
    """Read and validate the whole review under `inputs` (review.yml, reference/, contributions/, decisions/).

    Asking again for a folder whose files have not changed gives the same (frozen) Review back,
    from memory or from the disk cache (see `reviewlib.gather.cache`). With ``milestone`` (a name
    of review.yml's `milestones`, or a date YYYY-MM-DD), only the statements received by its date
    count; the ledger marks the others (see `reviewlib.gather.milestones`).
    """
    review = _whole(Path(inputs), cache)
    return at_milestone(review, milestone) if milestone else review


@lru_cache(maxsize=4)
def at_milestone(review: Review, milestone: str) -> Review:
    """The review as it stood at a milestone: statements received later are not counted."""
    chosen = resolve(review.config.milestones, milestone)
    statements, ledger = cut(review.statements, review.ledger, chosen)
    late = review.statements[~review.statements["statement_id"].isin(statements["statement_id"])]
    # Reference facts stand on the earlier of the review's as_of and the milestone.
    as_of = min(filter(None, (review.config.as_of, chosen.date)))
    return dataclasses.replace(
        review,
        config=dataclasses.replace(review.config, milestone=chosen, as_of=as_of),
        reference=review.reference.on(as_of),
        statements=statements,
        ledger=ledger,
        contributions=_contributions(statements, ledger),
        not_counted=_contributions(late, review.ledger),
    )


def _whole(inputs: Path, cache: bool) -> Review:
    if not cache or not inputs.exists():
        return _load(inputs, cache=False)
    from reviewlib.gather import cache as disk

    key = disk.key(inputs)
    if key in _CACHE:
        return _CACHE[key]
    review = disk.load(inputs, key)
    if not isinstance(review, Review) or str(review.inputs_dir) != str(inputs):
        # the files' rows as last parsed (by any process): only the files changed since are
        # parsed again
        files = _files_key(disk)
        if not _PARSED:
            _PARSED.update(_saved_rows(inputs))
        review = _load(inputs)
        disk.save(inputs, key, review)
        disk.save(inputs, files, dict(_PARSED), slot="files")
    _CACHE.clear()
    _CACHE[key] = review
    return review


def _files_key(disk) -> str:
    """What the saved rows of the files depend on besides each file's bytes (in their keys)."""
    return hashlib.sha256((disk.code_digest() + disk.versions()).encode()).hexdigest()


def _reference(inputs: Path, as_of) -> Reference:
    """`load_reference`, kept on disk by the bytes of the reference tables (they change far
    less often than the contributions): a build after a new contribution neither parses nor
    checks them again."""
    from reviewlib.gather import cache as disk

    folder = paths.reference_dir(inputs)
    day = as_of or dt.date.today()  # without as_of, the dated facts are today's
    h = hashlib.sha256(f"{day}\0{disk.code_digest()}\0{disk.versions()}".encode())
    try:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    except OSError:  # load_reference says what is wrong
        return load_reference(inputs, as_of)
    key = h.hexdigest()
    if key in _REFERENCE:
        return _REFERENCE[key]
    reference = disk.load(inputs, key, slot="reference")
    if not isinstance(reference, Reference):
        reference = load_reference(inputs, as_of)
        disk.save(inputs, key, reference, slot="reference")
    _REFERENCE.clear()  # the last one read only
    _REFERENCE[key] = reference
    return reference


_REFERENCE: dict[str, Reference] = {}  # the reference tables last read here, by their key


def _reference_key(reference: Reference) -> str | None:
    """The key `_reference` gave these reference tables (their bytes, the day, the code), if
    they are the last it gave."""
    return next((key for key, known in _REFERENCE.items() if known is reference), None)


def remember_saved(inputs: Path | str) -> None:
    """Have in memory what the last reading of the review under `inputs` left in the disk
    cache: the rows of each contribution file and the reference tables; and the rows checked
    against them. The next reading here, or in a process forked from here, then neither
    unpickles them nor parses a file that has not changed, nor checks the rows again when no
    file changed. What the process kept ready for the next build does while it waits."""
    inputs = Path(inputs)
    try:
        config = load_config(inputs)
    except ReviewlibError:  # the next reading says what is wrong
        return
    if saved := _saved_rows(inputs):
        _PARSED.clear()
        _PARSED.update(saved)
    reference = _reference(inputs, config.as_of)
    # and the rows' checks: a build after a triage decision finds them in memory (`checked`)
    rows, _ = read_contributions(paths.contributions_dir(inputs), config.intake)
    checked(rows, reference, config, inputs, _reference_key(reference))


def _saved_rows(inputs: Path) -> dict:
    """The rows of the files as last parsed under `inputs` (by any process), from the disk
    cache; empty when none were saved."""
    from reviewlib.gather import cache as disk

    saved = disk.load(inputs, _files_key(disk), slot="files")
    return saved if isinstance(saved, dict) else {}


def _load(inputs: Path, cache: bool = True) -> Review:
    config = load_config(inputs)
    reference = _reference(inputs, config.as_of) if cache else load_reference(inputs, config.as_of)
    rows, file_entries = read_contributions(paths.contributions_dir(inputs), config.intake)
    # only the rows of files not checked before (a reading without the cache checks them all)
    against = _reference_key(reference) if cache else None
    statements, row_entries = checked(rows, reference, config, inputs, against)
    decisions = read_decisions(inputs)
    statements, decision_entries = apply_decisions(statements, decisions, reference)
    statements, suggested, row_entries = hold_suggested(statements, row_entries)
    statements, english_entries = apply_translations(statements, read_translations(inputs))
    idea_decisions, idea_entries = check_idea_decisions(statements, read_idea_decisions(inputs))
    entries = [file_entries, row_entries, decision_entries, english_entries, idea_entries]
    ledger = (
        pd.concat([e for e in entries if len(e)], ignore_index=True)
        if any(len(e) for e in entries)
        else ledger_frame()
    )
    ledger["row"] = ledger["row"].astype("Int64")
    ledger = ledger.sort_values(["file", "row"], na_position="first", kind="stable").reset_index(
        drop=True
    )
    statements = statements.sort_values("statement_id", kind="stable").reset_index(drop=True)
    contributions = _contributions(statements, ledger)
    return Review(
        inputs,
        config,
        reference,
        contributions,
        statements,
        ledger,
        decisions,
        idea_decisions,
        suggested=suggested.sort_values("statement_id", kind="stable").reset_index(drop=True),
    )
