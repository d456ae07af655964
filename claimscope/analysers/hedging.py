"""Epistemic status: hedges, modals, conditionals, distancing cues, evaluative frames and quotation
marks, each with its owner, the outlet or the speaker, per claim and per sentence.

Whose doubt is it? The outlet's: a distancing cue ("claimed"), a hedge the reporter inserts in
reported speech ("had allegedly handed over") or writes in its own voice, an evaluative frame
around the claim in the same sentence ("false claims", "note falsely", "without evidence",
"what it sees as", "..., a claim that could not be independently verified"; not "what it described as", which only
reports the wording), and scare quotes
the outlet puts around someone's term ("its 'peace memorandum'", 'the goal of "protecting"').
The speaker's: modality inside what the speaker is reported to say ("Belarus may join the war"),
a statement there that something could not be verified ("said the toll could not be confirmed
yet"), anything inside their direct quotation, and a partial quotation of their own words ("has
the 'legitimate right'"). A neutral "according to" is no doubt at all. Doubt voiced in another
sentence does not hedge a claim.
"""
from __future__ import annotations

import re
from typing import Optional

from ..document import Document
from ..languages import resources
from ..resources.lexicons import cues, fold_letters, hedges, language_hedges, lower_in_place
from ..pipeline import component
from ..records import Claim, Hedge
from .attribution import quotation_regions

SCARE_QUOTE_MAX_WORDS = 3
MODALS_NEED_TAG = {"may", "might", "could"}
SPEAKER_KINDS = {"modal", "conditional"}
REPORTER_HEDGES = {"allegedly", "purportedly", "reportedly", "supposedly", "ostensibly", "alleged", "purported", "so-called", "unconfirmed", "unverified", "supposed",
                   "apparent"}
# Inside reported words these are the speaker's ("he said the figures could not be verified"), outside the outlet's;
# the other evaluations may frame a report from inside its span ("reiterated his false claims that ..."): the outlet's.
UNVERIFIED = (r"\b(?:could not|cannot|can't|couldn't) (?:be )?(?:independently |immediately )?(?:verif|confirm)\w*"
              r"|\b(?:has|have|had|was|were|is|are)(?: not|n't)(?: been)? (?:independently |immediately )?(?:verified|confirmed)\b"
              r"|\b(?:has|have|had)(?: not|n't) (?:yet )?(?:observed|seen|found) (?:any )?(?:confirmation|evidence)\b|\bno (?:independent )?confirmation\b")
UNVERIFIED_PHRASE = re.compile(UNVERIFIED, re.I)
EVALUATIVE = re.compile(
    r"\bfalse(?:ly)?\b|\bbaseless\b|\bunfounded\b|\bgroundless\b|\bunsubstantiated\b|\bdubious\b|\bspurious\b|\bboilerplate\b"
    r"|\bwithout (?:providing |citing |offering |giving |presenting )?(?:any )?(?:evidence|proof)\b"
    r"|\b(?:provid|offer|giv|present|cit|produc|show)(?:ed|ing|es|e|s)? no (?:evidence|proof)\b|\bgave no (?:evidence|proof)\b"
    r"|\b(?:did not|didn't|does not|doesn't|failed to) (?:provide|offer|give|present|cite|produce|show) (?:any )?(?:evidence|proof)\b"
    r"|" + UNVERIFIED +
    # "what it called ...", "what it sees as": the outlet keeps its distance; "what it described as" only reports the wording
    r"|\bwhat (?:it|he|she|they|moscow|the kremlin|kyiv|minsk) (?:calls?|called|sees? as|saw as|terms?|termed|claims?|claimed)\b",
    re.I,
)


