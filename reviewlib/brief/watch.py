"""`reviewlib watch`: keep the review loaded and two kernels warm (one on a machine of one core),
and rebuild what a change in inputs/ or the notebooks affects, one line per rebuild.

Changes are seen with watchfiles (the operating system's file events, not polling). A batch of
changes (an officer's save often writes several files) is rebuilt once: the review is read again
(unchanged files come from the parse cache), the review-wide files are rewritten only when their
digest changed, and only the briefs whose digest changed run, in the kernels kept warm since the
last rebuild (both at once, as a build runs them in the kernels it took over). A file saved while
the kernels start is rebuilt once the watcher listens. A bad file is one line naming it (and its
ledger entry); the watcher carries on, as it does after an error of reviewlib's own (one line,
saying where). A kernel a rebuild stopped (a brief that timed out or killed it) is started again
after that rebuild. Every file is written atomically, so stopping it (Ctrl-C) never leaves half
a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import DefaultFilter, watch

from reviewlib.brief.build import run_batch
from reviewlib.brief.fingerprint import file_stats
from reviewlib.brief.index_page import write_index
from reviewlib.brief.kept import kernels_kept
from reviewlib.brief.publish import outputs_aside
from reviewlib.brief.runner import ENGINES
from reviewlib.brief.workers import init_worker
from reviewlib.errors import ReviewlibError
from reviewlib.gather.ledger import problem_lines
from reviewlib.gather.review import load_review, remember_files
from reviewlib.ideas.pool import load_libraries, pool

__all__ = ["InputsFilter", "Project", "rebuild", "watch_review"]
# milliseconds the watcher waits for a change before it says it is listening (and then between
# its looks at `stop_event`): a file saved once "Watching" is printed is never missed
READY_MS = 200

SHOWN_IDS = 8  # brief ids named in a rebuild's line; more are counted


def _ignored(name: str) -> bool:
    """A hidden, temporary, lock or editor backup file: no change of the review."""
    return name.startswith((".", "~$")) or name.endswith((".tmp", ".lock", ".swp", "~"))


class InputsFilter(DefaultFilter):
    """What watchfiles passes on: not hidden, temporary, lock or editor backup files."""

    def __call__(self, change, path: str) -> bool:
        return super().__call__(change, path) and not _ignored(Path(path).name)


def _files(inputs: Path, notebooks: Path) -> dict[str, tuple[int, int]]:
    """The files a change of which is rebuilt (those the watcher passes on; of the notebooks,
    as a build's stamp, the notebooks themselves), each with its size and modification time."""

    def kept(rel: str) -> bool:
        return not any(map(_ignored, rel.split("/")))

    seen = {}
    for root, keep in (
        (inputs, kept),
        (notebooks, lambda rel: rel.endswith(".ipynb") and kept(rel)),
    ):
        for rel, size, mtime in file_stats(root, keep):
            seen[f"{root.name}/{rel}"] = (size, mtime)
    return seen


def _missed(before: dict, now: dict) -> set[str]:
    """The files added, changed or removed between two looks (`_files`)."""
    return {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}


def _names(changes, roots: list[Path]) -> list[str]:
    """The changed files, relative to the folder watched."""
    out = set()
    for _, path in changes:
        path = Path(path)
        for root in roots:
            if path.is_relative_to(root):
                out.add(f"{root.name}/{path.relative_to(root).as_posix()}")
                break
    return sorted(out)


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


@dataclass(frozen=True)
class Project:
    """What is built and how: the folders, the milestone, a cell's time limit, the workers."""

    inputs: Path
    outputs: Path
    notebooks: Path
    as_of: str | None = None
    timeout: float = 300
    workers: int | None = None


def rebuild(project: Project, *, keep_warm: bool = True) -> tuple[str, list[str]]:
    """Build what is out of date; returns its one line and the ledger problems of the review."""
    inputs, outputs, notebooks = project.inputs, project.outputs, project.notebooks
    start = time.perf_counter()
    try:
        review = load_review(inputs, milestone=project.as_of)
        if keep_warm:  # the kernels read the changed review while the briefs are planned here,
            # once the ideas are pooled here: they read them from the disk cache rather than each
            # pooling them again beside this process (seconds, after a decision on a proposal)
            pool(review)
            for engine in ENGINES:
                engine.prepare(str(inputs))
        # the tables, workbooks, Word file meanwhile, behind the warm kernels' briefs
        with outputs_aside(review, outputs, give_way=keep_warm):
            result = run_batch(
                review,
                outputs,
                workers=project.workers,
                timeout=project.timeout,
                progress=False,
                notebooks=notebooks,
                keep_warm=keep_warm,
            )
        write_index(review, result.records, outputs)
    except (ReviewlibError, OSError) as exc:
        return f"not rebuilt: {exc}", []
    except Exception as exc:  # noqa: BLE001 - a fault of reviewlib's own must not end the watch
        return f"not rebuilt: {_fault(exc)}", []
    built = sorted(k for k, r in result.records.items() if r["status"] == "built" and k)
    failed = sorted(k for k, r in result.records.items() if r["status"] == "failed")
    line = f"{len(built)} brief{'s' if len(built) != 1 else ''} rebuilt"
    line += f" ({_ids(built)})" if built else ""
    line += f", {result.skipped} up to date"
    line += f", {len(failed)} failed ({_ids(failed)})" if failed else ""
    return f"{line} in {time.perf_counter() - start:.1f} s", problem_lines(review.ledger)


def watch_review(project: Project, say: Callable[[str], object] = print, stop_event=None) -> int:
    """Build what is out of date, then rebuild on every change until Ctrl-C or `stop_event`."""
    inputs, outputs, notebooks = (
        Path(p).resolve() for p in (project.inputs, project.outputs, project.notebooks)
    )
    project = Project(inputs, outputs, notebooks, project.as_of, project.timeout, project.workers)
    before = _files(inputs, notebooks)  # what the first build reads
    line, problems = rebuild(project, keep_warm=False)
    say(f"{_clock()} {line}")
    seen = set(problems)
    kernels = ENGINES[: kernels_kept()]
    try:
        # the kernels the rebuilds run in, started together; meanwhile every file parsed once,
        # and what pooling ideas loads (a second the first decision on a proposal would pay)
        for engine in kernels[1:]:
            engine.launch(notebooks)
        init_worker(str(notebooks), str(inputs), meanwhile=lambda: _ready_here(inputs))
        for engine in kernels[1:]:
            engine.join(str(inputs))
        for engine in kernels:
            engine.rehearse(str(outputs))  # while no change has come
        watching = False
        for changes in watch(
            inputs,
            notebooks,
            watch_filter=InputsFilter(),
            stop_event=stop_event,
            raise_interrupt=False,
            debounce=400,
            rust_timeout=READY_MS,
            yield_on_timeout=True,  # (an empty batch: the watcher is listening)
        ):
            names = set(_names(changes, [inputs, notebooks]))
            if not watching:  # said once the operating system reports changes to it
                say(f"Watching {inputs} and {notebooks}; Ctrl-C stops.")
                watching = True
                # and what was saved while the kernels started, before it listened
                names |= _missed(before, _files(inputs, notebooks))
            if not names:
                continue
            line, problems = rebuild(project)
            say(f"{_clock()} {', '.join(sorted(names))} changed: {line}")
            for problem in problems:  # what this change brought into the ledger
                if problem not in seen:
                    say(problem)
            seen = set(problems)
            if trouble := _revive(kernels, project):
                say(trouble)
    except KeyboardInterrupt:  # Ctrl-C during a rebuild: the pages written so far are whole
        pass
    finally:
        for engine in ENGINES:
            engine.stop()
    say("Stopped watching.")
    return 0


def _fault(exc: Exception) -> str:
    """An error of reviewlib's own (not of a file) as one sentence: what, and where."""
    import traceback

    package = Path(__file__).resolve().parents[1]  # reviewlib/
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).is_relative_to(package)]
    at = ""
    if ours:  # the last line of reviewlib's own the error passed through
        file = Path(ours[-1].filename).relative_to(package.parent).as_posix()
        at = f" at {file}:{ours[-1].lineno}"
    return (
        f"an error in reviewlib itself ({type(exc).__name__}: {exc}{at}); the files written "
        "before it are whole, the watcher goes on, and the next change is rebuilt — if the "
        "same error comes again, report it with the file you saved"
    )


def _revive(kernels, project: Project) -> str:
    """Start again, now, the watch's kernels that a rebuild stopped (a brief that timed out or
    killed its kernel): the next rebuild runs in all of them again, rather than in those left.
    Returns what to say when one cannot be started ('' when all run)."""
    for engine in kernels:
        if engine.alive():
            continue
        try:
            engine.launch(project.notebooks)
            engine.join(str(project.inputs))
        except (RuntimeError, OSError) as exc:
            engine.stop()
            return (
                f"A kernel stopped by the last rebuild could not be started again ({exc}); the "
                "next rebuild starts one, or runs in the other."
            )
        engine.rehearse(str(project.outputs))
    return ""


def _ready_here(inputs: Path) -> None:
    """What this process readies while its first kernel starts."""
    remember_files(inputs)
    load_libraries()


def _clock() -> str:
    return time.strftime("%H:%M:%S")
