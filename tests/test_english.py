"""English renderings (`text_en`) in every format, the secretariat's translations, and the
checking of the pool-of-ideas decisions when a review loads."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from reviewlib import load_review, paths
from reviewlib.gather.english import TRANSLATION_COLUMNS
from reviewlib.gather.idea_decisions import IDEA_DECISION_COLUMNS
from reviewlib.gather.reference import load_reference
from reviewlib.gather.template import write_template

HEADER = "contribution_id,submitter,stakeholder_type,country,received,language,statement_id,kind"


def _csv(folder, name, language, rows):
    lines = [HEADER + ",text,text_en,text_en_source"]
    for sid, text, text_en, source in rows:
        lines.append(
            f"{name},Réseau Test,civil_society,SEN,2017-06-01,{language},{sid},proposal,"
            f'"{text}","{text_en}",{source}'
        )
    (folder / "contributions" / f"{name}.csv").write_text("\n".join(lines) + "\n", "utf-8")


def _statements(inputs) -> pd.DataFrame:
    return load_review(inputs, cache=False).statements.set_index("statement_id")


def test_text_en_is_read_from_csv_with_who_made_it(make_inputs):
    inputs = make_inputs()
    _csv(
        inputs,
        "FR-CSO",
        "fr",
        [
            ("F1", "Créer un rapporteur national.", "Create a national rapporteur.", ""),
            ("F2", "Interdire les frais.", "Ban recruitment fees.", "Machine translation"),
            ("F3", "Former les juges.", "", ""),
            ("F4", "Protéger les témoins.", "Protect witnesses.", "a friend"),
        ],
    )
    _csv(inputs, "EN-CSO", "en", [("E1", "Train judges.", "", "")])
    review = load_review(inputs, cache=False)
    s = review.statements.set_index("statement_id")
    assert s.loc["F1", ["text_en", "text_en_source"]].tolist() == [
        "Create a national rapporteur.",
        "contributor",
    ]
    assert s.loc["F2", "text_en_source"] == "machine"
    assert s.loc["F3", ["text_en", "text_en_source"]].tolist() == ["", ""]
    assert s.loc["F4", "text_en_source"] == "contributor"
    assert s.loc["E1", ["text_en", "text_en_source"]].tolist() == ["Train judges.", "original"]
    messages = " ".join(review.ledger["message"])
    assert "'a friend' is not a source of English text" in messages
    assert not review.has_rejections


def test_text_en_is_read_from_json_and_from_the_template(make_inputs, tmp_path):
    inputs = make_inputs()
    doc = {
        "contribution": {
            "submitter": "Сеть",
            "stakeholder_type": "civil_society",
            "language": "ru",
        },
        "statements": [
            {
                "statement_id": "R1",
                "kind": "proposal",
                "text": "Создать горячие линии.",
                "text_en": "Set up hotlines.",
                "text_en_source": "machine",
            },
            {"statement_id": "R2", "kind": "gap", "text": "Нет данных.", "text_en_source": "mt"},
        ],
    }
    (inputs / "contributions" / "ru.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    path = write_template(tmp_path / "t.xlsx", load_reference(inputs))
    book = load_workbook(path)
    for row in book["Contributor"].iter_rows(min_row=2):
        row[1].value = {
            "submitter": "Red",
            "stakeholder_type": "civil_society",
            "language": "es",
        }.get(row[0].value, row[1].value)
    sheet = book["Statements"]
    header = [c.value for c in sheet[1]]
    assert header.index("text_en") == header.index("text") + 1
    for field, value in (
        ("kind", "proposal"),
        ("text", "Crear refugios."),
        ("text_en", "Open shelters."),
    ):
        sheet.cell(row=2, column=header.index(field) + 1, value=value)
    book.save(inputs / "contributions" / "es.xlsx")
    review = load_review(inputs, cache=False)
    s = review.statements.set_index("statement_id")
    assert s.loc["R1", ["text_en", "text_en_source"]].tolist() == ["Set up hotlines.", "machine"]
    assert s.loc["R2", ["text_en", "text_en_source"]].tolist() == ["", ""]
    es = s[s["language"].eq("es")].iloc[0]
    assert (es["text_en"], es["text_en_source"]) == ("Open shelters.", "contributor")
    assert "text_en is empty; ignored" in " ".join(review.ledger["message"])
    guide = " ".join(str(c.value) for c in book["Instructions"]["A"])
    assert "text_en" in guide and "machine" in guide


def test_the_secretariat_adds_corrects_and_takes_back_english_text(make_inputs):
    inputs = make_inputs()
    _csv(
        inputs,
        "FR-CSO",
        "fr",
        [
            ("F1", "Créer un rapporteur national.", "Create a rapporter.", ""),
            ("F2", "Interdire les frais.", "", ""),
            ("F3", "Former les juges.", "Train the judges.", ""),
        ],
    )
    rows = [
        ["F1", "Create a national rapporteur.", "secretariat", "", "Ana", "2017-08-01T10:00:00"],
        ["F2", "Ban recruitment fees.", "machine", "", "DeepL import", "2017-08-01T10:01:00"],
        ["F3", "", "secretariat", "wrong: not this text", "Ana", "2017-08-01T10:02:00"],
        ["GONE-1", "Something.", "secretariat", "", "Ana", "2017-08-01T10:03:00"],
        ["F1", "Appoint an independent national rapporteur.", "", "", "Bo", "2017-08-02T09:00:00"],
    ]
    pd.DataFrame(rows, columns=TRANSLATION_COLUMNS).to_csv(
        paths.translations_file(inputs), index=False
    )
    review = load_review(inputs, cache=False)
    s = review.statements.set_index("statement_id")
    assert s.loc["F1", ["text_en", "text_en_source"]].tolist() == [
        "Appoint an independent national rapporteur.",
        "secretariat",
    ]
    assert s.loc["F2", ["text_en", "text_en_source"]].tolist() == [
        "Ban recruitment fees.",
        "machine",
    ]
    assert s.loc["F3", ["text_en", "text_en_source"]].tolist() == ["", ""]
    gone = review.ledger[review.ledger["file"].eq("translations.csv")]
    assert list(gone["statement_id"]) == ["GONE-1"] and list(gone["row"]) == [5]
    assert "no such statement" in gone["message"].iat[0]
    assert review.summary()["files"] == 1  # decisions files are not contributions


def test_the_demo_gives_english_for_every_statement_in_a_language_it_names():
    s = load_review(paths.INPUTS).statements
    named = s[s["language"].ne("")]
    assert named["text_en"].ne("").all()
    # the documents' French and Spanish statements get their English from translations.csv
    assert set(named.loc[named["language"].ne("en"), "text_en_source"]) == {
        "contributor",
        "machine",
        "secretariat",
    }
    assert s.loc[s["language"].eq(""), "text_en"].eq("").all()  # MED-DELTA names no language


# --- decisions on the pool of ideas, as read --------------------------------------------------


def _ideas_csv(inputs, rows):
    pd.DataFrame(rows, columns=IDEA_DECISION_COLUMNS).to_csv(
        paths.idea_decisions_file(inputs), index=False
    )


@pytest.fixture
def pooled(make_inputs):
    inputs = make_inputs()
    _csv(
        inputs,
        "EN-CSO",
        "en",
        [(f"P{i}", f"Proposal number {i}.", "", "") for i in range(1, 6)],
    )
    return inputs


def test_idea_decisions_are_checked_and_what_cannot_be_applied_is_reported(pooled):
    _ideas_csv(
        pooled,
        [
            ["rename", "P1", "", "Create a national rapporteur", "", "Ana", "t1"],
            ["move", "P2;GONE-9", "P1", "", "", "Ana", "t2"],
            ["split", "P3;P4", "", "", "", "Ana", "t3"],
            ["merge", "P5", "P1", "", "", "Ana", "t4"],
            ["rename", "P2", "", "  ", "", "Ana", "t5"],
            ["move", "P5", "GONE-2", "", "", "Ana", "t6"],
            ["split", "GONE-3", "", "", "", "Ana", "t7"],
        ],
    )
    review = load_review(pooled, cache=False)
    applied = review.idea_decisions
    assert applied[["action", "statement_ids", "target", "label", "row"]].values.tolist() == [
        ["rename", "P1", "", "Create a national rapporteur", 2],
        ["move", "P2", "P1", "", 3],
        ["split", "P3;P4", "", "", 4],
    ]
    ledger = review.ledger[review.ledger["file"].eq("ideas.csv")]
    assert list(ledger["row"]) == [3, 5, 6, 7, 8, 8]
    text = " ".join(ledger["message"])
    assert "'GONE-9'" in text and "'merge' is not one of rename, move, split" in text
    assert "needs the new label" in text and "'GONE-2'" in text and "'GONE-3'" in text
    assert not review.has_rejections