def _lexicon_hedges(document: Document) -> list[Hedge]:
    doc = document.doc
    lexicon = hedges()
    longest = max(len(k) for k in lexicon)
    starts = {k[0] for k in lexicon}
    lowers = [t.lower_ for t in doc]
    found: list[Hedge] = []
    i = 0
    while i < len(doc):
        for size in range(longest if lowers[i] in starts else 0, 0, -1):
            words = tuple(lowers[i : i + size])
            kind = lexicon.get(words)
            if kind is None:
                continue
            first = doc[i]
            if words[0] in MODALS_NEED_TAG and first.tag_ != "MD":
                continue
            if words == ("if",) and first.dep_ != "mark":
                continue
            if words == ("apparent",) and first.dep_ != "amod":
                continue  # "it became apparent that": evident, no doubt; "the apparent strike": not yet confirmed
            span = document.token_span(doc[i : i + size])
            found.append(Hedge(**span.model_dump(), kind=kind, owner="outlet", sentence=document.sentence_index(span.start)))
            i += size - 1
            break
        i += 1
    return found


def _evaluations(document: Document) -> list[Hedge]:
    found = []
    for match in EVALUATIVE.finditer(document.text):
        span = document.span(match.start(), match.end())
        found.append(Hedge(**span.model_dump(), kind="distancing", owner="outlet", sentence=document.sentence_index(span.start)))
    return found


REPORT_WORDS = {"claim", "statement", "report", "allegation", "assertion", "accusation", "rumour", "rumor", "say", "claim", "allege", "report", "state"}


def _about_another_report(document: Document, hedge: Hedge, contents) -> bool:
    """'claims about the alleged capture': the hedge qualifies a report the speaker talks about, so it is the speaker's."""
    span = document.doc.char_span(hedge.start, hedge.end, alignment_mode="expand")
    if span is None:
        return False
    content = next(((s, e) for s, e in contents if s <= hedge.start and hedge.end <= e), None)
    inside = [a for a in list(span.root.ancestors)[:4] if content is not None and content[0] <= a.idx < content[1]]
    return any(a.lemma_.lower() in REPORT_WORDS for a in inside)


def _named_a_claim(document: Document, claim: Claim) -> Optional[Hedge]:
    """"Moscow reiterated claims that ...": content introduced by a distancing noun is what the outlet calls a claim."""
    span = document.doc.char_span(claim.content.start, claim.content.end, alignment_mode="expand")
    if span is None or claim.kind == "direct" or len(span) < 3:
        return None
    if span[1].lower_ in {"that", "of"}:
        noun = span[0]  # the content holds the noun: "claims that ..."
    elif span[0].lower_ in {"that", "of"} and span.start > 0:
        noun = document.doc[span.start - 1]  # the noun just before it: "reiterated claims [that ...]"
    else:
        return None
    entry = cues().get(noun.lemma_.lower())
    if noun.pos_ != "NOUN" or entry is None or entry.cue_class != "distancing" or claim.cue_class == "distancing":
        return None
    return Hedge(**document.token_span(noun.doc[noun.i : noun.i + 1]).model_dump(), kind="distancing", owner="outlet",
                 sentence=document.sentence_index(noun.idx))


