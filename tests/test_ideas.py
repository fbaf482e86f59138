"""The pool of ideas: grouping quality on a labelled set (held-out part reported apart), status
against the GPA on English text only, labels, order, triage and curation decisions, tables."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.metrics import adjusted_rand_score

from reviewlib import paths
from reviewlib.errors import InputError
from reviewlib.ideas import grouping, normalise
from reviewlib.ideas import pool as ideas
from reviewlib.ideas.pool import IdeaPool, Method, pool, pool_statements, write_tables
from reviewlib.ideas.quality import measure
from reviewlib.terms import IDEA_STATUS_LABELS, NON_GOVERNMENTAL

DATA = Path(__file__).parent / "data" / "ideas"
# Measured on tests/data/ideas/labelled.csv with the shipped synonyms.csv and the defaults
# (chosen on the tuning part and the demo only): tuning part (172 proposals, 36 groups) ARI
# 0.799, support precision 0.957; held-out part (54 proposals, 13 groups, never tuned on) ARI
# 0.594, support precision 0.911. Floors sit a little below.
FLOORS = {"tuning": (0.78, 0.94), "held_out": (0.57, 0.9)}


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    return read(DATA / "labelled.csv")


@pytest.fixture(scope="module")
def commitments() -> pd.DataFrame:
    return read(DATA / "commitments.csv")


@pytest.fixture(scope="module")
def synonyms() -> pd.DataFrame:
    return read(paths.reference_dir() / "synonyms.csv")


@pytest.fixture(scope="module")
def tuning(labelled) -> pd.DataFrame:
    return labelled[labelled["part"].eq("tuning")].reset_index(drop=True)


@pytest.fixture(scope="module")
def labelled_pool(tuning, commitments, synonyms) -> IdeaPool:
    return pool_statements(tuning, commitments, synonyms=synonyms)


@pytest.fixture(scope="module")
def quality(labelled, commitments, synonyms) -> tuple[pd.DataFrame, pd.DataFrame]:
    return measure(labelled, commitments, synonyms)


def ari(frame: pd.DataFrame, result: IdeaPool) -> float:
    joined = frame.merge(result.ideas[["statement_id", "idea_id"]], on="statement_id")
    assert len(joined) == len(frame)
    return adjusted_rand_score(joined["group"], joined["idea_id"])


def statements(rows: list[dict]) -> pd.DataFrame:
    base = {
        "submitter": "Someone",
        "stakeholder_type": "civil_society",
        "regional_group": "",
        "pillar": "",
        "themes": "",
        "language": "en",
        "kind": "proposal",
        "decision": "",
        "merged_into": "",
    }
    return pd.DataFrame([{**base, **row} for row in rows])


# --- grouping quality -------------------------------------------------------------------------


def test_labelled_set_has_what_the_measures_need(labelled):
    assert len(labelled) >= 200 and labelled["group"].nunique() >= 45
    held_out = labelled[labelled["part"].eq("held_out")]
    assert len(held_out) >= 50 and not set(held_out["group"]) & set(
        labelled.loc[labelled["part"].eq("tuning"), "group"]
    )
    others = labelled[labelled["language"].ne("en")]
    assert {"fr", "es", "ru"} <= set(others["language"])
    for language, rows in others.groupby("language"):  # with and without English text
        assert rows["text_en"].ne("").any() and rows["text_en"].eq("").any(), language
        restating = rows[rows["restates"].str.match(r"^[A-Z]{3}-\d\d$")]
        assert len(restating) >= 3, language
    assert {"media_ethics", "survivor_council", "crisis_screening"} <= set(labelled["group"])


@pytest.mark.parametrize("part", ["tuning", "held_out"])
def test_grouping_holds_its_measured_floor_in_each_part(quality, part):
    grouping = quality[0].set_index("part")
    ari_floor, precision_floor = FLOORS[part]
    assert grouping.loc[part, "ari"] >= ari_floor
    assert grouping.loc[part, "support_precision"] >= precision_floor


def test_restatements_are_found_in_every_language_with_english_text(quality):
    rows = quality[1][quality[1]["part"].eq("tuning")]
    english = rows[rows["text"].eq("English")]
    rendered = rows[rows["text"].eq("with English text")]
    recall_en = (english["recall"] * english["restating"]).sum() / english["restating"].sum()
    recall_other = (rendered["recall"] * rendered["restating"]).sum() / rendered["restating"].sum()
    assert recall_en >= 0.75 and abs(recall_other - recall_en) <= 0.10
    assert (rows["precision"].dropna() >= 0.75).all()
    missing = quality[1][quality[1]["text"].eq("no English text")]
    assert (missing["not_compared"] == 1.0).all() and missing["new_without_english"].eq(0).all()


def test_look_alikes_stay_apart(labelled_pool, tuning):
    joined = tuning.merge(labelled_pool.ideas[["statement_id", "idea_id"]], on="statement_id")
    ideas_of = joined.groupby("group")["idea_id"].agg(set)
    for one, other in [
        ("survivor_council", "media_ethics"),
        ("survivor_council", "crisis_screening"),
        ("survivor_funding", "survivor_council"),
        ("firewall", "labour_inspector_training"),
    ]:
        assert not ideas_of[one] & ideas_of[other], (one, other)


def test_stemming_and_synonyms_each_add_to_the_grouping(tuning, commitments, synonyms):
    def ari(method: Method) -> float:
        result = pool_statements(tuning, commitments, synonyms=synonyms, method=method)
        joined = tuning.merge(result.ideas[["statement_id", "idea_id"]], on="statement_id")
        return adjusted_rand_score(joined["group"], joined["idea_id"])

    full = ari(Method())
    assert ari(Method(synonyms=False)) < full - 0.1
    assert ari(Method(stem=False)) < full - 0.02


def test_proposals_in_other_languages_join_their_idea(tuning, labelled_pool):
    merged = tuning.merge(labelled_pool.ideas[["statement_id", "idea_id"]], on="statement_id")
    for has_english, share in ((True, 0.9), (False, 0.6)):
        others = merged[merged["language"].ne("en") & merged["text_en"].ne("").eq(has_english)]
        joined = [
            (
                (merged["idea_id"] == row.idea_id)
                & (merged["group"] == row.group)
                & (merged["statement_id"] != row.statement_id)
            ).any()
            for row in others.itertuples()
        ]
        assert np.mean(joined) >= share, has_english
    assert labelled_pool.summary["languages"].str.contains(";").any()


def test_linkage_equals_exact_average_linkage_on_small_data():
    rng = np.random.default_rng(3)
    x = sparse.csr_matrix(np.abs(rng.standard_normal((25, 40))) ** 3)
    x = sparse.csr_matrix(x.multiply(1 / np.sqrt(x.multiply(x).sum(axis=1))))
    for threshold in (0.5, 0.6, 0.7):
        ours = grouping.group_vectors(x, threshold)
        exact = fcluster(
            linkage(x.toarray(), method="average", metric="cosine"),
            1 - threshold,
            criterion="distance",
        )
        assert adjusted_rand_score(exact, ours) == 1.0


def test_top_k_matches_a_full_sort():
    rng = np.random.default_rng(0)
    sims = rng.standard_normal((20, 64 * 200)).astype(np.float32)
    got = np.sort(np.take_along_axis(sims, grouping._top_k(sims, 60), axis=1), axis=1)
    assert np.array_equal(got, np.sort(sims, axis=1)[:, -60:])


def _unit_rows(n: int, width: int, seed: int) -> sparse.csr_matrix:
    rng = np.random.default_rng(seed)
    x = sparse.random(n, width, density=0.3, random_state=rng, dtype=np.float32, format="csr")
    return sparse.csr_matrix(x.multiply(1 / np.sqrt(x.multiply(x).sum(axis=1))), dtype=np.float32)


def test_rows_of_a_small_pool_are_linked_to_their_most_similar_rows(monkeypatch):
    x = _unit_rows(150, 400, seed=5)  # more rows than candidates: candidates are picked
    lsa = []
    monkeypatch.setattr(grouping, "_lsa", lambda *a: lsa.append(a) or pytest.fail("LSA used"))
    links = grouping._neighbour_links(x, grouping._sketch(x, 64), grouping.METHOD)
    exact = np.round((x @ x.T).toarray(), 6)  # (links are ranked to six decimals)
    np.fill_diagonal(exact, -np.inf)
    kth = np.sort(exact, axis=1)[:, -grouping.METHOD.neighbours]
    for i in range(x.shape[0]):  # every row more similar than the 30th most similar is linked
        assert set(np.flatnonzero(exact[i] > kth[i]).tolist()) <= set(links[i]), i
        assert len(links[i]) >= grouping.METHOD.neighbours
    assert not lsa


def test_rows_of_a_large_pool_take_their_candidates_from_lsa(monkeypatch):
    x = _unit_rows(150, 400, seed=5)
    used = []
    real = grouping._lsa
    monkeypatch.setattr(grouping, "_lsa", lambda *a: used.append(a) or real(*a))
    method = Method(exact_candidates=100)  # 150 rows are "many" for it
    links = grouping._neighbour_links(x, grouping._sketch(x, 64), method)
    assert len(used) == 1
    assert all(len(row) >= method.neighbours for row in links)


def test_the_random_projection_depends_on_the_width_alone():
    from sklearn.random_projection import SparseRandomProjection

    for seed in (1, 2):  # the second matrix, of the same width, reuses the projection
        x = _unit_rows(40, 700, seed=seed)
        own = SparseRandomProjection(n_components=256, dense_output=True, random_state=0)
        assert np.array_equal(grouping._sketch(x, 256), own.fit_transform(x).astype(np.float32))


def test_no_n_by_n_matrix_is_built():
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(60)]
    n = 6000
    x = normalise.vectorise([" ".join(rng.choice(words, 8)) for _ in range(n)])
    tracemalloc.start()
    grouping._neighbour_links(x, grouping._sketch(x, grouping.METHOD.sketch), grouping.METHOD)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < n * n * 4  # less than one float32 n x n matrix (144 MB)


# --- status against the GPA --------------------------------------------------------------------


def test_a_copied_commitment_restates_and_a_new_idea_is_new(commitments, synonyms):
    copied = commitments.loc[commitments["commitment"].eq("PRE-04"), "text"].iat[0]
    frame = statements(
        [
            {"statement_id": "S1", "text": copied},
            {
                "statement_id": "S2",
                "text": "Create a survivor advisory council, paid for its time, "
                "that is consulted on every new anti-trafficking policy.",
            },
        ]
    )
    result = pool_statements(frame, commitments, synonyms=synonyms)
    rows = result.ideas.set_index("statement_id")
    assert (
        rows.loc["S1", "status"] == "restates" and rows.loc["S1", "nearest_commitment"] == "PRE-04"
    )
    assert rows.loc["S1", "nearest_similarity"] > 0.99
    assert rows.loc["S2", "status"] == "new"
    summary = result.summary.set_index("idea_id")
    s1 = summary.loc[rows.loc["S1", "idea_id"]]
    assert s1["novelty"] < 0.01 and s1["builds_on"].startswith("PRE-04 — ")
    assert summary.loc[rows.loc["S2", "idea_id"], "novelty"] > 0.7
    assert len(result.new_ideas()) == 1
    assert result.headline() == (
        "2 proposals in 2 ideas; 1 idea restates what the GPA already says; 1 is new"
    )


def test_without_english_text_a_proposal_is_not_compared_and_never_new(commitments, synonyms):
    ratify = "Добиваться всеобщего присоединения к Протоколу о торговле людьми и его осуществления."
    english = "Work towards universal accession to the Trafficking in Persons Protocol."
    frame = statements(
        [
            {"statement_id": "R1", "text": ratify, "language": "ru", "text_en": english},
            {"statement_id": "R2", "text": ratify, "language": "ru", "text_en": ""},
            {"statement_id": "R3", "text": "Создать советы пострадавших.", "language": "ru"},
        ]
    )
    result = pool_statements(frame, commitments, synonyms=synonyms)
    rows = result.ideas.set_index("statement_id")
    assert (
        rows.loc["R1", "status"] == "restates" and rows.loc["R1", "nearest_commitment"] == "GEN-02"
    )
    assert rows.loc["R2", "status"] == rows.loc["R3", "status"] == "not_compared"
    assert rows.loc["R2", "nearest_commitment"] == "" and not rows.loc["R2", "is_restatement"]
    alone = result.summary.set_index("idea_id").loc[rows.loc["R3", "idea_id"]]
    assert alone["status"] == "not_compared" and alone["builds_on"] == ""
    assert alone["status_label"] == "not compared with the GPA (no English text)"
    assert np.isnan(alone["novelty"]) and alone["label_language"] == "ru"
    assert result.uncompared_proposals() == 2
    assert "could not be compared with the GPA (no English text)" in result.headline()
    assert result.new_ideas().empty


def test_headline_counts_proposals_ideas_and_their_status(labelled_pool):
    proposals = labelled_pool.summary
    text = labelled_pool.headline()
    assert text.startswith(
        f"{proposals['n_statements'].sum()} proposals in {len(proposals)} ideas; "
    )
    assert f"{labelled_pool.count('restates')} ideas restate what the GPA already says" in text
    assert f"; {labelled_pool.count('new')} are new" in text
    counts = proposals["status"].value_counts()
    assert counts.sum() == len(proposals) and set(counts.index) == set(IDEA_STATUS_LABELS)


def test_nearest_commitment_is_named_only_above_the_measured_floor(labelled_pool):
    floor = ideas.DEFAULTS["nearest_similarity"]
    summary = labelled_pool.summary
    shown = summary["builds_on"].ne("")
    assert (summary.loc[shown, "nearest_similarity"] >= floor).all()
    assert (
        summary.loc[~shown & summary["status"].ne("not_compared"), "nearest_similarity"] < floor
    ).all()
    assert summary.loc[shown, "builds_on"].str.fullmatch(r"[A-Z]{3}-\d\d — .+").all()


# --- determinism and triage decisions ---------------------------------------------------------


def test_shuffled_input_gives_identical_tables_and_ids(
    tuning, commitments, synonyms, labelled_pool
):
    shuffled = tuning.sample(frac=1, random_state=5).reset_index(drop=True)
    again = pool_statements(shuffled, commitments.sample(frac=1, random_state=2), synonyms=synonyms)
    pd.testing.assert_frame_equal(again.ideas, labelled_pool.ideas)
    pd.testing.assert_frame_equal(again.summary, labelled_pool.summary)


def test_set_aside_statements_are_left_out_and_other_kinds_are_not_pooled(commitments):
    frame = statements(
        [
            {"statement_id": "A", "text": "Train labour inspectors to detect forced labour."},
            {
                "statement_id": "B",
                "text": "Train labour inspectors to spot forced labour.",
                "decision": "set_aside",
            },
            {"statement_id": "C", "text": "Few inspectors were trained.", "kind": "gap"},
        ]
    )
    result = pool_statements(frame, commitments)
    assert list(result.ideas["statement_id"]) == ["A"]


def test_a_merged_statement_joins_the_idea_of_its_target(commitments, synonyms):
    frame = statements(
        [
            {"statement_id": "A", "text": "Establish a national rapporteur on trafficking."},
            {
                "statement_id": "B",
                "text": "Ban recruitment fees charged to migrant workers.",
                "decision": "merge",
                "merged_into": "A",
                "submitter": "Other",
            },
            {
                "statement_id": "C",
                "text": "Protect whistle-blowers in fishing fleets.",
                "decision": "merge",
                "merged_into": "B",
            },
            {
                "statement_id": "D",
                "text": "Fund shelters for men.",
                "decision": "merge",
                "merged_into": "GONE",
            },
            {
                "statement_id": "E",
                "text": "Open more shelters.",
                "decision": "merge",
                "merged_into": "F",
            },
            {
                "statement_id": "F",
                "text": "Open hotlines.",
                "decision": "merge",
                "merged_into": "E",
            },
        ]
    )
    result = pool_statements(frame, commitments, synonyms=synonyms)
    rows = result.ideas.set_index("statement_id")
    assert rows.loc["A", "idea_id"] == rows.loc["B", "idea_id"] == rows.loc["C", "idea_id"]
    assert list(rows.loc[["B", "C"], "joined_by"]) == ["merge", "merge"]
    assert (
        rows.loc["D", "joined_by"] == rows.loc["E", "joined_by"] == "similarity"
    )  # no target, a cycle
    idea = result.summary.set_index("idea_id").loc[rows.loc["A", "idea_id"]]
    assert idea["n_statements"] == 3 and idea["n_submitters"] == 2
    assert idea["statement_ids"] == "A;B;C"


def test_good_practices_are_grouped_apart_and_flagged(commitments):
    text = "Specialised labour inspectors visit farms at harvest time to find forced labour."
    frame = statements(
        [
            {"statement_id": "P", "text": text},
            {"statement_id": "G", "text": text, "kind": "good_practice"},
        ]
    )
    result = pool_statements(frame, commitments)
    assert result.ideas["idea_id"].nunique() == 2
    assert list(result.summary["kind"]) == ["proposal", "good_practice"]
    assert result.top(kind="good_practice")["kind"].eq("good_practice").all()
    assert len(result.new_ideas()) == 1  # new_ideas() is about proposals


def test_odd_texts_and_languages_do_not_break_the_pool(commitments, synonyms):
    frame = statements(
        [
            {"statement_id": "1", "text": ""},
            {"statement_id": "2", "text": "the of and should"},
            {"statement_id": "3", "text": "إنشاء مقرر وطني مستقل", "language": "ar"},
            {"statement_id": "4", "text": "设立独立的国家报告员", "language": "zh"},
            {"statement_id": "5", "text": '=HYPERLINK("x")\tcell', "language": ""},
            {
                "statement_id": "6",
                "text": "Créer un rapporteur national indépendant.",
                "language": "FR",
            },
        ]
    )
    result = pool_statements(frame, commitments, synonyms=synonyms)
    assert sorted(result.ideas["statement_id"]) == ["1", "2", "3", "4", "5", "6"]
    assert result.summary["idea_id"].is_unique


def test_empty_input_gives_an_empty_pool(commitments):
    result = pool_statements(
        statements([{"statement_id": "X", "text": "x", "kind": "gap"}]), commitments
    )
    assert result.ideas.empty and result.summary.empty
    assert list(result.summary.columns) == ideas.SUMMARY_COLUMNS
    assert (
        result.headline()
        == "0 proposals in 0 ideas; 0 ideas restate what the GPA already says; 0 are new"
    )


# --- per-idea figures and ranking -------------------------------------------------------------


def test_support_pillar_and_rank_follow_the_documented_formula(labelled, labelled_pool):
    summary = labelled_pool.summary
    assert list(summary.columns) == ideas.SUMMARY_COLUMNS
    assert summary["idea_id"].str.fullmatch(r"IDEA-[0-9a-f]{12}").all()
    proposals = summary[summary["kind"].eq("proposal")]
    assert list(proposals["rank"]) == list(range(1, len(proposals) + 1))
    assert proposals["rank_score"].is_monotonic_decreasing
    w = ideas.DEFAULTS["weights"]
    top = proposals.iloc[0]
    expected = (
        w["support"] * np.log1p(top["n_submitters"]) / np.log1p(proposals["n_submitters"].max())
        + w["diversity"] * (top["n_stakeholder_types"] / 9 + top["n_regional_groups"] / 5) / 2
        + w["novelty"] * (0 if np.isnan(top["novelty"]) else top["novelty"])
        + w["bridge"] * top["states_and_non_state"]
    ) / sum(w.values())
    assert top["rank_score"] == pytest.approx(expected, abs=1e-4)
    members = labelled[labelled["statement_id"].isin(top["statement_ids"].split(";"))]
    assert top["n_submitters"] == members["submitter"].nunique()
    assert top["states_and_non_state"] == (
        members["stakeholder_type"].eq("member_state").any()
        and members["stakeholder_type"].isin(NON_GOVERNMENTAL).any()
    )
    counts = members["pillar"].value_counts()
    assert top["pillar"] == min(counts.index[counts.eq(counts.max())])
    assert top["label"].endswith(".") and "…" not in top["label"]


def test_weights_from_review_yml_change_the_ranking(labelled, commitments, synonyms):
    novelty_only = pool_statements(
        labelled,
        commitments,
        synonyms=synonyms,
        weights={"support": 0, "diversity": 0, "bridge": 0, "novelty": 1},
    )
    proposals = novelty_only.summary[novelty_only.summary["kind"].eq("proposal")]
    assert proposals["novelty"].fillna(0).is_monotonic_decreasing
    with pytest.raises(InputError):
        pool_statements(labelled, commitments, weights={"popularity": 1})
    with pytest.raises(InputError):
        pool_statements(labelled, commitments, threshold="high")
    for bad in ({"treshold": 0.2}, {"weights": [1, 2]}, {"threshold": 1.5}, ["threshold"]):
        with pytest.raises(InputError):
            ideas.settings_from(bad)


def test_top_filters_by_pillar_and_novelty(labelled_pool):
    top = labelled_pool.top("protection", n=3, new_only=True)
    assert (
        len(top) <= 3 and top["pillar"].eq("protection").all() and not top["is_restatement"].any()
    )
    assert list(top["rank"]) == sorted(top["rank"])


def test_pool_reads_the_review(tuning, commitments, synonyms, labelled_pool, tmp_path):
    review = SimpleNamespace(
        statements=tuning,
        inputs_dir=tmp_path,
        reference=SimpleNamespace(commitments=commitments, synonyms=synonyms),
        config=SimpleNamespace(raw={"ideas": {"threshold": ideas.DEFAULTS["threshold"]}}),
    )
    pd.testing.assert_frame_equal(pool(review).summary, labelled_pool.summary)
    stricter = SimpleNamespace(
        **{**vars(review), "config": SimpleNamespace(raw={"ideas": {"threshold": 0.6}})}
    )
    assert len(pool(stricter).summary) > len(labelled_pool.summary)


# --- tables -----------------------------------------------------------------------------------


def test_write_tables_is_formula_safe_and_leaves_no_temporary_file(commitments, tmp_path):
    frame = statements(
        [{"statement_id": "S1", "text": "=1+1 create a national rapporteur", "submitter": "@org"}]
    )
    written = write_tables(pool_statements(frame, commitments), tmp_path)
    assert [p.name for p in written] == ["ideas.csv", "idea_summary.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idea_summary.csv", "ideas.csv"]
    table = read(tmp_path / "ideas.csv")
    assert table.loc[0, "text"].startswith("'=") and table.loc[0, "submitter"] == "'@org"
    assert read(tmp_path / "idea_summary.csv").loc[0, "label"].startswith("'=")


# --- the thesaurus and text normalisation -----------------------------------------------------


def test_shipped_thesaurus_is_consistent(synonyms):
    assert {"theme", "term", "canonical", "language", "source"} <= set(synonyms.columns)
    assert synonyms["source"].ne("").all()
    assert synonyms["canonical"].str.fullmatch(r"[a-z][a-z_]*").all()
    assert {"en", "fr", "es", "ru"} <= set(synonyms["language"])
    assert normalise.Thesaurus.from_frame(synonyms).conflicts == ()


def test_paraphrases_in_four_languages_meet_on_canonical_tokens(synonyms):
    thesaurus = normalise.Thesaurus.from_frame(synonyms)
    texts = {
        "en": "Train labour inspectors to detect forced labour",
        "fr": "Former les inspecteurs du travail à détecter le travail forcé",
        "es": "Capacitar a los inspectores de trabajo para detectar el trabajo forzoso",
        "ru": "Обучать инспекторов труда выявлять принудительный труд",
    }
    for lang, text in texts.items():
        assert normalise.normalise(text, lang, thesaurus=thesaurus).split() == [
            "train",
            "labour_inspection",
            "detect",
            "forced_labour",
        ], lang


def test_tokens_drop_boilerplate_and_keep_negation():
    assert normalise.tokens("We recommend that States should never punish victims") == [
        "not",
        "punish",
        "victim",
    ]
    assert normalise.tokens("Les données ne sont pas ventilées", "fr") == ["don", "not", "ventil"]


@pytest.mark.parametrize(
    "section, words",
    [
        ({"weights": {"novelty": float("nan")}}, "'ideas: weights: novelty' must be a finite"),
        ({"weights": {"support": float("inf")}}, "'ideas: weights: support' must be a finite"),
        ({"weights": {"bridge": -1}}, "'ideas: weights: bridge' must be a finite number of 0"),
        ({"threshold": float("nan")}, "'ideas: threshold' must be a number above 0"),
    ],
)
def test_a_bad_ideas_setting_is_one_error_naming_the_key(section, words):
    from reviewlib.errors import InputError
    from reviewlib.ideas.pool import settings_from

    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        settings_from(section)
