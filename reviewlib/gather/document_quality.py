"""How well documents are read, measured on a labelled set: paragraph accounting, skip precision
and recall, kind and pillar accuracy, overall and per language.

The labelled set is a folder of documents with a `labels.csv` (file, language, split, skip, kind,
pillar, text): one row per paragraph a reader should find, with the reason it is skipped or the
kind and pillar of the statement it is. Paragraphs are matched to labels by their folded text
(list bullets aside; in a running header or footer, numbers aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reviewlib.gather.documents import read_document
from reviewlib.gather.learned import pillar_scores, train
from reviewlib.gather.reference import Reference
from reviewlib.gather.sidecar import read_sidecar, sidecar_path
from reviewlib.gather.splitting import split
from reviewlib.gather.suggest import suggest

__all__ = ["Figures", "read_labelled", "measure"]


def _key(text: str) -> str:
    return re.sub(r"\d+", "0", re.sub(r"^\s*(?:[-*•–]\s+)", "", str(text)).strip().casefold())


def read_labelled(
    folder: Path, reference: Reference, counted: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every paragraph read from the labelled documents, with what was made of it and its label:
    file, language, split, number, skip, kind, pillar (as read) and label_skip, label_kind,
    label_pillar ('?' when no label matches the paragraph's text). Given the statements that
    count, the pillar weighs the cues found with a model trained on them, as for a review."""
    labels = pd.read_csv(folder / "labels.csv", dtype=str, keep_default_na=False)
    rows = []
    for file, group in labels.groupby("file", sort=True):
        meta = group.iloc[0]
        wanted = {_key(t): r for t, r in zip(group["text"], group.itertuples(), strict=True)}
        document = read_document(folder / file)
        sidecar = sidecar_path(folder / file)
        sender = read_sidecar(sidecar)[0].get("stakeholder_type", "") if sidecar else ""
        for paragraph in split(document.blocks):
            label = wanted.get(_key(paragraph.text))
            found = {"skip": paragraph.skip, "kind": "", "pillar": "", "cues": None}
            if not paragraph.skip:
                s = suggest(paragraph.text, paragraph.heading, sender, "", reference)
                found |= {"kind": s.kind, "pillar": s.pillar, "cues": s.cues}
            rows.append(
                {
                    "file": file,
                    "language": meta["language"],
                    "split": meta["split"],
                    "number": paragraph.number,
                    **found,
                    "label_skip": label.skip if label else "?",
                    "label_kind": label.kind if label else "?",
                    "label_pillar": label.pillar if label else "?",
                    "text": paragraph.text,
                }
            )
    frame = pd.DataFrame(rows)
    model = train(counted) if counted is not None else None
    if model is not None:
        read = frame["skip"].eq("")
        scores = pillar_scores(model, frame.loc[read, "text"], frame.loc[read, "cues"])
        frame.loc[read, "pillar"] = scores.idxmax(axis=1)
    frame = frame.drop(columns="cues")
    frame.attrs["labelled"] = len(labels)
    frame.attrs["labels_found"] = sum(
        _key(t) in set(frame.loc[frame["file"].eq(f), "text"].map(_key))
        for f, t in zip(labels["file"], labels["text"], strict=True)
    )
    return frame


@dataclass(frozen=True)
class Figures:
    """The figures of one part of the labelled set."""

    paragraphs: int
    accounted: float  # paragraphs read that match a label, and labels found among those read
    skip_precision: float
    skip_recall: float
    kind_accuracy: float
    pillar_accuracy: float
    statements: int


def _share(hits: pd.Series) -> float:
    return round(float(hits.mean()), 3) if len(hits) else float("nan")


def measure(read: pd.DataFrame) -> Figures:
    """The figures of paragraphs as `read_labelled` gives them (or any part of them)."""
    labelled = read[read["label_skip"].ne("?")]
    is_skip, said_skip = labelled["label_skip"].ne(""), labelled["skip"].ne("")
    statements = labelled[~is_skip & ~said_skip]
    total = read.attrs.get("labelled", len(labelled))
    found = read.attrs.get("labels_found", len(labelled))
    accounted = (len(labelled) / max(len(read), 1)) * (found / max(total, 1))
    return Figures(
        paragraphs=len(read),
        accounted=round(accounted, 3),
        skip_precision=_share(is_skip[said_skip]),
        skip_recall=_share(said_skip[is_skip]),
        kind_accuracy=_share(statements["kind"].eq(statements["label_kind"])),
        pillar_accuracy=_share(statements["pillar"].eq(statements["label_pillar"])),
        statements=len(statements),
    )
