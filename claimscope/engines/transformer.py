"""The fine-tuned attribution tagger: all-MiniLM-L6-v2 fine-tuned on PolNeAR train as a
Source/Cue/Content BIO token classifier, run as an int8 ONNX graph (data/attribution_tagger.onnx).

It reads each paragraph in context and gives per spaCy token the probabilities of the seven tags
(the attribution CRF reads them as features, beside the parse and the rules' roles) and a vector,
the hidden states of a middle layer (the graph's ``hidden`` output): the pipeline's one transformer
pass, whose token and sentence vectors the technique-class and check-worthiness heads read too.
A word is tagged by its first word piece, as in BERT's token classification. Built by
scripts/train_attribution_tagger.py (fine-tuned on a GPU when one is at hand, on CPU otherwise);
running it needs only onnxruntime.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .encoder import DIM, MAX_PIECES, length_batches, onnx_session, padded_batch, run_batches, wordpiece_tokenizer
from ..resources.lexicons import DATA

TAGGER_FILE = DATA / "attribution_tagger.onnx"
TAGS = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"]


def paragraph_windows(words: list[str]) -> list[tuple[list[int], list[int], list[int]]]:
    """A paragraph's words as word-piece windows of whole words, at most MAX_PIECES long.
    Each window: piece ids, and for each word in it that has pieces, its index in ``words`` and
    the position of its first piece."""
    if not words:
        return []
    tokenizer = wordpiece_tokenizer()
    encoding = tokenizer.encode(words, is_pretokenized=True, add_special_tokens=False)
    pieces_of: list[list[int]] = [[] for _ in words]
    for piece, word in zip(encoding.ids, encoding.word_ids):
        if word is not None:
            pieces_of[word].append(piece)
    windows, ids, word_indices, firsts = [], [], [], []
    for index, pieces in enumerate(pieces_of):
        if not pieces:
            continue
        pieces = pieces[:MAX_PIECES]
        if ids and len(ids) + len(pieces) > MAX_PIECES:
            windows.append((ids, word_indices, firsts))
            ids, word_indices, firsts = [], [], []
        word_indices.append(index)
        firsts.append(len(ids))
        ids = ids + pieces
    if ids:
        windows.append((ids, word_indices, firsts))
    return windows


def softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=-1, keepdims=True)


@dataclass
class Tagged:
    """One document's pass: tag probabilities and a hidden-state vector per spaCy token."""

    probs: np.ndarray  # (tokens, TAGS); tokens outside the ranges are "O"
    vectors: np.ndarray  # (tokens, DIM): the mean of the token's word pieces (zero for tokens without any)


class TransformerTagger:
    def __init__(self):
        from ..resources.models import ModelFileError, require

        path = require(TAGGER_FILE.name)
        try:
            self.session = onnx_session(path, 1)  # batches side by side instead (run_batches)
        except Exception as exc:  # onnxruntime raises its own exception types for unreadable graphs
            raise ModelFileError(f"model file {path} cannot be loaded ({exc}); rebuild it with scripts/train_attribution_tagger.py") from None
        tokenizer = wordpiece_tokenizer()
        self.cls_id, self.sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")

    def run_many(self, items: list[tuple[object, list[tuple[int, int]]]]) -> list[Tagged]:
        """Tag probabilities and token vectors for several documents at once: the windows of all of them in
        length-sorted batches (encoder.length_batches), run side by side (encoder.run_batches). A word is tagged
        by its first word piece and its vector is the mean of all its pieces."""
        results = []
        jobs = []  # (document number, piece ids, spaCy token index per word, first-piece positions)
        for number, (doc, ranges) in enumerate(items):
            probs = np.zeros((len(doc), len(TAGS)), dtype=np.float32)
            probs[:, 0] = 1.0
            results.append(Tagged(probs, np.zeros((len(doc), DIM), dtype=np.float32)))
            for start, end in ranges:
                tokens = [t for t in doc[start:end] if not t.is_space]
                for ids, word_indices, firsts in paragraph_windows([t.text for t in tokens]):
                    jobs.append((number, ids, [tokens[k].i for k in word_indices], firsts))
        chunks = [[jobs[k] for k in batch] for batch in length_batches([len(job[1]) for job in jobs])]
        feeds = []
        for chunk in chunks:
            input_ids, mask = padded_batch([ids for _n, ids, _t, _f in chunk], self.cls_id, self.sep_id)
            feeds.append({"input_ids": input_ids, "attention_mask": mask})
        for chunk, (logits, hidden) in zip(chunks, run_batches(self.session, ["logits", "hidden"], feeds)):
            for row, (number, ids, token_indices, firsts) in enumerate(chunk):
                starts = np.array(firsts)
                results[number].probs[token_indices] = softmax(logits[row, starts + 1])
                sums = np.add.reduceat(hidden[row, 1 : len(ids) + 1], starts, axis=0)
                results[number].vectors[token_indices] = sums / np.diff(np.append(starts, len(ids)))[:, None]
        return results


def sentence_vectors(doc, vectors: np.ndarray, sentences: list[tuple[int, int]]) -> np.ndarray:
    """A unit vector per sentence (character spans): the mean of its tokens' vectors."""
    rows = np.zeros((len(sentences), vectors.shape[1]), dtype=np.float32)
    for k, (start, end) in enumerate(sentences):
        span = doc.char_span(start, end, alignment_mode="expand")
        inside = vectors[span.start : span.end] if span is not None else vectors[:0]
        inside = inside[inside.any(axis=1)]
        if len(inside):
            mean = inside.mean(axis=0)
            rows[k] = mean / (np.linalg.norm(mean) or 1.0)
    return rows


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit vectors of short texts (sentences read alone, each its own paragraph), as the pipeline gives its
    sentences: for training the heads that read them on data without articles (check-worthiness)."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    docs = [tokenizer(text) for text in texts]
    tagged = transformer_tagger().run_many([(doc, [(0, len(doc))]) for doc in docs])
    return np.vstack([sentence_vectors(doc, t.vectors, [(0, len(doc.text))]) for doc, t in zip(docs, tagged)]) if docs else np.zeros((0, DIM), np.float32)


@functools.cache
def transformer_tagger() -> TransformerTagger:
    return TransformerTagger()


TAGGER_FEATURES = ("nn", "nn2", "nn", "nnrole")  # the names of tagger_features' four features, in order


def tagger_features(probs: np.ndarray, rows) -> list[list[str]]:
    """CRF features from the tagger's probabilities for each token in ``rows``: its most likely tag, the next, and how sure it is."""
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
