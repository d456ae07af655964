"""Noun phrases cut from a parse by part of speech and punctuation alone, for the analysers that read a Universal
Dependencies parse (the speaker chain on lemmas, the lexicon event coder and the languages' attribution patterns)."""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan, Token


def noun_phrase(doc: Doc, start: int, end: int) -> Optional[SpacySpan]:
    """The noun phrase in tokens [start, end), without a leading preposition or trailing punctuation."""
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].pos_ in {"ADP", "CCONJ", "PART"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


def subject_phrase(token: Token, limit_end: Optional[int] = None) -> SpacySpan:
    """A subject's words: its subtree, cut at the first comma after the head (appositive clauses stay out)."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i + 1
    for k in range(token.i + 1, right):
        if doc[k].text in {",", "(", "—", "–"}:
            right = k
            break
    if limit_end is not None:
        right = min(right, limit_end)
    span = noun_phrase(doc, left, right)
    return span if span is not None else doc[token.i:token.i + 1]


def phrase_of(token: Optional[Token]) -> Optional[SpacySpan]:
    """The whole phrase a token heads, as a noun phrase (None for no token)."""
    if token is None:
        return None
    return noun_phrase(token.doc, token.left_edge.i, token.right_edge.i + 1)
