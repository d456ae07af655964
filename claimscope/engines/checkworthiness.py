"""Check-worthiness: how much a sentence is worth fact-checking (0-1).

A logistic regression over word n-grams and the transformer pass's sentence vectors (the attribution
tagger's layer-4 hidden states, mean pooled; claimscope.engines.transformer), trained on
the CLEF-2020 CheckThat! Task 5 debate transcripts by scripts/train_checkworthiness.py
(data/checkworthiness.npz, run by claimscope.engines.linear_text). Also the transcript format and the official metrics (MAP, P@k).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..resources.lexicons import DATA

MODEL_FILE = DATA / "checkworthiness.npz"


@dataclass
class Line:
    number: int
    speaker: str
    text: str
    label: int | None


def read_transcript(path: Path) -> list[Line]:
    """CLEF-2020 Task 5 TSV: line number, speaker, text, label (label absent in test files)."""
    lines = []
    for row_number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = raw.split("\t")
        if len(parts) < 3 or not parts[0].strip().isdigit():
            raise ValueError(f"{path}:{row_number}: expected 'line<TAB>speaker<TAB>text[<TAB>label]'")
        label = int(parts[3]) if len(parts) > 3 and parts[3].strip() in {"0", "1"} else None
        lines.append(Line(int(parts[0]), parts[1], parts[2], label))
    return lines


def featurise(vectorizer, texts: list[str], embeddings: np.ndarray | None, weight: float):
    """The scikit-learn feature matrix the model is trained on (training only)."""
    from scipy.sparse import csr_matrix, hstack

    parts = [vectorizer.transform(texts)]
    if embeddings is not None:
        parts.append(csr_matrix(embeddings * weight))
    return hstack(parts).tocsr()


@functools.cache
def load_model():
    from .linear_text import load_shipped

    return load_shipped(MODEL_FILE.name, "scripts/train_checkworthiness.py")


def score(texts: list[str], embeddings: np.ndarray | None = None) -> list[float]:
    """Check-worthiness probability for each text (pass their sentence vectors from the pipeline's
    transformer pass when they exist; otherwise each text is read alone here)."""
    model = load_model()
    if not texts:
        return []
    if model.embedding_weight and embeddings is None:
        from .transformer import embed_texts

        embeddings = embed_texts(texts)
    return [float(p) for p in model.predict_proba(texts, embeddings if model.embedding_weight else None)[:, 1]]


def average_precision(labels: list[int], scores: list[float]) -> float:
    order = np.argsort(-np.asarray(scores), kind="stable")
    hits, total = 0, 0.0
    for rank, index in enumerate(order, start=1):
        if labels[index]:
            hits += 1
            total += hits / rank
    positives = sum(labels)
    return total / positives if positives else 0.0


def precision_at(labels: list[int], scores: list[float], k: int) -> float:
    order = np.argsort(-np.asarray(scores), kind="stable")[:k]
    return sum(labels[i] for i in order) / k


def dev_split(names: list[str]) -> set[str]:
    """The fixed dev split: every fifth debate file in sorted order."""
    return {name for i, name in enumerate(sorted(names)) if i % 5 == 0}
