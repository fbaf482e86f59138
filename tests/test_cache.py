"""The review cache: same content, same Review; any change of content, a fresh read."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time

import pytest
from conftest import DATA

from reviewlib import load_review
from reviewlib.gather import cache


@pytest.fixture(autouse=True)
def _cache_on(tmp_path, monkeypatch):
    """The cache, on, in a temporary folder of this test's own."""
    monkeypatch.delenv("REVIEWLIB_NO_CACHE", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)


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
    env = {k: v for k, v in os.environ.items() if k != "REVIEWLIB_NO_CACHE"}
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


def test_the_key_changes_with_the_versions_the_copy_depends_on(make_inputs, monkeypatch):
    inputs = make_inputs([DATA / "good" / "contribution.json"])
    first = cache.key(inputs)
    assert "pandas" in cache.versions() and cache.key(inputs) == first
    monkeypatch.setattr(cache, "versions", lambda: "reviewlib 9.9; pandas 9.9")
    assert cache.key(inputs) != first


def test_old_entries_are_evicted_beyond_the_size_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_CACHE_MB", "0.25")
    places = [tmp_path / f"review-{i}" for i in range(5)]
    for i, place in enumerate(places):
        cache.save(place, f"{i}" * 64, b"x" * 100_000)  # about 0.1 MB each
        time.sleep(0.01)
    folder = next(tmp_path.glob("reviewlib-cache-*"))
    kept = sorted(p.name for p in folder.glob("*.pickle"))
    assert len(kept) == 2  # the two most recent fit in 0.25 MB
    assert cache.load(places[4], "4" * 64) == b"x" * 100_000
    assert cache.load(places[0], "0" * 64) is None


def test_entries_unused_for_weeks_are_forgotten(tmp_path):
    cache.save(tmp_path / "a", "a" * 64, 1)
    cache.save(tmp_path / "b", "b" * 64, 2)
    folder = next(tmp_path.glob("reviewlib-cache-*"))
    stale = folder / cache._name(tmp_path / "a", "a" * 64)[1]
    weeks = time.time() - (cache.MAX_AGE_DAYS + 1) * 86400
    os.utime(stale, (weeks, weeks))
    assert cache.evict(folder) == [stale]
    assert cache.load(tmp_path / "b", "b" * 64) == 2


@pytest.mark.parametrize("name", ["~$book.xlsx", "notes.tmp", "book.xlsx.lock", ".hidden.csv"])
def test_a_lock_or_temporary_file_appearing_has_its_ledger_line(make_inputs, name):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    assert not load_review(inputs).ledger["status"].eq("skipped").any()
    (inputs / "contributions" / name).write_bytes(b"\x00 half-written")
    line = load_review(inputs).ledger.query("status == 'skipped'")
    assert line["file"].tolist() == [name]


def test_the_pool_of_ideas_is_read_back_and_made_again_when_a_statement_changes(
    make_inputs, monkeypatch
):
    """The build, each kernel and the workbench share one pool through the disk cache: the same
    statements give it back without pooling again; any changed cell gives a fresh pool."""
    from reviewlib.ideas import pool as pool_module

    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    review = load_review(inputs)
    made = pool_module.pool(review)
    pool_module._pool_of.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("pooled again although nothing changed")

    with monkeypatch.context() as m:
        m.setattr(pool_module, "pool_statements", refuse)
        again = pool_module.pool(review)
    assert again.summary.equals(made.summary) and again.ideas.equals(made.ideas)

    proposal = review.statements["kind"].eq("proposal").idxmax()
    changed = review.statements.copy()
    changed.loc[proposal, "text"] = "Open shelters for men and boys in every province."
    pool_module._pool_of.cache_clear()
    calls = []
    real = pool_module.pool_statements
    with monkeypatch.context() as m:
        m.setattr(pool_module, "pool_statements", lambda *a, **k: calls.append(1) or real(*a, **k))
        fresh = pool_module.pool(dataclasses.replace(review, statements=changed))
    assert calls == [1]
    assert "Open shelters for men and boys in every province." in set(fresh.ideas["text"])


