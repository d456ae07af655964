"""A CRF tagger for attribution roles (Source / Cue / Content, BIO) over the spaCy parse.

It stacks on the rules: the rule analyser's role for each token is one of its features, so
the tagger learns from PolNeAR where the rules are right and adds what they miss (beliefs,
nominal cues, passive reports). Trained by scripts/train_attribution.py; the model file is
data/attribution.crfsuite. Sequences are paragraphs, so content can span sentences.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Protocol

from spacy.tokens import Doc

from ..records import Analysis
from ..resources.lexicons import DATA, cues
from .crf import TokenTable, load_tagger, with_window
from .transformer import TAGGER_FEATURES, tagger_features

if TYPE_CHECKING:
    import numpy as np

MODEL_FILE = DATA / "attribution.crfsuite"
ROLES = {"Source": "SRC", "Cue": "CUE", "Content": "CON"}
WINDOW_FEATURES = {"w", "pos", "dep", "rule", "q", "inq", "cue", "anc", "nn", "nnrole"}
QUOTE_CHARS = {'"', "\u201c", "\u201d", "\u00ab", "\u00bb", "''", "``"}


class Document(Protocol):
    """What the CRF reads of a pipeline document (claimscope.document.Document): the parse, its token table, the
    analysis so far and the transformer pass's tag probabilities."""

    doc: Doc
    analysis: Analysis
    token_table: TokenTable
    tagger_probs: Optional[np.ndarray]


def paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of paragraphs (separated by line breaks), without the line-break tokens."""
    ranges, start = [], 0
    for token in doc:
        if "\n" in token.text_with_ws:
            if token.is_space:
                if token.i > start:
                    ranges.append((start, token.i))
            else:
                ranges.append((start, token.i + 1))
            start = token.i + 1
    if start < len(doc):
        ranges.append((start, len(doc)))
    return [(s, e) for s, e in ranges if any(not t.is_space for t in doc[s:e])]


def rule_roles(document: Document) -> list[str]:
    """Per-token role assigned by the rule analyser (what the claims in the analysis cover)."""
    roles = ["O"] * len(document.doc)
    for claim in document.analysis.claims + document.analysis.other_attributions:
        spans = [("CON", start, end) for start, end in claim.content_ranges()]
        spans += [(role, span.start, span.end) for role, span in (("CUE", claim.cue), ("SRC", claim.speaker)) if span is not None]
        for role, start, end in spans:
            tokens = document.doc.char_span(start, end, alignment_mode="expand")
            for token in tokens or []:
                roles[token.i] = role
    return roles


def _cue_ancestors(table: TokenTable) -> list[tuple[str, int]]:
    """Per token: the dependency label of the step from its nearest reporting-verb ancestor, and the
    distance to that ancestor (at most 4); ("none", 0) without one. Computed top-down along the heads."""
    lexicon = cues()
    head, dep = table.head, table.dep
    is_cue = [lemma in lexicon and pos in {"VERB", "AUX"} for lemma, pos in zip(table.lemma, table.pos)]
    found: list = [None] * len(head)

    def of(i: int) -> tuple[str, int]:
        chain = []
        while found[i] is None:
            if head[i] == i:
                found[i] = ("none", 0)
                break
            if is_cue[head[i]]:
                found[i] = (dep[i], 1)
                break
            chain.append(i)
            i = head[i]
        label, distance = found[i]
        for j in reversed(chain):
            distance = distance + 1 if distance else 0
            found[j] = (label, distance)
        return found[chain[0]] if chain else found[i]

    return [(label, min(distance, 4)) for label, distance in map(of, range(len(head)))]


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Per token, the first and last token index of its sentence (Token.sent searches for them on every call)."""
    bounds: list[tuple[int, int]] = [(0, 0)] * len(doc)
    for sent in doc.sents:
        bounds[sent.start : sent.end] = [(sent.start, sent.end - 1)] * (sent.end - sent.start)
    return bounds


def paragraph_features(document: Document, roles: list[str], tagger=None) -> Iterator[tuple[int, int, list[list[str]]]]:
    """Each paragraph's token range and CRF features (token_features), the per-document tables read once."""
    table = document.token_table
    ancestors, bounds = _cue_ancestors(table), sentence_bounds(document.doc)
    for start, end in paragraphs(document.doc):
        yield start, end, token_features(start, end, roles, tagger, table, ancestors, bounds)


