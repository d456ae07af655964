"""Attribution: speaker / cue / content for every reported statement, by rules over the parse.

The rules know the constructions of news writing, each as a general pattern:

* headline attributions marked by punctuation: ``Content - Speaker``, ``Speaker: content``,
  ``"Quote": Speaker ...``;
* quotes closed by a dash and a reporting verb or a name (``"..." - said Lukashenko``);
* ``Speaker: ...`` transcript lines;
* relays, where one source passes on another's words: ``X quoted/cited Y as saying``, ``Y was
  quoted (by X) as saying``, ``X said, citing Y, that``, ``..., X reports`` around another
  attribution, ``As X reported, Y denied ...``, ``..., according to X`` beside a reporting verb;
  the speaker is the original source and the relays go into ``via``;
* reporting verbs with a clause, a quotation, a nominal object (``denied claims ...``,
  ``accused X of Y``) or an infinitive (``called for``, ``urged X to``); post-posed speakers
  (``..., the ministry said``); participles (``..., adding that``); passives (``This was stated
  by X``, ``It is emphasized that``), whose content is the sentence before when the subject is
  ``this``;
* ``according to X``; parentheticals (``as he claims``); nominal cues in the outlet's voice
  (``NATO chief's announcement that ...``); quotations that continue a speaker's quote.

Not claims: negated or withheld speech (``made no mention of``, ``declined to comment``,
``could not verify``), speech verbs whose object is only a topic (``commenting on``), and
attributions inside another speaker's words (kept as ``nested``). Beliefs and perceptions
(``officials believe``) are attributions but not reported speech: they are returned apart.
A token belongs to at most one attribution, as in PolNeAR.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..engines.attribution_crf import paragraphs
from ..document import Document
from ..languages import resources
from ..resources.lexicons import cues
from ..pipeline import component
from ..records import Claim
from ..resources.registry import Registry, cached_registry

RULES_VERSION = "3"

DASHES = {"\u2013", "\u2014", "\u2015", "--", "-"}
OPENING_QUOTES = {'"', "\u201c", "\u00ab", "``", "\u201e", "''"}
CLOSING_QUOTES = {'"', "\u201d", "\u00bb", "''"}
QUOTE_MARKS = OPENING_QUOTES | CLOSING_QUOTES
SINGLE_OPENING, SINGLE_CLOSING = {"'", "\u2018"}, {"'", "\u2019"}  # headlines quote with single marks ("'We will not': X says")
TRIM = set(",;:") | DASHES
NOT_SPEAKERS = {"update", "note", "editor", "watch", "read", "related", "photo", "video", "source", "sources", "warning", "correction",
                "disclosure", "transcript", "details", "background", "context", "analysis", "opinion", "live", "breaking", "explainer",
                "recap", "summary", "exclusive", "report", "timeline", "factbox", "quote", "quotes"}
# Newsroom section labels ("kickers") that open headlines as "Label: ..." and are no source.
SECTION_LABELS = {"news", "live", "blog", "briefing", "update", "updates", "analysis", "opinion", "explainer", "recap", "summary", "timeline",
                  "factbox", "podcast", "video", "videos", "photos", "newsletter", "roundup", "digest", "headlines", "latest", "review"}
ANAPHORIC_OBJECTS = {"this", "these", "so"}
NOMINAL_CUE_NOUNS = {"announcement", "claim", "statement", "allegation", "assertion", "report", "warning", "remark", "suggestion", "accusation",
                     "pledge", "promise", "call", "appeal", "demand", "vow", "proposal"}
STATEMENT_NOUNS = {"statement", "announcement", "claim", "remark", "assertion", "allegation", "warning", "accusation", "pledge", "promise"}
DIRECTIVE_NOUNS = {"call", "appeal", "demand", "vow", "pledge", "promise", "proposal", "warning"}  # with what they call for: "a call to end"
LIGHT_VERBS = {"make", "issue", "release", "deliver", "publish", "give"}  # "made a statement that": the statement is the cue
RELAY_VERBS = {"report", "cite", "quote", "carry", "relay", "publish", "write"}
MEDIA_WORDS = {"agency", "newspaper", "news", "tv", "television", "channel", "broadcaster", "outlet", "daily", "radio", "media", "report",
               "website", "portal", "service", "wire", "press"}
TOPIC_ONLY = {"comment", "talk", "speak", "remark", "testify", "respond", "reply", "react", "answer"}
COMMUNICATIVE = {"post", "issue", "publish", "make", "release", "send", "give", "share", "tweet", "write", "speak", "appear", "address", "tell",
                 "say", "add", "state", "note", "respond", "reply", "comment", "appeal", "turn", "refuse", "decline", "dismiss"}
DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z.'\- ]{2,}(?:,\s*(?:[A-Z][a-z]+\.?\s+\d{1,2}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}))?\s*(?:\.?\s*/[A-Z]+/\.?|\([A-Za-z.\- ]+\)\s*[-\u2013\u2014]+|>>|[-\u2013\u2014]+|:)\s*)")
WITHHOLDING = {"decline", "refuse", "fail", "avoid", "decide"}
IMPLICIT_CHAIN = {"emphasize", "emphasise", "stress", "note", "add", "underline", "state", "point", "say", "explain", "specify", "clarify", "stipulate"}
SPEAKER_LIKE_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Quotation marks: straight, curly, guillemets, and the doubled apostrophes of wire and archive text (''...'', ``...'').
QUOTE_PATTERN = re.compile(r"\"[^\"\n]+\"?|\u201c[^\u201d\n]+\u201d?|\u00ab[^\u00bb\n]+\u00bb?|(?:''|``)(?:(?!'')[^\n])+(?:'')?")
SPEECH_CLASSES = {"neutral", "distancing", "warning", "announcement", "denial", "accusation", "assessment", "appeal"}


@dataclass
class Found:
    """A raw attribution before speaker linking: token-level speaker, cue, content (char span)."""

    speaker: Optional[SpacySpan]
    cue: Optional[SpacySpan]
    cue_class: str
    content: tuple[int, int]
    kind: str
    pattern: bool = False  # a construction the rules know well (the tagger may not override it)
    via: list[SpacySpan] = field(default_factory=list)
    implicit: bool = False  # no source in the text: the speaker is the one the article is quoting at this point
    headline: bool = False
    speech: bool = True  # reported speech (a claim); False for beliefs and perceptions
    parts: list[tuple[int, int]] = field(default_factory=list)  # the content's pieces when its own frame interrupts it (char spans)
    unnamed: Optional[str] = None  # a source the text describes but does not name ("media": "ранее сообщалось")
    extra_sentences: list[int] = field(default_factory=list)  # sentences the claim spans beyond its cue and content


# ---- quotations ----

def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted passages in one line, quote marks included; an unclosed quote runs to the line end."""
    return [(m.start(), m.end()) for m in QUOTE_PATTERN.finditer(text)]


def _closed(text: str, start: int, end: int) -> bool:
    """Does the quotation text[start:end] end with a closing mark (not just its opening one)?"""
    if text[start:end].startswith(("''", "``")):
        return end - start > 3 and text[end - 2 : end] == "''"
    return end - start > 1 and text[end - 1] in '"\u201d\u00bb'


def quotation_regions(text: str) -> list[tuple[int, int]]:
    """Quotations over the whole text, following the news convention for quotes of several
    paragraphs: a paragraph that opens a quote and does not close it continues into the next
    paragraph when that one opens with a quote mark again."""
    regions: list[list[int]] = []
    open_from: Optional[int] = None
    offset = 0
    for line in text.split("\n"):
        spans = [(offset + s, offset + e) for s, e in quote_spans(line)]
        stripped = line.lstrip()
        if open_from is not None:
            if spans and spans[0][0] == offset + len(line) - len(stripped):  # the paragraph opens with a quotation
                first = spans.pop(0)
                regions[-1][1] = first[1]
                closed = _closed(text, *first)
                open_from = None if closed else regions[-1][0]
            elif stripped:
                open_from = None
        for start, end in spans:
            regions.append([start, end])
            unclosed = end == offset + len(line.rstrip()) and not _closed(text, start, end)
            open_from = start if unclosed and end >= offset + len(line.rstrip()) else None
        offset += len(line) + 1
    return [(s, e) for s, e in regions]


# ---- token helpers ----

