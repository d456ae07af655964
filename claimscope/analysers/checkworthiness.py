"""Check-worthiness scores for every sentence and every claim (see claimscope.checkworthiness)."""
from __future__ import annotations

from .. import checkworthiness
from ..document import Document
from ..pipeline import component


@component("checkworthiness")
def score_checkworthiness(document: Document) -> None:
    analysis = document.analysis
    texts = [s.text for s in analysis.sentences] + [c.content.text for c in analysis.claims]
    scores = checkworthiness.score(texts)
    if not scores:
        return
    for sentence, value in zip(analysis.sentences, scores):
        sentence.checkworthiness = round(value, 4)
    for claim, value in zip(analysis.claims, scores[len(analysis.sentences) :]):
        claim.checkworthiness = round(value, 4)
