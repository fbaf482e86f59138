"""Elements for the zero draft, read as co-facilitators read them: the Word file parsed with
python-docx (full sentences in English, declaration verbs, a comment with sources on every
paragraph, title block and page furniture), what Parts A and B hold and leave out, the
plain-text twin, byte-for-byte determinism, and the document built as of a milestone."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from reviewlib import paths
from reviewlib.brief.digests import input_digest
from reviewlib.brief.publish import VERSION_LENGTH, write_zero_draft
from reviewlib.brief.slices import Slice
from reviewlib.errors import InputError
from reviewlib.gather.milestones import long_date
from reviewlib.gather.review import load_review
from reviewlib.ideas.declaration import OPENINGS
from reviewlib.ideas.pool import pool
from reviewlib.ideas.zero_draft import draft_settings
from reviewlib.scoring.scores import score

PART_B_OPENINGS = tuple(o for o in OPENINGS if not o.startswith("We reaffirm"))
BODY_STYLES = ("Normal", "Draft paragraph", "Draft note", "Banner")
IDEA_ID = re.compile(r"From idea (IDEA-[0-9a-f]{12})")


# Reading the document ------------------------------------------------------------------------


def parts(doc) -> list[tuple[str, object]]:
    """(the Heading 1 a paragraph falls under, the paragraph), in order."""
    out, current = [], ""
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            current = p.text
        out.append((current, p))
    return out


def numbered(doc, part: str | None = None) -> list:
    return [
        p
        for heading, p in parts(doc)
        if p.style.name == "Draft paragraph" and (part is None or heading.startswith(part))
    ]


def split_number(paragraph) -> tuple[str, str]:
    number, _, text = paragraph.text.partition("\t")
    return number.rstrip("."), text


def comment_of(doc, paragraph) -> str:
    by_id = {str(c.comment_id): c for c in doc.comments}
    ids = paragraph._p.xpath(".//w:commentRangeStart/@w:id")
    return "\n".join(by_id[i].text for i in ids)


_ENGLISH = {"the", "and", "of", "to", "we", "our", "for", "with", "that", "their", "by", "on"}
_ENGLISH |= {"in", "from", "at", "into", "is", "are", "be", "not", "an", "this", "which", "who"}
_ENGLISH |= {"before", "through", "about", "among", "including", "often", "without", "now"}
_OTHERS = {
    "fr": {"le", "la", "les", "des", "du", "et", "pour", "dans", "une", "aux", "nous", "sur"},
    "es": {"el", "los", "las", "del", "y", "para", "una", "por", "con", "nuestros", "se"},
    "pt": {"os", "das", "dos", "uma", "para", "com", "não"},
}


def in_english(text: str) -> bool:
    """No Cyrillic, Arabic or Chinese script, and more English function words than any other
    language's (a test-side check; the document is built from English text only)."""
    if re.search(r"[\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]", text):
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(w in _ENGLISH for w in words)
    return english > 0 and all(english > sum(w in s for w in words) for s in _OTHERS.values())


# The demo review's document ------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return load_review(paths.INPUTS)


