"""Rebuilding with the real command line: a build with nothing changed reads and writes nothing,
a touched file rewrites nothing, and `reviewlib watch` rebuilds exactly the briefs a new
contribution affects, reports a broken file and carries on, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reviewlib import paths
from reviewlib.brief.fingerprint import STAMP
from reviewlib.brief.kept import Keeper, kernels_kept
from reviewlib.brief.lease import running

pytestmark = pytest.mark.slow
REVIEWLIB = Path(sys.executable).with_name("reviewlib")
WAIT = 600  # seconds: a loaded machine may take long; a hang still ends the test


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the demo inputs and one full build of it with the command line."""
    root = tmp_path_factory.mktemp("rebuild")
    inputs, outputs = root / "inputs", root / "outputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    run = _build(inputs, outputs)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (outputs / STAMP).is_file()
    return inputs, outputs


def _build(
    inputs: Path, outputs: Path, *extra: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [REVIEWLIB, "build", "--inputs", inputs, "--outputs", outputs, "--quiet", *extra],
        capture_output=True,
        text=True,
        timeout=WAIT,
        env=env,
    )


def _files(outputs: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(outputs)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(outputs.rglob("*"))
        if p.is_file()
    }


_AUDITED = """
import json, os, sys
opened = []
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append([os.fsdecode(args[0]), str(args[1])])
sys.addaudithook(hook)
from reviewlib.cli import main
status = main(sys.argv[1:])
print("AUDIT" + json.dumps({"opened": opened, "modules": sorted(sys.modules)}))
sys.exit(status)
"""


