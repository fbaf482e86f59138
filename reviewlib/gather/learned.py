"""A small model, trained on the statements that count, suggests the pillar the rules could not.

The statements that count carry the pillar their contributors gave or an officer confirmed in
triage; a classifier of character n-grams (scikit-learn: TF-IDF and logistic regression, any
language) learns from them each time the review is loaded, so it is retrained as officers
confirm more. It only fills the pillar of a suggested statement in which the rules found no cue
(`reviewlib.gather.suggest`): measured on the labelled documents it is weaker than the rules
where they answer, and the kind always has a rule's answer.
"""

from __future__ import annotations

import pandas as pd

from reviewlib.text import fold

__all__ = ["MIN_TRAINING", "suggest_missing_pillars"]

MIN_TRAINING = 50  # statements with a pillar, below which no model is trained


def _model(texts: pd.Series, labels: pd.Series):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        LogisticRegression(max_iter=2000, C=5.0),
    )
    return model.fit(texts.map(fold), labels)


def suggest_missing_pillars(
    suggested: pd.DataFrame, counted: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the suggested statements with a pillar where they had none, a sentence per statement
    filled for the ledger). Nothing changes when fewer than MIN_TRAINING statements that count
    have a pillar, or when every suggestion has one."""
    missing = suggested["pillar"].fillna("").eq("")
    training = counted[counted["pillar"].fillna("").ne("")]
    if not missing.any() or len(training) < MIN_TRAINING or training["pillar"].nunique() < 2:
        return suggested, {}
    model = _model(training["text"], training["pillar"])
    texts = suggested.loc[missing, "text"].map(fold)
    pillars = model.predict(texts)
    probability = model.predict_proba(texts).max(axis=1)
    out = suggested.copy()
    out.loc[missing, "pillar"] = pillars
    out.loc[missing, "pillar_source"] = "model"
    out.loc[missing, "confidence"] = (probability * 0.5).round(2)  # a model's guess, held lower
    said = {
        sid: f"no pillar cue found; pillar {pillar} suggested by a model trained on "
        f"{len(training)} statements that count (probability {p:.2f})"
        for sid, pillar, p in zip(
            out.loc[missing, "statement_id"], pillars, probability, strict=True
        )
    }
    return out, said