def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range [start, end) without edge punctuation other than quote marks."""
    while start < end and (doc[start].is_space or doc[start].text in TRIM or doc[start].text == "."):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in TRIM or doc[end - 1].text == "."):
        end -= 1
    return start, end


COMMENT_NOUNS = {"claim", "assertion", "allegation", "accusation", "statement", "charge", "contention", "report", "account", "version"}


def without_comment(doc: Doc, start: int, end: int) -> int:
    """The end of a reported content before a remark appended to it: ", a claim that could not be independently
    verified", ", an allegation Kyiv denies". A noun phrase opened by "a"/"an" after a comma, headed by a report
    noun and running to the content's end, is the outlet's comment on the whole report, in its own voice."""
    for i in range(start + 1, end - 2):
        if doc[i].text != "," or doc[i + 1].lower_ not in {"a", "an"}:
            continue
        head = i + 2
        while head < end - 1 and doc[head].pos_ in {"ADJ", "ADV"}:
            head += 1
        noun = doc[head]
        if noun.pos_ == "NOUN" and noun.lemma_.lower() in COMMENT_NOUNS and noun.right_edge.i >= end - 1:
            return i
    return end


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    start, end = _trimmed(doc, start, end)
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)) if end > start else (0, 0)


def _paragraph_start(doc: Doc, i: int) -> int:
    while i > 0 and "\n" not in doc[i - 1].text_with_ws:
        i -= 1
    return i


def _paragraph_end(doc: Doc, i: int) -> int:
    """Index after the last token of the paragraph that holds token i."""
    while i < len(doc) - 1 and "\n" not in doc[i].text_with_ws:
        i += 1
    return i + 1


def _subtree_span(token: Token, stop_at_relative: bool = False) -> SpacySpan:
    """The phrase a token heads; for speakers, without relative clauses ("Podolyak, who ...") but with
    appositions ("Ukrainian presidential aide, Mykhailo Podolyak,")."""
    doc = token.doc
    if not stop_at_relative:
        return doc[token.left_edge.i : token.right_edge.i + 1]
    right = token.i
    for child in token.rights:
        if child.dep_ in {"relcl", "acl"}:
            break
        if child.text == "," and not any(c.dep_ == "appos" and c.i > child.i for c in token.rights):
            break
        if child.text != ",":
            right = child.right_edge.i
    return doc[token.left_edge.i : right + 1]


def _is_name(tokens: SpacySpan) -> bool:
    """One to five capitalised tokens, at least one a proper noun or in capitals: a speaker's name."""
    words = [t for t in tokens if not t.is_punct]
    return (
        0 < len(words) <= 5
        and all(t.text[:1].isupper() or t.lower_ in {"'s", "\u2019s", "of", "the", "de", "von", "al"} for t in words)
        and any(t.pos_ == "PROPN" or (t.is_upper and len(t) > 1) for t in words)
        and not any(t.pos_ in {"VERB", "AUX", "PRON"} and not t.text[:1].isupper() for t in words)
        and words[0].lower_ not in NOT_SPEAKERS
    )


def _is_speaker_phrase(tokens: SpacySpan, max_words: int = 8) -> bool:
    """A short noun phrase that can name a source: a name, an organisation, a role ("envoy", "Defense Ministry")."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words or len(words) > max_words or words[0].lower_ in NOT_SPEAKERS:
        return False
    if any(t.pos_ in {"VERB", "AUX"} and t.tag_ not in {"VBN", "VBG"} for t in words):
        return False
    return any(t.pos_ in {"PROPN", "NOUN"} for t in words)


AGENT_NOUNS = {"guard", "guards", "troops", "soldiers", "forces", "president", "minister", "ministry", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "diplomat", "official",
               "officials", "kremlin", "government", "authorities", "military", "army", "forces", "agency", "chief", "head", "leader", "commander",
               "governor", "mayor", "source", "sources", "media", "intelligence", "service", "staff", "command", "corps", "office", "council",
               "committee", "parliament", "lawmaker", "prosecutor", "court", "police", "ombudsman", "ombudswoman", "watchdog", "secretary",
               "adviser", "expert", "analyst", "experts", "analysts", "witness", "witnesses", "residents", "state", "defence", "defense", "nato", "un", "mission", "delegation",
               "embassy", "headquarters", "department", "administration", "commission", "directorate"}


def _agentive(tokens: SpacySpan, registry: Registry) -> bool:
    """Can the phrase name someone who speaks: a person, organisation or place name, a word for a speaker ("envoy",
    "Kremlin"), or an actor of the registry?"""
    root = tokens.root
    if root.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or root.lower_ in AGENT_NOUNS or root.lemma_.lower() in AGENT_NOUNS:
        return True
    if len(tokens) == 1 and root.is_upper and 2 <= len(root) <= 6 and root.is_alpha and root.lower_ not in NOT_SPEAKERS:
        return True  # an organisation's acronym ("... – DPR", "... – IAEA")
    return registry.match(tokens.text) is not None


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _cue_entry(token: Token):
    return cues().get(_lemma(token))


def is_cue_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and _cue_entry(token) is not None


def _negated(verb: Token) -> bool:
    """Withheld or negated speech: "did not say", "made no mention", "declined to comment", "could not verify"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and _lemma(head) in WITHHOLDING | {"refuse"}:
        return True
    return verb.dep_ == "xcomp" and any(c.dep_ == "neg" for c in head.children) and _lemma(head) in {"be", "have"}


def colon_quote(verb: Token) -> Optional[Token]:
    """The opening quote mark of a quotation a reporting verb introduces with a colon ("responded in a statement:
    \"...\"", "commented on the situation:" and the quote in the next paragraph), else None."""
    doc = verb.doc
    i = verb.i + 1
    while i < len(doc) and doc[i].text != ":" and not (doc[i].pos_ in {"VERB", "AUX"} or doc[i].text in {".", ";", "!", "?"} or "\n" in doc[i].text):
        i += 1  # the verb's own words up to the colon ("responded in a statement:"), no other clause between
    if i >= len(doc) or doc[i].text != ":":
        return None
    i += 1
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i] if i < len(doc) and doc[i].text in OPENING_QUOTES else None


def reports(verb: Token) -> bool:
    """Whether a cue verb is a report of speech here: not negated or withheld, not an infinitive modifying a noun
    ("the right to respond"), not a speech verb whose object is only a topic ("commented on the talks"), and a
    participle beside a verb of communicating ("..., adding that", "posted updates, saying") or reporting a clause
    of its own ("visited the school, saying the strike had been deliberate")."""
    speaks_for_document = (verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_.lower() in DOCUMENT_NOUNS
                           and _issuer(verb.head) is not None)  # "the ministry issued a statement accusing ..."
    if verb.pos_ not in {"VERB", "AUX"} or verb.dep_ in {"amod", "compound", "acl"} and verb.tag_ in {"VBN", "VBG"} and not speaks_for_document \
            and not any(c.dep_ == "ccomp" for c in verb.children):
        return False
    if _negated(verb):
        return False
    if verb.dep_ in {"acl", "relcl"} and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    if _lemma(verb) in TOPIC_ONLY and not any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children) and colon_quote(verb) is None:
        return False
    if verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp", "conj"} and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        head = verb.head
        if head.dep_ == "ccomp" and is_cue_verb(head.head):  # "said it had ..., adding that": the participle hangs in the content
            return True
        if head.i != verb.i and (is_cue_verb(head) or _lemma(head) in COMMUNICATIVE):
            return True
        return verb.dep_ == "advcl" and verb.i > head.i and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    return True


