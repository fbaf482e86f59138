"""Every file the workbook writes is written atomically with the usual permissions (the umask's),
so another account, a web server or a shared drive can read it; nothing is left half-written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from reviewlib import load_review, paths
from reviewlib.brief.index_page import write_index
from reviewlib.brief.publish import write_outputs
from reviewlib.files import atomic_write_text, locked
from reviewlib.gather.template import write_template
from reviewlib.scoring.rubric import load_rubric
from reviewlib.scoring.rubric_edit import rubric_with, save_rubric
from reviewlib.workbench.triage import save_decision


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set a umask for the test and give back the one before."""
    old = os.umask(0o022)

    def use(mask: int) -> int:
        os.umask(mask)
        return 0o666 & ~mask

    yield use
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_an_atomic_write_has_the_mode_of_any_file_the_user_saves(tmp_path, umask, mask):
    expected = umask(mask)
    atomic_write_text(tmp_path / "page.html", "<p>hello</p>")
    assert _mode(tmp_path / "page.html") == expected
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left


def test_every_file_intake_saving_and_publishing_writes_is_readable_by_others(
    make_inputs, tmp_path, umask
):
    expected = umask(0o022)
    inputs = make_inputs(sorted((DATA / "good").iterdir()))
    rubric = paths.rubric_file(inputs)
    rubric.write_bytes(paths.rubric_file().read_bytes())
    rubric.chmod(0o644)
    review = load_review(inputs, cache=False)
    outputs = tmp_path / "outputs"
    written = write_outputs(review, outputs)
    written.append(write_index(review, {}, outputs))
    written.append(write_template(tmp_path / "template.xlsx", review.reference))
    save_decision(inputs, "T1-01", decision="keep", note="checked", reviewer="Ana")
    written += [paths.triage_file(inputs), paths.decisions_dir(inputs) / "triage_history.csv"]
    save_rubric(rubric_with(load_rubric(rubric), {"weights.kinds.gap": -2}), rubric)
    written.append(rubric)
    with locked(tmp_path / "shared.csv"):
        pass
    written.append(tmp_path / "shared.csv.lock")
    kinds = {p.suffix for p in written}
    assert {".csv", ".xlsx", ".docx", ".html", ".yml", ".lock"} <= kinds
    wrong = {str(p): oct(_mode(p)) for p in written if _mode(p) != expected}
    assert not wrong, wrong


