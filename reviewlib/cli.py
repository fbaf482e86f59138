"""`reviewlib` on the command line: a thin skin over the library (validate, template, import-glotip, build).

Every failure the program can name (a broken review.yml, a reference table, a folder that cannot
be written) ends as one line on stderr and exit status 1; a usage error is exit status 2.
"""

from __future__ import annotations

import argparse
import builtins
import dataclasses
import sys
from pathlib import Path

from reviewlib import paths
from reviewlib.terminal import printable

MAX_PROBLEMS_SHOWN = 60


def print(*values: object, **options) -> None:  # noqa: A001
    """Every line this command prints, terminal-safe: contributor text never drives the terminal."""
    builtins.print(*(printable(v) for v in values), **options)


AS_OF_HELP = (
    "count only the contributions received by a milestone of review.yml (e.g. "
    "zero_draft_elements) or a date YYYY-MM-DD; every page says so and the ledger marks the rest"
)


def _ideas_line(review) -> str:
    """The pool of ideas in one line, and how many proposals still lack English text."""
    from reviewlib.ideas.pool import pool

    ideas = pool(review)
    line = f"Ideas: {ideas.headline()}."
    if missing := ideas.uncompared_proposals():
        line += (
            f" {missing} proposal{'s have' if missing != 1 else ' has'} no English text, so "
            "could not be compared with the GPA: add it in notebooks/20_ideas.ipynb."
        )
    return line


def _load(args: argparse.Namespace):
    """The review under --inputs, as of the milestone --as-of names (if any)."""
    from reviewlib.gather.review import load_review

    return load_review(args.inputs, milestone=args.as_of)


def _documents_line(review) -> str:
    """What the documents among the contributions hold, in one line ('' when there are none)."""
    s = review.summary()
    if not s["suggested"] and not s["skipped"]:
        return ""
    waiting = (
        f"{s['suggested']} statement(s) suggested wait for an officer's decision in triage "
        "(notebooks/00_gather.ipynb) and are not counted until then"
        if s["suggested"]
        else "every statement read from them has been decided on in triage"
    )
    return (
        f"Documents: {waiting}; {s['skipped']} paragraph(s) skipped (page headers, headings, "
        "courtesy formulas, signatures, …): see the ledger."
    )


def _milestone_line(review) -> str:
    """What a build as of a milestone leaves out, in one line ('' for a build of everything)."""
    if review.milestone is None:
        return ""
    late = review.summary()["not_counted"]
    return (
        f"{review.milestone.note} {late} statement{'s' if late != 1 else ''} of "
        f"{len(review.not_counted)} contribution{'s' if len(review.not_counted) != 1 else ''} "
        "received later, or with no date received, are not counted: see the ledger."
    )


def _check_as_of(args: argparse.Namespace) -> str:
    """'' when --as-of names a milestone of review.yml or a date, else the usage error."""
    from reviewlib.errors import InputError
    from reviewlib.gather.milestones import resolve
    from reviewlib.gather.settings import load_config

    if not args.as_of:
        return ""
    try:
        resolve(load_config(args.inputs).milestones, args.as_of)
    except InputError as exc:
        return f"--as-of: {exc}"
    return ""


def _validate(args: argparse.Namespace) -> int:
    from reviewlib.brief.publish import write_outputs
    from reviewlib.gather.ledger import problem_lines

    if problem := _check_as_of(args):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    review = _load(args)
    s = review.summary()
    print(
        f"Read {s['files']} files: {s['contributions']} contributions; statements: "
        f"{s['accepted']} accepted, {s['accepted_with_warning']} accepted with warnings, "
        f"{s['rejected']} rejected; {s['unreadable_files']} file(s) could not be read"
        + (
            f"; {s['skipped_files']} passed over (not contributions)."
            if s["skipped_files"]
            else "."
        )
    )
    for line in (_milestone_line(review), _documents_line(review)):
        if line:
            print(line)
    for line in problem_lines(review.ledger)[:MAX_PROBLEMS_SHOWN]:
        print(line)
    hidden = len(problem_lines(review.ledger)) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        print(f"  … and {hidden} more; every row is in the ledger.")
    print(_ideas_line(review))
    written = write_outputs(review, args.outputs)
    tables = sum(p.parent == paths.tables_dir(args.outputs) and p.suffix == ".csv" for p in written)
    print(
        f"Wrote {paths.ledger_file(args.outputs)}, {tables} tables (CSV and one XLSX) in "
        f"{paths.tables_dir(args.outputs)}, and {written[-1]}."
    )
    return 1 if review.has_rejections else 0