def agent_of(verb: Token) -> Optional[Token]:
    """The head noun of a passive verb's agent ("denied by the ministry" -> "ministry"), else None."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


# A document speaks for whoever issued it ("a press release from the operator said", "the ministry's statement said",
# "the governor issued a statement saying"): the issuer is the source, the document the vehicle.
DOCUMENT_NOUNS = {"statement", "release", "communique", "communiqué", "readout", "letter", "post", "message", "notice", "bulletin", "decree",
                  "memo", "memorandum", "transcript", "report", "document", "note"}
ISSUING_VERBS = {"issue", "make", "release", "publish", "put", "post", "send", "circulate", "distribute", "deliver", "read", "give", "sign"}


def _issuer(document: Token) -> Optional[SpacySpan]:
    """Who issued a document noun: its possessor, its "from"/"by"/"of" phrase, a naming compound ("a Reuters report"),
    or the subject of the verb that issued it; None when the text does not say."""
    doc = document.doc
    for child in document.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            span = _subtree_span(child, stop_at_relative=True)
            while len(span) > 1 and span[-1].dep_ == "case":
                span = span[:-1]
            return span
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is None or child.lower_ == "from" and (pobj.ent_type_ in {"GPE", "LOC", "FAC"} or pobj.lower_ in resources("en").PLACE_WORDS):
                continue  # "reports from the Ryazan region": where the reports come from, not who issued them
            if pobj.pos_ in {"NOUN", "PROPN"} if child.lower_ != "of" else pobj.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or pobj.lower_ in AGENT_NOUNS:
                return _subtree_span(pobj, stop_at_relative=True)
    names = [c for c in document.children if c.dep_ == "compound" and (c.pos_ == "PROPN" or c.lower_ in AGENT_NOUNS)]
    if names:
        return doc[min(c.left_edge.i for c in names) : max(c.i for c in names) + 1]
    if document.dep_ == "dobj" and document.head.lemma_.lower() in ISSUING_VERBS:
        return _speaker(document.head)
    return None


def source_of(span: SpacySpan) -> SpacySpan:
    """A source phrase, or the issuer of the document it names ("a press release from the operator" -> "the operator")."""
    if span.root.lemma_.lower() in DOCUMENT_NOUNS and span.root.pos_ == "NOUN":
        return _issuer(span.root) or span
    return span


def _speaker(verb: Token) -> Optional[SpacySpan]:
    """The subject of a reporting verb (or the agent of a passive one), inherited through conjunctions,
    participles and infinitives; a relative pronoun stands for the noun it modifies; a document stands for its issuer."""
    found = _subject(verb)
    if found is not None:
        return source_of(found)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_.lower() in DOCUMENT_NOUNS:
        return _issuer(verb.head)  # "issued a statement saying ...", "a statement accusing ..."
    return None


def _subject(verb: Token) -> Optional[SpacySpan]:
    """The subject of a reporting verb (or the agent of a passive one), inherited through conjunctions,
    participles and infinitives; a relative pronoun stands for the noun it modifies."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subjects) > 1 and subjects[0].lower_ in {"who", "which", "that"}:
        subjects = subjects[1:]  # "which he argued seeks ...": the relative pronoun is the reported clause's subject
    for child in subjects:
        if child.lower_ in {"who", "which", "that"}:
            if verb.dep_ == "relcl":
                antecedent = verb.head
                return verb.doc[antecedent.left_edge.i : antecedent.i + 1]
            return None
        first = _subtree_span(child, stop_at_relative=True)
        if len(subjects) > 1 and subjects[-1].left_edge.i == first.end:  # "The state agency BelTA": an apposition split in two
            return verb.doc[first.start : _subtree_span(subjects[-1], stop_at_relative=True).end]
        return first
    agent = agent_of(verb)
    if agent is not None:
        return _subtree_span(agent, stop_at_relative=True)
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"} and verb.head.i != verb.i:
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            return None  # "as he claims", "if ... said": a clause of its own
        if verb.tag_ == "VBG" and verb.head.dep_ == "ccomp" and is_cue_verb(verb.head.head) and not is_cue_verb(verb.head):
            return _speaker(verb.head.head)  # "The army said it had shot ..., adding that ...": the army adds
        if verb.dep_ == "xcomp":  # "are meant to suggest", "was expected to say": the raised subject speaks
            passive = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
            if passive is not None and passive.lower_ not in {"it", "who", "which", "that"}:
                return _subtree_span(passive, stop_at_relative=True)
        return _speaker(verb.head)
    return None


def _tail_speaker(verb: Token) -> Optional[SpacySpan]:
    """``<content>, Russian Ambassador to Germany Sergey Nechayev said.``: the phrase between the last comma and a
    sentence-final reporting verb, when the parse gave the verb no subject of its own."""
    doc = verb.doc
    sent = verb.sent
    if any(c.dep_ in SPEAKER_LIKE_DEPS for c in verb.children):
        return None
    i = verb.i - 1
    while i > sent.start and doc[i].text != "," and verb.i - i <= 12:
        i -= 1
    if i <= sent.start or doc[i].text != ",":
        return None
    phrase = doc[i + 1 : verb.i]
    if not len(phrase) or any(t.text in QUOTE_MARKS or t.lower_ in {"and", "or", "but"} for t in phrase):
        return None
    if not _is_speaker_phrase(phrase, 12) or not any(t.ent_type_ in {"PERSON", "ORG"} for t in phrase):
        return None
    return phrase


def _cue_span(verb: Token) -> SpacySpan:
    """The reporting verb with its auxiliaries, negation and adverbs before it, a particle after it and a time
    expression or colon right after it ("has not said", "also mentions", "pointed out", "said Friday:"), as PolNeAR marks cues."""
    doc = verb.doc
    start = verb.i
    while start > 0 and doc[start - 1].head.i == verb.i and doc[start - 1].dep_ in {"aux", "neg", "advmod", "auxpass"}:
        start -= 1
    end = verb.i + 1
    while end < len(doc) and doc[end].head.i == verb.i and (doc[end].dep_ == "prt" or doc[end].ent_type_ in {"DATE", "TIME"} and doc[end].dep_ in {"npadvmod", "tmod"}):
        end += 1
    if end < len(doc) and doc[end].text == ":":
        end += 1
    return doc[start:end]


