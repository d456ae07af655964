"""Shipped linear text classifiers (tf-idf n-grams + transformer vectors -> logistic regression) as plain arrays.

The check-worthiness and technique-class models are trained with scikit-learn, but a run only
needs their arithmetic: importing scikit-learn and unpickling its objects took about 3 s of the
cold start of `claimscope analyze`. `save` writes a fitted model as an .npz of arrays (no pickle)
and checks on the training items that the arrays give scikit-learn's probabilities; `load`
reads it back into a `LinearTextModel` that needs only numpy and `re`.

Each block reproduces one fitted `TfidfVectorizer` (word n-grams over a token pattern, or
`char_wb` n-grams), reading one field of an item (a dict) or the item itself (a string).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT = "claimscope-linear-text/1"
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Block:
    """One fitted tf-idf vectorizer: which text it reads and how it turns it into weighted n-gram counts."""

    field: str | None  # the item's key, or None when the item is the text
    lower: bool
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    token_pattern: str
    sublinear_tf: bool
    norm: str | None  # "l2" or None
    vocabulary: dict[str, int]
    idf: np.ndarray | None

    def terms(self, item) -> list[str]:
        text = item[self.field] if self.field is not None else item
        text = text.lower() if self.lower else text
        low, high = self.ngram_range
        if self.analyzer == "char_wb":
            grams = []
            for word in _WHITE_SPACES.sub(" ", text).split():
                word = f" {word} "
                for n in range(low, high + 1):
                    offset = 0
                    grams.append(word[offset : offset + n])
                    while offset + n < len(word):
                        offset += 1
                        grams.append(word[offset : offset + n])
                    if offset == 0:  # a word shorter than n is counted once
                        break
            return grams
        tokens = re.findall(self.token_pattern, text)
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return grams

    def weights(self, item) -> dict[int, float]:
        counts: dict[int, int] = {}
        for term in self.terms(item):
            column = self.vocabulary.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        values = {c: (1.0 + math.log(n) if self.sublinear_tf else float(n)) for c, n in counts.items()}
        if self.idf is not None:
            values = {c: v * float(self.idf[c]) for c, v in values.items()}
        if self.norm == "l2":
            length = math.sqrt(sum(v * v for v in values.values()))
            if length:
                values = {c: v / length for c, v in values.items()}
        return values


@dataclass(frozen=True)
class LinearTextModel:
    """Blocks of n-gram features, then (optionally) transformer vectors times a weight, into a logistic regression."""

    blocks: tuple[Block, ...]
    embedding_weight: float
    classes: tuple
    coef: np.ndarray  # (1 or n_classes, n_features)
    intercept: np.ndarray

    def predict_proba(self, items: list, embeddings: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities, one row per item (columns in `classes` order), as scikit-learn's predict_proba."""
        scores = np.tile(self.intercept, (len(items), 1))
        offset = 0
        for block in self.blocks:
            for row, item in enumerate(items):
                weights = block.weights(item)
                if weights:
                    columns = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights)) + offset
                    scores[row] += self.coef[:, columns] @ np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
            offset += len(block.vocabulary)
        if self.embedding_weight:
            if embeddings is None or len(embeddings) != len(items):
                raise ValueError("this model reads transformer vectors: pass one row per item")
            scores += (np.asarray(embeddings, dtype=np.float64) * self.embedding_weight) @ self.coef[:, offset:].T
        if self.coef.shape[0] == 1:  # binary: the logistic of the one score
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return exponentials / exponentials.sum(axis=1, keepdims=True)


def save(path: Path, blocks: list[tuple[str | None, bool, object]], classifier, embedding_weight: float,
         check_items: list, check_embeddings: np.ndarray | None, check_matrix) -> float:
    """Write fitted scikit-learn vectorizers `(field, lowercases, vectorizer)` and a LogisticRegression as
    arrays. `check_matrix` is the feature matrix scikit-learn built for `check_items`: the saved model's
    probabilities on those items must equal scikit-learn's (returns the largest difference)."""
    header = {"format": FORMAT, "embedding_weight": embedding_weight, "classes": [c.item() if hasattr(c, "item") else c for c in classifier.classes_], "blocks": []}
    arrays = {"coef": classifier.coef_.astype(np.float64), "intercept": classifier.intercept_.astype(np.float64)}
    for number, (field, lower, vectorizer) in enumerate(blocks):
        if vectorizer.analyzer not in ("word", "char_wb") or vectorizer.stop_words or vectorizer.tokenizer or vectorizer.binary:
            raise ValueError(f"block {number}: only word or char_wb n-grams without stop words, custom tokenizer or binary counts can be saved")
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        if any("\n" in term for term in terms):
            raise ValueError(f"block {number}: a term contains a newline")
        arrays[f"terms{number}"] = np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)
        if vectorizer.use_idf:
            arrays[f"idf{number}"] = vectorizer.idf_.astype(np.float64)
        header["blocks"].append({"field": field, "lower": lower, "analyzer": vectorizer.analyzer, "ngram_range": list(vectorizer.ngram_range),
                                 "token_pattern": vectorizer.token_pattern, "sublinear_tf": vectorizer.sublinear_tf, "norm": vectorizer.norm})
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)
    difference = float(np.abs(load(path).predict_proba(check_items, check_embeddings) - classifier.predict_proba(check_matrix)).max())
    if difference > 1e-9:
        Path(path).unlink()
        raise ValueError(f"the saved model's probabilities differ from scikit-learn's by {difference:.2e}: not saved")
    return difference


def load(path: Path) -> LinearTextModel:
    """A model written by `save` (raises ValueError when the file is not one)."""
    with np.load(path, allow_pickle=False) as arrays:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
        if header.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        blocks = []
        for number, spec in enumerate(header["blocks"]):
            terms = arrays[f"terms{number}"].tobytes().decode("utf-8").split("\n")
            idf = arrays[f"idf{number}"] if f"idf{number}" in arrays.files else None
            blocks.append(Block(spec["field"], spec["lower"], spec["analyzer"], tuple(spec["ngram_range"]), spec["token_pattern"],
                                spec["sublinear_tf"], spec["norm"], dict(zip(terms, range(len(terms)))), idf))
        return LinearTextModel(tuple(blocks), header["embedding_weight"], tuple(header["classes"]), arrays["coef"], arrays["intercept"])


def load_shipped(name: str, script: str) -> LinearTextModel:
    """A shipped model in claimscope/data, checked against its manifest; ModelFileError when it cannot be used."""
    from ..resources.models import ModelFileError, require

    path = require(name)
    try:
        return load(path)
    except Exception as exc:  # noqa: BLE001 - any reading failure means the file is unusable
        raise ModelFileError(f"model file {path} cannot be loaded ({type(exc).__name__}: {exc}); rebuild it with {script}") from None