def token_features(start: int, end: int, roles: list[str], tagger, table: TokenTable, ancestors: list[tuple[str, int]],
                   bounds: list[tuple[int, int]]) -> list[list[str]]:
    """CRF features of tokens [start, end): words, parse, the rules' roles, and (``tagger``: the fine-tuned
    transformer tagger's probabilities for the document's tokens, or None) what the tagger reads in context.
    ``table``, ``ancestors`` and ``bounds`` are the document's token table, _cue_ancestors and sentence_bounds."""
    lexicon = cues()
    span = range(start, end)
    lower, lemma, pos, dep = table.lower[start:end], table.lemma[start:end], table.pos[start:end], table.dep[start:end]
    heads = [table.head[i] for i in span]
    is_quote = [text in QUOTE_CHARS for text in table.text[start:end]]
    inside, in_quote = [], False
    for quote in is_quote:
        in_quote = in_quote != quote
        inside.append(int(in_quote and not quote))
    anc = ancestors[start:end]
    columns = [
        ("w", [f"w={x}" for x in lower]), ("lem", [f"lem={x}" for x in lemma]), ("pos", [f"pos={x}" for x in pos]),
        ("tag", [f"tag={x}" for x in table.tag[start:end]]), ("dep", [f"dep={x}" for x in dep]),
        ("hlem", [f"hlem={table.lemma[h]}" for h in heads]), ("hdep", [f"hdep={table.dep[h]}" for h in heads]),
        ("hpos", [f"hpos={table.pos[h]}" for h in heads]), ("shape", [f"shape={x[:4]}" for x in table.shape[start:end]]),
        ("suf", [f"suf={x[-3:]}" for x in lower]), ("ent", [f"ent={x or 'O'}" for x in table.ent_type[start:end]]),
        ("q", [f"q={int(x)}" for x in is_quote]), ("inq", [f"inq={x}" for x in inside]),
        ("cue", [f"cue={int(x in lexicon)}" for x in lemma]), ("hcue", [f"hcue={int(table.lemma[h] in lexicon)}" for h in heads]),
        ("anc", [f"anc={label}" for label, _ in anc]), ("ancd", [f"ancd={distance}" for _, distance in anc]),
        ("anc_dep", [f"anc_dep={label}|{x}" for (label, _), x in zip(anc, dep)]), ("rule", [f"rule={roles[i]}" for i in span]),
        ("first", [f"first={int(i == bounds[i][0])}" for i in span]), ("last", [f"last={int(i == bounds[i][1])}" for i in span]),
        ("cuecls", [f"cuecls={lexicon[x].cue_class if x in lexicon else '-'}" for x in lemma]),
    ]
    if tagger is not None:
        rows = tagger_features(tagger, span)
        columns += [(name, [row[k] for row in rows]) for k, name in enumerate(TAGGER_FEATURES)]
    return with_window(columns, WINDOW_FEATURES)


@dataclass
class TaggedSpan:
    role: str
    start: int  # token index
    end: int


def spans_from_tags(tags: list[str], offset: int) -> list[TaggedSpan]:
    spans: list[TaggedSpan] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, role = tag.split("-")
        if prefix == "B" or not spans or spans[-1].role != role or spans[-1].end != offset + i:
            spans.append(TaggedSpan(role, offset + i, offset + i + 1))
        else:
            spans[-1].end = offset + i + 1
    return spans


def _attached(doc: Doc, span: TaggedSpan, cue: TaggedSpan) -> bool:
    """True when the span's root hangs from the cue's root in the parse (e.g. nsubj or ccomp of the verb)."""
    root = doc[span.start : span.end].root
    cue_root = doc[cue.start : cue.end].root
    return root.head.i == cue_root.i or cue_root.head.i == root.i or any(a.i == cue_root.i for a in root.ancestors)


def joined(doc: Doc, spans: list[TaggedSpan]) -> list[TaggedSpan]:
    """Same-role spans that only whitespace tokens separate, within a line, as one span ("it  added"): the
    training tags leave whitespace tokens out, so the tagger splits a span at a doubled space."""
    result: list[TaggedSpan] = []
    for span in spans:
        previous = result[-1] if result else None
        if previous is not None and previous.role == span.role and previous.end < span.start and all(
                token.is_space and "\n" not in token.text for token in doc[previous.end : span.start]):
            previous.end = span.end
        else:
            result.append(span)
    return result


