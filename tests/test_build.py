"""The batch build: every brief, in parallel, incremental, isolated, with a manifest and an index."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from reviewlib import load_review, paths
from reviewlib.brief.build import plan, read_manifest, run_batch
from reviewlib.brief.index_page import write_index

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A copy of the demo inputs and one full build of it, shared by the tests of this module."""
    root = tmp_path_factory.mktemp("demo")
    inputs = root / "inputs"
    shutil.copytree(paths.INPUTS, inputs, ignore=shutil.ignore_patterns("triage*.csv", "*.lock"))
    outputs = root / "outputs"
    review = load_review(inputs)
    result = run_batch(review, outputs, workers=2, progress=False)
    write_index(review, result.records, outputs)
    return inputs, outputs, result


def _pages(outputs: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((outputs / "briefs").glob("*.html"))}


def test_the_demo_builds_every_brief(demo):
    inputs, outputs, result = demo
    review = load_review(inputs)
    jobs = plan(review, outputs)
    assert result.failed == 0 and result.built == len(jobs)
    kinds = {j.kind for j in jobs}
    assert kinds == {"overview", "ideas", "pillar", "theme", "region", "country"}
    manifest = json.loads((outputs / "manifest.json").read_text())["briefs"]
    assert {b["brief_id"] for b in manifest} == {j.brief_id for j in jobs}
    for entry in manifest:
        assert {"kind", "parameters", "output", "digest", "status", "seconds", "error"} <= set(
            entry
        )
        assert entry["status"] == "built" and Path(entry["output"]).exists()
        assert not entry["over_budget"], f"{entry['brief_id']} has {entry['words']} words"
        page = Path(entry["output"]).read_text()
        soup = BeautifulSoup(page, "lxml")
        assert soup.find("script") is None and "http://" not in page and "https://" not in page
        assert soup.select_one(".banner") and soup.select_one("footer.provenance")
        assert [h.get_text() for h in soup.select("main h2")][0] == "Key messages"
    index = BeautifulSoup((outputs / "index.html").read_text(), "lxml")
    links = {a["href"] for a in index.select("main a")}
    assert {f"briefs/{j.brief_id}.html" for j in jobs} <= links
    assert index.select_one(".banner") is not None


def test_a_rebuild_with_nothing_changed_skips_everything(demo):
    inputs, outputs, _ = demo
    before = _pages(outputs)
    for contribution in (inputs / "contributions").iterdir():
        os.utime(contribution)  # touched, not changed
    result = run_batch(load_review(inputs), outputs, workers=2, progress=False)
    assert result.built == 0 and result.skipped == len(before)
    assert _pages(outputs) == before


def test_order_and_workers_do_not_change_a_byte(demo, tmp_path):
    inputs, outputs, _ = demo
    review = load_review(inputs)
    order = [j.brief_id for j in plan(review, outputs)][::-1]
    other = tmp_path / "outputs"
    result = run_batch(review, other, workers=1, progress=False, order=order)
    assert result.failed == 0
    assert _pages(other) == _pages(outputs)


def test_one_new_contribution_rebuilds_only_what_reads_it(demo, tmp_path):
    inputs, outputs, _ = demo
    work_in, work_out = tmp_path / "inputs", tmp_path / "outputs"
    shutil.copytree(inputs, work_in)
    shutil.copytree(outputs, work_out)
    manifest = json.loads((work_out / "manifest.json").read_text())
    for entry in manifest["briefs"]:  # the copy's briefs live in the copy
        entry["output"] = str(work_out / "briefs" / Path(entry["output"]).name)
    review = load_review(work_in)
    digests = {j.brief_id: j.digest for j in plan(review, work_out)}
    for entry in manifest["briefs"]:
        entry["digest"] = digests[entry["brief_id"]]
    (work_out / "manifest.json").write_text(json.dumps(manifest))
    (work_in / "contributions" / "CSO-NEW-KEN.csv").write_text(
        "submitter,stakeholder_type,country,received,language,kind,pillar,themes,scope,text\n"
        "Lakeside Workers' Rights Forum,civil_society,Kenya,2017-07-20,en,gap,protection,migration,Kenya,"
        "Returning migrant domestic workers wait months for counselling and legal aid.\n"
    )
    changed = load_review(work_in)
    new = changed.statements.set_index("statement_id").loc["CSO-NEW-KEN-2"]
    assert "migration" in new["themes"].split(";")
    result = run_batch(changed, work_out, workers=2, progress=False)
    rebuilt = {k for k, r in result.records.items() if r["status"] == "built"}
    themes = {f"theme-{t}" for t in new["themes"].split(";")}
    assert (
        rebuilt
        == {"overview", "ideas", "country-ken", "region-african", "pillar-protection"} | themes
    )
    assert result.skipped == len(digests) + 0 - len(rebuilt) + ("country-ken" not in digests)