def _template(args: argparse.Namespace) -> int:
    from reviewlib.gather.reference import load_reference
    from reviewlib.gather.template import write_template

    path = write_template(args.out, load_reference(args.inputs))
    print(f"Wrote the contribution template to {path}.")
    return 0


def _countries(spec: str, inputs: Path) -> set[str]:
    """ISO3 codes from 'BLR,NGA' or 'contributing' (the Member States the contributions name)."""
    if spec.strip().lower() == "contributing":
        from reviewlib.gather.review import load_review

        s = load_review(inputs).statements
        return (set(s["country"]) | set(s["scope_iso3"])) - {""}
    return {code.strip().upper() for code in spec.split(",") if code.strip()}


def _import_glotip(args: argparse.Namespace) -> int:
    from reviewlib.files import write_csv
    from reviewlib.gather import glotip
    from reviewlib.gather.milestones import resolve
    from reviewlib.gather.reference import load_reference
    from reviewlib.gather.settings import load_config

    config = load_config(args.inputs)
    day = resolve(config.milestones, args.as_of).date if args.as_of else config.as_of
    reference = load_reference(args.inputs)
    imported = glotip.read_glotip(Path(args.file), reference.member_states)
    print(glotip.format_summary(imported.summary))
    covered = set(reference.member_states["iso3"])
    if args.countries:
        covered &= _countries(args.countries, args.inputs)
        rows = imported.indicators[imported.indicators["iso3"].isin(covered)]
        imported = dataclasses.replace(imported, indicators=rows)
        print(f"Kept {len(rows):,} rows for the {rows['iso3'].nunique()} countries asked for.")
    imported, cut = glotip.cut_as_of(imported, reference.editions, day, covered)
    print(glotip.format_cut(cut))
    target = paths.indicators_file(args.inputs)
    glotip.write_indicators(imported, target)
    coverage = paths.glotip_coverage_file(args.inputs)
    glotip.write_coverage(cut, imported.indicators, coverage)
    print(f"Wrote {target} and {coverage.name}.")
    if len(imported.ledger):
        ledger = Path(args.outputs) / "glotip_ledger.csv"
        write_csv(imported.ledger, ledger)
        print(f"{len(imported.ledger)} row(s) need attention: see {ledger}.")
    return 1 if imported.ledger["status"].eq("rejected").any() else 0


def _build_options(args: argparse.Namespace) -> dict:
    """The options that decide what a build makes (not how fast: workers, timeout, quiet)."""
    return {
        "inputs": str(Path(args.inputs).resolve()),
        "outputs": str(Path(args.outputs).resolve()),
        "notebooks": str(Path(args.notebooks).resolve()),
        "as_of": args.as_of,
        "only": args.only,
        "pdf": getattr(args, "pdf", False),
    }


_ENTRY = "reviewlib.cli:main"  # what the process kept ready runs a build handed to it with
# what it does while it waits: the rows of the files, as the last build left them, in memory
_WARM = "reviewlib.gather.review:remember_saved"


def _build(args: argparse.Namespace) -> int:
    from reviewlib.brief import builder
    from reviewlib.brief.fingerprint import few_changes, fingerprint, unchanged
    from reviewlib.brief.kept import Keeper, keep_seconds, kernels_kept

    started = fingerprint(args.inputs, args.notebooks, _build_options(args))
    cwd = Path(args.notebooks) if Path(args.notebooks).is_dir() else None
    keeper = Keeper(args.outputs, cwd, keep_seconds(args.keep_kernel), str(args.inputs))
    if not keeper.seconds:
        builder.stop()  # (whatever happens next)
    if not args.force and (last := unchanged(args.outputs, started)) is not None:
        if not keeper.seconds:
            with keeper:  # --keep-kernel 0: the kernel kept by the last build stops
                pass
        for line in last.report:
            print(line)
        print("Nothing has changed since the last build: no file was read or rewritten.")
        builder.ensure(keeper.seconds, _ENTRY, _warm(args))  # (none, with --keep-kernel 0)
        return last.status
    if keeper.seconds and (status := builder.hand_over(args.argv)) is not None:
        return status  # built by the process kept ready, with all a build imports imported
    with keeper:
        # After a change of contributions or decisions only, the few briefs to rebuild run in
        # the kernels the last build kept, or one started now, which imports what briefs use
        # while this process reads the review. Any other build takes the kept kernels too when
        # it would start no more workers than there are of them (a rubric weight: every brief).
        few = not (args.force or args.only) and few_changes(args.outputs, started)
        taken = (few or _workers(args) <= kernels_kept()) and keeper.take()
        if few and not taken:
            keeper.launch()
        status = _full_build(args, started, early=few or taken)
    if line := keeper.line():
        print(line)
    builder.ensure(keeper.seconds, _ENTRY, _warm(args))
    return status


