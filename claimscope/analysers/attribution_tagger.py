"""Adds the attributions the trained CRF finds and the rules missed (runs after "attribution").

Rules go first (their speaker/content linking over the parse is more precise); a CRF
attribution is added when its cue and source are free and most of its content is too.
"""
from __future__ import annotations

from ..attribution_model import tag_document
from ..document import Document
from ..lexicons import cues
from ..pipeline import component
from ..records import Claim
from .attribution import _kind


@component("attribution_tagger")
def attribution_tagger(document: Document) -> None:
    analysis = document.analysis
    doc = document.doc
    taken: set[int] = set()
    for claim in analysis.claims:
        for span in (claim.content, claim.cue, claim.speaker):
            if span is not None:
                tokens = doc.char_span(span.start, span.end, alignment_mode="expand") or []
                taken.update(t.i for t in tokens)
    resolver = document.scratch.get("resolver")
    added = []
    for source, cue, content in tag_document(document):
        spans = [s for s in (source, cue, content) if s is not None]
        heads = [s for s in (source, cue) if s is not None]
        if any(i in taken for s in heads for i in range(s.start, s.end)):
            continue
        content_tokens = range(content.start, content.end)
        if sum(i in taken for i in content_tokens) > 0.5 * len(content_tokens):
            continue
        for s in spans:
            taken.update(range(s.start, s.end))
        lemma = doc[cue.start : cue.end].root.lemma_.lower()
        speaker_tokens = doc[source.start : source.end] if source else None
        content_span = document.token_span(doc[content.start : content.end])
        first = document.sentence_index(content_span.start)
        last = document.sentence_index(max(content_span.end - 1, content_span.start))
        added.append(
            Claim(
                id="",
                speaker=document.token_span(speaker_tokens) if speaker_tokens is not None else None,
                speaker_resolved=resolver.resolve(speaker_tokens) if resolver and speaker_tokens is not None else None,
                cue=document.token_span(doc[cue.start : cue.end]),
                cue_class=cues()[lemma].cue_class if lemma in cues() else "neutral",
                content=content_span,
                kind=_kind(doc, content.start, content.end),
                sentences=list(range(first, last + 1)),
            )
        )
    if added:
        analysis.claims = sorted(analysis.claims + added, key=lambda c: c.content.start)
        for number, claim in enumerate(analysis.claims, start=1):
            claim.id = f"c{number}"
