"""The process kept ready for the next build (`reviewlib.brief.builder`), with real processes:
a command handed to it runs in the command's folder, prints to the command's own output and
error, and ends with the command's exit status; the ready process stops itself when unused,
and stopping it never stops a process that only took its number."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from reviewlib.brief.lease import running

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the ready process forks and passes descriptors"
)
WAIT = 120  # seconds: a loaded machine imports slowly; a hang still ends the test

# A command that hands `reviewlib ARGV` to the ready process and exits with its status (99: it
# was not handed over).
CLIENT = (
    "import sys\n"
    "from reviewlib.brief import builder\n"
    "status = builder.hand_over(sys.argv[1:])\n"
    "sys.exit(99 if status is None else status)\n"
)


def _private(tmp: Path) -> Path:
    return tmp / f"reviewlib-cache-{os.getuid()}"


def _record(tmp: Path) -> dict:
    try:
        return json.loads((_private(tmp) / "builder.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _stopped(pid: int, within: float = 30) -> bool:
    end = time.monotonic() + within
    while running(pid) and time.monotonic() < end:
        time.sleep(0.1)
    return not running(pid)


def _apart(tmp_path: Path) -> tuple[dict, Path]:
    """An environment whose private folder (where the ready process is recorded) is this
    test's own."""
    tmp = tmp_path / "tmp"
    _private(tmp).mkdir(mode=0o700, parents=True)
    return {**os.environ, "TMPDIR": str(tmp)}, tmp