def _workers(args: argparse.Namespace) -> int:
    """The worker processes a build of every brief would start."""
    import os

    return args.workers or os.cpu_count() or 1


def _warm(args: argparse.Namespace) -> list[str]:
    return [_WARM, str(Path(args.inputs).resolve())]


def _full_build(args: argparse.Namespace, started: dict, early: bool = False) -> int:
    """Load the review, build what is out of date, and stamp the build when nothing failed
    (`early`: a kernel was started for the briefs, which readies the review once it is read)."""
    from reviewlib.brief.build import matching, run_batch
    from reviewlib.brief.fingerprint import drop_stamp, write_stamp
    from reviewlib.brief.index_page import write_index
    from reviewlib.brief.publish import outputs_aside

    if problem := _check_as_of(args):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    report: list[str] = []

    def say(line: str) -> None:
        report.append(line)
        print(line)

    review = _load(args)
    s = review.summary()
    say(
        f"Read {s['files']} files: {s['contributions']} contributions, "
        f"{s['accepted'] + s['accepted_with_warning']} statements accepted, {s['rejected']} rejected."
    )
    for line in (_milestone_line(review), _documents_line(review)):
        if line:
            say(line)
    say(_ideas_line(review))
    if args.only:  # a pattern that matches no brief stops here, before anything is written
        matching(review, args.outputs, args.notebooks, args.only)
    # the tables, workbooks and Word file are written by a child while the briefs are built;
    # it starts first, as soon as the review is read: the briefs wait for their kernel anyway.
    # Beside a kernel started or kept for a few briefs, it gives way to them (and their kernel
    # readying the review): the build waits for them, and it is done before them all the same.
    with outputs_aside(review, args.outputs, give_way=early):
        if early:  # once the ideas are pooled: the kernel reads them from the disk cache rather
            # than pooling them again beside this process (half a second, after a decision on a
            # proposal or good practice)
            from reviewlib.brief.runner import ENGINES

            for engine in ENGINES:  # (those taken over from the last build, or the one started)
                engine.prepare(str(review.inputs_dir))
        result = run_batch(
            review,
            args.outputs,
            workers=args.workers,
            only=args.only,
            force=args.force,
            timeout=args.timeout,
            progress=not args.quiet,
            notebooks=args.notebooks,
        )
    index = write_index(review, result.records, args.outputs)
    print(
        f"Briefs: {result.built} built, {result.skipped} up to date, {result.failed} failed "
        f"in {result.seconds:.1f} s. Open {index}."
    )
    report.append(f"Briefs: {len(result.records)} up to date. Open {index}.")
    if args.pdf or review.config.raw.get("pdf"):
        say(_pdf_line(result.records, args.outputs))
    for record in sorted(result.records.values(), key=lambda r: r["brief_id"]):
        if record["status"] == "failed":
            where = f" at cell {record['cell']}" if record.get("cell") is not None else ""
            print(f"  FAILED {record['brief_id']}{where}: {record['error']}")
        elif record.get("over_budget"):
            say(
                f"  OVER BUDGET {record['brief_id']}: {record['words']} words (budget {record['word_budget']})"
            )
    status = 1 if result.failed or review.has_rejections else 0
    if result.failed:
        drop_stamp(args.outputs)  # failed briefs are tried again by the next build
    else:
        write_stamp(args.outputs, started, report, status)
    return status


def _pdf_line(records: dict[str, dict], outputs: Path) -> str:
    from reviewlib.brief.pdf import write_pdfs

    done = write_pdfs(records, outputs)
    book = f"; the book: {done.book}" if done.book else ""
    return f"PDF: {len(done.written)} written, {len(done.unchanged)} up to date{book}."


def _watch(args: argparse.Namespace) -> int:
    from reviewlib.brief.watch import Project, watch_review

    if problem := _check_as_of(args):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    project = Project(
        args.inputs, args.outputs, args.notebooks, args.as_of, args.timeout, args.workers
    )
    return watch_review(project, say=lambda line: print(line, flush=True))