@pytest.fixture(scope="module")
def written(demo, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zero_draft")
    return {p.suffix: p for p in write_zero_draft(demo, folder)}


@pytest.fixture(scope="module")
def doc(written):
    return Document(written[".docx"])


def test_every_paragraph_is_a_full_sentence_in_english_never_cut(doc):
    body = [p for p in doc.paragraphs if p.style.name in BODY_STYLES]
    assert len(body) > 40
    for p in body:
        assert p.text.endswith("."), p.text
        assert "…" not in p.text and "..." not in p.text, p.text
        assert in_english(p.text), p.text


def test_the_detector_would_see_another_language(demo):
    s = demo.statements
    foreign = s.loc[s["language"].isin(["fr", "es", "ru"]), "text"]
    assert len(foreign) > 50 and not any(in_english(text) for text in foreign)
    assert all(in_english(text) for text in s.loc[s["text_en"].ne(""), "text_en"].head(200))


def test_paragraphs_are_numbered_in_order_and_open_with_declaration_verbs(doc):
    preamble = [split_number(p)[0] for p in numbered(doc, "Preamble")]
    operative = [split_number(p)[0] for p in numbered(doc) if split_number(p)[0].startswith("OP")]
    assert preamble == [f"PP {i}" for i in range(1, len(preamble) + 1)] and len(preamble) == 3
    assert operative == [f"OP {i}" for i in range(1, len(operative) + 1)]
    part_a, part_b = numbered(doc, "Part A"), numbered(doc, "Part B")
    assert part_a and part_b
    for p in part_a:
        assert split_number(p)[1].startswith("We reaffirm our commitment to "), p.text
    for p in part_b:
        assert split_number(p)[1].startswith(PART_B_OPENINGS), p.text
    registers = {split_number(p)[1].split(" to ")[0] for p in part_b}
    assert {"We commit", "We encourage Member States"} <= registers
    assert any(t.startswith("We call upon the United Nations system") for t in registers)
    assert not any(p.runs[0].text.startswith("OP") is False for p in part_a + part_b)
    assert doc.styles["Draft paragraph"].next_paragraph_style.name == "Draft paragraph"
    assert not doc.element.body.xpath(".//w:numPr")  # typed numbers, not Word's list numbering


def test_every_numbered_paragraph_has_a_comment_and_parts_a_b_cite_statements(doc, demo):
    ids = set(demo.statements["statement_id"])
    cited = re.compile(r"[A-Z]+-[A-Z0-9]+(?:-\d{4})?-\d+")
    assert len(list(doc.comments)) == len(numbered(doc))
    for p in numbered(doc):
        text = comment_of(doc, p)
        assert text.strip(), p.text
        if p in numbered(doc, "Part"):
            found = set(cited.findall(text)) & ids
            assert found, f"no statement id in the comment of {p.text[:40]}"
    assert all(c.timestamp.date().isoformat() == "2017-09-04" for c in doc.comments)


def test_title_block_header_and_page_numbers(doc, demo, written):
    version = input_digest(demo, Slice("overview"))[:VERSION_LENGTH]
    texts = [p.text for p in doc.paragraphs[:4]]
    assert texts[0] == demo.config.title and doc.paragraphs[0].style.name == "Title"
    assert texts[1] == "Elements for a zero draft — for discussion"
    assert texts[2] == f"Contributions received up to 4 September 2017. Version {version}."
    assert texts[3].startswith("Illustrative data") and doc.paragraphs[3].style.name == "Banner"
    header = " ".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "Draft — for discussion" in header and "4 September 2017" in header
    assert f"version {version}" in header and "Illustrative data" in header
    with zipfile.ZipFile(written[".docx"]) as package:
        footers = [package.read(n).decode() for n in package.namelist() if "footer" in n]
        styles = package.read("word/styles.xml").decode()
    assert any('w:instr="PAGE"' in f and 'w:instr="NUMPAGES"' in f for f in footers)
    assert 'w:lang w:val="en-GB"' in styles
    assert doc.core_properties.language == "en-GB" and doc.core_properties.version == version


def test_part_a_reaffirms_the_lagging_and_thin_commitments_most_critical_first(doc, demo):
    coverage = score(demo).coverage
    chosen = coverage[coverage["status"].isin(["lagging", "thin evidence"])]
    expected = chosen.assign(_o=chosen["status"].map({"lagging": 0, "thin evidence": 1}))
    expected = expected.sort_values(
        ["_o", "negative", "gaps", "commitment"], ascending=[1, 0, 0, 1]
    )
    found = [
        re.search(r"commitment ([A-Z]+-\d+) —", comment_of(doc, p))[1]
        for p in numbered(doc, "Part A")
    ]
    assert found == list(expected["commitment"]) and len(found) >= 5
    first = comment_of(doc, numbered(doc, "Part A")[0])
    assert demo.reference.describe_commitment(found[0]) in first
    assert "Evidence of gaps: lagging" in first and "Contributors who reported on it:" in first


def _credited(p, idea_id: str) -> pd.DataFrame:
    members = p.ideas[p.ideas["idea_id"].eq(idea_id)]
    return members[members["status"].ne("restates")]


def test_part_b_holds_every_new_idea_above_the_threshold_and_nothing_else(doc, demo):
    p = pool(demo)
    drafted = [IDEA_ID.search(comment_of(doc, q))[1] for q in numbered(doc, "Part B")]
    new = p.summary[p.summary["kind"].eq("proposal") & p.summary["status"].eq("new")]
    passing = [
        i
        for i in new.sort_values("rank")["idea_id"]
        if _credited(p, i)["submitter"].nunique() >= 3
        and _credited(p, i)["stakeholder_type"].nunique() >= 2
    ]
    assert sorted(drafted) == sorted(passing) and len(drafted) >= 15
    summary = p.summary.set_index("idea_id")
    assert not summary.loc[drafted, "status"].ne("new").any()  # never a restatement
    restating = p.summary[p.summary["status"].eq("restates") & p.summary["n_submitters"].ge(5)]
    assert len(restating) and not set(restating["idea_id"]) & set(drafted)
    small = new[new["n_submitters"].lt(3)]
    assert len(small) and not set(small["idea_id"]) & set(drafted)  # below the threshold
    rapporteur = new[new["label"].str.contains("national rapporteur") & new["n_submitters"].ge(5)]
    assert set(rapporteur["idea_id"]) <= set(drafted) and len(rapporteur)


def test_part_b_comments_credit_supporters_and_name_a_commitment_only_when_the_pool_does(doc, demo):
    p = pool(demo)
    summary = p.summary.set_index("idea_id")
    for q in numbered(doc, "Part B"):
        text = comment_of(doc, q)
        idea = IDEA_ID.search(text)[1]
        credited = _credited(p, idea)
        n, types = credited["submitter"].nunique(), credited["stakeholder_type"].nunique()
        assert f"Proposed by {n} contributors of {types} stakeholder types" in text
        assert "Regional groups:" in text and "similarity" not in text
        builds_on = summary.loc[idea, "builds_on"]
        if builds_on:
            assert f"builds on GPA commitment {builds_on}." in text and " — " in builds_on
        else:
            assert "no commitment is close enough to name" in text
        for sid in credited["statement_id"]:
            assert sid in text


def test_nothing_grades_or_ranks_a_member_state(doc):
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for c in doc.comments])
    grades = r"(?<![-\w])(level|levels|tier|score|scores|weakest|worst|best performing)\b"
    assert not re.search(grades, text, re.IGNORECASE)


