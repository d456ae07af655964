"""Attribution: speaker / cue / content for every reported statement, by rules over the parse.

Patterns, in the order they claim tokens (a token belongs to at most one attribution, as in
PolNeAR): a quote closed by a dash and a reporting verb ("... readiness - said Lukashenko") or
by a dash and a name alone ("..." - Sonya Herridge), a speaker and a colon opening a headline
or transcript line ("Pence: Flowers won't be at debate", "WALLACE: Let's start"), parenthetical
cues ("as he claims"), reporting verbs with a clausal or nominal complement, "according to X",
and finally quoted passages that continue or echo an earlier speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..attribution_model import paragraphs
from ..document import Document
from ..lexicons import cues
from ..pipeline import component
from ..records import Claim, Span
from .coref import Resolver

DASHES = {"\u2013", "\u2014", "\u2015", "--", "-"}
QUOTE_PATTERN = re.compile(r"\"[^\"\n]+\"?|\u201c[^\u201d\n]+\u201d?|\u00ab[^\u00bb\n]+\u00bb?")
TRIM = set(",;:") | DASHES
QUOTE_OPENERS = {'"', "\u201c", "\u00ab", "``"}
CLOSING_QUOTES = {'"', "\u201d", "\u00bb", "''"}
NOT_SPEAKERS = {"update", "note", "editor", "watch", "read", "related", "photo", "video", "source", "sources", "warning", "correction", "disclosure", "transcript"}


@dataclass
class Found:
    """A raw attribution before resolution: token-level speaker, cue, content (char span)."""

    speaker: Optional[SpacySpan]
    cue: Optional[SpacySpan]
    cue_class: str
    content: tuple[int, int]
    kind: str
    pattern: bool = False  # a construction the rules know well (dash quote, "as he claims", "according to", echoed quote)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted passages, quote marks included; an unclosed quote runs to the line end."""
    return [(m.start(), m.end()) for m in QUOTE_PATTERN.finditer(text)]


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range [start, end) without edge punctuation other than quote marks."""
    while start < end and (doc[start].is_space or doc[start].text in TRIM or doc[start].text == "."):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in TRIM or doc[end - 1].text == "."):
        end -= 1
    return start, end


def _with_quotes(doc: Doc, start: int, end: int, cue: Optional[SpacySpan]) -> tuple[int, int]:
    """Grow content to the whole quotation it lies in (quote marks and all), unless the cue is quoted too."""
    if end <= start:
        return start, end
    first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    for q_start, q_end in _paragraph_quotes(doc, doc[start]):
        if q_start <= last and first <= q_end and (q_start < first or q_end > last):
            if cue is not None and q_start <= cue.start_char < q_end:
                continue
            span = doc.char_span(min(q_start, first), max(q_end, last), alignment_mode="expand")
            if span is not None:
                return span.start, span.end
    return start, end


def _paragraph_quotes(doc: Doc, token: Token) -> list[tuple[int, int]]:
    start = doc[_paragraph_start(doc, token)].idx
    end = doc.text.find("\n", token.idx)
    end = len(doc.text) if end < 0 else end
    return [(start + s, start + e) for s, e in quote_spans(doc.text[start:end])]


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    start, end = _trimmed(doc, start, end)
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)) if end > start else (0, 0)


def _speaker(verb: Token) -> Optional[SpacySpan]:
    """The subject of a reporting verb (or the agent of a passive one), inherited through conjunctions."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return verb.doc[child.left_edge.i : child.right_edge.i + 1]
        if child.dep_ == "agent":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return verb.doc[objects[0].left_edge.i : objects[0].right_edge.i + 1]
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _speaker(verb.head)
    return None


def _cue_span(verb: Token) -> SpacySpan:
    """The reporting verb with its auxiliaries, negation and adverbs before it, and a time
    expression or colon right after it ("has not said", "also mentions", "said Friday:"), as PolNeAR marks cues."""
    doc = verb.doc
    start = verb.i
    while start > 0 and doc[start - 1].head.i == verb.i and doc[start - 1].dep_ in {"aux", "neg", "advmod", "auxpass"}:
        start -= 1
    end = verb.i + 1
    while end < len(doc) and doc[end].head.i == verb.i and (doc[end].ent_type_ in {"DATE", "TIME"} and doc[end].dep_ in {"npadvmod", "tmod"}):
        end += 1
    if end < len(doc) and doc[end].text == ":":
        end += 1
    return doc[start:end]