def test_a_pool_made_in_a_new_process_stems_only_the_words_not_stemmed_before(
    make_inputs, monkeypatch
):
    """The words stemmed when the ideas were last pooled are saved beside the pool: a process
    that pools them again (a proposal changed) stems only new words, and gets the same pool."""
    from reviewlib.ideas import normalise
    from reviewlib.ideas import pool as pool_module

    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    review = load_review(inputs)
    monkeypatch.setattr(normalise, "_STEMS", {})
    made = pool_module.pool(review)
    saved = normalise.known_stems()
    assert len(saved) > 20

    proposal = review.statements["kind"].eq("proposal").idxmax()
    changed = review.statements.copy()
    for column in ("text", "text_en"):  # (the English text is the one pooled)
        changed.loc[proposal, column] += " Quokkas, zeppelins and xylophones"
    pool_module._pool_of.cache_clear()
    monkeypatch.setattr(normalise, "_STEMS", {})  # as in a new process
    stemmed = []
    real = normalise._stemmer
    monkeypatch.setattr(normalise, "_stemmer", lambda lang: stemmed.append(lang) or real(lang))
    fresh = pool_module.pool(dataclasses.replace(review, statements=changed))
    assert len(stemmed) == 3  # quokkas, zeppelins, xylophones: each new word once, no other
    assert normalise.known_stems().items() >= saved.items()

    pool_module._pool_of.cache_clear()
    monkeypatch.setattr(normalise, "_STEMS", {})
    monkeypatch.setattr(pool_module.disk, "load", lambda *a, **k: None)  # nothing saved
    alone = pool_module.pool(dataclasses.replace(review, statements=changed))
    assert alone.ideas.equals(fresh.ideas) and alone.summary.equals(fresh.summary)
    assert not made.ideas.equals(fresh.ideas)


def test_a_change_to_a_statement_that_is_not_pooled_keeps_the_pool(make_inputs, monkeypatch):
    """Only proposals and good practices make ideas: a new achievement keeps the saved pool, a
    proposal set aside makes a fresh one."""
    from reviewlib.ideas import pool as pool_module

    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    review = load_review(inputs)
    made = pool_module.pool(review)
    s = review.statements
    assert s["kind"].eq("proposal").any() and not s["kind"].isin(pool_module.KINDS).all()

    calls = []
    real = pool_module.pool_statements
    monkeypatch.setattr(
        pool_module, "pool_statements", lambda *a, **k: calls.append(1) or real(*a, **k)
    )

    other = s.index[~s["kind"].isin(pool_module.KINDS)][0]
    changed = s.copy()
    changed.loc[other, "text"] = "Labour inspectors now visit every flower farm."
    pool_module._pool_of.cache_clear()
    kept = pool_module.pool(dataclasses.replace(review, statements=changed))
    assert calls == [] and kept.ideas.equals(made.ideas)

    proposal = s["kind"].eq("proposal").idxmax()
    changed.loc[proposal, "decision"] = "set_aside"
    pool_module._pool_of.cache_clear()
    fresh = pool_module.pool(dataclasses.replace(review, statements=changed))
    assert calls == [1]
    assert s.loc[proposal, "statement_id"] not in set(fresh.ideas["statement_id"])


_COUNT_READS = (
    "import sys, reviewlib.gather.review as rv\n"
    "read = []\n"
    "one = rv._read_one\n"
    "rv._read_one = lambda path, limits: read.append(path.name) or one(path, limits)\n"
    "r = rv.load_review(sys.argv[1])\n"
    "print(len(r.statements), sorted(read), 'pandera' in sys.modules)\n"
)


