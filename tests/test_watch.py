"""`reviewlib watch`'s rebuild when reviewlib itself fails: one sentence, and the watch goes on
(the watch as a whole, with real kernels and files, is tested in test_rebuild.py)."""

from __future__ import annotations

from reviewlib.brief import watch


def test_an_error_of_reviewlib_itself_is_one_line_and_not_the_end_of_the_watch(
    tmp_path, monkeypatch
):
    def broken(*args, **kwargs):  # a fault of the code, not of any file: no InputError
        return {}["pillar"]

    monkeypatch.setattr(watch, "load_review", broken)
    project = watch.Project(tmp_path / "inputs", tmp_path / "outputs", tmp_path / "notebooks")
    line, problems = watch.rebuild(project)
    assert line.startswith("not rebuilt: an error in reviewlib itself (KeyError: 'pillar' at "), (
        line
    )
    assert "reviewlib/brief/watch.py:" in line  # where it passed through reviewlib's own code
    assert "the watcher goes on" in line and "\n" not in line
    assert problems == []
