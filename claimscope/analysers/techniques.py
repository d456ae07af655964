"""Persuasion techniques (SemEval-2020 Task 11 taxonomy) as spans with a confidence."""
from __future__ import annotations

from ..document import Document
from ..pipeline import component
from ..records import Technique
from ..techniques_model import detect, lexicon_spans


@component("techniques")
def techniques(document: Document) -> None:
    """Technique spans from the cue lexicon and the trained models."""
    add_techniques(document, detect(document.doc))


@component("techniques_lexicon")
def techniques_lexicon(document: Document) -> None:
    """Technique spans from the cue lexicon alone (no models: the fast profile)."""
    add_techniques(document, sorted(lexicon_spans(document.doc)))


def add_techniques(document: Document, detections) -> None:
    """Record detections, marked as the outlet's voice or as quoted from a speaker."""
    claims = [(c.content.start, c.content.end) for c in document.analysis.claims if c.kind in {"direct", "mixed", "quoted_phrase"}]
    for start, end, name, confidence, method in detections:
        voice = "quoted" if any(s <= start and end <= e for s, e in claims) else "outlet"
        span = document.span(start, end)
        document.analysis.techniques.append(
            Technique(**span.model_dump(), technique=name, confidence=round(confidence, 3), voice=voice, method=method)
        )