def test_a_build_with_nothing_changed_reads_no_contribution_and_writes_nothing(project):
    inputs, outputs = project
    before = _files(outputs)
    run = subprocess.run(
        [sys.executable, "-c", _AUDITED, "build", "--inputs", inputs, "--outputs", outputs],
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert run.returncode == 0, run.stderr
    assert "Nothing has changed since the last build" in run.stdout
    assert "Read 88 files" in run.stdout  # the last build's report, repeated
    audit = json.loads(run.stdout.split("AUDIT", 1)[1])
    opened = audit["opened"]
    # nothing heavy imported either: it ends in about the time Python takes to start
    heavy = {"pandas", "numpy", "jupyter_client"} & set(audit["modules"])
    assert not heavy, heavy
    contributions = str(paths.contributions_dir(inputs))
    assert not [p for p, _ in opened if p.startswith(contributions) and os.path.isfile(p)]
    assert not [p for p, mode in opened if p.startswith(str(outputs)) and set(mode) & set("wax+")]
    assert _files(outputs) == before


_FORKED = """
import os, sys
from reviewlib.brief import aside, publish
from reviewlib.cli import main

real = aside.Aside.__init__
def forked(self, *args, **kwargs):
    print("FORKED", "papermill" in sys.modules, "reviewlib.brief.runner" in sys.modules)
    real(self, *args, **kwargs)
aside.Aside.__init__ = forked
own = os.getpriority(os.PRIO_PROCESS, 0)
write = publish._write_and_know
def written(*args, **kwargs):  # in the child, once its work is done
    done = write(*args, **kwargs)
    behind = os.getpriority(os.PRIO_PROCESS, 0) == min(19, own + aside.GIVING_WAY) != own
    print("GAVE WAY", behind, flush=True)
    return done
publish._write_and_know = written
sys.exit(main(sys.argv[1:]))
"""


def _forked(inputs: Path, outputs: Path, *extra: str) -> subprocess.CompletedProcess:
    """A build through `_FORKED` (which prints when the child writing the tables is forked and
    whether it gave way), with no kernel kept."""
    run = subprocess.run(
        [sys.executable, "-c", _FORKED, "build", "--inputs", inputs, "--outputs", outputs]
        + ["--quiet", "--keep-kernel", "0", *extra],
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    print("OUT", run.stdout, run.stderr[-2000:])
    return run


def test_a_build_that_starts_its_kernel_forks_the_tables_child_before_papermill(project):
    """After a new contribution, with no kernel kept, the build starts its kernel, reads the
    review and forks the child writing the tables, workbooks and Word file before it imports
    papermill and the runner (the child's work is the longest: it starts as soon as it can);
    the runner then takes the kernel over and builds the briefs the contribution affects. The
    child gives way to that kernel and this process (the build waits for the briefs; the
    tables are done before them); beside a build that does not run its briefs in a kernel
    started or kept for them (one asked for by name), it does not."""
    inputs, outputs = project
    new = paths.contributions_dir(inputs) / "CSO-HILLSIDE.csv"
    try:
        new.write_text(ANOTHER, encoding="utf-8")
        run = _forked(inputs, outputs)
        lines = run.stdout.splitlines()
        assert "FORKED False False" in lines and "GAVE WAY True" in lines, run.stdout
        assert "0 failed" in run.stdout and "country-npl" in _built_since(outputs, new)
        new.unlink()
        run = _forked(inputs, outputs, "--only", "country-npl")
        assert "GAVE WAY False" in run.stdout.splitlines(), run.stdout
    finally:
        new.unlink(missing_ok=True)
        assert _build(inputs, outputs, "--keep-kernel", "0").returncode == 0


def _built_since(outputs: Path, file: Path) -> set[str]:
    """The briefs whose page was written after `file`."""
    since = file.stat().st_mtime_ns
    return {p.stem for p in (outputs / "briefs").glob("*.html") if p.stat().st_mtime_ns > since}


def test_a_touched_file_rewrites_nothing_and_a_deleted_page_is_rebuilt(project):
    inputs, outputs = project
    os.utime(paths.contributions_dir(inputs) / "MS-ALB-2017.csv")  # saved again, same bytes
    before = _files(outputs)
    run = _build(inputs, outputs)
    assert run.returncode == 0, run.stderr
    assert "Briefs: 0 built" in run.stdout
    after = _files(outputs)
    changed = {k for k in after if after[k] != before.get(k)}
    # The briefs, tables, workbook and Word file are as they were: only the record of the build.
    assert changed <= {"manifest.json", "index.html", STAMP}, changed
    assert "Nothing has changed" in _build(inputs, outputs).stdout
    (outputs / "briefs" / "overview.html").unlink()
    run = _build(inputs, outputs)
    assert "Briefs: 1 built" in run.stdout, run.stdout
    assert (outputs / "briefs" / "overview.html").is_file()


def _digests(outputs: Path) -> dict[str, str]:
    return {
        p.stem: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (outputs / "briefs").glob("*.html")
    }


ANOTHER = (
    "statement_id,kind,pillar,text,commitments,themes,scope,evidence,contribution_id,submitter,"
    "stakeholder_type,country,received,language\n"
    "CSO-HILLSIDE-01,achievement,prevention,Village committees in the hills now check the "
    "papers of every labour recruiter who visits.,,,Nepal,,CSO-HILLSIDE,Hillside Aid "
    "(illustrative),civil_society,Nepal,2017-07-21,en\n"
)


def _kernels_left(since: float) -> list:
    """Kernels started since `since` that outlived the process that started them."""
    import psutil

    left = []
    for process in psutil.process_iter(["cmdline", "create_time", "ppid"]):
        command = " ".join(process.info["cmdline"] or [])
        if "ipykernel" in command and process.info["create_time"] >= since:
            with contextlib.suppress(psutil.Error):
                if not psutil.pid_exists(process.info["ppid"]) or process.info["ppid"] == 1:
                    left.append(command)
    return left


def test_a_build_after_a_new_contribution_rebuilds_what_it_affects_in_a_kernel_started_early(
    project,
):
    """Only a contribution changed since the last build: the build starts its kernel before it
    reads the review, rebuilds exactly the briefs the contribution affects, and leaves no
    kernel behind."""
    inputs, outputs = project
    since = time.time() - 1
    before = _digests(outputs)
    new = paths.contributions_dir(inputs) / "CSO-HILLSIDE.csv"
    new.write_text(ANOTHER, encoding="utf-8")
    try:
        run = _build(inputs, outputs)
        assert run.returncode == 0, run.stdout + run.stderr
        after = _digests(outputs)
        changed = {b for b in after if after[b] != before.get(b)} - {"contributors"}
        manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
        built = {b["brief_id"] for b in manifest["briefs"] if b["status"] == "built"}
        assert changed == built and "country-npl" in changed, (changed, built)
        assert f"Briefs: {len(built)} built" in run.stdout
        assert 0 < len(built) < len(after) / 2
        assert not _kernels_left(since)
    finally:
        new.unlink()
    assert _build(inputs, outputs).returncode == 0  # as it was, for the tests after this one


def _kept(outputs: Path) -> dict:
    record = Keeper(outputs, None, 1).record
    return json.loads(record.read_text(encoding="utf-8")) if record and record.exists() else {}


def _pids(record: dict) -> list[int]:
    """The kernels a build kept: the first, then the others."""
    return [record["pid"], *(k["pid"] for k in record.get("others", []))]


# what a build says of the kernels it keeps (two on a machine of two cores or more)
TWO = kernels_kept() > 1
KEPT_FRESH = "Two warm kernels stay ready" if TWO else "A warm kernel stays ready"
KEPT_TAKEN = (
    "The kernels kept from the last build stay ready"
    if TWO
    else "The kernel kept from the last build stays ready"
)


def _cells_run(kernel: dict) -> int:
    """How many cells of briefs a kernel has run (its execution count), asked through the
    connection a kept kernel's record gives."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(kernel["connection"])
    client.start_channels()
    try:
        # the answer alone, on the request's own channel: a kernel just started may publish the
        # request's output before this client listens to its output channel, and waiting for
        # that (as `execute_interactive` does) would wait for ever
        asked = client.execute(
            "",
            silent=True,
            store_history=False,
            user_expressions={"n": "get_ipython().execution_count"},
        )
        while (reply := client.get_shell_msg(timeout=WAIT))["parent_header"].get("msg_id") != asked:
            pass
        return int(reply["content"]["user_expressions"]["n"]["data"]["text/plain"])
    finally:
        client.stop_channels()


def _kernels_of(pid: int) -> list[dict]:
    """The kernels process `pid` started, each as {"pid": …, "connection": its connection info}."""
    import psutil

    kernels = []
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error, OSError):  # (one stopping meanwhile)
            command = child.cmdline()
            if any("ipykernel" in part for part in command) and "-f" in command:
                file = Path(command[command.index("-f") + 1])
                connection = json.loads(file.read_text(encoding="utf-8"))
                kernels.append({"pid": child.pid, "connection": connection})
    return kernels


def _kernels_started_by(pid: int, besides: set[int]) -> list[dict]:
    """Once process `pid` runs as many kernels as it keeps, none of them one of `besides`: those
    kernels (`_kernels_of`)."""
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        kernels = _kernels_of(pid)
        if len(kernels) == kernels_kept() and not besides & {k["pid"] for k in kernels}:
            return kernels
        time.sleep(0.2)
    raise AssertionError(f"process {pid} runs {_kernels_of(pid)}, not {kernels_kept()} new ones")


def _stopped(pid: int) -> bool:
    end = time.monotonic() + 30
    while running(pid) and time.monotonic() < end:
        time.sleep(0.1)
    return not running(pid)


def test_a_build_keeps_its_kernel_warm_for_the_next_which_takes_it_over(project):
    """A build after a new contribution leaves its kernel running (apart from it: the build's
    output pipes close when it ends); the next build takes it over and gives the same pages as a
    build in a fresh kernel; a kernel kept by other code is replaced; `--keep-kernel 0` stops
    it."""
    inputs, outputs = project
    env = {**os.environ, "REVIEWLIB_KEEP_KERNEL": "120"}
    before = _digests(outputs)
    new = paths.contributions_dir(inputs) / "CSO-HILLSIDE.csv"
    kernels: list[int] = []
    try:
        new.write_text(ANOTHER, encoding="utf-8")
        first = _build(inputs, outputs, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"{KEPT_FRESH} for the next build of these outputs for 2 minutes" in first.stdout
        kept = _kept(outputs)
        kernels += _pids(kept)
        assert len(_pids(kept)) == kernels_kept()
        # `run` returned, reading the build's output to its end, while the kernels run on
        assert all(running(pid) for pid in _pids(kept)) and Path(kept["folder"]).is_dir()
        with_it = _digests(outputs)

        new.unlink()  # back as it was: the kept kernel builds the briefs it affects
        second = _build(inputs, outputs, env=env)
        assert second.returncode == 0, second.stdout + second.stderr
        assert KEPT_TAKEN in second.stdout
        assert _pids(_kept(outputs)) == _pids(kept)
        assert _digests(outputs) == before  # byte for byte what a fresh kernel built
        built = {b for b in with_it if with_it[b] != before[b]} - {"contributors"}
        assert "country-npl" in built and f"Briefs: {len(built)} built" in second.stdout

        record = Keeper(outputs, None, 1).record  # as if kept by another version of the code
        record.write_text(json.dumps({**_kept(outputs), "stamp": "other"}), encoding="utf-8")
        new.write_text(ANOTHER, encoding="utf-8")
        third = _build(inputs, outputs, env=env)
        assert third.returncode == 0, third.stdout + third.stderr
        assert KEPT_FRESH in third.stdout
        assert all(_stopped(pid) for pid in _pids(kept)) and not Path(kept["folder"]).exists()
        replaced = _kept(outputs)
        kernels += _pids(replaced)
        assert not set(_pids(replaced)) & set(_pids(kept)) and _digests(outputs) == with_it

        last = _build(inputs, outputs, "--keep-kernel", "0", env=env)  # nothing changed
        assert "Nothing has changed" in last.stdout
        assert all(_stopped(pid) for pid in _pids(replaced))
        assert not Path(replaced["folder"]).exists()
        assert _kept(outputs) == {}
    finally:
        new.unlink(missing_ok=True)
        for pid in kernels:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert _build(inputs, outputs).returncode == 0  # as it was, for the tests after this one


def _kernels_started(since: float, done: threading.Event, seen: set[int]) -> None:
    """Every kernel process started after `since` (looked for every 50 ms until `done`)."""
    import psutil

    while not done.wait(0.05):
        for process in psutil.process_iter(["cmdline", "create_time"]):
            command = " ".join(process.info["cmdline"] or [])
            if "ipykernel" in command and process.info["create_time"] >= since:
                seen.add(process.pid)


@contextlib.contextmanager
def _kernels_started_meanwhile():
    """The kernel processes started while the body runs (a set, filled by the end)."""
    done, seen = threading.Event(), set()
    looker = threading.Thread(target=_kernels_started, args=(time.time(), done, seen), daemon=True)
    looker.start()
    try:
        yield seen
    finally:
        done.set()
        looker.join()


def _undo_decisions(inputs: Path) -> None:
    for name in ("triage.csv", "triage_history.csv", "triage.csv.lock"):
        (paths.decisions_dir(inputs) / name).unlink(missing_ok=True)


def test_the_kept_kernels_build_a_few_dozen_briefs_between_them(project):
    """A decision on a proposal regroups some ideas and so changes a dozen or more briefs'
    options: the build that takes over the kept kernels builds them all in them (warm, in about
    a tenth of a second each, both at once), rather than starting two workers and their kernels
    (seconds before their first brief); so does a build of every brief asked for with no more
    workers than kernels kept; the pages are byte for byte those a fresh kernel builds."""
    from reviewlib import load_review
    from reviewlib.brief.build import BRIEFS_PER_WORKER, plan, read_manifest
    from reviewlib.workbench.triage import save_decision

    inputs, outputs = project
    env = {**os.environ, "REVIEWLIB_KEEP_KERNEL": "120"}
    new = paths.contributions_dir(inputs) / "CSO-HILLSIDE.csv"
    kernels: list[int] = []
    try:
        new.write_text(ANOTHER, encoding="utf-8")
        first = _build(inputs, outputs, env=env)  # a kernel started, and kept for the next
        assert first.returncode == 0, first.stdout + first.stderr
        kept = _kept(outputs)
        kernels += _pids(kept)
        before = [_cells_run(k) for k in [kept, *kept.get("others", [])]]
        save_decision(inputs, "CSO-FISHERS-03", reviewer="Test", decision="set_aside")
        records = read_manifest(outputs)
        due = [
            j
            for j in plan(load_review(inputs, cache=False), outputs)
            if j.digest != records[j.brief_id].get("digest")
        ]
        assert BRIEFS_PER_WORKER < len(due) <= 48, len(due)  # more than one worker's share

        with _kernels_started_meanwhile() as seen:
            second = _build(inputs, outputs, env=env)
        assert second.returncode == 0, second.stdout + second.stderr
        assert f"Briefs: {len(due)} built" in second.stdout
        assert KEPT_TAKEN in second.stdout
        assert _pids(_kept(outputs)) == _pids(kept)
        assert not seen  # no kernel was started for them
        after = [_cells_run(k) for k in [kept, *kept.get("others", [])]]
        assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)

        # a build of every brief asked for (here --force; a rubric weight does the same) takes
        # them over too, when it would start no more workers than they are
        built = _digests(outputs)
        ids = ",".join(j.brief_id for j in due)
        with _kernels_started_meanwhile() as seen:
            again = _build(inputs, outputs, "--force", "--only", ids, "--workers", "2", env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert f"Briefs: {len(due)} built" in again.stdout and KEPT_TAKEN in again.stdout
        assert not seen and _pids(_kept(outputs)) == _pids(kept)
        later = [_cells_run(k) for k in [kept, *kept.get("others", [])]]
        assert all(a > b for a, b in zip(later, after, strict=True)), (after, later)
        assert _digests(outputs) == built

        # the same pages from a fresh kernel of its own (and the kept ones stopped)
        fresh = _build(inputs, outputs, "--force", "--only", ids, "--keep-kernel", "0", env=env)
        assert fresh.returncode == 0, fresh.stdout + fresh.stderr
        assert f"Briefs: {len(due)} built" in fresh.stdout
        assert _digests(outputs) == built
    finally:
        new.unlink(missing_ok=True)
        _undo_decisions(inputs)
        for pid in kernels:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert _build(inputs, outputs).returncode == 0  # as it was, for the tests after this one


class _Lines:
    """The lines a process prints, read in a thread so that waiting for one can time out."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in {WAIT} s; saw: {self.seen}")


NEW = (
    "statement_id,kind,pillar,text,commitments,themes,scope,evidence,contribution_id,submitter,"
    "stakeholder_type,country,received,language\n"
    "CSO-NEWCOAST-01,gap,protection,Shelters for adult men who were trafficked for forced labour "
    "are still missing in the coastal provinces.,,,Albania,,CSO-NEWCOAST,Newcoast Aid "
    "(illustrative),civil_society,Albania,2017-07-20,en\n"
)


def test_watch_rebuilds_what_a_change_affects_reports_a_bad_file_and_stops(project):
    """`reviewlib watch` rebuilds the briefs a new contribution affects (one saved while its
    kernels started too), and those a decision on a proposal affects in both its kernels; names
    a broken file and goes on; stops on Ctrl-C."""
    from reviewlib.brief.build import BRIEFS_PER_WORKER
    from reviewlib.workbench.triage import save_decision

    inputs, outputs = project
    assert _build(inputs, outputs).returncode == 0  # up to date before watching
    process = subprocess.Popen(
        [REVIEWLIB, "watch", "--inputs", inputs, "--outputs", outputs],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = _Lines(process)
        first = lines.wait_for("rebuilt")
        assert first.split(" ", 1)[1].startswith("0 briefs rebuilt"), first
        before = _digests(outputs)
        # saved while the kernels start, before the watcher listens: rebuilt once it does
        (paths.contributions_dir(inputs) / "CSO-NEWCOAST.csv").write_text(NEW, encoding="utf-8")
        lines.wait_for("Watching")
        line = lines.wait_for("changed:")
        assert "inputs/contributions/CSO-NEWCOAST.csv changed" in line
        after = _digests(outputs)
        changed = {b for b in after if after[b] != before.get(b)}
        # the acknowledgements list the new contribution too (a page of the review, not a brief)
        assert "contributors" in changed
        changed.discard("contributors")
        manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
        built = {b["brief_id"] for b in manifest["briefs"] if b["status"] == "built"}
        assert changed == built and "country-alb" in changed
        assert 0 < len(changed) < len(after) / 2, changed
        assert line.split("changed: ", 1)[1].startswith(f"{len(changed)} briefs rebuilt")

        # a decision on a proposal regroups ideas, a dozen briefs or more: both kernels build
        kernels = _kernels_of(process.pid)
        assert len(kernels) == kernels_kept()
        before = [_cells_run(k) for k in kernels]  # (once each has rehearsed)
        save_decision(inputs, "CSO-FISHERS-03", reviewer="Test", decision="set_aside")
        line = lines.wait_for("decisions/triage.csv")
        rebuilt = int(line.split("changed: ", 1)[1].split()[0])
        assert rebuilt > BRIEFS_PER_WORKER and "failed" not in line, line
        after = [_cells_run(k) for k in kernels]
        assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)

        # kernels stopped under a rebuild (a brief killed them) are started again after it,
        # each: the next rebuild runs in as many as before
        for kernel in kernels:
            os.kill(kernel["pid"], signal.SIGKILL)
        _undo_decisions(inputs)
        line = lines.wait_for("decisions/triage.csv")
        assert "failed" not in line, line
        kernels = _kernels_started_by(process.pid, besides={k["pid"] for k in kernels})
        before = [_cells_run(k) for k in kernels]
        save_decision(inputs, "CSO-FISHERS-03", reviewer="Test", decision="set_aside")
        line = lines.wait_for("decisions/triage.csv")
        assert "failed" not in line, line
        after = [_cells_run(k) for k in kernels]
        assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)

        (paths.contributions_dir(inputs) / "BROKEN.csv").write_text("just,some\n1,2\n")
        line = lines.wait_for("BROKEN.csv changed:")
        assert "BROKEN.csv" in line
        assert "BROKEN.csv" in lines.wait_for("REJECTED")
        assert process.poll() is None  # still watching
        process.send_signal(signal.SIGINT)
        lines.wait_for("Stopped watching.")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        _undo_decisions(inputs)
    assert not list(outputs.rglob("*.tmp"))