def _build_options_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=300, help="seconds a notebook cell may run")
    p.add_argument(
        "--notebooks", type=Path, default=paths.NOTEBOOKS, help="the brief notebooks to run"
    )
    p.add_argument("--as-of", default=None, metavar="MILESTONE", help=AS_OF_HELP)


def _build_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `reviewlib build` alone."""
    p.add_argument("--outputs", type=Path, default=paths.OUTPUTS, help="where to write outputs")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: the number of cores)"
    )
    p.add_argument(
        "--only",
        default=None,
        help="build only briefs whose id matches one of these patterns, e.g. 'country-*,overview'",
    )
    p.add_argument(
        "--force", action="store_true", help="rebuild every brief, even those up to date"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--keep-kernel",
        type=float,
        default=None,
        metavar="SECONDS",
        help="keep the briefs' kernel warm, and a process ready, for the next build this long "
        "(default 300, or REVIEWLIB_KEEP_KERNEL); 0 keeps none and stops those kept",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also print each brief to PDF and one combined book (as review.yml's pdf: true)",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="reviewlib", description="GPA Review Workbook")
    sub = top.add_subparsers(dest="command", required=True)

    def add(name: str, func, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument(
            "--inputs", type=Path, default=paths.INPUTS, help="the review's inputs folder"
        )
        p.set_defaults(func=func)
        return p

    p = add(
        "validate",
        _validate,
        "read every contribution, print the ledger summary, write the ledger and tables",
    )
    p.add_argument("--outputs", type=Path, default=paths.OUTPUTS, help="where to write outputs")
    p.add_argument("--as-of", default=None, metavar="MILESTONE", help=AS_OF_HELP)
    p = add("template", _template, "write the XLSX template that contributors fill in")
    p.add_argument(
        "--out", type=Path, default=Path("contribution_template.xlsx"), help="the file to write"
    )
    p = add(
        "import-glotip",
        _import_glotip,
        "import the UNODC Global Report country export into indicators.csv",
    )
    p.add_argument("file", help="data_glotip.xlsx, or the CSV export")
    p.add_argument(
        "--outputs", type=Path, default=paths.OUTPUTS, help="where to write the import's ledger"
    )
    p.add_argument(
        "--countries",
        default=None,
        help="keep only these ISO3 codes ('BLR,NGA'), or 'contributing' for those the contributions name",
    )
    p.add_argument(
        "--as-of",
        default=None,
        metavar="DATE",
        help="keep the data years of the editions published by this date or milestone "
        "(default: review.yml's as_of, the meeting)",
    )
    p = add(
        "build",
        _build,
        "build every brief that is out of date, the manifest and outputs/index.html",
    )
    _build_arguments(p)
    _build_options_arguments(p)
    p = add(
        "watch",
        _watch,
        "build what is out of date, then rebuild what each change in inputs/ or the notebooks "
        "affects, one line per rebuild, until Ctrl-C",
    )
    p.add_argument("--outputs", type=Path, default=paths.OUTPUTS, help="where to write outputs")
    p.add_argument("--workers", type=int, default=None, help="worker processes of the first build")
    _build_options_arguments(p)
    return top


def _os_error(exc: OSError) -> str:
    """A file system failure (permission, full disk, a missing folder) as one sentence."""
    where = " → ".join(str(f) for f in (exc.filename, exc.filename2) if f)
    what = exc.strerror or type(exc).__name__
    return (
        f"{where}: {what}; check the folder exists and your account may write there"
        if where
        else what
    )


def main(argv: list[str] | None = None) -> int:
    from reviewlib.errors import ReviewlibError, UsageError

    args = parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # as given (a build hands it over)
    for name in ("inputs", "outputs", "notebooks"):  # the kernels run in another folder
        if isinstance(getattr(args, name, None), Path):
            setattr(args, name, getattr(args, name).absolute())
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ReviewlibError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {_os_error(exc)}", file=sys.stderr)
        return 1


def command() -> int:
    """The `reviewlib` command: `main` with the command line's arguments; its exit status.

    The process ends as soon as it has finished: the objects the command made (a review, its
    tables, the kernel's messages: hundreds of megabytes after a build) are left to the
    operating system, not walked by the garbage collector as Python stops, which took about
    0.4 s after every build run in its own process. Until then the collector runs rarely
    (`reviewlib.collector`). `main`, which tests and the process kept ready call, leaves the
    collector as it is."""
    import gc

    from reviewlib.collector import collect_rarely

    collect_rarely()
    status = main()
    gc.freeze()  # what exists now is never collected again: the process is ending
    return status


if __name__ == "__main__":
    sys.exit(command())
