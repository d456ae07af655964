"""The shared encoder pass: every sentence of every article in the batch, encoded once.

Heads that read vectors (attribution tagger, technique spans and classes, check-worthiness,
claim clustering) take them from ``document.token_vectors`` and ``document.sentence_vectors``
instead of running the encoder again, as spaCy's transformer listeners do.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..document import Document
from ..encoder import BATCH_TOKENS, encoder, token_vectors
from ..pipeline import component


@component("encoder", requires=["doc", "sentences"], assigns=["token_vectors", "sentence_vectors"], settings={"batch_tokens": BATCH_TOKENS}, batch=True,
           setup=lambda settings: encoder())
def encode(documents: list[Document], settings: dict) -> None:
    """One length-sorted encoder pass over the sentences of all documents in the batch."""
    spans = [[(s.start, s.end) for s in d.analysis.sentences] for d in documents]
    texts = [d.text[a:b] for d, doc_spans in zip(documents, spans) for a, b in doc_spans]
    encoded = iter(encoder().encode(texts, batch_tokens=settings["batch_tokens"]))
    for document, doc_spans in zip(documents, spans):
        items = [next(encoded) for _ in doc_spans]
        document.token_vectors = token_vectors(document.doc, doc_spans, items)
        document.sentence_vectors = np.vstack([e.sentence for e in items]) if items else np.zeros((0, 384), np.float32)


def claim_vectors(document: Document) -> list[Optional[np.ndarray]]:
    """A unit vector per claim, the mean of its content's token vectors (None without the encoder pass)."""
    if document.token_vectors is None:
        return [None] * len(document.analysis.claims)
    vectors = []
    for claim in document.analysis.claims:
        span = document.doc.char_span(claim.content.start, claim.content.end, alignment_mode="expand")
        rows = document.token_vectors[span.start : span.end] if span is not None and len(span) else None
        if rows is None or not rows.any():
            vectors.append(None)
            continue
        vector = rows[rows.any(axis=1)].mean(axis=0)
        vectors.append(vector / (np.linalg.norm(vector) or 1.0))
    return vectors
