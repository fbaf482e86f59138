"""The review cache: same content, same Review; any change of content, a fresh read."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import DATA

from reviewlib import load_review
from reviewlib.gather import cache


def test_same_files_give_the_same_review_and_a_change_of_content_does_not(make_inputs):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    first = load_review(inputs)
    assert load_review(inputs) is first
    path = inputs / "contributions" / "comma_utf8.csv"
    text = path.read_text()
    stat = path.stat()
    path.write_text(text.replace("convictions rose", "convictions fell"))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time stamp
    second = load_review(inputs)
    assert second is not first
    assert second.statements["text"].str.contains("convictions fell").any()


def test_another_process_reads_the_disk_copy(make_inputs, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    inputs = make_inputs([DATA / "good" / "contribution.json"])
    code = (
        "import sys, reviewlib; r = reviewlib.load_review(sys.argv[1]); "
        "print(len(r.statements), r.statements['statement_id'].iloc[0])"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(inputs)], capture_output=True, text=True, env=env
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout == "2 T4-01\n"
    folders = list(tmp_path.glob("reviewlib-cache-*"))
    assert folders and list(folders[0].glob("*.pickle"))
    assert oct(folders[0].stat().st_mode & 0o777) == "0o700"


def test_a_cache_folder_others_can_write_is_never_used(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    folder = tmp_path / f"reviewlib-cache-{os.getuid()}"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    cache.save(tmp_path, "k" * 64, {"x": 1})
    assert cache.load(tmp_path, "k" * 64) is None and not list(folder.glob("*.pickle"))
