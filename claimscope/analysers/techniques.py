"""Persuasion techniques (SemEval-2020 Task 11 taxonomy) as spans with a confidence, marked as
the outlet's own voice or as quoted from a speaker."""
from __future__ import annotations

from ..document import Document
from ..pipeline import component
from ..records import Technique
from ..engines.techniques import SI_THRESHOLD, detect, display_thresholds, lexicon_spans, load_models, shown


def _load(settings: dict) -> None:
    load_models()
    display_thresholds()


@component("techniques", requires=["doc", "claims", "token_vectors", "sentence_vectors"], assigns=["techniques"],
           settings={"span_threshold": SI_THRESHOLD, "min_confidence": 0.0, "all_techniques": False}, setup=_load)
def techniques(document: Document, settings: dict) -> None:
    """Technique spans from the cue lexicon and the trained models (span CRF, class head on the shared vectors); by default
    only those whose confidence reaches their technique's calibrated threshold (all with ``all_techniques``)."""
    thresholds = display_thresholds()
    detections = detect(document, settings["span_threshold"], settings["min_confidence"])
    add_techniques(document, detections if settings["all_techniques"] else shown(detections, thresholds), thresholds)


@component("techniques_lexicon", requires=["doc", "claims"], assigns=["techniques"])
def techniques_lexicon(document: Document, settings: dict) -> None:
    """Technique spans from the cue lexicon alone (no models: the fast profile)."""
    add_techniques(document, sorted(lexicon_spans(document.doc, document.token_table)))


def add_techniques(document: Document, detections, thresholds: dict[str, float] | None = None) -> None:
    """Record detections, marked as the outlet's voice or as quoted from a speaker, with their technique's display threshold."""
    claims = [piece for c in document.analysis.claims if c.kind in {"direct", "mixed", "quoted_phrase"} for piece in c.content_ranges()]
    for start, end, name, confidence, method in detections:
        voice = "quoted" if any(s <= start and end <= e for s, e in claims) else "outlet"
        span = document.span(start, end)
        document.analysis.techniques.append(
            Technique(**span.model_dump(), technique=name, confidence=round(confidence, 3), voice=voice, method=method,
                      threshold=round(thresholds[name], 3) if thresholds and name in thresholds else None)
        )
