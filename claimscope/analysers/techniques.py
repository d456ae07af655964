"""Persuasion techniques (SemEval-2020 Task 11 taxonomy) as spans with a confidence."""
from __future__ import annotations

from ..document import Document
from ..pipeline import component
from ..records import Technique
from ..techniques_model import detect


@component("techniques")
def techniques(document: Document) -> None:
    """Technique spans, marked as the outlet's voice or as quoted from a speaker."""
    claims = [(c.content.start, c.content.end) for c in document.analysis.claims if c.kind in {"direct", "mixed", "quoted_phrase"}]
    for start, end, name, confidence, method in detect(document.doc):
        voice = "quoted" if any(s <= start and end <= e for s, e in claims) else "outlet"
        span = document.span(start, end)
        document.analysis.techniques.append(
            Technique(**span.model_dump(), technique=name, confidence=round(confidence, 3), voice=voice, method=method)
        )
