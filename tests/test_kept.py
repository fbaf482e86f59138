"""The kernel kept between builds: how long it lives on its own, and that a build never stops a
process that is not the kernel its record names."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewlib.brief.kept import Keeper, keep_seconds
from reviewlib.brief.lease import running

# A stand-in for a kept kernel: a process that holds the lease for `holder` and then idles.
_KERNEL = """
import sys, time
from reviewlib.brief import lease
lease.hold(int(sys.argv[1]), float(sys.argv[2]), sys.argv[3])
print("held", flush=True)
time.sleep(120)
"""


def _kernel(holder: int, seconds: float, folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", _KERNEL, str(holder), str(seconds), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "held"
    return process


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])


def test_a_kept_kernel_waits_while_its_build_runs_and_stops_itself_after_it(tmp_path):
    folder = tmp_path / "reviewlib-kernel-x"
    folder.mkdir()
    (folder / "connection.json").write_text("{}", encoding="utf-8")
    build = _sleeper()
    kernel = _kernel(build.pid, 0.5, folder)
    try:
        time.sleep(3)  # the build holding it runs: well past its 0.5 s, it waits
        assert kernel.poll() is None and folder.is_dir()
        build.kill()
        build.wait()
        assert kernel.wait(timeout=30) == 0  # its build gone, it waited 0.5 s and stopped
        assert not folder.exists()  # with its connection file and sockets
    finally:
        for process in (build, kernel):
            process.kill()
            process.wait()


def test_a_build_never_stops_a_process_its_record_names_if_it_is_not_that_kernel(tmp_path):
    """A record left from a kernel long gone names a pid the system has given to another
    process: `--keep-kernel 0` forgets the record and leaves that process alone."""
    other = _sleeper()
    try:
        keeper = Keeper(tmp_path / "outputs", None, 0)
        if keeper.record is None:
            pytest.skip("no private temporary folder on this machine")
        folder = tmp_path / "reviewlib-kernel-gone"
        folder.mkdir()
        keeper.record.write_text(
            json.dumps({"pid": other.pid, "folder": str(folder), "connection": {}, "stamp": ""}),
            encoding="utf-8",
        )
        with keeper:
            pass
        assert running(other.pid)
        assert not keeper.record.exists() and not folder.exists()
        assert keeper.line() == ""
    finally:
        other.kill()
        other.wait()


def test_a_finished_child_not_yet_reaped_counts_as_stopped():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while running(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child.pid)  # a zombie until `wait`
    child.wait()


def test_how_long_a_kernel_is_kept(monkeypatch):
    monkeypatch.delenv("REVIEWLIB_KEEP_KERNEL", raising=False)
    assert keep_seconds() == 300
    assert keep_seconds(12) == 12
    monkeypatch.setenv("REVIEWLIB_KEEP_KERNEL", "45")
    assert keep_seconds() == 45 and keep_seconds(0) == 0
    monkeypatch.setenv("REVIEWLIB_KEEP_KERNEL", "five minutes")
    assert keep_seconds() == 0
    monkeypatch.setenv("REVIEWLIB_KEEP_KERNEL", "-3")
    assert keep_seconds() == 0