def link(doc: Doc, spans: list[TaggedSpan]) -> list[tuple[TaggedSpan | None, TaggedSpan, list[TaggedSpan]]]:
    """Pair cues with contents and sources, best pairs first over the whole paragraph: same
    sentence, attached in the parse, then nearest. Contents may sit one sentence away (a quote
    before "he said."); sources must share the cue's sentence. A content span left over joins the
    attribution tagged next to it, within a sentence of it, as a further piece: a content that its own
    frame interrupts ('"A," she said. "B."', "X is expected to Y") is tagged as two spans."""
    sentence_of = [0] * len(doc)
    for number, sentence in enumerate(doc.sents):
        sentence_of[sentence.start : sentence.end] = [number] * (sentence.end - sentence.start)
    cue_spans = [s for s in spans if s.role == "CUE"]

    def pairs(role: str, max_sentences: int):
        found = []
        for c_index, cue in enumerate(cue_spans):
            for index, span in enumerate(spans):
                if span.role != role:
                    continue
                gap = abs(sentence_of[span.start] - sentence_of[cue.start])
                if gap > max_sentences:
                    continue
                distance = span.start - cue.end if span.start >= cue.end else cue.start - span.end
                found.append(((gap, not _attached(doc, span, cue), distance), c_index, index))
        return sorted(found)

    def assign(role: str, max_sentences: int) -> dict[int, int]:
        chosen: dict[int, int] = {}
        used: set[int] = set()
        for _key, c_index, index in pairs(role, max_sentences):
            if c_index not in chosen and index not in used:
                chosen[c_index] = index
                used.add(index)
        return chosen

    contents = assign("CON", 1)
    sources = assign("SRC", 0)
    owner = {index: c_index for assigned in (contents, sources) for c_index, index in assigned.items()}
    cue_number = {id(cue): c_index for c_index, cue in enumerate(cue_spans)}
    owner |= {index: cue_number[id(span)] for index, span in enumerate(spans) if span.role == "CUE"}
    order = sorted(range(len(spans)), key=lambda index: spans[index].start)
    for position, index in enumerate(order):
        span = spans[index]
        if span.role != "CON" or index in owner:
            continue
        nearest = None
        for neighbour in (order[position - 1] if position else None, order[position + 1] if position + 1 < len(order) else None):
            if neighbour is None or owner.get(neighbour) not in contents:
                continue
            other = spans[neighbour]
            if abs(sentence_of[other.start] - sentence_of[span.start]) > 1:
                continue
            distance = span.start - other.end if other.start < span.start else other.start - span.end
            if nearest is None or distance < nearest[0]:
                nearest = (distance, owner[neighbour])
        if nearest is not None:
            owner[index] = nearest[1]
    return [
        (spans[sources[c_index]] if c_index in sources else None, cue,
         sorted((spans[index] for index, o in owner.items() if o == c_index and spans[index].role == "CON"), key=lambda span: span.start))
        for c_index, cue in enumerate(cue_spans)
        if c_index in contents
    ]


def complete_phrase(doc: Doc, content: TaggedSpan, blocked: set[int]) -> TaggedSpan:
    """Grow a tagged content span, within its sentence, to the phrase it cuts short: the subtree
    of its root ("won the debate" -> "Pence won the debate", "weakness" -> "a glaring weakness,
    which ..."), or the clause it opens ("that" -> "that reforms were underway"). Never over
    another tagged span's tokens (its cue, its source, other attributions)."""
    start, end = content.start, content.end
    sent = doc[start].sent
    if doc[end - 1].sent.start != sent.start:
        return content
    while True:
        root = doc[start:end].root
        grown = None
        for node in (root, root.head):
            left, right = node.left_edge.i, node.right_edge.i + 1
            if node is root.head and (node.i in range(start, end) or left != start):
                continue
            if left <= start and end <= right and (right - left) > (end - start) and sent.start <= left and right <= sent.end and not blocked.intersection(range(left, right)):
                grown = left, right
                break
        if grown is None:
            break
        start, end = grown
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_CHARS:
        end -= 1
    return TaggedSpan(content.role, start, end)


def complete_name(doc: Doc, source: TaggedSpan) -> TaggedSpan:
    """Take in the determiner and modifiers a tagged source left out ("document" -> "This document")."""
    root = doc[source.start : source.end].root
    start = source.start
    while start > root.sent.start and doc[start - 1].head.i == root.i and doc[start - 1].dep_ in {"det", "amod", "compound", "poss", "nummod"}:
        start -= 1
    return TaggedSpan(source.role, start, source.end)


def tag_document(document: Document):
    """Linked (source, cue, content pieces) token spans predicted for the document; the CRF reads the fine-tuned
    tagger's probabilities when the attribution_transformer component gave them (``document.tagger_probs``).
    A content of one piece is grown to the phrase it cuts short (complete_phrase)."""
    model = load_tagger(MODEL_FILE)
    spans: list[TaggedSpan] = []
    for start, end, features in paragraph_features(document, rule_roles(document), document.tagger_probs):
        spans += joined(document.doc, spans_from_tags(model.tag(features), start))
    linked = []
    for source, cue, pieces in link(document.doc, spans):
        if len(pieces) == 1:
            blocked = {i for span in spans if span is not pieces[0] for i in range(span.start, span.end)}
            pieces = [complete_phrase(document.doc, pieces[0], blocked)]
        linked.append((source and complete_name(document.doc, source), cue, pieces))
    return linked
