"""A small model, trained on the statements that count, weighs in on the pillar of each suggestion.

The statements that count carry the pillar their contributors gave or an officer confirmed in
triage; a classifier of character n-grams (scikit-learn: TF-IDF and logistic regression, any
language, each pillar weighed alike however often it occurs) learns from them each time the
review is loaded, so it is retrained as officers confirm more. A suggested statement's pillar is
the one with the highest sum of the share of the cue phrases the rules found for it
(`reviewlib.gather.suggest`) and the model's probability: the rules' and the model's views count
alike, and where the rules found no cue the model alone answers.
"""

from __future__ import annotations

import pandas as pd

from reviewlib.text import fold

__all__ = ["MIN_TRAINING", "train", "pillar_scores", "suggest_pillars"]

MIN_TRAINING = 50  # statements with a pillar, below which no model is trained


def train(counted: pd.DataFrame):
    """A model trained on the statements that count and have a pillar; None when too few do."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    training = counted[counted["pillar"].fillna("").ne("")]
    if len(training) < MIN_TRAINING or training["pillar"].nunique() < 2:
        return None
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        LogisticRegression(max_iter=2000, C=5.0, class_weight="balanced"),
    )
    model.trained_on = len(training)
    return model.fit(training["text"].map(fold), training["pillar"])


def pillar_scores(model, texts: pd.Series, cues: pd.Series) -> pd.DataFrame:
    """Each pillar's score per text (rows, as `texts`): the share of the text's cues that point to
    it (`cues`: a dict of counts per pillar, or None) plus the model's probability; in [0, 2]."""
    probability = pd.DataFrame(
        model.predict_proba(texts.map(fold)), index=texts.index, columns=list(model.classes_)
    )
    found = pd.DataFrame([c or {} for c in cues], index=texts.index, dtype=float)
    found = found.reindex(columns=probability.columns).fillna(0.0)
    share = found.div(found.sum(axis=1).where(lambda t: t > 0, 1.0), axis=0)
    return share + probability


def suggest_pillars(
    suggested: pd.DataFrame, counted: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the suggested statements with their pillar weighed, a sentence for the ledger per statement
    whose pillar the model changed or filled). A pillar given in the document stays; nothing changes
    when fewer than MIN_TRAINING statements that count have a pillar."""
    out = suggested.drop(columns="pillar_cues", errors="ignore")
    if "pillar_cues" not in suggested.columns:
        return out, {}
    weighed = suggested["pillar_cues"].map(lambda c: isinstance(c, dict))
    model = train(counted) if weighed.any() else None
    if model is None:
        return out, {}
    scores = pillar_scores(
        model, suggested.loc[weighed, "text"], suggested.loc[weighed, "pillar_cues"]
    )
    best, top = scores.idxmax(axis=1), scores.max(axis=1)
    changed = best.ne(out.loc[weighed, "pillar"].fillna(""))
    rows = changed[changed].index
    had_cue = suggested.loc[rows, "pillar_cues"].map(lambda c: any(c.values()))
    out.loc[rows, "pillar"] = best[rows]
    out.loc[rows, "pillar_source"] = "model"
    # a pillar the rules did not pick is held lower: it is never confirmed in bulk
    out.loc[rows, "confidence"] = (top[rows] / 2).clip(upper=0.5).round(2)
    trained = f"a model trained on {model.trained_on} statements that count"
    said = {
        out.at[i, "statement_id"]: (
            f"pillar {best[i]} suggested by its cues weighed with {trained} (score {top[i] / 2:.2f})"
            if had_cue[i]
            else f"no pillar cue found; pillar {best[i]} suggested by {trained} "
            f"(probability {top[i]:.2f})"
        )
        for i in rows
    }
    return out, said
