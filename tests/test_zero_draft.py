"""Elements for the zero draft: structure of the Word document, comments, and byte-for-byte determinism."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from reviewlib import paths
from reviewlib.ideas.pool import pool_statements
from reviewlib.ideas.zero_draft import write_zero_draft
from reviewlib.terms import PILLAR_LABELS as PILLARS

DATA = Path(__file__).parent / "data" / "ideas"


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def commitments() -> pd.DataFrame:
    return read(DATA / "commitments.csv")


@pytest.fixture(scope="module")
def idea_pool(commitments):
    return pool_statements(
        read(DATA / "labelled.csv"),
        commitments,
        synonyms=read(paths.reference_dir() / "synonyms.csv"),
    )


@pytest.fixture(scope="module")
def draft(idea_pool, commitments, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("draft") / "zero_draft_elements.docx"
    return write_zero_draft(
        idea_pool,
        path,
        title="GPA review 2017",
        illustrative=True,
        top_n_per_pillar=3,
        as_of=dt.date(2017, 8, 15),
    )


def draft_paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.style.name == "List Number"]


def test_title_note_and_a_heading_per_pillar(draft):
    doc = Document(draft)
    assert doc.paragraphs[0].text == "GPA review 2017" and doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[1].text.startswith("Illustrative data")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == list(PILLARS.values())


def test_numbered_paragraphs_are_the_top_new_ideas_of_each_pillar(draft, idea_pool):
    doc = Document(draft)
    expected = []
    for pillar in PILLARS:
        top = idea_pool.top(pillar, n=3, new_only=True)
        assert top["status"].eq("new").all()
        expected += list(top["label"])
    assert [p.text for p in draft_paragraphs(doc)] == expected  # the labels, word for word
    others = idea_pool.summary.loc[idea_pool.summary["status"].ne("new"), "label"]
    assert idea_pool.summary["status"].eq("not_compared").any()
    assert not set(others) & set(expected)


def test_each_draft_paragraph_has_a_comment_naming_supporters_and_commitment(draft, idea_pool):
    doc = Document(draft)
    comments = list(doc.comments)
    assert len(comments) == len(draft_paragraphs(doc))
    first = idea_pool.top("prevention", n=1, new_only=True).iloc[0]
    text = comments[0].text
    assert f"Supported by {first['n_submitters']} contributor(s)" in text
    assert first["submitters"].split(";")[0] in text
    assert "Regional groups:" in text and "Stakeholder types:" in text
    assert "Against the GPA: new." in text and first["idea_id"] in text
    if first["builds_on"]:
        assert f"GPA commitment {first['builds_on']}" in text
    assert comments[0].timestamp == dt.datetime(2017, 8, 15, tzinfo=dt.UTC)


def test_same_pool_gives_the_same_bytes(idea_pool, commitments, tmp_path):
    one, two = tmp_path / "one.docx", tmp_path / "two.docx"
    for path in (one, two):
        write_zero_draft(idea_pool, path, title="GPA review 2017", illustrative=True)
    with zipfile.ZipFile(one) as a, zipfile.ZipFile(two) as b:
        for part in ("word/document.xml", "word/comments.xml", "docProps/core.xml"):
            assert a.read(part) == b.read(part)
    assert one.read_bytes() == two.read_bytes()
    assert Document(one).core_properties.created == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def test_no_illustrative_note_unless_asked_and_empty_pillars_say_so(commitments, tmp_path):
    frame = pd.DataFrame(
        [
            {
                "statement_id": "S1",
                "kind": "proposal",
                "pillar": "prosecution",
                "text": "We recommend that States appoint specialised prosecutors\x0b for "
                "cases of online sexual exploitation",
                "language": "en",
                "submitter": "A",
                "stakeholder_type": "member_state",
            }
        ]
    )
    path = write_zero_draft(
        pool_statements(frame, commitments), tmp_path / "d.docx", title="Review", illustrative=False
    )
    texts = [p.text for p in Document(path).paragraphs]
    assert not any(t.startswith("Illustrative data") for t in texts)
    assert texts.count("No new idea was proposed under this heading.") == 3
    assert "Appoint specialised prosecutors for cases of online sexual exploitation." in texts
