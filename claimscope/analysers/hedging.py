"""Epistemic status: hedges, modals, conditionals, distancing cues and scare quotes,
per claim and per sentence, and whether a sentence is the outlet's own voice."""
from __future__ import annotations

from ..document import Document
from ..lexicons import hedges
from ..pipeline import component
from ..records import Hedge
from .attribution import quote_spans

SCARE_QUOTE_MAX_WORDS = 12
MODALS_NEED_TAG = {"may", "might", "could"}


def _lexicon_hedges(document: Document) -> list[Hedge]:
    doc = document.doc
    lexicon = hedges()
    longest = max(len(k) for k in lexicon)
    found: list[Hedge] = []
    i = 0
    while i < len(doc):
        for size in range(longest, 0, -1):
            words = tuple(t.lower_ for t in doc[i : i + size])
            kind = lexicon.get(words)
            if kind is None:
                continue
            first = doc[i]
            if words[0] in MODALS_NEED_TAG and first.tag_ != "MD":
                continue
            if words == ("if",) and first.dep_ != "mark":
                continue
            span = document.token_span(doc[i : i + size])
            found.append(Hedge(**span.model_dump(), kind=kind, sentence=document.sentence_index(span.start)))
            i += size - 1
            break
        i += 1
    return found


def _scare_quotes(document: Document) -> list[Hedge]:
    """Short quoted phrases inside a sentence that is not itself a quotation."""
    found = []
    for start, end in quote_spans(document.text):
        inner = document.text[start + 1 : end].strip("\"\u201d\u00bb .,")
        words = inner.split()
        if not words or len(words) > SCARE_QUOTE_MAX_WORDS:
            continue
        sentence = document.analysis.sentences[document.sentence_index(start)]
        outside = (document.text[sentence.start : start] + document.text[end : sentence.end]).split()
        if len([w for w in outside if any(c.isalpha() for c in w)]) < 3:
            continue
        span = document.span(start, end)
        found.append(Hedge(**span.model_dump(), kind="scare_quote", sentence=sentence.index))
    return found


@component("hedging")
def hedging(document: Document) -> None:
    analysis = document.analysis
    items = _lexicon_hedges(document) + _scare_quotes(document)
    for claim in analysis.claims:
        if claim.cue is not None and claim.cue_class in {"distancing", "according_to"}:
            items.append(Hedge(**claim.cue.model_dump(), kind="distancing", sentence=document.sentence_index(claim.cue.start)))
    items.sort(key=lambda h: h.start)
    analysis.hedges = items

    for claim in analysis.claims:
        inside = [h for h in items if claim.content.start <= h.start and h.end <= claim.content.end]
        own_cue = [h for h in items if claim.cue is not None and h.kind == "distancing" and h.start == claim.cue.start]
        claim.hedges = [h.text for h in inside + own_cue if h.kind != "scare_quote"]
        claim.scare_quotes = [h.text for h in inside if h.kind == "scare_quote"]
        claim.conditional = any(h.kind == "conditional" for h in inside)

    reported = [(c.content.start, c.content.end) for c in analysis.claims]
    reported += [(s.start, s.end) for c in analysis.claims for s in (c.cue, c.speaker) if s is not None]
    for sentence in analysis.sentences:
        covered = sum(max(0, min(e, sentence.end) - max(s, sentence.start)) for s, e in reported)
        share = covered / max(1, sentence.end - sentence.start)
        sentence.voice = "reported" if share >= 0.9 else "mixed" if share > 0.1 else "outlet"
        sentence.hedged = any(h.sentence == sentence.index and h.kind != "scare_quote" for h in items)
