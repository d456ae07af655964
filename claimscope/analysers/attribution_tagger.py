"""Merges the trained tagger's attributions with the rules' (runs after "attribution").

Priority: with ``rules_first`` (the default) every rule attribution comes first and the tagger
only adds attributions where the rules found none; without it, only the rules' well-known
constructions (headline and dash patterns, relays, passives, "as he claims", "according to")
come before the tagger's attributions, then the remaining rule claims (echoed quotes among
them). Both orders are measured in the README. A later attribution is dropped when it shares a token with an earlier one.
The tagger's attributions pass the rules' filters: a claim's cue must be a reporting verb of
the lexicon, not negated and not inside someone's quotation; the tagger's other attributions
(beliefs, perceptions, evidence: "polls show") go to ``other_attributions``.
"""
from __future__ import annotations

from ..attribution_model import MODEL_FILE, paragraphs, tag_document
from ..attribution_transformer import sentence_vectors, transformer_tagger
from ..crf import load_tagger
from ..document import Document
from ..lexicons import cues
from ..pipeline import component
from ..records import Claim
from .attribution import NOT_SPEAKERS, SPEECH_CLASSES, Finder, numbered, reports


def _can_speak(source) -> bool:
    """False for labels ("Update: ...", "Watch: ...") and a bare "this"/"these" ("This is purportedly in response to ...")."""
    return source[0].lower_ not in NOT_SPEAKERS and not (len(source) == 1 and source[0].lower_ in {"this", "these"})


@component("attribution_transformer", requires=["doc", "sentences"], assigns=["tagger_probs", "token_vectors", "sentence_vectors"],
           batch=True, setup=lambda settings: transformer_tagger())
def attribution_transformer(documents: list[Document], settings: dict) -> None:
    """The one transformer pass: the fine-tuned tagger over every paragraph of all documents of the batch, off
    the parser's thread. Its tag probabilities feed the attribution CRF; its hidden states, as token and
    sentence vectors, feed the technique-class and check-worthiness heads (spaCy's transformer listeners)."""
    tagged = transformer_tagger().run_many([(d.doc, paragraphs(d.doc)) for d in documents])
    for document, result in zip(documents, tagged):
        document.tagger_probs = result.probs
        document.token_vectors = result.vectors
        document.sentence_vectors = sentence_vectors(document.doc, result.vectors, [(s.start, s.end) for s in document.analysis.sentences])


@component("attribution_tagger", requires=["doc", "claims", "pattern_claims", "tagger_probs"], assigns=["claims", "other_attributions"],
           settings={"rules_first": True}, setup=lambda settings: load_tagger(MODEL_FILE))
def attribution_tagger(document: Document, settings: dict) -> None:
    """Add the CRF tagger's attributions where the rules found none."""
    analysis = document.analysis
    doc = document.doc

    def tokens_of(claim: Claim) -> set[int]:
        """The tokens a claim holds; an echoed quote (no cue) holds only its content, its speaker is an earlier claim's."""
        found: set[int] = set()
        for span in (claim.content, claim.cue, claim.speaker if claim.cue is not None else None, *claim.via_spans):
            if span is not None:
                found.update(t.i for t in doc.char_span(span.start, span.end, alignment_mode="expand") or [])
        return found

    trust_rules = settings["rules_first"]
    known = [c for c in analysis.claims if (trust_rules or c.id in document.pattern_claims) and c.kind != "quoted_phrase"]
    known_ids = {c.id for c in known}
    taken: set[int] = set().union(*(tokens_of(c) for c in known)) if known else set()
    finder = Finder(doc)
    added, beliefs = [], []
    for source, cue, content in tag_document(document):
        spans = [s for s in (source, cue, content) if s is not None]
        if any(i in taken for s in spans for i in range(s.start, s.end)):
            continue
        if source is not None and not _can_speak(doc[source.start : source.end]):
            continue
        root = doc[cue.start : cue.end].root
        entry = cues().get(root.lemma_.lower())
        if entry is not None and not reports(root) or root.pos_ not in {"VERB", "AUX", "NOUN", "ADP"}:
            continue
        if doc[content.start].sent.start != root.sent.start and finder.kind_of(content.start, content.end) != "direct":
            continue  # content in another sentence only as a quotation ('"...," he said.')
        speech = entry is not None and entry.cue_class in SPEECH_CLASSES and not finder.in_quotation(root) and root.pos_ in {"VERB", "AUX"}
        for s in spans:
            taken.update(range(s.start, s.end))
        speaker_tokens = doc[source.start : source.end] if source else None
        content_span = document.token_span(doc[content.start : content.end])
        first = document.sentence_index(min(content_span.start, doc[cue.start].idx))
        last = document.sentence_index(max(content_span.end - 1, doc[cue.start].idx))
        record = Claim(
            id="",
            speaker=document.token_span(speaker_tokens) if speaker_tokens is not None else None,
            speaker_status="unresolved" if speaker_tokens is not None else "implicit",
            cue=document.token_span(doc[cue.start : cue.end]),
            cue_class=entry.cue_class if entry is not None else "other",
            content=content_span,
            kind=finder.kind_of(content.start, content.end),
            sentences=list(range(first, last + 1)),
        )
        (added if speech else beliefs).append(record)
    rest = [c for c in analysis.claims if c.id not in known_ids and not tokens_of(c) & taken]
    analysis.claims = numbered(known + added + rest, "c")
    added_tokens = {i for claim in added for i in tokens_of(claim)}
    others = [c for c in analysis.other_attributions if not tokens_of(c) & added_tokens] + beliefs
    analysis.other_attributions = numbered(others, "a")
    document.pattern_claims = {c.id for c in analysis.claims if any(c is k for k in known)}
