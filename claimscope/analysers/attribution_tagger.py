"""Merges the trained CRF's attributions with the rules' (runs after "attribution").

Priority, measured on PolNeAR dev: first the rules' well-known constructions (dash-closed
quotes, "as he claims", "according to"), then the CRF's attributions (better than the rules
on ordinary reporting verbs), then any remaining rule claim (echoed quotes among them). A later claim is
dropped when it shares a token with an earlier one.
"""
from __future__ import annotations

from ..attribution_model import tag_document
from ..document import Document
from ..lexicons import cues
from ..pipeline import component
from ..records import Claim
from .attribution import NOT_SPEAKERS, _kind


def _can_speak(source) -> bool:
    """False for labels ("Update: ...", "Watch: ...") and a bare "this"/"these" ("This is purportedly in response to ...")."""
    return source[0].lower_ not in NOT_SPEAKERS and not (len(source) == 1 and source[0].lower_ in {"this", "these"})


@component("attribution_tagger")
def attribution_tagger(document: Document) -> None:
    analysis = document.analysis
    doc = document.doc
    patterns = document.scratch.get("pattern_claims", set())

    def tokens_of(claim: Claim) -> set[int]:
        """The tokens a claim holds; an echoed quote (no cue) holds only its content, its speaker is an earlier claim's."""
        found: set[int] = set()
        for span in (claim.content, claim.cue, claim.speaker if claim.cue is not None else None):
            if span is not None:
                found.update(t.i for t in doc.char_span(span.start, span.end, alignment_mode="expand") or [])
        return found

    known = [c for c in analysis.claims if c.id in patterns and c.kind != "quoted_phrase"]
    known_ids = {c.id for c in known}
    taken: set[int] = set().union(*(tokens_of(c) for c in known)) if known else set()
    resolver = document.scratch.get("resolver")
    added = []
    for source, cue, content in tag_document(document):
        spans = [s for s in (source, cue, content) if s is not None]
        if any(i in taken for s in spans for i in range(s.start, s.end)):
            continue
        if source is not None and not _can_speak(doc[source.start : source.end]):
            continue
        for s in spans:
            taken.update(range(s.start, s.end))
        lemma = doc[cue.start : cue.end].root.lemma_.lower()
        speaker_tokens = doc[source.start : source.end] if source else None
        content_span = document.token_span(doc[content.start : content.end])
        first_sentence = document.sentence_index(content_span.start)
        last_sentence = document.sentence_index(max(content_span.end - 1, content_span.start))
        added.append(
            Claim(
                id="",
                speaker=document.token_span(speaker_tokens) if speaker_tokens is not None else None,
                speaker_resolved=resolver.resolve(speaker_tokens) if resolver and speaker_tokens is not None else None,
                cue=document.token_span(doc[cue.start : cue.end]),
                cue_class=cues()[lemma].cue_class if lemma in cues() else "neutral",
                content=content_span,
                kind=_kind(doc, content.start, content.end),
                sentences=list(range(first_sentence, last_sentence + 1)),
            )
        )
    rest = [c for c in analysis.claims if c.id not in known_ids and not tokens_of(c) & taken]
    if added or len(known) + len(rest) != len(analysis.claims):
        analysis.claims = sorted(known + added + rest, key=lambda c: c.content.start)
        for number, claim in enumerate(analysis.claims, start=1):
            claim.id = f"c{number}"