def test_the_twin_holds_the_same_paragraphs_and_comments(doc, written):
    twin = written[".md"].read_text(encoding="utf-8")
    for p in numbered(doc):
        number, text = split_number(p)
        assert f"**{number}.** {text}" in twin
        for line in comment_of(doc, p).splitlines():
            assert f"> {line}" in twin
    assert "## Annex — Contributions received" in twin


def test_same_inputs_give_the_same_bytes(demo, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    first, second = write_zero_draft(demo, one), write_zero_draft(demo, two)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    with zipfile.ZipFile(first[-1]) as package:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in package.infolist())
    created = Document(first[-1]).core_properties.created
    assert created.date().isoformat() == "2017-09-04"


# At a milestone ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def at_milestone(demo, tmp_path_factory):
    review = load_review(paths.INPUTS, milestone="zero_draft_elements")
    folder = tmp_path_factory.mktemp("milestone")
    written = {p.suffix: p for p in write_zero_draft(review, folder)}
    return review, Document(written[".docx"])


def test_a_contribution_received_after_the_milestone_is_not_counted(at_milestone, demo):
    review, doc = at_milestone
    late = demo.contributions[demo.contributions["received"].gt("2017-06-30")]
    assert len(late) > 10 and "ACA-ISRM" in set(late["contribution_id"])
    assert not review.statements["received"].gt("2017-06-30").any()
    assert not review.statements["contribution_id"].isin(late["contribution_id"]).any()
    ledger = review.ledger[review.ledger["file"].eq("ACA-ISRM.xlsx")]
    assert ledger["status"].eq("not_counted").all() and len(ledger)
    assert (
        ledger["message"]
        .str.startswith(
            "received 2017-07-15, after the milestone zero_draft_elements (30 June 2017): not counted"
        )
        .all()
    )
    undated = review.ledger[review.ledger["file"].eq("CSO-KASAMBAHAY.csv")]
    assert undated["status"].eq("not_counted").all()
    assert undated["message"].str.contains("no date received").all()
    assert len(review.ledger) == len(demo.ledger)  # every row still there, once
    comments = "\n".join(c.text for c in doc.comments)
    assert "ACA-ISRM-" not in comments and "CSO-KASAMBAHAY-" not in comments


