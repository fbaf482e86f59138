"""The command line: the same library functions, exit statuses as documented, and the README keeps up."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

from reviewlib import paths
from reviewlib.cli import parser

BIN = Path(sys.executable).parent


def _run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "reviewlib", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_every_subcommand_is_in_the_readme():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"reviewlib {name}" in readme, f"README does not show `reviewlib {name}`"
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option not in (
                    "--help",
                    "--quiet",
                    "--timeout",
                    "--notebooks",
                ):
                    assert option in readme, (
                        f"README does not mention {option} of `reviewlib {name}`"
                    )


def test_validate_exits_0_when_all_is_accepted(make_inputs, tmp_path):
    inputs = make_inputs(sorted((DATA / "good").iterdir()))
    run = _run("validate", "--inputs", inputs, "--outputs", tmp_path / "out")
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"Read 5 files: 5 contributions; statements: \d+ accepted", run.stdout)
    assert re.search(r"Ideas: \d+ proposals in \d+ ideas; \d+ ideas? restates? what", run.stdout)
    ledger = pd.read_csv(tmp_path / "out" / "ledger.csv")
    assert set(ledger["status"]) <= {"accepted", "accepted_with_warning"}
    assert (tmp_path / "out" / "tables" / "statements.csv").exists()
    assert (tmp_path / "out" / "tables" / "tables.xlsx").exists()
    ideas = pd.read_csv(tmp_path / "out" / "tables" / "ideas.csv")
    assert list(ideas.columns[:2]) == ["statement_id", "idea_id"] and len(ideas)
    assert (tmp_path / "out" / "tables" / "idea_summary.csv").exists()
    assert (tmp_path / "out" / "zero_draft_elements.docx").exists()


def test_validate_exits_1_and_says_why_when_a_row_is_rejected(make_inputs, tmp_path):
    inputs = make_inputs([DATA / "bad" / "unknown_country.csv", DATA / "bad" / "broken.json"])
    run = _run("validate", "--inputs", inputs, "--outputs", tmp_path / "out")
    assert run.returncode == 1
    assert (
        "unknown_country.csv row 2: column country: 'Kazakstan' is not a Member State; did you mean Kazakhstan?"
        in run.stdout
    )
    assert "broken.json: the file is not valid JSON" in run.stdout


def test_a_usage_error_exits_2(tmp_path):
    assert _run("validate", "--no-such-option").returncode == 2
    assert _run().returncode == 2


def test_a_broken_review_file_is_one_clear_line(make_inputs, tmp_path):
    inputs = make_inputs(review_yml="title: [unclosed\n")
    run = _run("validate", "--inputs", inputs, "--outputs", tmp_path / "out")
    assert (
        run.returncode == 1
        and run.stderr.startswith("error: ")
        and "review.yml is not valid YAML" in run.stderr
    )


def test_import_glotip_writes_indicators(make_inputs, tmp_path):
    inputs = make_inputs()
    # Without an editions table no data year is cut (the cut: test_dated.py).
    (inputs / "reference" / "glotip_editions.csv").unlink()
    run = _run(
        "import-glotip",
        DATA / "glotip" / "glotip_small.csv",
        "--inputs",
        inputs,
        "--outputs",
        tmp_path,
        "--countries",
        "BLR,NGA",
    )
    assert "Kept" in run.stdout and "rows for the 2 countries" in run.stdout
    frame = pd.read_csv(inputs / "reference" / "indicators.csv", keep_default_na=False)
    assert set(frame["iso3"]) == {"BLR", "NGA"}
    suppressed = frame[frame["suppressed"].astype(str).str.lower().eq("true")]
    assert len(suppressed) and suppressed["value"].eq("").all()


@pytest.mark.parametrize("target", ["help", "venv", "demo", "test", "lint", "bench", "lab"])
def test_make_help_lists_every_target(target):
    run = subprocess.run(
        ["make", "-s", "help"], capture_output=True, text=True, cwd=paths.PROJECT_ROOT
    )
    assert re.search(rf"make {target}\s", run.stdout)


def test_control_characters_in_contributor_text_are_printed_escaped(make_inputs, tmp_path):
    hostile = "\x1b]0;owned\x07\x1b[2J\rKazak\u202estan"
    source = tmp_path / "escapes.csv"
    source.write_text(
        "submitter,stakeholder_type,country,received,language,kind,pillar,text\n"
        f'Ministry,member_state,"{hostile}",2017-05-01,en,gap,protection,Shelters are scarce.\n',
        encoding="utf-8",
    )
    run = _run("validate", "--inputs", make_inputs([source]), "--outputs", tmp_path / "out")
    assert run.returncode == 1
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in run.stdout + run.stderr
    assert "'\\x1b]0;owned\\x07\\x1b[2J\\x0dKazak\\u202estan' is not a Member State" in run.stdout


def test_printable_keeps_every_script_and_line_breaks():
    from reviewlib.terminal import printable

    text = "Приюты 农村 مأوى Côte d’Ivoire\nnext line"
    assert printable(text) == text
    assert printable("a\x1b[31mb\x9bc\u2066") == "a\\x1b[31mb\\x9bc\\u2066"


def test_only_matching_no_brief_says_so_and_exits_2(make_inputs, tmp_path):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])
    run = _run("build", "--inputs", inputs, "--outputs", tmp_path / "out", "--only", "nowhere-*")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--only 'nowhere-*' matches none of the briefs" in run.stderr
    assert not (tmp_path / "out" / "briefs").exists() or not any(
        (tmp_path / "out" / "briefs").iterdir()
    )


@pytest.mark.slow
@pytest.mark.parametrize("where", ["project", "elsewhere"])
def test_relative_inputs_and_outputs_work_from_any_folder(make_inputs, tmp_path, where):
    inputs = make_inputs([DATA / "good" / "comma_utf8.csv"])  # tmp_path/inputs
    shutil.copy(paths.rubric_file(), inputs / "rubric.yml")
    cwd = tmp_path if where == "project" else tmp_path / "elsewhere"
    cwd.mkdir(exist_ok=True)
    prefix = "" if where == "project" else "../"
    run = _run(
        "build",
        "--inputs",
        f"{prefix}inputs",
        "--outputs",
        f"{prefix}out",
        "--only",
        "overview",
        "--notebooks",
        paths.NOTEBOOKS,
        cwd=cwd,
    )
    assert "1 built" in run.stdout and ", 0 failed" in run.stdout, run.stdout + run.stderr
    assert (tmp_path / "out" / "briefs" / "overview.html").is_file()


_COMMAND = (
    "import gc, sys\n"
    "from reviewlib import cli\n"
    "from reviewlib.collector import THRESHOLDS\n"
    "real = cli.main\n"
    "cli.main = lambda: print(gc.get_threshold() == THRESHOLDS) or real()\n"
    "status = cli.command()\n"
    "print(status, gc.get_freeze_count() > 0)\n"
)


def test_the_command_gives_mains_status_and_leaves_what_it_made_to_the_process_end(tmp_path):
    """`reviewlib` (`cli.command`) runs `main` with the collector set to collect rarely
    (`reviewlib.collector`) and ends with its status, the objects it made frozen so that the
    collector does not walk them again as Python stops; `main` itself, and importing reviewlib,
    leave the collector as it is."""

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", _COMMAND, *argv], capture_output=True, text=True, timeout=300
        )

    made = run("template", "--out", str(tmp_path / "t.xlsx"))
    assert made.stdout.split()[-2:] == ["0", "True"], made.stdout + made.stderr
    assert made.stdout.split()[0] == "True", made.stdout  # main ran collecting rarely
    assert (tmp_path / "t.xlsx").is_file()
    wrong = run("import-glotip", "--inputs", str(tmp_path / "missing"), str(tmp_path / "no.csv"))
    assert wrong.stdout.split()[-2:] == ["1", "True"], wrong.stdout + wrong.stderr
    plain = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc; before = gc.get_threshold(); from reviewlib.cli import main; "
            "main(['template', '--out', " + repr(str(tmp_path / "u.xlsx")) + "]); "
            "print(gc.get_threshold() == before, gc.get_freeze_count())",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.stdout.split()[-2:] == ["True", "0"], plain.stdout + plain.stderr
    assert _run("template", "--out", tmp_path / "v.xlsx").returncode == 0  # the installed script