def test_a_failing_brief_fails_alone(demo, tmp_path):
    inputs, _, _ = demo
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    nb = nbformat.read(notebooks / "brief_country.ipynb", as_version=4)
    nb.cells.insert(
        5,
        nbformat.v4.new_code_cell(
            'if country == "BLR":\n    raise RuntimeError("planted failure")'
        ),
    )
    nbformat.write(nb, notebooks / "brief_country.ipynb")
    outputs = tmp_path / "outputs"
    run = subprocess.run(
        [
            BIN / "reviewlib",
            "build",
            "--inputs",
            inputs,
            "--outputs",
            outputs,
            "--notebooks",
            notebooks,
            "--only",
            "country-b*",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 1
    assert "FAILED country-blr at cell" in run.stdout and "planted failure" in run.stdout
    records = read_manifest(outputs)
    assert (
        records["country-blr"]["status"] == "failed"
        and "planted failure" in records["country-blr"]["error"]
    )
    others = [r for k, r in records.items() if k != "country-blr"]
    assert others and all(r["status"] == "built" for r in others)
    assert (outputs / "failed" / "country-blr.ipynb").exists()
    assert not (outputs / "briefs" / "country-blr.html").exists()
    index = (outputs / "index.html").read_text()
    assert "country-blr" in index and "planted failure" in index


def test_a_killed_build_leaves_no_partial_page_and_the_next_one_finishes(demo, tmp_path):
    inputs, _, _ = demo
    outputs = tmp_path / "outputs"
    process = subprocess.Popen(
        [
            BIN / "reviewlib",
            "build",
            "--inputs",
            inputs,
            "--outputs",
            outputs,
            "--only",
            "country-*",
            "--quiet",
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 600
    while time.time() < deadline:
        if len([r for r in read_manifest(outputs).values() if r["status"] == "built"]) >= 3:
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = {k for k, r in read_manifest(outputs).items() if r["status"] == "built"}
    assert len(done) >= 3
    for page in (outputs / "briefs").glob("*.html"):
        assert page.read_text().rstrip().endswith("</html>")
    result = run_batch(load_review(inputs), outputs, workers=2, only="country-*", progress=False)
    assert result.failed == 0 and result.skipped >= len(done)
    assert not list((outputs / "briefs").glob(".*.tmp"))
    assert {k for k, r in result.records.items() if r["status"] in ("built", "skipped")} == {
        j.brief_id for j in plan(load_review(inputs), outputs, only="country-*")
    }


def _idea_rows(page: str) -> list[tuple[str, str, str, str]]:
    """(rank, label, support, status) of every row of a brief's ideas table."""
    soup = BeautifulSoup(page, "lxml")
    rows = []
    for table in soup.select("table"):
        head = [th.get_text(strip=True) for th in table.select("thead th")]
        if "Idea" in head:
            for tr in table.select("tbody tr"):
                rows.append(tuple(td.get_text(" ", strip=True) for td in tr.select("td")))
    return rows


def test_an_idea_is_the_same_in_every_brief_table_and_the_word_file(demo):
    from docx import Document

    from reviewlib.brief.publish import ZERO_DRAFT, write_outputs

    inputs, outputs, _ = demo
    write_outputs(load_review(inputs), outputs)
    summary = pd.read_csv(
        outputs / "tables" / "idea_summary.csv", dtype=str, keep_default_na=False
    ).set_index("label")
    assert summary.index.is_unique  # one label, one idea
    seen = 0
    for page in sorted((outputs / "briefs").glob("*.html")):
        for rank, label, support, status in _idea_rows(page.read_text()):
            idea = summary.loc[label]
            n, kinds = int(idea["n_submitters"]), int(idea["n_stakeholder_types"])
            assert rank == idea["rank"], (page.name, label)
            assert support.startswith(f"{n} contributor{'s' if n != 1 else ''}, {kinds} kind")
            assert status.startswith(idea["status_label"]), (page.name, label)
            assert idea["builds_on"] in status
            seen += 1
    assert seen >= 100
    doc = Document(outputs / ZERO_DRAFT)
    paragraphs = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    for text, comment in zip(paragraphs, doc.comments, strict=True):
        idea = summary.loc[text]
        assert idea["status"] == "new" and idea["idea_id"] in comment.text
        assert f"Supported by {idea['n_submitters']} contributor(s)" in comment.text