def _start(
    env: dict, tmp: Path, seconds: float, entry: str = "reviewlib.cli:main"
) -> subprocess.Popen:
    with open(_private(tmp) / "builder.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "reviewlib.brief.builder", str(seconds), entry],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


@pytest.fixture
def ready(tmp_path):
    """A ready process of its own (its private folder under this test's TMPDIR), kept 60 s;
    yields (environment for the commands, its record)."""
    env, tmp = _apart(tmp_path)
    with _serving(env, tmp) as serving:
        yield serving


@contextlib.contextmanager
def _serving(env: dict, tmp: Path, entry: str = "reviewlib.cli:main"):
    """A ready process started with `entry`, once it is ready; killed at the end."""
    process = _start(env, tmp, 60, entry)
    try:
        end = time.monotonic() + WAIT
        while not _record(tmp).get("socket") and time.monotonic() < end:
            assert process.poll() is None, "the ready process ended as it started"
            time.sleep(0.1)
        info = _record(tmp)
        assert info["pid"] == process.pid and Path(info["socket"]).exists()
        yield env, info, tmp
    finally:
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_the_ready_process_and_the_commands_it_runs_collect_rarely(tmp_path):
    """The process kept ready sets its collector as the `reviewlib` command does
    (`reviewlib.collector`); a command handed to it runs in a child forked from it, so with
    the same setting."""
    from reviewlib.collector import THRESHOLDS

    env, tmp = _apart(tmp_path)
    (tmp_path / "probe.py").write_text(
        "import gc\n\n\ndef main(argv):\n    print(gc.get_threshold())\n    return 0\n",
        encoding="utf-8",
    )
    env["PYTHONPATH"] = str(tmp_path)
    with _serving(env, tmp, "probe:main"):
        told = _hand(env, tmp_path, "anything")
        assert told.returncode == 0, told.stdout + told.stderr
        assert told.stdout == f"{THRESHOLDS}\n"


def _hand(env: dict, cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLIENT, *argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def test_a_command_handed_over_runs_in_its_folder_with_its_output_and_status(ready, tmp_path):
    env, info, tmp = ready
    folder = tmp_path / "work"
    folder.mkdir()

    made = _hand(env, folder, "template", "--out", "template.xlsx")
    assert made.returncode == 0, made.stdout + made.stderr
    # written in the command's folder, and said on the command's own output
    assert (folder / "template.xlsx").is_file()
    assert made.stdout == "Wrote the contribution template to template.xlsx.\n"

    wrong = _hand(env, folder, "no-such-command")
    assert wrong.returncode == 2  # argparse's status for a usage error, as a command has it
    assert "invalid choice: 'no-such-command'" in wrong.stderr and wrong.stdout == ""

    log = (_private(tmp) / "builder.log").read_text(encoding="utf-8")
    assert "reviewlib template --out template.xlsx" in log
    assert "reviewlib no-such-command" in log
    assert running(info["pid"])  # it waits for the next build


def test_a_command_with_other_settings_is_not_handed_over(ready, tmp_path):
    env, _, _ = ready
    other = _hand({**env, "REVIEWLIB_SOMETHING": "else"}, tmp_path, "template", "--out", "t.xlsx")
    assert other.returncode == 99 and not (tmp_path / "t.xlsx").exists()


def test_the_ready_process_loads_what_pooling_ideas_uses_once_nothing_waits(ready):
    """A build after a decision on a proposal pools the ideas again: the ready process loads
    scikit-learn (about a second) while it waits, so that its children start with it."""
    _, info, tmp = ready
    log = _private(tmp) / "builder.log"
    end = time.monotonic() + 120  # (seconds on a loaded machine; it does so at once)
    while "readied with reviewlib.ideas.pool:load_libraries in" not in log.read_text("utf-8"):
        assert time.monotonic() < end, log.read_text(encoding="utf-8")
        time.sleep(0.1)
    maps = Path(f"/proc/{info['pid']}/maps").read_text(encoding="utf-8")
    assert "/sklearn/" in maps and running(info["pid"])  # its compiled parts are mapped


def test_the_ready_process_stops_itself_when_unused(tmp_path):
    env, tmp = _apart(tmp_path)
    process = _start(env, tmp, 1)
    try:
        assert process.wait(timeout=WAIT) == 0
        assert _record(tmp) == {}
        assert not list(tmp.glob("reviewlib-builder-*"))  # its folder and socket are gone
        log = (_private(tmp) / "builder.log").read_text(encoding="utf-8")
        assert "ready (pid" in log and "stopped: no build for 1 s" in log
    finally:
        with contextlib.suppress(OSError):
            process.kill()


def test_a_ready_process_stopped_by_a_build_leaves_at_once_without_tearing_python_down(
    tmp_path, monkeypatch
):
    """A build that runs on its own stops the ready process (`builder.stop`, SIGTERM): it
    removes its record and folder and leaves, its objects left to the system; Python's own
    teardown of them (which runs the exit handlers) took 0.3-0.6 s of CPU beside that build."""
    from reviewlib.brief import builder

    env, tmp = _apart(tmp_path)
    torn = tmp_path / "torn-down"
    (tmp_path / "probe.py").write_text(
        "import atexit\n\n"
        f"atexit.register(lambda: open({str(torn)!r}, 'w').close())\n\n\n"
        "def main(argv):\n    return 0\n",
        encoding="utf-8",
    )
    env["PYTHONPATH"] = str(tmp_path)
    process = _start(env, tmp, 60, "probe:main")
    try:
        end = time.monotonic() + WAIT
        while not _record(tmp).get("socket") and time.monotonic() < end:
            assert process.poll() is None, "the ready process ended as it started"
            time.sleep(0.1)
        assert _record(tmp)["pid"] == process.pid
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))  # (where the build finds the record)
        builder.stop()
        assert process.wait(timeout=WAIT) == 0
        assert _record(tmp) == {}
        assert not list(tmp.glob("reviewlib-builder-*"))  # its folder and socket are gone
        assert not torn.exists()  # it left without Python's teardown
    finally:
        with contextlib.suppress(OSError):
            process.kill()


def test_stopping_never_stops_a_process_that_took_its_number(tmp_path, monkeypatch):
    from reviewlib.brief import builder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    other = subprocess.Popen(["sleep", "60"])
    try:
        record = _private(tmp_path) / "builder.json"
        record.parent.mkdir(mode=0o700)
        record.write_text(json.dumps({"pid": other.pid, "socket": "x", "stamp": "y"}))
        builder.stop()
        assert not record.exists()
        time.sleep(0.2)
        assert other.poll() is None  # `sleep` is not a ready process: it was left alone
        assert builder.hand_over(["template"]) is None  # and nothing is handed to it
    finally:
        other.kill()
        other.wait()