def test_only_a_change_of_contributions_or_decisions_counts_as_few(tmp_path):
    """What decides starting the kernel before the review is read: the last build's stamp
    differs from now only under inputs/contributions/ or inputs/decisions/."""
    from reviewlib.brief.fingerprint import few_changes, fingerprint, write_stamp

    inputs, outputs, notebooks = tmp_path / "inputs", tmp_path / "outputs", tmp_path / "nb"
    for folder in ("contributions", "decisions", "reference"):
        (inputs / folder).mkdir(parents=True)
    notebooks.mkdir()
    (inputs / "review.yml").write_text("title: T\n")
    (inputs / "contributions" / "a.csv").write_text("a\n")

    def now() -> dict:
        return fingerprint(inputs, notebooks, {"only": None})

    assert not few_changes(outputs, now())  # no build yet
    write_stamp(outputs, now(), [], 0)
    assert not few_changes(outputs, now())  # nothing changed
    (inputs / "contributions" / "b.csv").write_text("b\n")
    (inputs / "decisions" / "triage.csv").write_text("statement_id\n")
    assert few_changes(outputs, now())
    (inputs / "reference" / "themes.csv").write_text("theme\n")
    assert not few_changes(outputs, now())  # a reference table: anything may change
    write_stamp(outputs, now(), [], 0)
    (inputs / "contributions" / "a.csv").unlink()
    assert few_changes(outputs, now())
    assert not few_changes(outputs, fingerprint(inputs, notebooks, {"only": "overview"}))
    (outputs / "index.html").write_text("")
    assert not few_changes(outputs, now())  # outputs/ no longer as the build left it