def test_the_command_line_writes_with_the_users_umask(make_inputs, tmp_path):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    out = tmp_path / "out"
    run = subprocess.run(
        f"umask 027 && {Path(sys.executable).parent / 'reviewlib'} validate --inputs {inputs} "
        f"--outputs {out}",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and {oct(_mode(p)) for p in files} == {oct(0o640)}


@pytest.mark.parametrize(
    "value", ["-5 shelters", "=A1", "+1", "@home", "'=already marked", "''", "'plain", "plain"]
)
def test_the_formula_escape_reads_back_exactly(value):
    from reviewlib.files import safe_text, unescape_text

    escaped = safe_text(value)
    assert unescape_text(escaped) == value
    assert not str(escaped).startswith(("=", "+", "-", "@"))


def test_formula_safe_escapes_every_text_cell_and_nothing_else():
    import numpy as np
    import pandas as pd

    from reviewlib.files import formula_safe, safe_text

    frame = pd.DataFrame(
        {
            "mixed": ["=1+2", "'=marked", "''", "'plain", None, np.nan, 7, "-5 shelters"],
            "string": pd.array(["@home", None, "a", "", "+1", "\tx", "\rx", "b"], dtype="string"),
            "number": [-1, 2, 3, 4, 5, 6, 7, 8],
            "plain": ["a", "b", "c", "d", "e", "f", "g", "h"],
        }
    )
    before = frame.copy()
    safe = formula_safe(frame)
    pd.testing.assert_frame_equal(frame, before)  # the table given is left as it was
    assert list(safe.dtypes) == list(frame.dtypes)
    for column in ("mixed", "string"):
        expected = [v if pd.isna(v) else safe_text(v) for v in frame[column].tolist()]
        assert [str(v) for v in safe[column].tolist()] == [str(v) for v in expected], column
    assert safe["mixed"].tolist()[:4] == ["'=1+2", "''=marked", "'" + "''", "'plain"]
    assert safe["mixed"].tolist()[-1] == "'-5 shelters"
    assert safe["number"].tolist() == frame["number"].tolist()  # a number is never text
    assert safe["plain"].tolist() == frame["plain"].tolist()


def test_the_digest_of_tables_changes_with_any_cell_type_column_or_name():
    import pandas as pd

    from reviewlib.files import tables_digest

    def table(**changes):
        columns = {"id": ["a", "b"], "n": [1, 2], "ok": [True, False], "ids": [["x"], []]}
        return pd.DataFrame({**columns, **changes})

    same = tables_digest({"t": table()})
    assert tables_digest({"t": table()}) == same  # equal tables (a list in a cell too)
    for other in (
        {"t": table(id=["a", "c"])},  # a cell
        {"t": table(n=[1.0, 2.0])},  # the same numbers of another type
        {"t": table(ok=[1, 0])},  # numbers, not yes or no
        {"t": table(ids=[["x"], ["y"]])},  # a list in a cell
        {"t": table().rename(columns={"n": "m"})},
        {"u": table()},
    ):
        assert tables_digest(other) != same, other


def test_each_kind_of_cell_reads_back_from_the_workbook_as_it_was_meant(tmp_path):
    import numpy as np
    import pandas as pd
    from openpyxl import load_workbook

    from reviewlib.files import write_xlsx

    frame = pd.DataFrame(
        {
            "text": ["a\x01b", "", None, np.nan, "=1+2", 3, True, "0042"],
            "float": [1.5, np.nan, np.inf, -np.inf, 0.0, 2.0, 3.0, 4.0],
            "int": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64"),
            "bool": [True, False] * 4,
            "string": pd.array(["a", None, "c", "", "e", "f", "g", "\x0bh"], dtype="string"),
            "maybe": pd.array([True, None, False, True, None, False, True, False], dtype="boolean"),
        }
    )
    write_xlsx({"odd": frame}, tmp_path / "odd.xlsx")
    rows = [
        [(c.value, c.data_type) for c in row]
        for row in load_workbook(tmp_path / "odd.xlsx")["odd"].iter_rows(min_row=2)
    ]
    empty = (None, "n")
    assert [r[0] for r in rows] == [
        ("ab", "s"),
        empty,
        empty,
        empty,
        ("=1+2", "s"),
        (3, "n"),
        (True, "b"),
        ("0042", "s"),
    ]  # control characters left out, a formula or a number in text kept as text
    assert [r[1] for r in rows] == [
        (1.5, "n"),
        empty,
        ("inf", "s"),
        ("-inf", "s"),
        (0, "n"),
        (2, "n"),
        (3, "n"),
        (4, "n"),
    ]
    assert [r[2] for r in rows] == [(1, "n"), empty, *[(n, "n") for n in range(3, 9)]]
    assert [r[3] for r in rows] == [(b, "b") for b in [True, False] * 4]
    assert [r[4][0] for r in rows] == ["a", None, "c", None, "e", "f", "g", "h"]
    assert [r[5][0] for r in rows] == [True, None, False, True, None, False, True, False]
    again = tmp_path / "again.xlsx"
    write_xlsx({"odd": frame}, again)
    assert again.read_bytes() == (tmp_path / "odd.xlsx").read_bytes()


def test_a_table_file_is_written_again_only_when_its_own_tables_changed(make_inputs, tmp_path):
    """A change of the ideas' weights changes the ideas' ranks, not the Member States' levels:
    the ideas tables and the workbook that holds them are rewritten; the internal workbook and
    the evidence table are left as they were."""
    inputs = make_inputs(sorted((DATA / "good").iterdir()))
    paths.rubric_file(inputs).write_bytes(paths.rubric_file().read_bytes())
    outputs = tmp_path / "outputs"
    write_outputs(load_review(inputs, cache=False), outputs, if_changed=True)
    tables, internal = paths.tables_dir(outputs), outputs / "internal"
    files = [*tables.iterdir(), *internal.iterdir()]
    before = {p: p.stat().st_mtime_ns for p in files}
    old_ranks = (tables / "idea_summary.csv").read_bytes()

    review_yml = inputs / "review.yml"
    text = review_yml.read_text(encoding="utf-8")
    weights = "weights: {support: 0.4, diversity: 0.2, novelty: 0.3, bridge: 0.1}"
    assert weights in text
    review_yml.write_text(text.replace(weights, weights.replace("0.4", "2.5")), encoding="utf-8")
    write_outputs(load_review(inputs, cache=False), outputs, if_changed=True)

    changed = {p.name for p in files if p.stat().st_mtime_ns != before[p]}
    assert (tables / "idea_summary.csv").read_bytes() != old_ranks
    assert {"idea_summary.csv", "tables.xlsx"} <= changed
    assert not changed & {"internal.xlsx", "country_scores.csv", "country_evidence.csv"}

    (internal / "internal.xlsx").unlink()  # a file that is gone is written again
    review_yml.write_text(text, encoding="utf-8")
    write_outputs(load_review(inputs, cache=False), outputs, if_changed=True)
    assert (internal / "internal.xlsx").is_file()


def test_the_files_written_aside_are_the_files_written_here(make_inputs, tmp_path):
    """`reviewlib watch` and `build` have a child process write the tables while the kernel
    runs: the same bytes (workbooks included: the same tables give the same workbook), and the
    manifest knows each file's tables, so the next time only the files whose tables changed
    are written."""
    from reviewlib.brief.manifest import read_published

    inputs = make_inputs(sorted((DATA / "good").iterdir()))
    paths.rubric_file(inputs).write_bytes(paths.rubric_file().read_bytes())
    review = load_review(inputs, cache=False)
    here, aside = tmp_path / "here", tmp_path / "aside"
    write_outputs(review, here, if_changed=True)
    written = write_outputs(review, aside, if_changed=True, aside=True)
    assert {"tables.xlsx", "internal.xlsx", "zero_draft_elements.docx"} <= {p.name for p in written}
    for path in written:
        twin = here / Path(path).relative_to(aside)
        assert Path(path).read_bytes() == twin.read_bytes(), twin.name
    assert read_published(aside) == read_published(here)

    for path in written:
        os.utime(path, ns=(1, 1))
    review_yml = inputs / "review.yml"
    text = review_yml.read_text(encoding="utf-8")
    weights = "weights: {support: 0.4, diversity: 0.2, novelty: 0.3, bridge: 0.1}"
    review_yml.write_text(text.replace(weights, weights.replace("0.4", "2.5")), encoding="utf-8")
    write_outputs(load_review(inputs, cache=False), aside, if_changed=True, aside=True)
    again = {Path(p).name for p in written if Path(p).stat().st_mtime_ns != 1}
    assert {"idea_summary.csv", "tables.xlsx"} <= again
    assert not again & {"internal.xlsx", "country_scores.csv"}


def test_the_files_written_aside_are_whole_when_the_briefs_fail(make_inputs, tmp_path):
    """`outputs_aside`: while the briefs run, a child writes the review-wide files; when the
    briefs stop with an error, the child is waited for (no half-written file is left behind)
    and the error reported is the briefs'."""
    from reviewlib.brief.manifest import read_published
    from reviewlib.brief.publish import outputs_aside

    inputs = make_inputs(sorted((DATA / "good").iterdir()))
    review = load_review(inputs, cache=False)
    outputs = tmp_path / "outputs"
    with pytest.raises(RuntimeError, match="a brief failed"), outputs_aside(review, outputs):
        raise RuntimeError("a brief failed")
    published = read_published(outputs)
    assert published["files"] and all((outputs / name).is_file() for name in published["files"])
    assert not list(outputs.rglob("*.tmp"))
