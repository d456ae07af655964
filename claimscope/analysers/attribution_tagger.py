"""Merges the trained tagger's attributions with the rules' (runs after "attribution").

Priority (setting ``order``; the three are measured in the README): with "quotes" (the default) the rules'
well-known constructions (headline and dash patterns, relays, passives, "as he claims", "according to") and
their direct quotations come first, then the tagger's attributions, then the rules' other claims, each of
which gives way to a tagged claim only when the two share their cue (the tagger read that report another
way; a tagged claim without a source keeps the rule claim's speaker) and otherwise wins over the tagged
attributions it overlaps; with "rules" every rule claim comes
first and the tagger only adds attributions where the rules found none; with "patterns" only the well-known
constructions come first, then the tagger, then the rule claims it left free. A later attribution is
dropped when it shares a token with an earlier one, except that it may share an earlier one's speaker ("X mocked A, saying
B": two attributions of one speaker), and one that lies wholly inside an earlier claim's content
("he said that the troops welcomed the decision") is kept as a nested attribution. A rule claim's
cue takes in the words the tagger's cue adds around it ("said in a statement", "called for").
A tagged attribution is a claim when its cue is a reporting verb of the lexicon that reports
speech here (not negated, not a topic only: ``attribution.reports``) outside anyone's quotation;
the others (beliefs, perceptions, evidence: "polls show"; "did not say") go to ``other_attributions``.
"""
from __future__ import annotations

from ..engines.attribution_crf import MODEL_FILE, TaggedSpan, paragraphs, tag_document
from ..engines.transformer import sentence_vectors, transformer_tagger
from ..engines.crf import load_tagger
from ..document import Document
from ..resources.lexicons import cues
from ..pipeline import ConfigError, component
from ..records import Claim
from .attribution import NOT_SPEAKERS, SPEECH_CLASSES, Finder, agent_of, mark_headline_claims, numbered, reports, source_of, without_comment


ORDERS = ("quotes", "rules", "patterns")


def _setup(settings: dict) -> None:
    if settings["order"] not in ORDERS:
        raise ConfigError(f"[components.attribution_tagger] order must be one of {', '.join(map(repr, ORDERS))}, not {settings['order']!r}")
    load_tagger(MODEL_FILE)


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
           settings={"order": "quotes"}, setup=_setup)
