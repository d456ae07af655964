"""Check-worthiness scores for every sentence and every claim (see claimscope.engines.checkworthiness)."""
from __future__ import annotations

from ..engines import checkworthiness
from ..document import Document
from ..pipeline import component


@component("checkworthiness", requires=["sentences", "sentence_vectors", "claims"], assigns=["sentences.checkworthiness", "claims.checkworthiness"],
           setup=lambda settings: checkworthiness.load_model())
def score_checkworthiness(document: Document, settings: dict) -> None:
    """Each sentence is scored once; a claim takes the highest score of the sentences it spans."""
    analysis = document.analysis
    scores = checkworthiness.score([s.text for s in analysis.sentences], document.sentence_vectors)
    for sentence, value in zip(analysis.sentences, scores):
        sentence.checkworthiness = round(value, 4)
    for claim in analysis.claims:
        claim.checkworthiness = max((analysis.sentences[i].checkworthiness for i in claim.sentences), default=None)
