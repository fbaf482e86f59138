"""Another review cycle is another review.yml: the example dated 2021 (examples/review-2021/)
shows the names, UNODC editions, treaty status and ICAT wording of its own date, with the same
code and the same reference tables as the 2017 demo."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys

import pytest
from conftest import shared_file

from reviewlib import paths
from reviewlib.gather.review import load_review
from reviewlib.scoring.balance import assess
from reviewlib.scoring.scores import score

EXAMPLE = paths.PROJECT_ROOT / "examples" / "review-2021"
pytestmark = pytest.mark.slow


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reviewlib.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The example assembled as its README says: its review.yml and contributions, the
    project's reference tables, the GLOTIP export imported as of its date."""
    root = tmp_path_factory.mktemp("review-2021") / "inputs"
    shutil.copytree(EXAMPLE / "contributions", root / "contributions")
    shutil.copy(EXAMPLE / "review.yml", root / "review.yml")
    shutil.copytree(paths.reference_dir(), root / "reference")
    shutil.copy(paths.rubric_file(), root / "rubric.yml")
    (root / "decisions").mkdir()
    run = _cli(
        *("import-glotip", shared_file("glotip/data_glotip.xlsx")),
        *("--inputs", root, "--outputs", root.parent),
    )
    assert "As of 2021-11-22: kept" in run.stdout and "data years 2003–2018" in run.stdout, (
        run.stdout + run.stderr
    )
    return root


def test_names_of_2021_and_either_name_resolves(inputs):
    review = load_review(inputs)
    assert review.config.as_of == dt.date(2021, 11, 22) and not review.has_rejections
    names = review.reference.name_of
    assert (names["MKD"], names["SWZ"], names["TUR"]) == ("North Macedonia", "Eswatini", "Turkey")
    countries = dict(
        zip(review.statements["statement_id"], review.statements["country"], strict=True)
    )
    assert {countries["CSO-SWZ-2021-01"], countries["CSO-SWZ-2021-02"]} == {"SWZ"}
    assert countries["MS-MKD-2021-01"] == "MKD"


def test_figures_treaties_and_icat_of_2021(inputs):
    review = load_review(inputs)
    ind = review.reference.indicators
    assert ind["year"].max() == 2018 and "2020" in set(ind["edition"])
    scores = score(review)
    status = scores.treaty_status.set_index(["iso3", "treaty"])["status"]
    assert status[("BGD", "protocol")] == "party"  # acceded in 2019
    assert status[("AND", "protocol")] == "not a party"  # only in 2022
    icat = assess(review).icat
    assert set(icat.loc[icat["membership"].ne("confirmed"), "membership"]) == {
        "membership in 2021 not confirmed"
    }
    # The 2017 demo, same code and tables: Bangladesh was not yet a party.
    demo = score(load_review(paths.INPUTS)).treaty_status.set_index(["iso3", "treaty"])
    assert demo["status"][("BGD", "protocol")] == "not a party"


def test_a_2021_country_brief_reads_as_of_2021(inputs, tmp_path):
    out = tmp_path / "out"
    run = _cli("build", "--inputs", inputs, "--outputs", out, "--only", "country-mkd", "--quiet")
    assert "1 built" in run.stdout, run.stdout + run.stderr
    page = (out / "briefs" / "country-mkd.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "North Macedonia" in text and "former Yugoslav" not in text
    assert "UNODC Global Report 2020" in text and "22 November 2021" in text


def test_the_demo_dated_2023_shows_the_later_names_and_data(tmp_path):
    """The 2017 demo's inputs with only `as_of` changed: the names and figures of 2023."""
    inputs = tmp_path / "inputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    with (inputs / "review.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nas_of: 2023-06-30\n")
    text = (inputs / "review.yml").read_text(encoding="utf-8")
    (inputs / "review.yml").write_text(text.replace("as_of: 2017-09-27\n", ""), encoding="utf-8")
    run = _cli(
        *("import-glotip", shared_file("glotip/data_glotip.xlsx")),
        *("--inputs", inputs, "--outputs", tmp_path),
    )
    assert "As of 2023-06-30: kept" in run.stdout and "data years 2003–2018" in run.stdout
    out = tmp_path / "out"
    run = _cli("build", "--inputs", inputs, "--outputs", out, "--only", "country-tur", "--quiet")
    assert "1 built" in run.stdout, run.stdout + run.stderr
    page = (out / "briefs" / "country-tur.html").read_text(encoding="utf-8")
    words = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Türkiye" in words and "Treaty status on 30 June 2023" in words
    years = [
        int(y) for y in re.findall(r"UNODC Global Report 20(?:18|20): [^.;]*? in (\d{4})", words)
    ]
    assert years and max(years) > 2014
