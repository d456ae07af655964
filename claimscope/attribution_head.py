"""The attribution head: Source/Cue/Content (BIO) probabilities for every token, read from the
shared encoder's token vectors (a listener on the one encoder pass, as in spaCy's design).

A two-layer perceptron over each token's vector, its neighbours' vectors and a few parse
signals (the rules' role for the token, whether it is quoted, whether it is a reporting verb of
the lexicon), trained on PolNeAR train by scripts/train_attribution.py with PyTorch and shipped
as plain arrays (data/attribution_head.npz) run with NumPy, so analysis needs no PyTorch.
Its probabilities are features of the attribution CRF, which keeps the syntactic features
and decodes the spans.
"""
from __future__ import annotations

import functools

import numpy as np

from .lexicons import DATA, cues

HEAD_FILE = DATA / "attribution_head.npz"
TAGS = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"]
RULE_ROLES = ["O", "SRC", "CUE", "CON"]
QUOTE_CHARS = {'"', "\u201c", "\u201d", "\u00ab", "\u00bb", "''", "``"}
EXTRA = len(RULE_ROLES) + 3


def signals(doc, roles: list[str]) -> np.ndarray:
    """Per token: one-hot rule role, inside a quotation, a quote mark, a reporting verb of the lexicon."""
    lexicon = cues()
    out = np.zeros((len(doc), EXTRA), dtype=np.float32)
    inside = False
    for token in doc:
        is_quote = token.text in QUOTE_CHARS
        if is_quote:
            inside = not inside
        out[token.i, RULE_ROLES.index(roles[token.i])] = 1.0
        out[token.i, len(RULE_ROLES)] = float(inside and not is_quote)
        out[token.i, len(RULE_ROLES) + 1] = float(is_quote)
        out[token.i, len(RULE_ROLES) + 2] = float(token.lemma_.lower() in lexicon and token.pos_ in {"VERB", "AUX"})
    return out


def inputs(vectors: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Each token's vector, the mean of its two neighbours on each side, and the parse signals."""
    padded = np.vstack([np.zeros((2, vectors.shape[1]), np.float32), vectors, np.zeros((2, vectors.shape[1]), np.float32)])
    window = (padded[0:-4] + padded[1:-3] + padded[3:-1] + padded[4:]) / 4.0
    return np.hstack([vectors, window, extra]).astype(np.float32)


@functools.cache
def load_head() -> dict[str, np.ndarray]:
    from .models import ModelFileError, require

    path = require(HEAD_FILE.name)
    try:
        with np.load(path) as data:
            return {key: data[key] for key in ("w1", "b1", "w2", "b2")}
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"model file {path} cannot be loaded ({exc}); rebuild it with scripts/train_attribution.py") from None


def probabilities(features: np.ndarray, weights: dict[str, np.ndarray]) -> np.ndarray:
    hidden = np.maximum(features @ weights["w1"] + weights["b1"], 0.0)
    logits = hidden @ weights["w2"] + weights["b2"]
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def tag_probabilities(document, roles: list[str]) -> np.ndarray:
    """(tokens x TAGS) probabilities for a document that went through the shared encoder."""
    if document.token_vectors is None:
        raise ValueError("the attribution head reads the shared encoder's vectors: put 'encoder' before 'attribution_tagger'")
    return probabilities(inputs(document.token_vectors, signals(document.doc, roles)), load_head())


def head_features(probs: np.ndarray, rows) -> list[list[str]]:
    """CRF features from the head for each token in ``rows``: its most likely tag, the next, and how sure it is."""
    rows = list(rows)
    if not rows:
        return []
    part = probs[rows]
    order = np.argsort(-part, axis=1)[:, :2]
    confidence = part[np.arange(len(rows)), order[:, 0]]
    features = []
    for (first, second), sure in zip(order.tolist(), confidence.tolist()):
        best = TAGS[first]
        bucket = "hi" if sure >= 0.8 else "mid" if sure >= 0.5 else "lo"
        features.append([f"nn={best}", f"nn2={TAGS[second]}", f"nn={best}|{bucket}", f"nnrole={best[2:] if best != 'O' else 'O'}"])
    return features