def _is_cue(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in cues() and token.tag_ != "VBG" or (
        token.pos_ == "VERB" and token.tag_ == "VBG" and token.lemma_.lower() in cues() and token.dep_ == "advcl"
    )


def _paragraph_start(doc: Doc, token: Token) -> int:
    i = token.i
    while i > 0 and "\n" not in doc[i - 1].text_with_ws:
        i -= 1
    return i


def _paragraph_end(doc: Doc, i: int) -> int:
    """Index after the last token of the paragraph that holds token i."""
    while i < len(doc) - 1 and "\n" not in doc[i].text_with_ws:
        i += 1
    return i + 1


def _is_name(tokens: SpacySpan) -> bool:
    """One to four capitalised tokens, at least one a proper noun or in capitals: a speaker's name."""
    words = [t for t in tokens if not t.is_punct]
    return (
        0 < len(words) <= 4
        and all(t.text[:1].isupper() or t.lower_ in {"'s", "\u2019s", "of", "the"} for t in words)
        and any(t.pos_ == "PROPN" or (t.is_upper and len(t) > 1) for t in words)
        and not any(t.pos_ in {"VERB", "AUX", "PRON"} for t in words)
        and words[0].lower_ not in NOT_SPEAKERS
    )


def _paragraph_tail(doc: Doc, i: int) -> Optional[SpacySpan]:
    """The name that runs from token i to the end of its paragraph (a final full stop allowed), if it is one."""
    end = _paragraph_end(doc, i)
    while i < end and doc[i].is_space:
        i += 1
    while end > i and (doc[end - 1].is_space or doc[end - 1].text == "."):
        end -= 1
    return doc[i:end] if end > i and _is_name(doc[i:end]) else None


def _speaker_colon(doc: Doc, start: int) -> Optional[int]:
    """Index of the colon in "Name: ..." at a paragraph start (after an optional opening quote)."""
    first = start + (doc[start].text in QUOTE_OPENERS)
    for i in range(first + 1, min(first + 6, len(doc))):
        if doc[i].text == ":":
            return i if _is_name(doc[first:i]) or doc[first:i].text in {"Q", "A", "Report", "Poll"} else None
        if "\n" in doc[i].text_with_ws:
            return None
    return None


def find_attributions(doc: Doc) -> list[Found]:
    used: set[int] = set()
    found: list[Found] = []

    def claim(speaker, cue, cue_class, start, end, kind, pattern=False) -> None:
        """Record an attribution over content tokens [start, end) if none of them is taken."""
        start, end = _with_quotes(doc, *_trimmed(doc, start, end), cue)
        tokens = set(range(start, end)) | set(range(cue.start, cue.end) if cue else ()) | (
            set(range(speaker.start, speaker.end)) if speaker is not None else set()
        )
        if end <= start or tokens & used:
            return
        used.update(tokens)
        found.append(Found(speaker, cue, cue_class, _chars(doc, start, end), kind, pattern))

    lexicon = cues()
    verbs = [t for t in doc if _is_cue(t)]

    # 1. "<quote> - said X." : everything from the paragraph start to the dash is the quote.
    for verb in verbs:
        before = doc[verb.i - 1] if verb.i else None
        speaker = _speaker(verb)
        if before is None or before.text not in DASHES or speaker is None or speaker.start < verb.i:
            continue
        if any(not (t.is_punct or t.is_space) for t in doc[speaker.end : verb.sent.end]):
            continue
        start = _paragraph_start(doc, verb)
        claim(speaker, doc[verb.i : verb.i + 1], lexicon[verb.lemma_.lower()].cue_class, start, before.i, "direct", pattern=True)

    # 1b. "<quote>" - Name : a dash and a name alone close the paragraph.
    for token in doc:
        if token.text not in DASHES:
            continue
        before = next((t for t in reversed(doc[: token.i]) if not t.is_space), None)
        if before is None or before.text not in CLOSING_QUOTES:
            continue
        name = _paragraph_tail(doc, token.i + 1)
        if name is not None:
            claim(name, doc[token.i : token.i + 1], "neutral", _paragraph_start(doc, token), token.i, "direct", pattern=True)

    # 1c. "Speaker: content" opening a paragraph (headlines, transcripts, Q/A interviews).
    for start, end in paragraphs(doc):
        colon = _speaker_colon(doc, start)
        if colon is not None:
            speaker = doc[start + (doc[start].text in QUOTE_OPENERS) : colon]
            if sum(t.is_alpha for t in doc[colon + 1 : end]) >= 3:
                claim(speaker, doc[colon : colon + 1], "neutral", colon + 1, end, _kind(doc, colon + 1, end), pattern=True)

    for verb in verbs:
        cue_entry = lexicon[verb.lemma_.lower()]
        speaker = _speaker(verb)
        sent = verb.sent
        children = list(verb.children)
        mark = next((c for c in children if c.dep_ == "mark" and c.lower_ == "as"), None)
        # 2. Parenthetical "- as he claims -": the content is the rest of the sentence.
        if mark is not None and verb.dep_ == "advcl" and speaker is not None:
            after = verb.i + 1
            while after < sent.end and (doc[after].text in TRIM or doc[after].is_space):
                after += 1
            start, end = (after, sent.end) if after < sent.end - 1 else (sent.start, mark.i)
            claim(speaker, doc[mark.i : verb.i + 1], "distancing" if cue_entry.cue_class != "neutral" else "neutral", start, end, "parenthetical", pattern=True)
            continue
        complement = next((c for c in children if c.dep_ == "ccomp"), None)
        if complement is None and verb.lemma_.lower() in {"say", "tell", "add", "write", "warn"}:
            complement = next((c for c in children if c.dep_ in {"xcomp", "advcl"} and c.i > verb.i and c.pos_ in {"VERB", "AUX"}), None)
        if complement is not None and speaker is not None:
            left = complement.left_edge.i
            right = complement.right_edge.i + 1
            if left < verb.i < right:  # the reporting clause sits inside its content: keep the side after it
                left = verb.i + 1
            claim(speaker, _cue_span(verb), cue_entry.cue_class, left, right, _kind(doc, left, right))
            continue
        objects = [c for c in children if c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"}]
        if objects and cue_entry.nominal and speaker is not None and objects[0].ent_type_ != "PERSON":
            obj = objects[0]
            right = max(c.right_edge.i for c in children if c.i >= obj.i and not c.is_punct) + 1
            claim(speaker, _cue_span(verb), cue_entry.cue_class, obj.left_edge.i, right, "indirect")

    # 3. "According to X, <content>" or "<content>, according to X."
    for token in doc:
        if token.lower_ != "according":
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
        if not objects:
            continue
        speaker = doc[objects[0].left_edge.i : objects[0].right_edge.i + 1]
        sent = token.sent
        phrase_end = speaker.end
        if token.i == sent.start or doc[token.i - 1].is_punct and token.i - 1 == sent.start:
            start, end = phrase_end, sent.end
        else:
            start, end = sent.start, token.i
        claim(speaker, doc[token.i : to.i + 1], "according_to", start, end, "according_to", pattern=True)

    found.sort(key=lambda f: f.content[0])
    found.extend(_quoted_passages(doc, found, used))
    found.sort(key=lambda f: f.content[0])
    return found


def _kind(doc: Doc, start: int, end: int) -> str:
    """direct: the content is one quotation; mixed: part quoted; indirect: no quote marks."""
    start, end = _trimmed(doc, start, end)
    text = doc[start:end].text
    quoted = sum(e - s for s, e in quote_spans(text))
    if quoted and quoted >= len(text) - 2:
        return "direct"
    return "mixed" if quoted and quoted > 0.5 * len(text) else "indirect"


def _quoted_passages(doc: Doc, found: list[Found], used: set[int]) -> list[Found]:
    """Quoted passages of four words or more that no cue covers: they echo the nearest earlier speaker."""
    extra: list[Found] = []
    for start_char, end_char in quote_spans(doc.text):
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or len([t for t in span if t.is_alpha]) < 4 or any(t.i in used for t in span):
            continue
        inside = [f for f in found if f.content[0] <= start_char and end_char <= f.content[1]]
        if inside:
            continue
        window = max(0, span.sent.start_char - 400)
        earlier = [f for f in found if window <= f.content[1] <= start_char and f.speaker is not None and f.kind != "quoted_phrase"]
        if earlier:
            previous = earlier[-1]
            used.update(range(span.start, span.end))
            extra.append(Found(previous.speaker, None, "quoted_phrase", _chars(doc, span.start, span.end), "quoted_phrase", True))
    return extra


@component("attribution")
def attribution(document: Document) -> None:
    """Claims with speaker, cue, content and the canonical actor the speaker refers to."""
    doc = document.doc
    resolver = Resolver(doc)
    document.scratch["resolver"] = resolver
    document.scratch["pattern_claims"] = set()
    for number, item in enumerate(find_attributions(doc), start=1):
        if item.pattern:
            document.scratch["pattern_claims"].add(f"c{number}")
        content = document.span(*item.content)
        speaker = document.token_span(item.speaker) if item.speaker is not None else None
        resolved = resolver.resolve(item.speaker) if item.speaker is not None else None
        first, last = document.sentence_index(content.start), document.sentence_index(max(content.end - 1, content.start))
        cue = document.token_span(item.cue) if item.cue is not None else None
        document.analysis.claims.append(
            Claim(
                id=f"c{number}",
                speaker=speaker,
                speaker_resolved=resolved,
                cue=cue,
                cue_class=item.cue_class,
                content=content,
                kind=item.kind,
                sentences=list(range(first, last + 1)),
            )
        )
