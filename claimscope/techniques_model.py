"""Technique detection shared by the pipeline component, training and evaluation.

Two sources of spans: a high-precision cue lexicon (data/technique_cues.tsv) and, when
present, the trained model in data/techniques_model.joblib (see scripts/train_techniques.py).
"""
from __future__ import annotations

import functools

from spacy.tokens import Doc

from .lexicons import rows

Detection = tuple[int, int, str, float, str]


@functools.cache
def _cues() -> list[tuple[tuple[str, ...], str, str]]:
    return sorted(((tuple(r[0].split()), r[1], r[2]) for r in rows("technique_cues.tsv")), key=lambda c: -len(c[0]))


def lexicon_spans(doc: Doc) -> list[Detection]:
    found: list[Detection] = []
    taken: set[int] = set()
    lemmas = [t.lemma_.lower() for t in doc]
    words = [t.lower_ for t in doc]
    for phrase, technique, extent in _cues():
        size = len(phrase)
        for i in range(len(doc) - size + 1):
            if tuple(lemmas[i : i + size]) != phrase and tuple(words[i : i + size]) != phrase:
                continue
            start, end = i, i + size
            head = doc[i]
            if extent == "phrase" and head.pos_ == "VERB":
                objects = [c for c in head.children if c.dep_ == "dobj"]
                end = objects[0].i + 1 if objects else end
            elif extent == "phrase":
                start, end = head.left_edge.i, head.right_edge.i + 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            if taken & set(range(start, end)):
                continue
            taken.update(range(start, end))
            found.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), technique, 0.9, "lexicon"))
    return found


def detect(doc: Doc) -> list[Detection]:
    return sorted(lexicon_spans(doc))