# The function a ready process runs a command with, in this test: it reads the review named and
# says which files it parsed.
_PROBE = (
    "import reviewlib.gather.checked as ck\n"
    "import reviewlib.gather.review as rv\n"
    "def main(argv):\n"
    "    read = []\n"
    "    one = rv._read_one\n"
    "    rv._read_one = lambda path, limits: read.append(path.name) or one(path, limits)\n"
    "    checked, check = [], ck.check_rows\n"
    "    ck.check_rows = lambda *a: checked.append(1) or check(*a)\n"
    "    print(len(rv.load_review(argv[0]).statements), len(checked), sorted(read))\n"
    "    return 0\n"
)


def test_a_ready_process_holds_the_rows_of_the_files_the_last_build_parsed(make_inputs, tmp_path):
    """Warmed with `remember_saved`, the ready process has each file's rows in memory before the
    first command and again after each: a command handed to it parses only the file that
    changed, even with the disk copy of the rows gone; after a triage decision, with no file
    changed, it checks no row again."""
    from conftest import DATA

    from reviewlib import load_review
    from reviewlib.gather import cache
    from reviewlib.workbench.triage import save_decision

    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    env, tmp = _apart(tmp_path)
    env.pop("REVIEWLIB_NO_CACHE", None)
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "probe.py").write_text(_PROBE, encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(tmp_path / "probe"), env.get("PYTHONPATH")])
    )
    place = cache._name(inputs, "", "files")[0]

    def forget_rows_on_disk() -> None:
        saved = list(_private(tmp).glob(f"{place}-*.pickle"))
        assert saved, "a reading saves the rows of its files"
        for path in saved:
            path.unlink()

    def later(name: str, n: int) -> None:
        (inputs / "contributions" / name).write_bytes(
            (DATA / "good" / "comma_utf8.csv")
            .read_bytes()
            .replace(b"T1-", f"T{n}-".encode())
            .replace(b"T-GOOD-1", f"T-GOOD-{n}".encode())
        )

    def readied() -> int:
        log = (_private(tmp) / "builder.log").read_text(encoding="utf-8")
        return log.count("readied with reviewlib.gather.review:remember_saved")

    reading = "import sys, reviewlib.gather.review as rv; rv.load_review(sys.argv[1])"
    subprocess.run([sys.executable, "-c", reading, str(inputs)], env=env, check=True)
    with open(_private(tmp) / "builder.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "reviewlib.brief.builder", "60", "probe:main"]
            + ["reviewlib.gather.review:remember_saved", str(inputs)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        end = time.monotonic() + WAIT
        while not _record(tmp).get("socket") and time.monotonic() < end:
            assert process.poll() is None, "the ready process ended as it started"
            time.sleep(0.1)
        assert readied() == 1
        forget_rows_on_disk()
        later("later.csv", 8)
        first = _hand(env, tmp_path, str(inputs))
        assert first.returncode == 0, first.stderr
        assert first.stdout.split(" ", 2)[2].strip() == "['later.csv']"
        end = time.monotonic() + WAIT  # the build's rows, read again once it has ended
        while readied() < 2 and time.monotonic() < end:
            time.sleep(0.1)
        forget_rows_on_disk()
        later("later2.csv", 9)
        second = _hand(env, tmp_path, str(inputs))
        assert second.stdout.split(" ", 2)[2].strip() == "['later2.csv']", second.stdout
        assert int(second.stdout.split()[0]) > int(first.stdout.split()[0])
        # after a triage decision (no file changed), the rows as checked while it waited
        while readied() < 3 and time.monotonic() < end:
            time.sleep(0.1)
        statement = load_review(inputs, cache=False).statements["statement_id"].iloc[0]
        save_decision(inputs, statement, reviewer="Test", decision="set_aside")
        third = _hand(env, tmp_path, str(inputs))
        assert third.returncode == 0, third.stderr
        assert third.stdout.split()[1:] == ["0", "[]"], third.stdout  # no row checked again
    finally:
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