def test_the_document_as_of_a_milestone_says_so_and_marks_late_contributions(at_milestone):
    review, doc = at_milestone
    note = "As of 30 June 2017 (elements for the zero draft): only contributions received by 30 June 2017 are counted."
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert note in header and any("30 June 2017" in line for line in header)
    assert note in [p.text for p in doc.paragraphs if p.style.name == "Banner"]
    assert doc.paragraphs[2].text.startswith("Contributions received by 30 June 2017")
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["Contributor", "Stakeholder type", "Received", "Counted"]
    counted = {r[0]: r[3] for r in rows[1:]}
    assert counted["Kasambahay Rights Network"] == "no: no date received"
    assert counted["International Organization for Migration"] == "yes"
    assert sum(v.startswith("no: received after 30 June 2017") for v in counted.values()) == 45
    assert len(rows) - 1 == len(review.contributions) + len(review.not_counted)


# Hand-made pools and settings ----------------------------------------------------------------


def test_settings_are_checked():
    assert draft_settings(None)["min_contributors"] == 3
    with pytest.raises(InputError, match="no setting 'min_supporters'"):
        draft_settings({"min_supporters": 2})
    with pytest.raises(InputError, match="min_contributors"):
        draft_settings({"min_contributors": 0})
    with pytest.raises(InputError, match="preamble"):
        draft_settings({"preamble": ["no source"]})


def test_long_date_as_un_documents_write_it():
    import datetime as dt

    assert long_date(dt.date(2017, 9, 27)) == "27 September 2017" and long_date(None) == ""