def test_a_new_process_parses_only_the_file_that_changed(make_inputs, tmp_path):
    """`reviewlib build` after one new contribution: the rows of every other file, and the
    checked reference tables, come from the disk copy a previous process saved."""
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    env = {k: v for k, v in os.environ.items() if k != "REVIEWLIB_NO_CACHE"}
    env["TMPDIR"] = str(tmp_path)

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", _COUNT_READS, str(inputs)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.strip()

    first = run()
    assert first.endswith("['comma_utf8.csv', 'contribution.json'] True")
    (inputs / "contributions" / "later.csv").write_bytes(
        (DATA / "good" / "comma_utf8.csv")
        .read_bytes()
        .replace(b"T1-", b"T9-")
        .replace(b"T-GOOD-1", b"T-GOOD-9")
    )
    second = run()
    assert second.endswith("['later.csv'] False"), second  # the reference tables: not checked
    assert int(second.split()[0]) > int(first.split()[0])
    (inputs / "reference" / "themes.csv").write_text(
        (inputs / "reference" / "themes.csv").read_text() + "\n"
    )
    (inputs / "contributions" / "later.csv").unlink()
    assert run().endswith("[] True")  # a reference table changed: read and checked again


def test_the_rows_are_not_checked_again_after_a_triage_decision(make_inputs, monkeypatch):
    """Reading the review again after a triage decision (the contribution files as they were)
    does not check every row again, and gives what a fresh reading gives; a changed file's rows
    are checked again, and only they (`reviewlib.gather.checked`)."""
    from reviewlib.gather import checked as checked_module
    from reviewlib.workbench.triage import save_decision

    inputs = make_inputs([DATA / "good" / "comma_utf8.csv", DATA / "good" / "contribution.json"])
    first = load_review(inputs)
    calls = []
    real = checked_module.check_rows
    monkeypatch.setattr(
        checked_module, "check_rows", lambda rows, *a: calls.append(len(rows)) or real(rows, *a)
    )

    statement = first.statements["statement_id"].iloc[0]
    save_decision(inputs, statement, reviewer="Test", decision="set_aside")
    again = load_review(inputs)
    assert calls == []
    assert again.statements.set_index("statement_id").loc[statement, "decision"] == "set_aside"

    path = inputs / "contributions" / "comma_utf8.csv"
    path.write_text(path.read_text().replace("convictions rose", "convictions fell"))
    changed = load_review(inputs)
    assert calls == [int(changed.ledger["file"].eq("comma_utf8.csv").sum())]
    assert changed.statements["text"].str.contains("convictions fell").any()

    fresh = load_review(inputs, cache=False)  # (without the cache: every row checked afresh)
    for part in ("statements", "ledger", "contributions"):
        assert getattr(changed, part).equals(getattr(fresh, part)), part


_CHART_ELSEWHERE = """
import hashlib
import sys

import pandas as pd

from reviewlib.brief import charts

drawn = []
real = charts._draw
charts._draw = lambda *figures: drawn.append(1) or real(*figures)
table = pd.DataFrame(
    {"category": ["Prevention", "Protection"], "achievements": [3, int(sys.argv[2])], "gaps": [1, 2]}
)
markup = charts.chart(table, "Contributors reporting achievements and gaps", sys.argv[1]).markup
print(len(drawn), "matplotlib" in sys.modules, hashlib.sha256(markup.encode()).hexdigest())
"""


def test_a_chart_is_drawn_once_and_read_back_while_its_figures_stay_the_same(tmp_path):
    """A kernel (here: another process) reads a chart from the disk cache, byte for byte as
    drawn, rather than drawing it again, and without importing matplotlib; figures that changed
    are drawn, and only the latest figures of a chart are kept."""
    import hashlib

    import pandas as pd

    from reviewlib.brief import charts

    folder = tmp_path / "inputs"
    folder.mkdir()
    table = pd.DataFrame(
        {"category": ["Prevention", "Protection"], "achievements": [3, 4], "gaps": [1, 2]}
    )
    title = "Contributors reporting achievements and gaps"
    drawn = hashlib.sha256(charts.chart(table, title, str(folder)).markup.encode()).hexdigest()

    def elsewhere(protection: int) -> str:
        run = subprocess.run(
            [sys.executable, "-c", _CHART_ELSEWHERE, str(folder), str(protection)],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert elsewhere(4) == f"0 False {drawn}"  # read back without importing matplotlib
    assert elsewhere(5).startswith("1 True ")
    assert elsewhere(5).startswith("0 False ")
    assert elsewhere(4) == f"1 True {drawn}"  # (the chart's figures before were not kept)