def _ready(private: Path) -> dict:
    """The record of the process kept ready for the next build, once it listens."""
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        with contextlib.suppress(OSError, ValueError):
            info = json.loads((private / "builder.json").read_text(encoding="utf-8"))
            if info.get("socket") and Path(info["socket"]).exists():
                return info
        time.sleep(0.2)
    raise AssertionError("no process was kept ready for the next build")


def test_a_build_hands_itself_to_the_process_kept_ready(project, tmp_path):
    """A build leaves a process ready, with what a build imports imported; the next build with
    something to do is run by it: the same pages byte for byte, its report on the command's own
    output, its errors and exit status the command's; `--keep-kernel 0` stops it."""
    inputs, outputs = project
    tmp = tmp_path / "tmp"
    private = tmp / f"reviewlib-cache-{os.getuid()}"  # this test's own
    tmp.mkdir()
    env = {**os.environ, "REVIEWLIB_KEEP_KERNEL": "120", "TMPDIR": str(tmp)}
    # up to date, with the status the inputs give (a file another test left may be rejected)
    status = _build(inputs, outputs).returncode
    before = _digests(outputs)
    new = paths.contributions_dir(inputs) / "CSO-HILLSIDE.csv"
    pids: list[int] = []
    try:
        new.write_text(ANOTHER, encoding="utf-8")
        first = _build(inputs, outputs, env=env)  # in its own process: none was ready
        assert first.returncode == status, first.stdout + first.stderr
        ready = _ready(private)
        pids.append(ready["pid"])
        with_it = _digests(outputs)

        new.unlink()
        second = _build(inputs, outputs, env=env)
        assert second.returncode == status, second.stdout + second.stderr
        log = (private / "builder.log").read_text(encoding="utf-8")
        assert f"reviewlib build --inputs {inputs} --outputs {outputs} --quiet" in log
        assert second.stdout.startswith("Read ") and "Briefs: " in second.stdout
        assert KEPT_TAKEN in second.stdout
        assert _digests(outputs) == before  # byte for byte what a build of its own built
        assert with_it != before

        handed = _build(inputs, outputs, "--only", "no-such-brief", env=env)
        assert log.count("building (pid") + 1 == (private / "builder.log").read_text(
            encoding="utf-8"
        ).count("building (pid")
        own = _build(inputs, outputs, "--only", "no-such-brief", "--keep-kernel", "0", env=env)
        assert (handed.returncode, handed.stdout, handed.stderr) == (
            own.returncode,
            own.stdout,
            own.stderr,
        )
        assert own.returncode != 0 and "no-such-brief" in own.stderr
        assert _stopped(ready["pid"]) and not (private / "builder.json").exists()
    finally:
        new.unlink(missing_ok=True)
        for record in private.glob("kernel-*.json"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                pids.append(json.loads(record.read_text(encoding="utf-8"))["pid"])
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert _build(inputs, outputs).returncode == status  # as it was, for any test after this