def _hand_made_pool():
    """Four new ideas and one restatement, with the members each has."""
    from reviewlib.ideas.pool import IdeaPool

    members = [
        # idea, statement, submitter, type, country, group, status
        ("IDEA-a", "S-1", "Kenya", "member_state", "KEN", "African", "new"),
        ("IDEA-a", "S-2", "Peru", "member_state", "PER", "GRULAC", "new"),
        ("IDEA-a", "S-3", "Aid Network", "civil_society", "", "WEOG", "new"),
        ("IDEA-b", "S-4", "Aid Network", "civil_society", "", "WEOG", "new"),
        ("IDEA-b", "S-5", "Shelter Group", "civil_society", "", "WEOG", "new"),
        ("IDEA-b", "S-6", "Legal Aid", "civil_society", "", "GRULAC", "new"),
        ("IDEA-c", "S-7", "Kenya", "member_state", "KEN", "African", "new"),
        ("IDEA-c", "S-8", "UNICEF", "un_entity", "", "", "new"),
        ("IDEA-c", "S-9", "Peru", "member_state", "PER", "GRULAC", "restates"),
        ("IDEA-d", "S-10", "Kenya", "member_state", "KEN", "African", "new"),
        ("IDEA-d", "S-11", "UNICEF", "un_entity", "", "", "new"),
        ("IDEA-d", "S-12", "Aid Network", "civil_society", "", "WEOG", "new"),
        ("IDEA-d", "S-13", "Peru", "member_state", "PER", "GRULAC", "restates"),
        ("IDEA-e", "S-14", "Kenya", "member_state", "KEN", "African", "restates"),
        ("IDEA-e", "S-15", "Peru", "member_state", "PER", "GRULAC", "restates"),
        ("IDEA-e", "S-16", "UNICEF", "un_entity", "", "", "restates"),
    ]
    ideas = pd.DataFrame(
        members,
        columns=[
            "idea_id",
            "statement_id",
            "submitter",
            "stakeholder_type",
            "country",
            "regional_group",
            "status",
        ],
    ).assign(nearest_commitment=lambda f: f["status"].map({"restates": "PRO-02"}).fillna(""))
    summary = pd.DataFrame(
        {
            "idea_id": ["IDEA-a", "IDEA-b", "IDEA-c", "IDEA-d", "IDEA-e"],
            "kind": "proposal",
            "rank": [1, 2, 3, 4, 5],
            "status": ["new", "new", "new", "new", "restates"],
            "pillar": ["prevention", "protection", "protection", "prosecution", "protection"],
            "label": [
                "Train labour inspectors to detect forced labour.",
                "Open shelters for men.",
                "Fund legal aid.",
                "Set up specialised courts.",
                "Do not punish victims.",
            ],
            "builds_on": ["", "", "", "PRS-02 — Investigation, prosecution and conviction", ""],
        }
    )
    statements = ideas[["statement_id", "country"]]
    return IdeaPool(ideas.drop(columns="country"), summary), statements


def test_the_threshold_counts_only_the_proposals_credited_to_a_new_element():
    from reviewlib.gather.reference import load_reference
    from reviewlib.ideas.zero_draft_parts import new_elements

    pool_, statements = _hand_made_pool()
    reference = load_reference(paths.INPUTS)
    by_pillar, left_out = new_elements(pool_, statements, reference, draft_settings(None))
    drafted = {p.source: p for found in by_pillar.values() for p in found}
    assert set(drafted) == {"IDEA-a", "IDEA-d"}  # b: one type; c: two once Peru is not credited
    assert drafted["IDEA-a"].text == (
        "We commit to training labour inspectors to detect forced labour."
    )
    assert (
        "Proposed by 3 contributors of 2 stakeholder types: Member States (2: Kenya; Peru)"
        in (drafted["IDEA-a"].comment[1])
    )
    d = drafted["IDEA-d"]
    assert d.text == "We encourage Member States to set up specialised courts."
    assert "Proposals: S-10; S-11; S-12." in d.comment
    assert "S-13" not in d.comment[3] and any(
        line.startswith("Not credited here: S-13 (Peru) restates GPA commitment PRO-02 — ")
        for line in d.comment
    )
    assert "builds on GPA commitment PRS-02 — Investigation, prosecution and conviction." in (
        " ".join(d.comment)
    )
    assert left_out.startswith("Left out: 2 new ideas with fewer supporters than that, 1 idea")
    capped, said = new_elements(
        pool_, statements, reference, draft_settings({"max_new_elements": 1})
    )
    assert [p.source for found in capped.values() for p in found] == ["IDEA-a"]
    assert said.endswith("and 1 beyond the cap of 1 new elements.")


def test_the_ideas_brief_lists_the_best_elements_part_b_drafts(demo, doc):
    import html

    from reviewlib.brief.content import prepare
    from reviewlib.brief.sections import ideas_by_pillar

    blocks = ideas_by_pillar(prepare(demo, Slice("ideas")))
    shown = html.unescape("".join(b.markup for b in blocks))
    labels = re.findall(r'<span class="idea">(.*?)</span>', shown)
    summary = pool(demo).summary.set_index("idea_id")
    drafted = [IDEA_ID.search(comment_of(doc, q))[1] for q in numbered(doc, "Part B")]
    expected = summary.loc[drafted].groupby("pillar", sort=False).head(3)["label"]
    assert sorted(labels) == sorted(expected) and len(labels) >= 8