def attribution_tagger(document: Document, settings: dict) -> None:
    """Merge the CRF tagger's attributions with the rules' claims, in the order the ``order`` setting names."""
    analysis = document.analysis
    doc = document.doc

    def tokens(span) -> set[int]:
        return {t.i for t in doc.char_span(span.start, span.end, alignment_mode="expand") or []}

    def tokens_of(claim: Claim) -> set[int]:
        """The tokens a claim holds; an echoed quote (no cue) holds only its content, its speaker is an earlier claim's."""
        found: set[int] = set()
        for span in (claim.content, claim.cue, claim.speaker if claim.cue is not None else None, *claim.via_spans):
            if span is not None:
                found |= tokens(span)
        return found

    order = settings["order"]
    known = [c for c in analysis.claims if c.kind != "quoted_phrase" and (
        order == "rules" or c.id in document.pattern_claims or order == "quotes" and c.kind == "direct")]
    known_ids = {c.id for c in known}
    patterns = [c for c in analysis.claims if c.id in document.pattern_claims]
    tagged = tag_document(document)
    taken = _widen_cues(document, known, [cue for _source, cue, _pieces in tagged], tokens_of)
    speakers = [tokens(c.speaker) for c in known if c.speaker is not None and c.cue is not None]
    contents = [{i for start, end in c.content_ranges() for i in tokens(document.span(start, end))} for c in known]
    nested_taken: set[int] = set().union(*(tokens_of(c) for c in analysis.other_attributions)) if analysis.other_attributions else set()
    known_tokens = set(taken)
    finder = Finder(doc)
    added, beliefs = [], []
    for source, cue, pieces in tagged:
        root = doc[cue.start : cue.end].root
        agent = agent_of(root) if source is None else None
        if agent is not None:  # a passive cue the tagger gave no source: "the claims were refuted by the 59th Brigade"
            source = TaggedSpan("SRC", agent.left_edge.i, agent.i + 1)
        # a piece in another sentence than the cue only as a quotation ('"...," he said.')
        pieces = [p for p in pieces if doc[p.start].sent.start == root.sent.start or finder.kind_of(p.start, p.end) == "direct"]
        if not pieces or source is not None and not _can_speak(doc[source.start : source.end]):
            continue
        last = pieces[-1]
        if finder.kind_of(last.start, last.end) != "direct":  # ", a claim that could not be verified" is the outlet's
            pieces = [*pieces[:-1], TaggedSpan(last.role, last.start, without_comment(doc, last.start, last.end))]
        first = pieces[0]
        pieces = [p for p in (TaggedSpan(first.role, finder.after_dateline(first.start, first.end), first.end), *pieces[1:]) if p.end > p.start]
        if not pieces:
            continue
        source_tokens = set(range(source.start, source.end)) if source is not None else set()
        must_be_free = {i for s in (cue, *pieces) for i in range(s.start, s.end)}  # all but a known speaker's tokens
        if not any(source_tokens <= speaker for speaker in speakers):
            must_be_free |= source_tokens
        own = must_be_free | source_tokens
        nested = bool(must_be_free & taken)
        if nested and (own & nested_taken or not any(own <= content for content in contents)):
            continue
        if nested:
            nested_taken |= own
        else:
            taken |= own
            if source_tokens:
                speakers.append(source_tokens)
        entry = cues().get(root.lemma_.lower())
        speech = not nested and entry is not None and entry.cue_class in SPEECH_CLASSES and reports(root) and not finder.in_quotation(root)
        speaker_tokens = source_of(doc[source.start : source.end]) if source else None
        parts = [document.token_span(doc[p.start : p.end]) for p in pieces] if len(pieces) > 1 else []
        content_span = document.span(doc[pieces[0].start].idx, doc[pieces[-1].end - 1].idx + len(doc[pieces[-1].end - 1]))
        if parts:
            content_span.text = " ".join(part.text for part in parts)
        kinds = {finder.kind_of(p.start, p.end) for p in pieces}
        first = document.sentence_index(min(content_span.start, doc[cue.start].idx))
        last = document.sentence_index(max(content_span.end - 1, doc[cue.start].idx))
        record = Claim(
            id="",
            speaker=document.token_span(speaker_tokens) if speaker_tokens is not None else None,
            speaker_status="unresolved" if speaker_tokens is not None else "implicit",
            cue=document.token_span(doc[cue.start : cue.end]),
            cue_class=entry.cue_class if entry is not None else "other",
            content=content_span,
            content_parts=parts,
            kind="nested" if nested else kinds.pop() if len(kinds) == 1 else "mixed",
            sentences=list(range(first, last + 1)),
        )
        (added if speech else beliefs).append(record)
    rest = []
    tagged_cues = {i for record in added for i in tokens(record.cue)}  # not the beliefs': the rules found speech there
    for claim in (c for c in analysis.claims if c.id not in known_ids):
        held = tokens_of(claim)
        if held & taken:
            same_cue = claim.cue is not None and tokens(claim.cue) & tagged_cues
            twin = next((record for record in added if tokens(record.cue) & same_cue), None) if same_cue else None
            if twin is not None:
                _inherit_speaker(claim, twin)
            if order != "quotes" or held & known_tokens or same_cue:
                continue
            # "quotes": the rule claim wins over the tagged attributions it overlaps
            added = [record for record in added if not tokens_of(record) & held]
            beliefs = [record for record in beliefs if not tokens_of(record) & held]
        rest.append(claim)
    mark_headline_claims(document, added)  # the rules' claims were marked when they were recorded
    analysis.claims = numbered(known + added + rest, "c")
    added_tokens = {i for claim in added for i in tokens_of(claim)}
    others = [c for c in analysis.other_attributions if not tokens_of(c) & added_tokens] + beliefs
    analysis.other_attributions = numbered(others, "a")
    document.pattern_claims = {c.id for c in analysis.claims if any(c is k for k in patterns)}  # renumbered


def _inherit_speaker(rule_claim: Claim, tagged: Claim) -> None:
    """A tagged claim without a source that takes over a rule claim with its cue keeps the rule claim's speaker:
    the shared subject of a participle or conjoined cue ("The army said ..., adding that ..."), which the tagger,
    giving each source span to one cue, leaves out. (Rule claims with relays are patterns, never taken over.)"""
    if tagged.speaker is None and rule_claim.speaker is not None:
        tagged.speaker, tagged.speaker_status = rule_claim.speaker, rule_claim.speaker_status


def _widen_cues(document: Document, known: list[Claim], tagged_cues, tokens_of) -> set[int]:
    """A rule claim's cue takes in the words a tagged cue adds around it ("said" -> "said in a statement",
    "called" -> "called for", as PolNeAR marks cues), when they belong to no claim's speaker or content.
    Returns the tokens the known claims hold, their widened cues included."""
    doc = document.doc
    held = set().union(*(tokens_of(c) for c in known)) if known else set()
    for claim in known:
        own = doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand") if claim.cue is not None else None
        if own is None:
            continue
        wider = next((cue for cue in tagged_cues if cue.start <= own.start and own.end <= cue.end), None)
        if wider is None:
            continue
        extra = set(range(wider.start, own.start)) | set(range(own.end, wider.end))
        if extra and not extra & held:
            claim.cue = document.token_span(doc[wider.start : wider.end])
            held |= extra
    return held