def _inside(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def quotation_marks(document: Document, regions: list[tuple[int, int]], claims: list[Claim], contents: list[tuple[int, int]]) -> list[Hedge]:
    """Short quotations: the outlet's scare quotes, or partial quotations of a speaker's own words (``contents``: the claims'
    content ranges). A quotation right after the language's framing words ("its", "so-called", "what it called") is a scare quote."""
    found = []
    text = document.text
    language = resources(document.language)
    quotes = [piece for c in claims if c.kind == "direct" for piece in c.content_ranges()]
    for start, end in regions:
        inner = text[start + 1 : end].strip("\"\u201d\u00bb\u201c'` .,")
        words = inner.split()
        if not words or len(words) > 12 or "\n" in text[start:end] or language.QUOTED_NAMES and inner[:1].isupper():
            continue
        if any(start <= s and e <= end and e - s >= end - start - 2 for s, e in quotes):
            continue  # the quotation is a claim of its own ('"The depot burned," she said'), not a mark inside one
        sentence = document.analysis.sentences[document.sentence_index(start)]
        outside = (text[sentence.start : start] + text[end : sentence.end]).split()
        if len([w for w in outside if any(ch.isalpha() for ch in w)]) < 3:
            continue  # the quotation is the sentence: a quote, not a mark
        before = re.findall(r"[\w-]+", text[max(sentence.start, start - 40) : start].lower())
        framed = bool(before) and (before[-1] in language.QUOTE_FRAMING_WORDS or " ".join(before[-3:]).startswith(language.QUOTE_FRAMING_PHRASES))
        in_claim = _inside(start, end, contents)
        if len(words) <= SCARE_QUOTE_MAX_WORDS and (framed or not in_claim):
            kind, owner = "scare_quote", "outlet"
        else:
            kind, owner = "partial_quote", "speaker"
        span = document.span(start, end)
        found.append(Hedge(**span.model_dump(), kind=kind, owner=owner, sentence=sentence.index))
    return found


@component("hedging", requires=["doc", "sentences", "claims"], assigns=["hedges"])
def hedging(document: Document, settings: dict) -> None:
    """Hedges and distancing with their owner, on every claim and sentence."""
    analysis = document.analysis
    regions = quotation_regions(document.text)
    claims = analysis.claims
    contents = [piece for c in claims for piece in c.content_ranges()]
    evaluations = _evaluations(document)
    evaluated = [(e.start, e.end) for e in evaluations]
    words = [h for h in _lexicon_hedges(document) if not _inside(h.start, h.end, evaluated)]  # not "could" of "could not be confirmed"
    items = words + evaluations + quotation_marks(document, regions, claims, contents)
    for hedge in items:
        if hedge.kind in {"scare_quote", "partial_quote"}:
            continue
        quoted = _inside(hedge.start, hedge.end, regions)
        reported = _inside(hedge.start, hedge.end, contents)
        if quoted or reported and (hedge.kind in SPEAKER_KINDS or hedge.text.lower() not in REPORTER_HEDGES and hedge.kind == "hedge"
                                   or UNVERIFIED_PHRASE.fullmatch(hedge.text) or _about_another_report(document, hedge, contents)):
            hedge.owner = "speaker"
    named_claims: dict[str, Hedge] = {}
    for claim in claims:
        if claim.cue is not None and claim.cue_class == "distancing":
            items.append(Hedge(**claim.cue.model_dump(), kind="distancing", owner="outlet", sentence=document.sentence_index(claim.cue.start)))
        named = _named_a_claim(document, claim)
        if named is not None and not any(h.start == named.start for h in items):
            items.append(named)
            named_claims[claim.id] = named
    items.sort(key=lambda h: (h.start, h.end))
    analysis.hedges = items

    for claim in claims:
        pieces = claim.content_ranges()
        inside = [h for h in items if _inside(h.start, h.end, pieces)]
        sentence_range = (min(claim.sentences), max(claim.sentences)) if claim.sentences else (-1, -1)
        framing = [h for h in evaluations if h.owner == "outlet" and sentence_range[0] <= h.sentence <= sentence_range[1]
                   and not _inside(h.start, h.end, regions)]
        own_cue = [h for h in items if claim.cue is not None and h.kind == "distancing" and h.start == claim.cue.start]
        own_cue += [named_claims[claim.id]] if claim.id in named_claims else []
        outlet = [h for h in inside if h.owner == "outlet" and h.kind in {"hedge", "distancing"}] + [h for h in framing + own_cue if h not in inside]
        claim.hedges = list(dict.fromkeys(h.text for h in outlet))
        claim.speaker_hedges = list(dict.fromkeys(h.text for h in inside if h.owner == "speaker" and h.kind in {"hedge", "modal", "conditional"}))
        claim.scare_quotes = [h.text for h in inside if h.kind == "scare_quote"]
        claim.conditional = any(h.kind == "conditional" for h in inside)
    mark_sentences(analysis, items)


def _inside_quotation(text: str, start: int, position: int) -> bool:
    """Whether ``position`` sits within quotation marks opened after ``start``."""
    before = text[start:position]
    return before.count("«") > before.count("»") or before.count('"') % 2 == 1 or before.count("„") > before.count("“")


@component("phrase_hedging", requires=["doc", "sentences", "claims"], assigns=["hedges"])
def phrase_hedging(document: Document, settings: dict) -> None:
    """Hedges and distancing found by phrase in the language's lexicon (claimscope/data/<language>/hedges.tsv), for a
    language whose parse carries no English tags: the outlet's outside the speaker's quoted words, the speaker's inside,
    and modals and conditionals in a claim the speaker's; scare quotes as in ``hedging``."""
    analysis = document.analysis
    text = document.text
    fold = resources(document.language).LETTER_FOLDS
    lowered = fold_letters(lower_in_place(text), fold)
    for claim in analysis.claims:
        if claim.cue is not None and claim.cue_class == "distancing":
            analysis.hedges.append(Hedge(**claim.cue.model_dump(), kind="distancing", owner="outlet", sentence=claim.sentences[0]))
            claim.hedges.append(claim.cue.text)
    for phrase, kind in language_hedges(document.language):
        phrase = fold_letters(phrase, fold)
        for match in re.finditer(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", lowered):
            start, end = match.start(), match.end()
            if any(h.start < end and start < h.end for h in analysis.hedges):
                continue
            claim = next((c for c in analysis.claims if c.content.start <= start < c.content.end), None)
            if claim is not None and claim.cue is not None and claim.cue.start <= start < claim.cue.end:
                continue  # the particle is the claim's own cue, recorded above
            # "Диктатор нібито доручив ...": a distancing word right before the cue is the outlet's, about the whole report
            before_cue = None if claim is not None or kind != "distancing" else \
                next((c for c in analysis.claims if c.cue is not None and 0 < c.cue.start - end <= 2 and not text[end:c.cue.start].strip()), None)
            claim = claim or before_cue
            quoted = before_cue is None and claim is not None and (claim.kind == "direct" or _inside_quotation(text, claim.content.start, start))
            owner = "speaker" if quoted or kind in SPEAKER_KINDS and claim is not None else "outlet"
            hedge = Hedge(start=start, end=end, text=text[start:end], kind=kind, owner=owner, sentence=document.sentence_index(start))
            analysis.hedges.append(hedge)
            if claim is None:
                continue
            (claim.hedges if owner == "outlet" else claim.speaker_hedges).append(hedge.text)
            if kind == "conditional" and owner == "speaker":
                claim.conditional = True
    contents = [piece for c in analysis.claims for piece in c.content_ranges()]
    marks = quotation_marks(document, quotation_regions(text), analysis.claims, contents)
    analysis.hedges += [mark for mark in marks if not any(h.start < mark.end and mark.start < h.end for h in analysis.hedges)]
    for claim in analysis.claims:
        pieces = claim.content_ranges()
        claim.scare_quotes = [m.text for m in marks if m.kind == "scare_quote" and any(s <= m.start and m.end <= e for s, e in pieces)]
    analysis.hedges.sort(key=lambda h: h.start)
    mark_sentences(analysis, analysis.hedges)


def mark_sentences(analysis, hedges: list[Hedge]) -> None:
    """Each sentence's voice (reported, mixed or the outlet's own, by how much of it the claims cover) and whether the
    outlet hedges it."""
    claims = analysis.claims
    reported = [piece for c in claims for piece in c.content_ranges()]
    reported += [(s.start, s.end) for c in claims for s in (c.cue, c.speaker) if s is not None]
    for sentence in analysis.sentences:
        covered = sum(max(0, min(e, sentence.end) - max(s, sentence.start)) for s, e in reported)
        share = covered / max(1, sentence.end - sentence.start)
        sentence.voice = "reported" if share >= 0.9 else "mixed" if share > 0.1 else "outlet"
        sentence.hedged = any(h.sentence == sentence.index and h.owner == "outlet" and h.kind not in {"partial_quote"} for h in hedges)