def _content_side(verb: Token) -> Optional[tuple[int, int]]:
    """Token range of what a reporting verb reports, from its dependents."""
    doc = verb.doc
    lemma = _lemma(verb)
    children = list(verb.children)
    complement = next((c for c in children if c.dep_ == "ccomp"), None)
    if complement is None and verb.dep_ == "xcomp":  # "continues to assess, however, that ...": the clause hangs from the head
        complement = next((c for c in verb.head.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if complement is None and lemma in {"say", "tell", "add", "write", "warn", "state", "note", "stress", "claim", "insist", "announce"}:
        complement = next((c for c in children if c.dep_ in {"xcomp", "advcl"} and c.i > verb.i and c.pos_ in {"VERB", "AUX"}
                           and not (c.tag_ == "VBG" and (is_cue_verb(c) or _lemma(c) in {"cite", "quote", "thank", "comment"}))
                           and not any(m.dep_ == "mark" and m.lower_ in {"as", "if", "when", "while", "because", "after", "before"} for m in c.children)), None)
    if complement is not None:
        left, right = complement.left_edge.i, complement.right_edge.i + 1
        if left < verb.i < right:  # the reporting clause sits inside its content: keep the side after it
            left = verb.i + 1
        for relay in _leading_relay(verb):
            if relay.head.i == complement.i:  # "said, citing Y, that ...": the relay is not content
                left = max(left, relay.right_edge.i + 1)
        tail = next((c for c in complement.children if c.dep_ == "advcl" and c.tag_ == "VBG" and is_cue_verb(c) and c.i > complement.i), None)
        if tail is not None and tail.left_edge.i > left:  # "said it had ..., adding that ...": the participle is a claim of its own
            right = tail.left_edge.i
        return left, right
    if lemma in {"call", "urge", "appeal", "demand", "ask"}:
        target = next((c for c in children if c.dep_ == "prep" and c.lower_ in {"for", "on"}), None)
        objects = [c for c in children if c.dep_ in {"dobj", "xcomp", "oprd", "ccomp"} and c.i > verb.i]
        starts = [o.left_edge.i for o in objects] + ([target.i + (target.lower_ == "for")] if target is not None else [])
        ends = [o.right_edge.i for o in objects] + ([target.right_edge.i] if target is not None else [])
        if starts:
            return min(starts), max(ends) + 1
    if verb.dep_ == "relcl" and any(c.dep_ in {"dobj", "nsubj"} and c.lower_ in {"that", "which"} for c in children):
        end = next((t.i for t in verb.sent if t.i > verb.i and t.text in {";", "."}), verb.sent.end)  # "a plane that Moscow claimed had 65 PoWs on board"
        if end > verb.i + 1:
            return verb.i + 1, end
    if lemma in {"say", "tell", "add", "write", "state", "report", "note", "claim", "warn", "insist", "stress", "emphasize", "announce"}:
        that = next((t for t in verb.sent if t.i > verb.i and t.lower_ == "that" and t.dep_ in {"mark", "nsubj", "nsubjpass"}), None)
        if that is not None and not any(t.is_punct and t.text in ".;" for t in verb.doc[verb.i : that.i]):
            return that.i, verb.sent.end  # "said earlier, citing X, that ...": the clause the parse attached elsewhere
    entry = _cue_entry(verb)
    objects = [c for c in children if c.dep_ in {"dobj", "attr", "oprd"} and c.i > verb.i and c.pos_ in {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"}]
    if objects and entry is not None and (entry.nominal or entry.cue_class in {"accusation", "denial"}) and objects[0].lower_ not in ANAPHORIC_OBJECTS:
        first = objects[0].left_edge.i
        last = max(c.right_edge.i for c in children if c.i >= objects[0].i and c.dep_ not in {"punct", "cc", "conj", "advcl"})
        # "criticized the ministry, which he argued hides the losses": the relative clause is a report of its own
        report = next((t for t in doc[first : last + 1] if t.dep_ == "relcl" and is_cue_verb(t)
                       and any(c.dep_ == "nsubj" and c.lower_ not in {"who", "which", "that"} for c in t.children)), None)
        if report is not None:
            last = report.left_edge.i - 1
            while last > first and (doc[last].is_punct or doc[last].lower_ in {"which", "that", "who"}):
                last -= 1
        return first, last + 1
    return None


def _leading_relay(verb: Token) -> list[Token]:
    """'X said, citing Y, that ...': the parser often hangs the participle on the reported clause; it is the reporting verb's."""
    return [g for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i for g in c.children
            if g.dep_ == "advcl" and g.tag_ == "VBG" and _lemma(g) in {"cite", "quote"} and verb.i < g.i < c.i and g.left_edge.i == c.left_edge.i]


def _relay_of(verb: Token) -> Optional[tuple[SpacySpan, SpacySpan]]:
    """For "X said, citing Y, ..." / "X reported, quoting Y": (Y, X) where Y is the original source."""
    for child in [*verb.children, *_leading_relay(verb)]:
        if child.dep_ in {"advcl", "xcomp", "conj"} and _lemma(child) in {"cite", "quote"} and child.tag_ == "VBG":
            objects = [c for c in child.children if c.dep_ == "dobj"]
            subject = _speaker(verb)
            if objects and any(c.dep_ == "neg" or c.lower_ == "no" for c in objects[0].children):
                continue  # "citing no evidence" cites nobody
            if objects and subject is not None:
                return _subtree_span(objects[0], stop_at_relative=True), subject
    return None


def _is_media(tokens: Optional[SpacySpan], registry: Registry) -> bool:
    if tokens is None:
        return False
    actor = registry.match(tokens.text)
    return (actor is not None and actor.kind == "media") or any(t.lower_ in MEDIA_WORDS for t in tokens)


def _previous_sentence(doc: Doc, sent: SpacySpan) -> Optional[SpacySpan]:
    sents = list(doc.sents)
    index = next((k for k, s in enumerate(sents) if s.start == sent.start), 0)
    while index > 0:
        index -= 1
        if any(t.is_alpha for t in sents[index]):
            return sents[index]
    return None


class Finder:
    """Runs the rules over one parsed article, keeping each token in at most one attribution."""

    def __init__(self, doc: Doc, headline: Optional[tuple[int, int]] = None, registry: Optional[Registry] = None):
        self.doc = doc
        self.registry = registry or cached_registry()  # actors that can speak and outlets that relay, the pipeline's registries
        self.used: set[int] = set()
        self.found: list[Found] = []
        self.nested: list[Found] = []
        self.headline = headline
        self.text = doc.text  # Doc.text joins every token on each call: read it once
        self.regions = quotation_regions(self.text)
        self.dateline = dateline_tokens(doc)
        self.relay_cut = len(doc)

    # ---- bookkeeping ----

    def _with_quotes(self, start: int, end: int, cue: Optional[SpacySpan]) -> tuple[int, int]:
        """Grow content to the whole quotation it lies in (quote marks and all, over paragraphs), unless the cue is quoted too."""
        doc = self.doc
        if end <= start:
            return start, end
        first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        for q_start, q_end in self.regions:
            if q_start <= last and first <= q_end and (q_start < first or q_end > last):
                if cue is not None and q_start <= cue.start_char < q_end:
                    continue
                span = doc.char_span(min(q_start, first), max(q_end, last), alignment_mode="expand")
                if span is not None:
                    return span.start, span.end
        return start, end

    def claim(self, speaker, cue, cue_class, start, end, kind, pattern=False, via=(), implicit=False, headline=False, speech=True,
              grow=True, interrupted=False) -> Optional[Found]:
        """Record an attribution over content tokens [start, end) if none of its tokens is taken; with ``grow`` the
        content grows to the whole quotation it is part of; with ``interrupted`` the speaker and cue may sit inside
        the content ("The talks, he said, will resume": content_pieces splits it around them)."""
        doc = self.doc
        start, end = _trimmed(doc, self.after_dateline(start, end), end)
        if kind not in {"direct", "quoted_phrase"}:
            start, end = _trimmed(doc, start, without_comment(doc, start, end))
        if grow and kind != "quoted_phrase":
            start, end = self._with_quotes(start, end, cue)
        if end <= start or not any(t.is_alpha for t in doc[start:end]):
            return None
        tokens = set(range(start, end)) | (set(range(cue.start, cue.end)) if cue is not None else set())
        if tokens & self.used or speaker is not None and not interrupted and set(range(speaker.start, speaker.end)) & set(range(start, end)):
            return None
        self.used |= tokens  # a speaker may head several attributions ("X said A, adding B"); cues and contents may not overlap
        for relay in via:
            self.used |= set(range(relay.start, relay.end))
        item = Found(speaker, cue, cue_class, _chars(doc, start, end), kind, pattern, list(via), implicit, headline, speech)
        self.found.append(item)
        return item

    def after_dateline(self, start: int, end: int) -> int:
        """The first token of [start, end) past a dateline ("MOSCOW, Nov. 5 (Reuters) - " is no one's words)."""
        while start < end and start in self.dateline:
            start += 1
        return start

    def content_pieces(self, item: Found) -> list[tuple[int, int]]:
        """The content without its own attribution frame when the speaker, cue or a relay interrupts it
        ('"A," she said. "B."', 'The talks, he said, will resume'): for a direct quote the quotations it
        spans, otherwise the runs of words between the frame's words. [] when the content is one piece."""
        doc = self.doc
        span = doc.char_span(*item.content, alignment_mode="expand")
        frame: set[int] = set()
        for words in (item.speaker, item.cue, *item.via):
            if words is not None:
                frame.update(range(words.start, words.end))
        inside = [i for i in frame if span is not None and span.start <= i < span.end]
        if not inside:
            return []
        first, last = item.content
        quotes = [(max(s, first), min(e, last)) for s, e in self.regions if s < last and first < e]
        if item.kind == "direct" and len(quotes) > 1 and not any(s <= doc[i].idx < e for i in inside for s, e in quotes):
            return quotes
        pieces, run = [], []
        for token in span:
            if token.i in frame:
                pieces.append(run)
                run = []
            else:
                run.append(token.i)
        pieces.append(run)
        result = []
        for run in pieces:
            if run and any(doc[i].is_alpha for i in run):
                start, end = _chars(doc, run[0], run[-1] + 1)
                if end > start:
                    result.append((start, end))
        return result if len(result) > 1 else []

    def kind_of(self, start: int, end: int) -> str:
        """direct: the content is one quotation; mixed: partly quoted; indirect: no quote marks."""
        start, end = _trimmed(self.doc, start, end)
        if end <= start:
            return "indirect"
        return self._kind_of_chars(self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1]))

    def _kind_of_chars(self, first: int, last: int) -> str:
        quoted = sum(max(0, min(e, last) - max(s, first)) for s, e in self.regions)
        if quoted and quoted >= (last - first) - 2:
            return "direct"
        return "mixed" if quoted and quoted > 0.3 * (last - first) else "indirect"

    # ---- the rules, in the order they claim tokens ----

    def run(self) -> list[Found]:
        self.headline_patterns()
        self.dash_quotes()
        self.speaker_lines()
        self.relays()
        self.anaphoric()
        self.verbs()
        self.according_to()
        self.in_words()
        self.nominal_cues()
        self.attention()
        self.quoted_passages()
        self.headline_verb()
        self.found.sort(key=lambda f: f.content[0])
        self.drop_nested()
        for item in self.found + self.nested:
            item.parts = self.content_pieces(item)
            if item.parts and item.kind == "mixed" and all(self._kind_of_chars(*part) == "direct" for part in item.parts):
                item.kind = "direct"  # '"The strike," officials said, "killed three people."'
        return self.found

    def headline_patterns(self) -> None:
        """``Content - Speaker``, ``Speaker: content`` and ``"Quote": Speaker`` in the headline."""
        if self.headline is None:
            return
        doc = self.doc
        start, end = self.headline
        words = [t for t in doc[start:end] if not t.is_space]
        if len(words) < 3:
            return
        # "Content - Speaker": the last dash, followed by a short phrase naming a source
        dashes = [t for t in words if t.text in DASHES and t.i > start + 2 and t.whitespace_ and doc[t.i - 1].whitespace_]
        if dashes:
            dash = dashes[-1]
            tail = doc[dash.i + 1 : end]
            while len(tail) and (tail[-1].is_punct or tail[-1].is_space):
                tail = tail[:-1]
            if len(tail) and _is_speaker_phrase(tail, 6) and _agentive(tail, self.registry) and not any(_cue_entry(t) for t in tail):
                self.claim(tail, doc[dash.i : dash.i + 1], "neutral", start, dash.i, self.kind_of(start, dash.i), pattern=True, headline=True)
                return
        if self._quote_then_speaker(start, end, headline=True):
            return
        # "Speaker: content" (the speaker may carry a topic: "Kremlin on Kiev's remark: ...")
        last_colon = next((t for t in reversed(words) if t.text == ":"), None)
        if last_colon is not None and self._content_then_speaker(start, last_colon.i, end):
            return
        colon = next((t for t in words[1:9] if t.text == ":"), None)
        if colon is not None and sum(t.is_alpha for t in doc[colon.i + 1 : end]) >= 3:
            left = doc[start : colon.i]
            topic = next((t for t in left if t.lower_ in {"on", "about", "over", "to"} and t.i > start), None)
            speaker = doc[start : topic.i] if topic is not None else left
            reported = doc[colon.i + 1 : end]
            inner_report = any(is_cue_verb(t) and _speaker(t) is not None for t in reported)  # "Russia-Ukraine war: Putin accuses ..." is a label
            label = speaker[-1].lower_ in SECTION_LABELS  # "Ukraine News: ...", "Kherson live: ...": a section, not a source
            if _is_speaker_phrase(speaker, 6) and (_agentive(speaker, self.registry) or _is_name(speaker)) and not inner_report and not label \
                    and not any(_cue_entry(t) and t.pos_ == "VERB" for t in speaker):
                self.claim(speaker, doc[colon.i : colon.i + 1], "neutral", colon.i + 1, end, self.kind_of(colon.i + 1, end), pattern=True, headline=True, grow=False)

    def _content_then_speaker(self, start: int, colon: int, end: int) -> bool:
        """"Talks are impossible now: Kremlin": a headline ending in a colon and a short source (True when claimed)."""
        doc = self.doc
        speaker = doc[colon + 1 : end]
        while len(speaker) and (speaker[-1].is_punct or speaker[-1].is_space):
            speaker = speaker[:-1]
        if not len(speaker) or len(speaker) > 4 or sum(t.is_alpha for t in doc[start:colon]) < 3 or any(t.pos_ in {"VERB", "AUX"} for t in speaker):
            return False
        if not (_is_speaker_phrase(speaker, 4) and (_agentive(speaker, self.registry) or _is_name(speaker))) or speaker[-1].lower_ in SECTION_LABELS:
            return False
        return self.claim(speaker, doc[colon : colon + 1], "neutral", start, colon, self.kind_of(start, colon), pattern=True, headline=True) is not None

    def _quote_then_speaker(self, start: int, end: int, headline: bool = False) -> bool:
        """'"Quote": Speaker ...' (a headline, or a paragraph in that house style): True when claimed."""
        doc = self.doc
        words = [t for t in doc[start:end] if not t.is_space]
        if not words or words[0].text not in OPENING_QUOTES | SINGLE_OPENING:
            return False
        closers = CLOSING_QUOTES if words[0].text in OPENING_QUOTES else SINGLE_CLOSING  # 'Quote': in a headline's single quotes
        closing = next((t for t in words[1:] if t.text in closers), None)
        if closing is None or closing.i + 1 >= end or doc[closing.i + 1].text != ":":
            return False
        rest = doc[closing.i + 2 : end]
        verb = next((t for t in rest if t.pos_ in {"VERB", "AUX"}), None)
        topic = next((t for t in rest if t.lower_ in {"on", "about", "over"} and t.i > rest.start), None)
        speaker = doc[rest.start : min(t.i for t in (verb, topic) if t is not None)] if verb is not None or topic is not None else rest
        while len(speaker) and (speaker[-1].is_punct or speaker[-1].is_space):
            speaker = speaker[:-1]
        if not (len(speaker) and _is_speaker_phrase(speaker, 6) and (_agentive(speaker, self.registry) or _is_name(speaker))):
            return False
        return self.claim(speaker, doc[closing.i + 1 : closing.i + 2], "neutral", start, closing.i + 1, "direct", pattern=True, headline=headline) is not None

    def headline_verb(self) -> None:
        """A headline whose reporting verb the parser read as a noun ("Defense Forces refute claims about ..."):
        a word that is an inflection of a reporting verb, after a short phrase that can name a speaker."""
        if self.headline is None or any(f.headline or f.cue is not None and self.headline[0] <= f.cue.start < self.headline[1] for f in self.found):
            return
        doc = self.doc
        start, end = self.headline
        lexicon = cues()
        for token in doc[start + 1 : end]:
            if token.pos_ == "VERB" or token.i in self.used:
                continue
            word = token.lower_
            stem = next((lemma for lemma in {word, word[:-1], word[:-2], word[:-1] + "e" if word.endswith("d") else word}
                         if lemma in lexicon and lexicon[lemma].cue_class in SPEECH_CLASSES), None)
            speaker = doc[start : token.i]
            if stem and _is_speaker_phrase(speaker, 6) and (_agentive(speaker, self.registry) or _is_name(speaker)) and sum(t.is_alpha for t in doc[token.i + 1 : end]) >= 2:
                self.claim(speaker, doc[token.i : token.i + 1], lexicon[stem].cue_class, token.i + 1, end, self.kind_of(token.i + 1, end),
                           pattern=True, headline=True)
                return

    def dash_quotes(self) -> None:
        """``<quote> - said X`` (everything from the paragraph start to the dash is the quote) and ``"..." - Name``."""
        doc = self.doc
        for verb in [t for t in doc if is_cue_verb(t)]:
            before = doc[verb.i - 1] if verb.i else None
            speaker = _speaker(verb)
            if before is None or before.text not in DASHES or speaker is None or speaker.start < verb.i:
                continue
            if any(not (t.is_punct or t.is_space) for t in doc[speaker.end : verb.sent.end]):
                continue
            start = _paragraph_start(doc, verb.i)
            if self.headline and self.headline[0] <= verb.i < self.headline[1]:
                continue
            self.claim(speaker, doc[verb.i : verb.i + 1], _cue_entry(verb).cue_class, start, before.i, "direct", pattern=True)
        for token in doc:
            if token.text not in DASHES:
                continue
            before = next((t for t in reversed(doc[: token.i]) if not t.is_space), None)
            if before is None or before.text not in CLOSING_QUOTES:
                continue
            end = _paragraph_end(doc, token.i + 1)
            i = token.i + 1
            while i < end and doc[i].is_space:
                i += 1
            last = end
            while last > i and (doc[last - 1].is_space or doc[last - 1].text == "."):
                last -= 1
            if last > i and _is_name(doc[i:last]):
                self.claim(doc[i:last], doc[token.i : token.i + 1], "neutral", _paragraph_start(doc, token.i), token.i, "direct", pattern=True)

    def speaker_lines(self) -> None:
        """``Speaker: content`` opening a paragraph (transcripts, Q/A interviews), ``Quote from X: ...`` and
        ``"Quote": Speaker on the topic``."""
        doc = self.doc
        for start, end in paragraphs(doc):
            if self.headline and start == self.headline[0] or self._quote_then_speaker(start, end):
                continue
            first = start + (doc[start].text in OPENING_QUOTES)
            for i in range(first + 1, min(first + 6, end)):
                if doc[i].text == ":":
                    label = doc[first:i]
                    source = first + 1 if doc[first].lower_ in {"quote", "quotes", "words"} and doc[first + 1].lower_ in {"from", "of"} and first + 2 < i else None
                    if label.text.lower() in {"quote", "quotes", "direct speech"} and sum(t.is_alpha for t in doc[i + 1 : end]) >= 3:
                        self.claim(None, doc[first : i + 1], "neutral", i + 1, end, self.kind_of(i + 1, end), pattern=True, implicit=True)
                    elif source is not None and sum(t.is_alpha for t in doc[i + 1 : end]) >= 2:  # "Quote from the minister: ..."
                        self.claim(doc[source + 1 : i], doc[first : source + 1], "neutral", i + 1, end, self.kind_of(i + 1, end), pattern=True, grow=False)
                    elif (_is_name(label) or label.text in {"Q", "A"}) and sum(t.is_alpha for t in doc[i + 1 : end]) >= 3:
                        self.claim(label, doc[i : i + 1], "neutral", i + 1, end, self.kind_of(i + 1, end), pattern=True, grow=False)
                    break

    def relays(self) -> None:
        """``X quoted/cited Y as saying C``, ``Y was quoted (by X) as saying C``."""
        doc = self.doc
        for verb in doc:
            if _lemma(verb) not in {"quote", "cite"} or verb.pos_ != "VERB" or verb.tag_ == "VBG":
                continue
            as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
            saying = next((c for c in as_prep.children if c.lower_ in {"saying", "telling", "stating", "writing", "warning"}), None) if as_prep is not None else None
            if saying is None:
                continue
            passive = any(c.dep_ == "auxpass" for c in verb.children) or any(c.dep_ == "nsubjpass" for c in verb.children)
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            agent = agent_of(verb)
            if passive:
                speaker = _subtree_span(subject, True) if subject is not None else None
                via = [_subtree_span(agent, True)] if agent is not None else []
                aux = [c for c in verb.children if c.dep_ == "auxpass" and c.i < verb.i]
                cue = doc[aux[0].i : saying.i + 1] if aux and not via else doc[as_prep.i : saying.i + 1]
            else:
                objects = [c for c in verb.children if c.dep_ == "dobj"]
                speaker = _subtree_span(objects[0], True) if objects else None
                outer = _speaker(verb)
                named = next((c for c in verb.children if c.dep_ == "npadvmod" and c.i < verb.i and any(t.pos_ == "PROPN" for t in c.subtree)), None)
                if outer is None and named is not None:  # '"...," Russia Today quoted Peskov as saying': the parse gave no subject
                    outer = doc[named.left_edge.i : named.i + 1]
                via = [outer] if outer is not None else []
                cue = doc[as_prep.i : saying.i + 1]
            content = self._saying_content(saying, verb, via[0].start if via else None)
            if speaker is None or content is None:
                continue
            self.claim(speaker, cue, "neutral", *content, kind=self.kind_of(*content), pattern=True, via=via)

    def _saying_content(self, saying: Token, verb: Token, relay_start: Optional[int] = None) -> Optional[tuple[int, int]]:
        complement = next((c for c in saying.children if c.dep_ in {"ccomp", "xcomp"}), None)
        if complement is not None:
            return complement.left_edge.i, complement.right_edge.i + 1
        following = [t for t in saying.sent if t.i > saying.i and not t.is_punct and not t.is_space]
        if following and (any(t.pos_ in {"VERB", "AUX"} for t in following) or any(t.text in QUOTE_MARKS for t in saying.sent if t.i > saying.i)):
            return following[0].i, saying.sent.end
        sent = verb.sent  # "C, X was quoted as saying Thursday."
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        first = subject.left_edge.i if subject is not None else relay_start if relay_start is not None else verb.i
        return (sent.start, first) if first > sent.start + 1 else None

    def in_quotation(self, token: Token) -> bool:
        return any(s < token.idx < e - 1 for s, e in self.regions)

    def anaphoric(self) -> None:
        """``This was stated by X``, ``X stated this``: the content is the sentence before."""
        doc = self.doc
        for verb in [t for t in doc if is_cue_verb(t)]:
            if verb.i in self.used or not reports(verb) or self.in_quotation(verb):
                continue
            anaphor = next((c for c in verb.children if c.dep_ in {"nsubjpass", "dobj"} and c.lower_ in ANAPHORIC_OBJECTS), None)
            speaker = _speaker(verb)
            if anaphor is None or speaker is None and anaphor.dep_ != "nsubjpass":
                continue
            previous = _previous_sentence(doc, verb.sent)
            if previous is None:
                continue
            entry = _cue_entry(verb)
            self.claim(speaker, _cue_span(verb), entry.cue_class, previous.start, previous.end, self.kind_of(previous.start, previous.end),
                       pattern=True, via=self._outer_relays(verb), implicit=speaker is None, speech=entry.cue_class in SPEECH_CLASSES)

    def verbs(self) -> None:
        """Reporting verbs, outermost first: an attribution inside another's content is nested in it, unless
        the outer one only relays it ("..., BelTA reports"), which then becomes the inner one's ``via``."""
        doc = self.doc
        depth = lambda t: sum(1 for _ in t.ancestors)  # noqa: E731
        for verb in sorted((t for t in doc if is_cue_verb(t)), key=lambda t: (depth(t), t.i)):
            if verb.i in self.used or not reports(verb):
                continue
            if self._relays_inner(verb):
                continue
            entry = _cue_entry(verb)
            lemma = _lemma(verb)
            children = list(verb.children)
            sent = verb.sent
            speech = entry.cue_class in SPEECH_CLASSES
            if self.in_quotation(verb):  # a report inside someone's quoted words is part of their claim
                continue
            if any((c.dep_ == "xcomp" or c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")) and c.i > verb.i
                   and is_cue_verb(c) and reports(c) and any(g.dep_ == "ccomp" for g in c.children) for c in children) and not any(c.dep_ == "ccomp" for c in children):
                continue  # "went on to claim that", "only to note that": the inner verb carries the claim
            mark = next((c for c in children if c.dep_ == "mark" and c.lower_ == "as"), None)
            # "As X reported, Y denied ...": X relays the attribution of the main clause (taken with the head verb)
            if mark is not None and verb.dep_ == "advcl" and lemma in RELAY_VERBS | {"say"} and is_cue_verb(verb.head) and _speaker(verb.head) is not None:
                continue
            speaker = own_subject = _speaker(verb)
            via: list[SpacySpan] = []
            relay = _relay_of(verb)
            if relay is not None:
                speaker, outer = relay
                via = [outer]
            # parenthetical "- as he claims -": the content is the rest of the sentence
            if mark is not None and verb.dep_ == "advcl" and speaker is not None:
                after = max([verb.i] + [c.right_edge.i for c in children if c.dep_ in {"agent", "prt"}]) + 1  # "As reported by Reuters, ..."
                while after < sent.end and (doc[after].text in TRIM or doc[after].is_space):
                    after += 1
                rest = [t for t in doc[after : sent.end] if not (t.is_punct or t.is_space)]
                only_source = all(speaker.start <= t.i < speaker.end or t.dep_ in {"agent", "advmod", "npadvmod", "prep", "pobj"} and t.head.i in {verb.i} | set(range(speaker.start, speaker.end)) for t in rest)
                start, end = (after, sent.end) if rest and not only_source else (sent.start, mark.i)
                self.claim(speaker, doc[mark.i : verb.i + 1], "distancing" if entry.cue_class not in {"neutral", "assessment"} else "neutral",
                           start, end, "parenthetical", pattern=True, speech=speech)
                continue
            subject = next((c for c in children if c.dep_ in SPEAKER_LIKE_DEPS), None)
            # "It is emphasized that ...": no source in the text
            if subject is not None and subject.lower_ == "it" and subject.dep_ == "nsubjpass":
                content = _content_side(verb)
                if content is not None:
                    self.claim(None, doc[subject.i : verb.i + 1], entry.cue_class, *content, kind=self.kind_of(*content),
                               pattern=True, implicit=lemma in IMPLICIT_CHAIN, speech=speech)
                continue
            opening = colon_quote(verb)
            region = next((r for r in self.regions if r[0] == opening.idx), None) if opening is not None else None
            quoted = doc.char_span(*region, alignment_mode="expand") if region is not None else None
            if quoted is not None and speaker is not None:  # "The ministry responded in a statement: \"...\"": the quotation is the content
                self.claim(speaker, _cue_span(verb), entry.cue_class, quoted.start, quoted.end, "direct", pattern=True, via=via, speech=speech)
                continue
            pattern = bool(via)
            tail = _tail_speaker(verb)
            if tail is not None and (speaker is None or speaker.start < tail.start and verb.dep_ in {"conj", "parataxis", "ROOT"}):
                speaker, pattern = tail, True
            content = _content_side(verb)
            if content is not None and speaker is not None and content[0] <= speaker.start < content[1]:
                content = None  # the parse put the speaker inside the content: read it as post-posed instead
            pointer = next((c for c in children if c.dep_ == "dobj" and any(d.lower_ in {"these", "this", "those", "the", "such"} for d in c.children if d.dep_ == "det")
                            and c.lemma_.lower() in {"claim", "allegation", "accusation", "report", "statement", "assertion", "charge", "rumour", "rumor"}), None)
            saying = next((c for c in children if c.dep_ in {"advcl", "xcomp", "conj"} and c.tag_ == "VBG" and _lemma(c) in {"say", "call", "add", "stress", "note"}), None)
            if pointer is not None and saying is not None:  # "dismissed these claims, saying, '...'": what is said is the content
                inner = _content_side(saying) or self._after(saying)
                if inner is not None:
                    self.used |= {saying.i}
                    self.claim(speaker, _cue_span(verb), entry.cue_class, *inner, kind=self.kind_of(*inner), via=via, pattern=True, speech=speech)
                    continue
            if content is None:
                content = self._postposed_content(verb, own_subject if relay is not None else speaker)
                pattern = pattern or content is not None
            if content is None or speaker is None and verb.dep_ not in {"advcl", "conj", "xcomp"}:
                continue
            if speaker is not None and speaker[0].lower_ in NOT_SPEAKERS and len(speaker) == 1:
                continue
            outer = self._outer_relays(verb)
            via = via or outer
            if content[0] < self.relay_cut < content[1]:
                content = (content[0], self.relay_cut)
            interrupted = speaker is not None and content[0] < speaker.start and verb.i < content[1] - 1
            self.claim(speaker, _cue_span(verb), entry.cue_class, *content, kind=self.kind_of(*content), via=via,
                       implicit=speaker is None, speech=speech, pattern=pattern or bool(outer) or speaker is None, interrupted=interrupted)

    def _after(self, verb: Token) -> Optional[tuple[int, int]]:
        """Everything after a verb to the end of its sentence (a quotation that follows "saying,")."""
        following = [t for t in verb.sent if t.i > verb.i and not (t.is_punct and t.text not in QUOTE_MARKS)]
        return (following[0].i, verb.sent.end) if following else None

    def _relays_inner(self, verb: Token) -> bool:
        """True for an outer verb that relays an inner attribution: "..., BelTA reports" around "This was stated by X"."""
        if _lemma(verb) not in RELAY_VERBS | {"say"}:
            return False
        subject = _speaker(verb)
        if _lemma(verb) not in RELAY_VERBS and not _is_media(subject, self.registry):
            return False
        return any(c.dep_ in {"ccomp", "parataxis"} and is_cue_verb(c) and reports(c) and (_speaker(c) is not None or
                   any(g.dep_ in {"nsubjpass", "dobj"} and g.lower_ in ANAPHORIC_OBJECTS for g in c.children)) for c in verb.children)

    def _postposed_content(self, verb: Token, speaker: Optional[SpacySpan]) -> Optional[tuple[int, int]]:
        """``<content>, X said (in a statement)``: the verb has no complement and closes the sentence;
        everything before the comma that precedes its speaker is the content (the quote may start earlier)."""
        doc = self.doc
        sent = verb.sent
        if speaker is None or speaker.start < sent.start:
            return None
        left = min(speaker.start, verb.i)
        if any(t.pos_ in {"VERB", "AUX"} and t.dep_ in {"ccomp", "xcomp"} and t.head.i == verb.i for t in doc[verb.i + 1 : sent.end]):
            return None
        tail = [t for t in doc[max(speaker.end, verb.i + 1) : sent.end] if not t.is_punct and not t.is_space]
        if any(t.pos_ in {"VERB", "AUX"} and t.head.i == verb.i and t.dep_ in {"conj"} for t in tail):
            return None
        before = left - 1
        while before >= sent.start and (doc[before].is_space or doc[before].text in QUOTE_MARKS):
            before -= 1
        if before < sent.start or doc[before].text not in {",", "\u2014", "\u2013", "-", ":"}:
            return None
        start = sent.start
        if start >= before:
            return None
        head, after = verb.head, max(speaker.end, verb.i + 1)
        while after < sent.end and doc[after].is_space:
            after += 1
        if verb.dep_ == "parataxis" and head.i > after and doc[after].text in {",", "\u2014", "\u2013"} and head.right_edge.i > after:
            return start, head.right_edge.i + 1  # "The talks, he said, will resume": the clause around the frame
        return start, before

    def _outer_relays(self, verb: Token) -> list[SpacySpan]:
        """Relays around an attribution: "..., BelTA reports", "As Ukrinform reported, ...", "according to RIA".
        Sets ``relay_cut`` to where a relay inside the content begins ("..., according to RIA")."""
        found = []
        self.relay_cut = len(self.doc)
        head = verb.head
        if verb.dep_ == "ccomp" and _lemma(head) in RELAY_VERBS | {"say"} and head.pos_ in {"VERB", "NOUN", "PROPN"}:
            outer = _speaker(head) if head.pos_ == "VERB" else None
            if outer is None:
                outer = next((_subtree_span(c, True) for c in head.children if c.dep_ == "nsubj"), None)
            if outer is not None and (_lemma(head) in RELAY_VERBS or _is_media(outer, self.registry)):
                found.append(outer)
                self.used |= set(range(head.i, head.i + 1))
        according = [t for t in verb.subtree if t.lower_ == "according" and t.dep_ == "prep" and t.i > verb.i and t.head.i != verb.i]  # deeper than the verb's own children
        for child in [*verb.children, *according]:
            if child.dep_ == "advcl" and any(m.lower_ == "as" for m in child.children if m.dep_ == "mark") and _lemma(child) in RELAY_VERBS | {"say"}:
                outer = _speaker(child) if any(c.dep_ in {"nsubj", "agent"} for c in child.children) else None
                if outer is not None:
                    found.append(outer)
                    self.used |= set(range(child.left_edge.i, child.i + 1))
            if child.dep_ == "prep" and child.lower_ == "according":
                to = next((c for c in child.children if c.lower_ == "to"), None)
                objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
                if objects and _is_media(_subtree_span(objects[0], True), self.registry):
                    found.append(_subtree_span(objects[0], True))
                    self.used |= set(range(child.i, objects[0].right_edge.i + 1))
                    self.relay_cut = min(self.relay_cut, child.i)
        for child in verb.children:  # "..., Lukashenko said, BelTA reports / BelTA has learned": a trailing outlet relays it
            if child.dep_ in {"ccomp", "parataxis", "conj"} and child.i > verb.i and _lemma(child) in RELAY_VERBS | {"learn"} \
                    and not any(c.dep_ in {"ccomp", "dobj", "xcomp"} for c in child.children):
                outer = _speaker(child)
                if outer is not None and _is_media(outer, self.registry):
                    found.append(outer)
                    self.used |= set(range(child.left_edge.i, child.i + 1))
        return found

    def according_to(self) -> None:
        """``According to X, <content>`` or ``<content>, according to X``."""
        doc = self.doc
        for token in doc:
            if token.lower_ != "according" or token.i in self.used:
                continue
            to = next((c for c in token.children if c.lower_ == "to"), None)
            objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
            if not objects:
                continue
            speaker = _subtree_span(objects[0], stop_at_relative=True)
            sent = token.sent
            lead = [t for t in doc[sent.start : token.i] if not (t.is_punct or t.is_space or t.pos_ in {"CCONJ", "ADV", "SCONJ"} or t.i in self.dateline)]
            if not lead:
                start, end = speaker.end, sent.end
            else:
                start, end = sent.start, token.i
            self.claim(speaker, doc[token.i : to.i + 1], "according_to", start, end, "according_to", pattern=True)

    def in_words(self) -> None:
        """``In his words, <content>``, ``In the words of X, <content>``: the rest of the sentence is X's."""
        doc = self.doc
        for token in doc:
            if token.lower_ != "in" or token.dep_ != "prep" or token.i in self.used:
                continue
            words = next((c for c in token.children if c.dep_ == "pobj" and c.lower_ in {"words", "view", "opinion"}), None)
            if words is None:
                continue
            owner = next((c for c in words.children if c.dep_ == "poss"), None)
            of = next((c for c in words.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            named = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            speaker = doc[owner.i : owner.i + 1] if owner is not None else doc[named.left_edge.i : named.i + 1] if named is not None else None
            if speaker is None:
                continue
            sent = token.sent
            frame = set(range(token.i, max(speaker.end, words.i + 1)))
            rest = [t.i for t in sent if t.i not in frame and not (t.is_punct or t.is_space)]
            if len(rest) < 3:
                continue
            cue = doc[token.i : words.i + 1]
            self.claim(speaker, cue, "according_to", rest[0], rest[-1] + 1, "according_to", pattern=True, interrupted=True)

    def nominal_cues(self) -> None:
        """A noun carrying the attribution in the outlet's voice: "NATO chief's announcement that the
        alliance plans ...", "media reports of a drone strike" (not when it points back to an earlier claim)."""
        doc = self.doc
        for noun in doc:
            lemma = noun.lemma_.lower()
            if noun.pos_ != "NOUN" or noun.i in self.used or lemma not in NOMINAL_CUE_NOUNS:
                continue
            light = noun.dep_ == "dobj" and noun.head.lemma_.lower() in LIGHT_VERBS and lemma in STATEMENT_NOUNS  # "made a statement that"
            if noun.head.i != noun.i and not light and (is_cue_verb(noun.head) or noun.dep_ in {"dobj", "nsubjpass"} and _cue_entry(noun.head)):
                continue  # "denied claims", "Moscow's claim" as the object of another cue: points back
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            compound = [c for c in noun.children if c.dep_ in {"compound", "amod"} and c.pos_ in {"NOUN", "PROPN"} and c.i < noun.i]
            clause = next((c for c in noun.children if c.dep_ in {"acl", "ccomp"} and any(m.lower_ == "that" for m in c.children if m.dep_ == "mark")), None)
            if clause is None and lemma in DIRECTIVE_NOUNS:  # "Erdogan's call to extend the deal": what is called for
                clause = next((c for c in noun.children if c.dep_ == "acl" and any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children)), None)
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" and lemma in {"report", "claim", "allegation"}), None)
            subject = next((c for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if light else None
            source = _subtree_span(owner) if owner is not None else _subtree_span(subject) if subject is not None else \
                (doc[compound[0].left_edge.i : compound[-1].i + 1] if compound else None)
            if source is None or source.root.pos_ == "PRON" and owner is None and subject is None:
                continue
            cue = doc[noun.head.i : noun.i + 1] if light else doc[noun.i : noun.i + 1]
            if clause is not None:
                start, end = clause.left_edge.i, clause.right_edge.i + 1
            elif of is not None and any(c.dep_ == "pobj" for c in of.children):
                pobj = next(c for c in of.children if c.dep_ == "pobj")
                start, end = pobj.left_edge.i, pobj.right_edge.i + 1
            else:
                continue
            entry = cues().get(lemma)
            self.claim(source, cue, entry.cue_class if entry else "neutral", start, end, "indirect" if light else "nominal")

    def attention(self) -> None:
        """'drew attention to how X', 'called attention to the fact that X': an idiom reporting what X said."""
        doc = self.doc
        for verb in doc:
            if verb.pos_ != "VERB" or verb.lemma_.lower() not in {"draw", "call"} or verb.i in self.used:
                continue
            if not any(c.dep_ == "dobj" and c.lower_ == "attention" for c in verb.children):
                continue
            to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            content = next((c for c in to.children if c.dep_ in {"pcomp", "pobj"}), None) if to is not None else None
            if subject is None or content is None or subject.pos_ == "PRON" and subject.lower_ in {"it", "this", "that"}:
                continue
            self.claim(_subtree_span(subject), doc[verb.i : to.i + 1], "neutral", content.left_edge.i, content.right_edge.i + 1, "indirect")

    def quoted_passages(self) -> None:
        """A quotation that no cue covers continues the claim just before it: in the same paragraph ('"...," he
        said. "..."'), or as whole quoted paragraphs right after a paragraph that quotes the same speaker. Its
        content grows over them (the follow-up sentences annotators keep with the claim)."""
        doc = self.doc
        for start_char, end_char in self.regions:
            span = doc.char_span(start_char, end_char, alignment_mode="expand")
            if span is None or len([t for t in span if t.is_alpha]) < 4 or any(t.i in self.used for t in span):
                continue
            if any(f.content[0] <= start_char and end_char <= f.content[1] for f in self.found):
                continue
            earlier = [f for f in self.found if f.content[1] <= start_char and f.kind in {"direct", "mixed"} and f.speech]
            if not earlier:
                continue
            previous = max(earlier, key=lambda f: f.content[1])
            gap = self.text[previous.content[1] : start_char]
            between = doc.char_span(previous.content[1], start_char, alignment_mode="expand")
            own = range(previous.cue.start, previous.cue.end) if previous.cue is not None else range(0)
            words_between = [t for t in between if t.is_alpha and t.i not in own and not (previous.speaker is not None and previous.speaker.start <= t.i < previous.speaker.end)] if between is not None else []
            whole_paragraph = self.text[: start_char].rstrip(" ").endswith("\n") and gap.count("\n") >= 1
            # between the two quotations only the frame: its speaker and cue with their own modifiers
            # ('Menendez said in a telephone interview Wednesday.', 'said Steve Moody, a small-business owner.')
            only_frame = len(words_between) <= 3 or previous.cue is not None and {t.i for t in words_between} <= {t.i for t in previous.cue.root.subtree}
            same_paragraph = "\n" not in gap and only_frame and not any(is_cue_verb(t) and t.i not in own for t in between or [])
            next_paragraph = whole_paragraph and not words_between and gap.count("\n") <= 2
            if same_paragraph or next_paragraph:
                previous.content = (previous.content[0], end_char)
                self.used |= set(range(span.start, span.end))

    def drop_nested(self) -> None:
        """An attribution inside another speaker's words (not a relay) is part of that speaker's content."""
        keep = []
        for item in self.found:
            outer = next((o for o in self.found if o is not item and o.speech and o.content[0] <= item.content[0] and item.content[1] <= o.content[1]
                          and o.kind != "according_to" and (item.cue is None or o.content[0] <= item.cue.start_char < o.content[1])), None)
            if outer is not None and item.kind != "quoted_phrase":
                self.nested.append(item)
            else:
                keep.append(item)
        self.found = keep


def dateline_tokens(doc: Doc) -> set[int]:
    """The tokens of the datelines that open paragraphs ("MOSCOW, Nov. 5 (Reuters) -"): no one's words, and the wire they
    name is no body a headline refers to."""
    text = doc.text
    found: set[int] = set()
    for start, end in paragraphs(doc):
        match = DATELINE.match(text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])])
        if match and match.end() < doc[end - 1].idx + len(doc[end - 1]) - doc[start].idx:
            limit = doc[start].idx + match.end()
            found |= {t.i for t in doc[start:end] if t.idx < limit}
    return found


def headline_tokens(document: Document) -> Optional[tuple[int, int]]:
    """Token range of the headline: the first paragraph when the article's title is its first line."""
    title = document.article.title
    if not title or not document.text.startswith(title):
        return None
    ranges = paragraphs(document.doc)
    return ranges[0] if ranges else None


@component("attribution", requires=["doc", "sentences", "entities"], assigns=["claims", "other_attributions", "pattern_claims"],
           settings={"registries": []}, setup=lambda settings: cached_registry(tuple(settings["registries"])), version=RULES_VERSION)
def attribution(document: Document, settings: dict) -> None:
    """Claims with speaker, cue and content by the rules (speakers are linked to actors later)."""
    finder = Finder(document.doc, headline_tokens(document), cached_registry(tuple(settings["registries"])))
    found = finder.run()
    record_claims(document, found + [replace_kind(n, "nested") for n in finder.nested])


def record_claims(document: Document, found: list[Found]) -> None:
    """The analysis's claims and other attributions (beliefs, nested speech) from what a language's finder found."""
    claims, others, patterns = [], [], []
    for item in found:
        record = to_claim(document, item)
        if item.speech and item.kind != "nested":
            claims.append(record)
            if item.pattern:
                patterns.append(record)
        else:
            others.append(record)
    document.analysis.claims = numbered(claims, "c")
    document.pattern_claims.update(record.id for record in patterns)
    document.analysis.other_attributions.extend(numbered(others, "a"))
    mark_headline_claims(document, document.analysis.claims)


def mark_headline_claims(document: Document, claims: list[Claim]) -> None:
    """A claim whose cue (or, without one, whose content) starts in the headline is a headline claim, whichever rule or
    model found it ("Governor says two killed in drone strike"): its speaker is read against the article that follows."""
    tokens = headline_tokens(document)
    if tokens is None or tokens[1] <= tokens[0]:
        return
    doc = document.doc
    start, end = doc[tokens[0]].idx, doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])
    for claim in claims:
        where = claim.cue.start if claim.cue is not None else claim.content.start
        if start <= where < end:
            claim.headline = True


def numbered(records: list[Claim], prefix: str) -> list[Claim]:
    """The records in text order, with ids ``{prefix}1``, ``{prefix}2``, ... (claims "c", other attributions "a")."""
    ordered = sorted(records, key=lambda record: record.content.start)
    for number, record in enumerate(ordered, start=1):
        record.id = f"{prefix}{number}"
    return ordered


def replace_kind(item: Found, kind: str) -> Found:
    item.kind = kind
    return item


def to_claim(document: Document, item: Found) -> Claim:
    content = document.span(*item.content)
    parts = [document.span(*piece) for piece in item.parts]
    if parts:
        content.text = " ".join(part.text for part in parts)
    first = document.sentence_index(content.start)
    last = document.sentence_index(max(content.end - 1, content.start))
    if item.cue is not None:
        first = min(first, document.sentence_index(item.cue.start_char))
        last = max(last, document.sentence_index(item.cue.start_char))
    first, last = min([first, *item.extra_sentences]), max([last, *item.extra_sentences])
    return Claim(
        id="",
        speaker=document.token_span(item.speaker) if item.speaker is not None else None,
        speaker_resolved=item.unnamed,
        speaker_status="unnamed" if item.unnamed else "implicit" if item.implicit else "unresolved" if item.speaker is not None else "none",
        cue=document.token_span(item.cue) if item.cue is not None else None,
        cue_class=item.cue_class,
        via_spans=[document.token_span(v) for v in item.via],
        content=content,
        content_parts=parts,
        kind=item.kind,
        headline=item.headline,
        sentences=list(range(first, last + 1)),
    )
