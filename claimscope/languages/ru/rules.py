"""Russian-language analysis: attribution, speaker linking, hedges and events for articles the
language router sends to the Russian pipeline (parse: claimscope.languages.ru.parser). The records are the
English pipeline's; only the rules and lexicons (claimscope/data/ru/) are Russian.

Attribution follows the conventions of Russian news writing:

* a reporting verb with its subject, before the content ("Песков заявил, что ...", "заявил об ...",
  "назвал X Y") or after it ("..., заявил Песков", "«...», — сказал Лукашенко", the quotation may
  open sentences earlier in the paragraph); an indefinite-personal plural names its source with
  "в" ("В украинском МИД назвали ..."); an adverbial participle ("..., отметив, что ...") shares
  its clause's subject;
* "<statement>. Об этом заявил X": the statement before is X's;
* framing phrases: "по словам X", "по данным X", "как заявил X", "как говорится в сообщении X";
  relays after the content ("..., сообщает РИА Новости", "пишет БЕЛТА", "со ссылкой на X") name
  the relaying outlet (``via``) when the sentence names a speaker, else the speaker;
  "приводит заявление X" relays the running speaker;
* impersonal reports ("сообщалось, что", "как утверждается") take the running speaker ("ранее
  сообщалось": earlier media reports); a reportative particle (якобы, мол, дескать) with no
  reporting verb marks a claim of the running speaker that the outlet doubts;
* headlines: "Speaker: content" and "content - Speaker";
* negated or withheld speech ("не сообщил") is not a claim; belief verbs (считает) are
  attributions, not claims; a cue inside another claim's content is nested.

Speakers resolve through the registry's Russian name forms compared on lemmas (Пескова, Пескову
and Песков are one actor), pronouns and descriptions ("Политик", "она") through the running
chain of speakers, and unknown names to their nominative form.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

from ...document import Document
from ...resources.lexicons import rows
from ...pipeline import component
from ...records import Actor, Claim, Event, Hedge
from ...resources.registry import Registry, cached_registry
from ...analysers.attribution import headline_tokens, numbered, quotation_regions
from ...analysers.events import cameo_fields, date_of, number_and_split, place_of
from ...analysers.hedging import mark_sentences, quotation_marks

RU = "ru/"
QUOTE_OPEN = {"«", "„", "“", '"'}
QUOTE_CLOSE = {"»", "“", "”", '"'}
DASHES = {"—", "–", "-", "―"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
PERSON_PRONOUNS = {"он", "она", "его", "ее", "её"}
GROUP_PRONOUNS = {"они", "оно", "их"}
# Head nouns of descriptions that refer back to a person or a body named before ("Политик рассказал").
PERSON_DESCRIPTIONS = {"политик", "президент", "министр", "глава", "дипломат", "лидер", "премьер", "премьер-министр", "представитель",
                       "пресс-секретарь", "чиновник", "губернатор", "мэр", "посол", "генерал", "командующий", "руководитель", "спикер",
                       "собеседник", "эксперт", "аналитик", "лидер", "диктатор", "канцлер", "депутат", "сенатор", "советник", "помощник"}
BODY_DESCRIPTIONS = {"ведомство", "министерство", "служба", "штаб", "управление", "агентство", "канцелярия", "сторона", "власть", "правительство"}
NOMINAL_CUES = {"заявление", "слово", "утверждение", "обвинение", "предупреждение", "призыв", "требование", "обещание"}
RELAY_VERBS = {"сообщать", "передавать", "писать", "информировать", "сообщить"}
MEDIA_WORDS = {"сми", "издание", "агентство", "газета", "телеканал", "канал", "портал", "сайт", "журнал", "радио"}
EARLIER = {"ранее", "прежде"}
DATELINE = re.compile(r"^\s*[А-ЯЁA-Z][А-ЯЁа-яёA-Za-z\- ]{1,30},\s*\d{1,2}\s+[а-яё]+\.?\s*[-–—]\s*[^.\n]{2,60}\.?\s*$")


# ---- lexicons ----

def _rows(name: str) -> list[list[str]]:
    return rows(RU + name)


@dataclass(frozen=True)
class RussianCue:
    lemma: str
    cue_class: str
    english: str
    code: Optional[str]


@functools.cache
def cues() -> dict[str, RussianCue]:
    return {r[0]: RussianCue(r[0], r[1], r[2], None if r[3] == "-" else r[3]) for r in _rows("cues.tsv")}


@functools.cache
def phrases() -> list[tuple[str, str, str]]:
    """(phrase, kind, cue class), longest first, so that "как утверждается" wins over "утверждается"."""
    return sorted(((r[0], r[1], r[2]) for r in _rows("phrases.tsv")), key=lambda r: -len(r[0]))


@functools.cache
def hedge_phrases() -> list[tuple[str, str]]:
    return sorted(((r[0], r[1]) for r in _rows("hedges.tsv")), key=lambda r: -len(r[0]))


@functools.cache
def event_verbs() -> dict[str, tuple[str, str, frozenset[str]]]:
    return {r[0]: (r[1], r[2], frozenset() if r[3] == "-" else frozenset(r[3].split("|"))) for r in _rows("event_verbs.tsv")}


@functools.cache
def event_nouns() -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in _rows("event_nouns.tsv")}


# ---- finding attributions ----

@dataclass
class Found:
    speaker: Optional[SpacySpan]
    cue: Optional[tuple[int, int]]  # characters
    cue_class: str
    content: tuple[int, int]  # characters
    kind: str
    headline: bool = False
    via: list[SpacySpan] = field(default_factory=list)
    implicit: bool = False
    unnamed: Optional[str] = None
    belief: bool = False
    nested: bool = False
    extra_sentences: list[int] = field(default_factory=list)


def _negated(token: Token) -> bool:
    return any(c.lower_ == "не" for c in token.children) or (token.i > 0 and token.doc[token.i - 1].lower_ == "не")


def _statement_noun(token: Token) -> Optional[Token]:
    """"выступить с заявлением": the noun that makes the verb a report."""
    if token.lemma_ != "выступить":
        return None
    return next((c for c in token.children if c.lemma_ in {"заявление", "обращение"} and any(g.lower_ == "с" for g in c.children)), None)


def _is_cue_verb(token: Token) -> bool:
    if token.pos_ == "VERB" and _statement_noun(token) is not None:
        return True
    if token.pos_ not in {"VERB", "AUX"} or token.lemma_ not in cues():
        return False
    form = token.morph.get("VerbForm")
    return not form or form[0] in {"Fin", "Conv", "Inf"} and (form[0] != "Inf" or token.dep_ in {"ROOT", "parataxis"})


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character range without surrounding spaces, final punctuation and the quote marks that enclose it whole."""
    text = doc.text
    while start < end and (text[start].isspace() or text[start] in ",:;—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:—–-"):
        end -= 1
    if end - start > 2 and text[start] in QUOTE_OPEN and text[end - 1] in QUOTE_CLOSE and not any(q in text[start + 1:end - 1] for q in "«»"):
        start, end = start + 1, end - 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return start, end


def _np(doc: Doc, start: int, end: int) -> Optional[SpacySpan]:
    """The noun phrase in tokens [start, end), without a leading preposition or trailing punctuation."""
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].pos_ in {"ADP", "CCONJ", "PART"}):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


def _subtree_span(token: Token, limit_end: Optional[int] = None) -> SpacySpan:
    """A subject's words: its subtree, cut at the first comma after the head (appositive clauses stay out)."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i + 1
    for k in range(token.i + 1, right):
        if doc[k].text in {",", "(", "—", "–"}:
            right = k
            break
    if limit_end is not None:
        right = min(right, limit_end)
    span = _np(doc, left, right)
    return span if span is not None else doc[token.i:token.i + 1]


class RussianFinder:
    """Claims of one Russian article, sentence by sentence."""

    def __init__(self, document: Document):
        self.document = document
        self.doc = document.doc
        self.text = document.doc.text
        self.headline = headline_tokens(document)
        self.found: list[Found] = []

    def run(self) -> list[Found]:
        sents = list(self.doc.sents)
        for number, sent in enumerate(sents):
            if DATELINE.match(sent.text) or not sent.text.strip():
                continue
            in_headline = self.headline is not None and self.headline[0] <= sent.start < self.headline[1]
            before = len(self.found)
            if in_headline:
                self.headline_patterns(sent)
            else:
                self.colon_quotation(sent)
            if len(self.found) == before:
                self.sentence(sent, sents[number - 1] if number else None)
            for item in self.found[before:]:
                item.headline = item.headline or in_headline
        self.mark_nested()
        return self.found

    def mark_nested(self) -> None:
        """A cue inside another claim's content reports speech within that claim: nested, not a claim of its own."""
        for item in self.found:
            if item.cue is None:
                continue
            outer = [o for o in self.found if o is not item and not o.nested and o.content[0] <= item.cue[0] < o.content[1]
                     and not (o.cue is not None and item.content[0] <= o.cue[0] < item.content[1] and o.cue[0] > item.cue[0])]
            if outer:
                item.nested = True

    # -- helpers --

    def covered(self, char: int) -> bool:
        return any(f.content[0] <= char < f.content[1] and not f.nested for f in self.found)

    def add(self, **kwargs) -> Found:
        item = Found(**kwargs)
        item.content = _trim(self.doc, *item.content)
        if item.content[1] > item.content[0]:
            self.found.append(item)
        return item

    def phrase_matches(self, sent: SpacySpan) -> list[tuple[int, int, str, str]]:
        """(start char, end char, kind, cue class) of the framing phrases in a sentence, not overlapping."""
        lowered = sent.text.lower().replace("ё", "е")
        taken: list[tuple[int, int, str, str]] = []
        for phrase, kind, cue_class in phrases():
            for match in re.finditer(r"(?<![\w-])" + re.escape(phrase.replace("ё", "е")) + r"(?![\w-])", lowered):
                start, end = sent.start_char + match.start(), sent.start_char + match.end()
                if not any(s < end and start < e for s, e, _k, _c in taken):
                    taken.append((start, end, kind, cue_class))
        return sorted(taken)

    def tokens_between(self, start_char: int, end_char: int) -> tuple[int, int]:
        span = self.doc.char_span(start_char, end_char, alignment_mode="expand")
        return (span.start, span.end) if span is not None else (0, 0)

    # -- headlines --

    def headline_patterns(self, sent: SpacySpan) -> None:
        """``Speaker: content`` and ``content - Speaker`` (also ", - Speaker")."""
        doc = self.doc
        tokens = [t for t in sent if not t.is_space]
        colon = next((t for t in tokens if t.text == ":" and 0 < t.i - sent.start <= 6), None)
        if colon is not None:
            speaker = _np(doc, sent.start, colon.i)
            if speaker is not None and self._names_source(speaker):
                self.add(speaker=speaker, cue=(colon.idx, colon.idx + 1), cue_class="neutral", content=(colon.idx + 1, sent.end_char), kind="direct",
                         headline=True)
                return
        dashes = [t for t in tokens if t.text in DASHES and t.whitespace_ and t.i > sent.start and doc[t.i - 1].whitespace_ or t.text in DASHES and t.i > sent.start and doc[t.i - 1].text == ","]
        if dashes:
            dash = dashes[-1]
            speaker = _np(doc, dash.i + 1, sent.end)
            if speaker is not None and len(speaker) <= 6 and self._names_source(speaker):
                self.add(speaker=speaker, cue=(dash.idx, dash.idx + len(dash.text)), cue_class="neutral", content=(sent.start_char, dash.idx), kind="indirect",
                         headline=True)

    def colon_quotation(self, sent: SpacySpan) -> None:
        """A summary line of the body in the form ``Speaker: «quotation»`` (the quotation runs to the sentence's end)."""
        doc = self.doc
        tokens = [t for t in sent if not t.is_space]
        colon = next((t for t in tokens if t.text == ":" and 0 < t.i - sent.start <= 8), None)
        if colon is None or colon.i + 1 >= sent.end or doc[colon.i + 1].text not in QUOTE_OPEN:
            return
        closing = [t for t in tokens if t.i > colon.i + 1 and t.text in QUOTE_CLOSE]
        if not closing or any(t.is_alpha for t in doc[closing[-1].i + 1 : sent.end]):
            return
        speaker = _np(doc, sent.start, colon.i)
        if speaker is not None and self._names_source(speaker) and any(t.ent_type_ == "PERSON" or t.pos_ == "PROPN" for t in speaker):
            self.add(speaker=speaker, cue=(colon.idx, colon.idx + 1), cue_class="neutral", content=(colon.idx + 1, closing[-1].idx + 1), kind="direct")

    @staticmethod
    def _names_source(span: SpacySpan) -> bool:
        return len(span) <= 6 and any(t.pos_ in {"PROPN", "NOUN"} for t in span) and not any(t.pos_ == "VERB" for t in span)

    # -- body sentences --

    def sentence(self, sent: SpacySpan, previous: Optional[SpacySpan]) -> None:
        doc = self.doc
        matches = self.phrase_matches(sent)
        phrase_tokens = set()
        for start, end, _kind, _class in matches:
            first, last = self.tokens_between(start, end)
            phrase_tokens.update(range(first, last))
        verbs = [t for t in sent if _is_cue_verb(t) and t.i not in phrase_tokens and not _negated(t)]
        relays = [v for v in verbs if self._relay(v, sent)]
        verbs = [v for v in verbs if v not in relays]
        relay_spans = [(start, end, kind) for start, end, kind, _c in matches if kind == "relay"]
        made: list[Found] = []
        for start, end, kind, cue_class in matches:
            if kind == "relay":
                continue
            item = self.framing(sent, start, end, kind, cue_class, verbs, matches)
            if item is not None:
                made.append(item)
        for verb in verbs:
            item = self.verb_claim(sent, verb, previous, verbs, matches)
            if item is not None:
                made.append(item)
        if not made and not any(self.covered(t.idx) for t in sent if not t.is_space):
            particle = self.particle_claim(sent, matches)
            if particle is not None:
                made.append(particle)
        for noun in [t for t in sent if t.pos_ == "NOUN" and t.lemma_ in NOMINAL_CUES]:
            item = self.nominal_claim(sent, noun)
            if item is not None:
                made.append(item)
        # relays: the relaying outlet of the sentence's claims, or the speaker when there is none
        relay_words = [(r.idx, self._relay_subject(r), r) for r in relays]
        relay_words += [(s, self._phrase_subject(sent, e), None) for s, e, _k in relay_spans]
        for position, subject, verb in relay_words:
            if subject is None:
                continue
            owners = [m for m in made if m.content[1] <= position + 1 and not m.belief]
            if owners:
                for owner in owners:
                    owner.via.append(subject)
                continue
            if verb is not None and not self.covered(verb.idx):
                start = self._clause_start(sent, verb)
                made.append(self.add(speaker=subject, cue=(verb.idx, verb.idx + len(verb.text)), cue_class="neutral",
                                     content=(start, self._punct_before(verb)), kind="indirect"))

    def nominal_claim(self, sent: SpacySpan, noun: Token) -> Optional[Found]:
        """"заявление Лукашенко о том, что ...": a report noun with its named source and a что-clause."""
        doc = self.doc
        source = next((c for c in noun.children if c.dep_ == "nmod" and c.i > noun.i and not any(g.dep_ == "case" for g in c.children)
                       and any(g.pos_ == "PROPN" or g.ent_type_ in {"PERSON", "ORG"} for g in c.subtree)), None)
        if source is None:
            return None
        k = source.right_edge.i + 1
        window = [t.lower_ for t in doc[k:min(k + 4, sent.end)]]
        if window[:3] == ["о", "том", ","] and len(window) > 3 and window[3] == "что":
            start = doc[k + 3].idx + 3
        elif window[:2] == [",", "что"]:
            start = doc[k + 1].idx + 3
        else:
            return None
        end = max(noun.right_edge.idx + len(noun.right_edge.text), start)
        return self.add(speaker=_subtree_span(source), cue=(noun.idx, noun.idx + len(noun.text)), cue_class="neutral", content=(start, end), kind="nominal")

    def _relay(self, verb: Token, sent: SpacySpan) -> bool:
        """"..., сообщает РИА Новости": a present-tense report verb after the content whose subject is an outlet."""
        if verb.lemma_ not in RELAY_VERBS or self._punct_before(verb) is None:
            return False
        subject = self._relay_subject(verb)
        if subject is None:
            return False
        if verb.lemma_ == "сообщить" and not any(t.lemma_ in MEDIA_WORDS or t.ent_type_ == "ORG" for t in subject):
            return False
        tail = [t for t in sent if t.i > verb.i and not t.is_punct and not t.is_space]
        return all(t.i in range(subject.start, subject.end) or t.pos_ in {"ADP", "PROPN", "NOUN", "ADJ", "CCONJ"} for t in tail)

    def _relay_subject(self, verb: Token) -> Optional[SpacySpan]:
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.i > verb.i:
            return _subtree_span(subject)
        after = _np(self.doc, verb.i + 1, verb.sent.end)
        if after is not None and len(after) <= 6:
            return after
        return None

    def _phrase_subject(self, sent: SpacySpan, end_char: int) -> Optional[SpacySpan]:
        first, last = self.tokens_between(end_char, sent.end_char)
        stop = next((k for k in range(first, last) if self.doc[k].text in {",", ";"}), last)
        return _np(self.doc, first, stop)

    def _punct_before(self, verb: Token) -> Optional[int]:
        """The character offset of the comma or dash that ends the content before a post-posed cue."""
        k = verb.i - 1
        while k >= verb.sent.start and (self.doc[k].is_space or self.doc[k].lower_ in {"также", "же", "еще", "ещё", "тогда", "потом", "в", "свою", "очередь"}):
            k -= 1
        if k < verb.sent.start:
            return None
        if self.doc[k].text in DASHES or self.doc[k].text == ",":
            while k > verb.sent.start and (self.doc[k - 1].text in DASHES | {","} or self.doc[k - 1].is_space):
                k -= 1
            return self.doc[k].idx if k > verb.sent.start or self._quote_before(verb) else None
        return None

    def _quote_before(self, verb: Token) -> bool:
        return any(t.text in QUOTE_CLOSE for t in self.doc[max(0, verb.i - 4): verb.i])

    def _clause_start(self, sent: SpacySpan, verb: Token) -> int:
        """Start of the content before a post-posed cue: the sentence start, or the opening quote mark of a
        quotation closed just before the cue, which may open sentences earlier in the same paragraph."""
        before = [t for t in self.doc[max(sent.start, verb.i - 4): verb.i] if t.text in QUOTE_CLOSE]
        if before and before[-1].text == '"':  # straight quotes: the first of the paragraph with pairs between it and the closing one
            closing = before[-1]
            k = closing.i - 1
            while k > 0 and "\n" not in self.doc[k - 1].text:
                k -= 1
            marks = [t for t in self.doc[k:closing.i] if t.text == '"']
            for number, mark in enumerate(marks):
                if (len(marks) - number - 1) % 2 == 0:
                    return mark.idx
            return sent.start_char
        if before:
            closing = before[-1]
            depth = 0
            k = closing.i - 1
            while k >= 0 and "\n" not in self.doc[k].text:
                text = self.doc[k].text
                if text in {"»", "”"}:
                    depth += 1
                elif text in {"«", "„", "“"} or (text == '"' and closing.text == '"'):
                    if depth == 0:
                        return self.doc[k].idx
                    depth -= 1
                k -= 1
        return sent.start_char

    # -- framing phrases --

    def framing(self, sent, start, end, kind, cue_class, verbs, matches) -> Optional[Found]:
        doc = self.doc
        if kind in {"according_to", "statement_of", "parenthetical"}:
            # the source: the words after the phrase up to the next comma; the content: the rest of the sentence
            first, last = self.tokens_between(end, sent.end_char)
            stop = next((k for k in range(first, last) if doc[k].text in {",", ";"} or doc[k].text in DASHES and doc[k].whitespace_), last)
            source = _np(doc, first, stop)
            if kind == "statement_of" and source is not None and source[0].lower_ in {"в", "во"}:
                source = _np(doc, source.start + 1, source.end)
            phrase_start = start
            comma_before = sent.start_char
            prefix = self.text[sent.start_char:start].rstrip()
            if prefix.endswith(","):
                comma_before = sent.start_char + len(prefix) - 1
            after = doc[stop].idx + 1 if stop < last else sent.end_char
            opening = self.text.rfind("(", sent.start_char, start)
            bound_start, bound_end = sent.start_char, sent.end_char
            if opening >= 0 and self.text.find(")", opening, start) < 0:  # "(по словам очевидцев, ...)": inside the brackets
                bound_start = opening + 1
                closing = self.text.find(")", end, sent.end_char)
                bound_end = closing if closing >= 0 else sent.end_char
            before_text = (bound_start, comma_before if comma_before > bound_start else phrase_start)
            after_text = (min(after, bound_end), bound_end)
            before_words = self.text[before_text[0]:before_text[1]].strip(" ,—–-")
            if not before_words or before_words.lower().endswith(("что", "что,")):
                content = after_text  # "X сказал, что, по оценкам Y, ...": the words before are X's clause
            elif not self.text[after_text[0]:after_text[1]].strip(" .,—–-"):
                content = before_text
            else:  # "Беларусь, как заявил Лукашенко, не планирует ...": the longer part carries the predicate
                content = max(before_text, after_text, key=lambda r: r[1] - r[0])
            first, _last = self.tokens_between(start, end)
            pronoun = next((t for t in doc[first:_last] if t.lower_ in {"его", "ее", "её", "их"}), None)
            if pronoun is not None:  # "по его словам": the pronoun is the source
                source = doc[pronoun.i:pronoun.i + 1]
            return self.add(speaker=source, cue=(start, end), cue_class="neutral" if cue_class == "belief" else cue_class,
                            content=content, kind="according_to" if kind != "parenthetical" else "parenthetical",
                            implicit=source is None, belief=cue_class == "belief")
        if kind == "impersonal":
            earlier = any(t.lower_ in EARLIER for t in sent if abs(t.idx - start) < 20)
            first, last = self.tokens_between(end, sent.end_char)
            content_start = end
            if first < last and doc[first].text in {",", ":"}:
                first += 1
            if first < last and doc[first].lower_ == "что":
                content_start = doc[first].idx + len(doc[first].text)
            elif self.text[start:end].lower().startswith("как"):  # ", как утверждается, ...": the rest, minus the phrase
                tail = self.text[end:sent.end_char].lstrip(" ,")
                content_start = sent.end_char - len(tail)
            return self.add(speaker=None, cue=(start, end), cue_class=cue_class, content=(content_start, sent.end_char), kind="indirect",
                            implicit=not earlier, unnamed="media" if earlier else None)
        if kind == "quoting":
            source = self._phrase_subject(sent, end)
            close = self._clause_start(sent, doc.char_span(start, end, alignment_mode="expand")[0])
            return self.add(speaker=None, cue=(start, end), cue_class=cue_class, content=(close, self._dash_before(start)), kind="direct",
                            implicit=True, via=[source] if source is not None else [])
        return None

    def _dash_before(self, char: int) -> int:
        prefix = self.text[:char].rstrip()
        while prefix and prefix[-1] in DASHES | {","}:
            prefix = prefix[:-1].rstrip()
        return len(prefix)

    def particle_claim(self, sent: SpacySpan, matches) -> Optional[Found]:
        particle = next(((s, e, c) for s, e, k, c in matches if k == "particle"), None)
        if particle is None:
            return None
        start, end, cue_class = particle
        if self.text[sent.start_char:start].count('"') % 2 or self.text[sent.start_char:start].count("«") > self.text[sent.start_char:start].count("»"):
            return None  # inside a quotation: the speaker's own word
        relay = next((t for t in sent if t.i > 0 and t.lemma_ in RELAY_VERBS and self._relay(t, sent)), None)
        stop = self._punct_before(relay) if relay is not None else None
        return self.add(speaker=None, cue=(start, end), cue_class=cue_class, content=(end, stop or sent.end_char), kind="indirect", implicit=True)

    # -- reporting verbs --

    def verb_claim(self, sent, verb: Token, previous, verbs, matches) -> Optional[Found]:
        doc = self.doc
        statement = _statement_noun(verb)
        cue = cues()["заявить" if statement is not None else verb.lemma_]
        # "выступить с заявлением" / "С таким заявлением ... выступили": the noun carries the report, on either side
        cue_start = min(verb.idx, statement.idx) if statement is not None else verb.idx
        cue_end = max(verb.idx + len(verb.text), statement.idx + len(statement.text)) if statement is not None else verb.idx + len(verb.text)
        speaker_token = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        conv = verb.morph.get("VerbForm") == ["Conv"]
        if speaker_token is None and conv:
            speaker_token = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
        if speaker_token is not None and verb.morph.get("Number") == ["Plur"] and speaker_token.morph.get("Number") == ["Sing"] \
                and not any(c.dep_ == "conj" for c in speaker_token.children):
            speaker_token = None  # no agreement: the parser's subject is the object ("В МИД вручение ноты назвали ...")
        if cue.lemma in {"ответить", "отвечать"} and not any(t.lower_ in {"что", ":"} or t.text in QUOTE_OPEN for t in doc[verb.i + 1: verb.i + 4]):
            return None  # "отвечая на вопросы": answering, not reporting
        if verb.morph.get("Person") == ["1"] and verb.morph.get("Mood") == ["Imp"] or verb.lower_ in {"напомним", "отметим", "добавим", "подчеркнем", "подчеркнём"}:
            return None  # "Напомним, ...": the outlet's own voice
        speaker = _subtree_span(speaker_token) if speaker_token is not None else None
        if speaker is not None and speaker_token.pos_ == "PRON" and speaker_token.lower_ not in PERSON_PRONOUNS | GROUP_PRONOUNS | {"оно"}:
            speaker = None  # "что", "это": not a source
        if speaker is None and verb.morph.get("Number") == ["Plur"]:
            place = next((c for c in verb.children if c.dep_ == "obl" and any(g.lower_ in {"в", "во"} and g.dep_ == "case" for g in c.children)), None)
            if place is not None:  # "В украинском МИД назвали ...": the body named with "в" is the source
                speaker = _np(doc, place.left_edge.i, place.right_edge.i + 1)
        implicit = speaker is None
        punct = self._punct_before(verb)
        about_this = [c for c in verb.children if c.lower_ == "этом" and any(g.lower_ in {"об", "о"} for g in c.children)]
        # "С таким заявлением выступили ...": the statement noun points back like "Об этом"
        statement_before = statement is not None and any(c.lemma_ in {"такой", "этот", "данный", "подобный"} for c in statement.children)
        if (about_this or statement_before) and previous is not None:
            # "<statement>. Об этом заявил X.": the statement is the sentence before, or the content of its claim
            earlier = [f for f in self.found if previous.start_char <= f.content[0] < previous.end_char and not f.nested and not f.belief]
            if statement_before and earlier:
                return None  # the statement is attributed already; this sentence only dates it
            if verb.lemma_ in RELAY_VERBS and verb.morph.get("Tense") == ["Pres"]:
                # "Об этом пишет <outlet> со ссылкой на X": the outlet's source line; X relays the claims before
                relayed = [self._phrase_subject(sent, e) for s_, e, k, _c in matches if k == "relay"]
                for claim in earlier:
                    claim.via += [r for r in relayed if r is not None]
                return None
            statement = (earlier[-1].content if earlier else (previous.start_char, previous.end_char))
            item = self.add(speaker=speaker, cue=(cue_start, cue_end), cue_class=cue.cue_class, content=statement,
                            kind="indirect", implicit=implicit, belief=cue.cue_class == "belief")
            item.extra_sentences.append(self.document.sentence_index(previous.start_char))
            return item
        if punct is not None and punct > sent.start_char - 1 and (speaker is None or speaker.start > verb.i):
            start = self._clause_start(sent, verb)
            kind = "direct" if self.text[start:start + 1] in QUOTE_OPEN else "indirect"
            return self.add(speaker=speaker, cue=(cue_start, cue_end), cue_class=cue.cue_class, content=(start, punct), kind=kind,
                            implicit=implicit, belief=cue.cue_class == "belief")
        # the content follows the cue: after "что" / "о том, что" / ":" / "о(б)", or right after the cue (and a speaker after it)
        begin = (statement or verb).i + 1
        if speaker is not None and speaker.start > verb.i:
            begin = max(begin, speaker.end)
        end_token = self._content_end(sent, verb, verbs, matches)
        start_char = None
        for k in range(begin, end_token):
            token = doc[k]
            if token.lower_ == "что" and (token.dep_ == "mark" or k == begin or doc[k - 1].text == ","):
                start_char = token.idx + len(token.text)
                break
            if token.text == ":" and k <= begin + 3:
                start_char = token.idx + 1
                break
            if token.lower_ in {"о", "об", "обо"} and k <= begin + 3:
                nxt = doc[k + 1] if k + 1 < end_token else None
                if nxt is not None and nxt.lower_ == "том":
                    continue
                start_char = token.idx + len(token.text)
                break
            if token.lower_ in {"том"} and k + 2 < end_token and doc[k + 2].lower_ == "что":
                start_char = doc[k + 2].idx + len(doc[k + 2].text)
                break
            if token.pos_ in {"NOUN", "PROPN", "ADJ", "VERB", "PRON", "NUM"} or token.text in QUOTE_OPEN:
                if token.dep_ in {"obl", "iobj"} and not any(g.lower_ in {"о", "об", "обо"} for g in token.children):
                    continue  # "сказал журналисту ...", "в интервью": not the content
                if token.lower_ in {"также", "вновь", "снова", "ранее", "сегодня", "вчера"}:
                    continue
                break
        if start_char is None:
            k = begin
            while k < end_token and (doc[k].dep_ in {"advmod", "punct", "obl", "iobj"} and doc[k].text not in QUOTE_OPEN
                                     and not any(g.lower_ in {"о", "об"} for g in doc[k].children)):
                k = doc[k].right_edge.i + 1 if doc[k].dep_ in {"obl", "iobj"} else k + 1
            start_char = doc[k].idx if k < end_token else None
        if start_char is None:
            return None
        end_char = doc[end_token - 1].idx + len(doc[end_token - 1].text) if end_token > begin else sent.end_char
        if speaker is not None and speaker.start > verb.i and speaker.end >= end_token:
            return None
        kind = "direct" if self.text[start_char:end_char].lstrip(" :").startswith(tuple(QUOTE_OPEN)) else "indirect"
        return self.add(speaker=speaker, cue=(cue_start, cue_end), cue_class=cue.cue_class, content=(start_char, end_char), kind=kind,
                        implicit=implicit, belief=cue.cue_class == "belief")

    def _content_end(self, sent: SpacySpan, verb: Token, verbs, matches) -> int:
        """Token index where a pre-posed cue's content ends: the sentence end, before a trailing relay
        (", сообщает ...") or before the next coordinated reporting verb (", но отметил, что", ", отметив, что")."""
        end = sent.end
        for other in verbs:
            coordinated = other.dep_ in {"conj", "parataxis"} and other.head.i <= verb.i
            participle = other.morph.get("VerbForm") == ["Conv"] and (other.head == verb or other.head.i < verb.i)
            if other.i > verb.i and (coordinated or participle):
                k = other.i - 1
                while k > verb.i and (self.doc[k].text in {",", "но", "а", "и", "также"} or self.doc[k].is_space):
                    k -= 1
                end = min(end, k + 1)
        for start, _end, kind, _c in matches:
            if kind == "relay" and start > verb.idx:
                span = self.doc.char_span(start, _end, alignment_mode="expand")
                if span is not None:
                    k = span.start - 1
                    while k > verb.i and (self.doc[k].text in {","} | DASHES or self.doc[k].is_space):
                        k -= 1
                    end = min(end, k + 1)
        for relay in [t for t in sent if t.i > verb.i and t.lemma_ in RELAY_VERBS and self._relay(t, sent)]:
            k = relay.i - 1
            while k > verb.i and (self.doc[k].text in {","} | DASHES or self.doc[k].is_space):
                k -= 1
            end = min(end, k + 1)
        while end > verb.i + 1 and (self.doc[end - 1].is_punct and self.doc[end - 1].text not in QUOTE_CLOSE | {")"} or self.doc[end - 1].is_space):
            end -= 1
        return end


# ---- speakers ----

class RussianNames:
    """The registry's Russian name forms keyed by lemmas, so that any case of a name finds its actor."""

    def __init__(self, registry: Registry):
        from .parser import russian_parser

        self.registry = registry
        self.parser = russian_parser()
        self.by_key: dict[tuple[str, ...], list[Actor]] = {}
        self.surnames: dict[str, list[Actor]] = {}
        for actor in registry.actors.values():
            for alias in actor.aliases:
                if not re.search("[а-яё]", alias, re.I):
                    continue
                doc = self.parser(alias)
                key = self.key(list(doc))
                if key:
                    self.by_key.setdefault(key, []).append(actor)
                words = alias.split()
                if actor.kind == "person" and all(w[:1].isupper() for w in words) and key:
                    self.surnames.setdefault(key[-1], []).append(actor)

    @staticmethod
    def key(tokens) -> tuple[str, ...]:
        return tuple(t.lemma_.lower().replace("ё", "е") for t in tokens if not t.is_punct and not t.is_space and t.pos_ != "ADP"
                     and t.lower_ not in {"в", "во", "на", "у"})

    def match(self, tokens, when) -> Optional[Actor]:
        key = self.key(tokens)
        if not key:
            return None
        found = Registry._current(self.by_key.get(key, []), when)
        if found:
            return found[-1]
        best = None
        for size in range(len(key) - 1, 0, -1):  # the longest known part: "пресс-секретарь президента России Дмитрий Песков"
            for first in range(0, len(key) - size + 1):
                part = key[first:first + size]
                candidates = Registry._current(self.by_key.get(part, []), when)
                if candidates:
                    people = [a for a in candidates if a.kind == "person"]
                    best = (people or candidates)[-1]
                    break
            if best is not None:
                break
        if best is not None and (best.kind == "person" or len(key) <= 4):
            return best
        for token in tokens:
            if token.pos_ == "PROPN":
                people = {a.id: a for a in Registry._current(self.surnames.get(self.key([token])[0] if self.key([token]) else "", []), when)}
                if len(people) == 1:
                    return next(iter(people.values()))
        return best


@functools.lru_cache(maxsize=4)
def russian_names(registries: tuple[str, ...]) -> RussianNames:
    return RussianNames(cached_registry(registries))


def nominative(span: SpacySpan) -> str:
    """A name in the nominative case, as a reader would write it: the head and the words agreeing with it
    inflected, the rest as written ("Центра общественных связей ФСБ" -> "Центр общественных связей ФСБ")."""
    from .parser import russian_parser

    analyser = russian_parser().analyser
    root = span.root
    agreeing = {root.i} | {c.i for c in root.children if c.dep_ in {"amod", "flat:name", "appos", "flat"} and c.i in range(span.start, span.end)}
    if root.ent_type_ == "PERSON":
        agreeing |= {t.i for t in span if t.ent_type_ == "PERSON"}
    words = []
    for token in span:
        word = token.text
        if token.i in agreeing and token.morph.get("Case") and token.morph.get("Case") != ["Nom"]:
            parses = [p for p in analyser.parse(word) if p.tag.case and p.tag.case != "nomn"]
            if token.pos_ == "PROPN":
                parses = [p for p in parses if {"Surn", "Name", "Patr", "Geox", "Orgn"} & set(p.tag.grammemes)] or parses
            number = "plur" if token.morph.get("Number") == ["Plur"] else "sing"
            for parse in parses:
                inflected = parse.inflect({"nomn", number}) or parse.inflect({"nomn"})
                if inflected is not None:
                    word = inflected.word
                    word = word[:1].upper() + word[1:] if token.text[:1].isupper() else word
                    if token.text.isupper():
                        word = word.upper()
                    break
        words.append(word + token.whitespace_)
    return "".join(words).strip()


@component("speakers_ru", requires=["doc", "claims", "other_attributions"], assigns=["registry", "claims.speaker_resolved", "claims.actor", "other_attributions.speaker_resolved"], settings={"registries": []},
           setup=lambda settings: russian_names(tuple(settings["registries"])))
def speakers_ru(document: Document, settings: dict) -> None:
    """Link each claim's speaker to the registry (Russian name forms on lemmas), pronouns and descriptions
    to the running chain of speakers, unknown names to their nominative form."""
    names = russian_names(tuple(settings["registries"]))
    document.registry = names.registry
    when = document.article.published or document.analysis.published_inferred
    doc = document.doc
    chain: list[tuple[str, Optional[Actor], str]] = []  # (name, actor, kind: person | organisation)
    headline_chain: list[tuple[str, Optional[Actor], str]] = []  # the headline's sources: pronouns fall back on them
    headline_claims = []

    def resolve(span: Optional[SpacySpan]) -> tuple[Optional[str], Optional[Actor], str, str]:
        """(name, actor, kind, status)"""
        if span is None:
            return None, None, "", "none"
        words = [t for t in span if not t.is_punct]
        if len(words) == 1 and words[0].lower_ in PERSON_PRONOUNS:
            before = previous_subject(span)
            if before is not None:
                return before
            person = next((c for c in reversed(chain or headline_chain) if c[2] == "person"), None)
            return (person[0], person[1], "person", "resolved") if person else (None, None, "", "unresolved")
        if len(words) == 1 and words[0].lower_ in GROUP_PRONOUNS:
            body = next((c for c in reversed(chain) if c[2] == "organisation"), chain[-1] if chain else None)
            return (body[0], body[1], body[2], "resolved") if body else (None, None, "", "unresolved")
        people = [t for t in span if t.ent_type_ == "PERSON"]
        if people and len(people) < len(words):  # "Посол России в Польше Сергей Андреев": the person the phrase names, not "России"
            person = doc[min(t.i for t in people) : max(t.i for t in people) + 1]
            actor = names.match([t for t in person if not t.is_punct], when)
            if actor is not None and actor.kind == "person":
                return actor.name, actor, "person", "resolved"
        actor = names.match(words, when)
        if actor is not None and not (people and actor.kind != "person"):
            return actor.name, actor, "person" if actor.kind == "person" else "organisation", "resolved"
        head = span.root.lemma_.lower()
        if head in PERSON_DESCRIPTIONS and not any(t.pos_ == "PROPN" for t in span):
            person = next((c for c in reversed(chain) if c[2] == "person"), None)
            if person:
                return person[0], person[1], "person", "resolved"
        if head in BODY_DESCRIPTIONS and not any(t.pos_ == "PROPN" for t in span):
            body = next((c for c in reversed(chain) if c[2] == "organisation"), None)
            if body:
                return body[0], body[1], "organisation", "resolved"
        people = [t for t in span if t.ent_type_ == "PERSON"]
        if people:
            start = min(t.i for t in people)
            name = nominative(doc[start:max(t.i for t in people) + 1])
            surname = name.split()[-1]
            earlier = next((c for c in reversed(chain) if c[2] == "person" and c[0].split()[-1] == surname), None)
            return (earlier[0], earlier[1], "person", "resolved") if earlier else (name, None, "person", "resolved")
        if any(t.ent_type_ in {"ORG", "GPE"} or t.pos_ == "PROPN" for t in span):
            return nominative(span), None, "organisation", "resolved"
        return nominative(span), None, "organisation", "unnamed"

    sentences = list(doc.sents)

    def previous_subject(span: SpacySpan) -> Optional[tuple[str, Optional[Actor], str, str]]:
        """he/she: the person who is the subject of the sentence before, when there is one."""
        number = next((k for k, sent in enumerate(sentences) if sent.start <= span.start < sent.end), 0)
        if number == 0 or (headline_range is not None and headline_range[0] <= sentences[number - 1].start < headline_range[1]):
            return None
        root = sentences[number - 1].root
        subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS and c.pos_ != "PRON"), None)
        if subject is None:
            return None
        name, actor, kind, status = resolve(_subtree_span(subject))
        return (name, actor, kind, status) if kind == "person" and status == "resolved" else None

    headline_range = headline_tokens(document)
    claims = sorted(document.analysis.claims, key=lambda c: (c.cue.start if c.cue else c.content.start))
    for claim in claims:
        span = doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand") if claim.speaker else None
        if claim.speaker_status == "unnamed":  # set by the finder ("ранее сообщалось": earlier media reports)
            pass
        elif span is not None:
            name, actor, kind, status = resolve(span)
            claim.speaker_resolved, claim.actor, claim.speaker_status = name, actor, status
            if name and status == "resolved":
                (headline_chain if claim.headline else chain).append((name, actor, kind))
        elif claim.speaker_status == "implicit" and chain:
            claim.speaker_resolved, claim.actor = chain[-1][0], chain[-1][1]
        if claim.headline and not claim.speaker_resolved:
            headline_claims.append(claim)
        claim.via = []
        for relay in claim.via_spans:
            relay_span = doc.char_span(relay.start, relay.end, alignment_mode="expand")
            name, _actor, _kind, _status = resolve(relay_span) if relay_span is not None else (None, None, "", "none")
            claim.via.append(name or relay.text)
    for claim in headline_claims:  # an unresolved headline source is the article's first resolved speaker
        lead = next((c for c in claims if c.speaker_resolved and not c.headline), None)
        if lead is not None and claim.speaker_status in {"implicit", "none"}:
            claim.speaker_resolved, claim.actor, claim.speaker_status = lead.speaker_resolved, lead.actor, "implicit"
    for claim in document.analysis.other_attributions:
        span = doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand") if claim.speaker else None
        if span is not None:
            claim.speaker_resolved, claim.actor, _kind, claim.speaker_status = resolve(span)


@component("attribution_ru", requires=["doc", "sentences", "entities"], assigns=["claims", "other_attributions", "pattern_claims"])
def attribution_ru(document: Document, settings: dict) -> None:
    """Claims with speaker, cue and content by the Russian rules (speakers are linked by speakers_ru)."""
    found = RussianFinder(document).run()
    claims, others = [], []
    for item in found:
        (others if item.nested or item.belief else claims).append(_to_claim(document, item))
    document.analysis.claims = numbered(claims, "c")
    document.pattern_claims.update(record.id for record in claims)  # every Russian claim comes from a rule pattern
    document.analysis.other_attributions.extend(numbered(others, "a"))


def _to_claim(document: Document, item: Found) -> Claim:
    content = document.span(*item.content)
    sentences = {document.sentence_index(content.start), document.sentence_index(max(content.end - 1, content.start))}
    if item.cue is not None:
        sentences.add(document.sentence_index(item.cue[0]))
    sentences.update(item.extra_sentences)
    status = "unnamed" if item.unnamed else "implicit" if item.implicit else "unresolved" if item.speaker is not None else "none"
    return Claim(
        id="",
        speaker=document.token_span(item.speaker) if item.speaker is not None else None,
        speaker_resolved=item.unnamed,
        speaker_status=status,
        cue=document.span(*item.cue) if item.cue is not None else None,
        cue_class=item.cue_class,
        via_spans=[document.token_span(v) for v in item.via],
        content=content,
        kind="nested" if item.nested else item.kind,
        headline=item.headline,
        sentences=list(range(min(sentences), max(sentences) + 1)),
    )


# ---- hedges ----

def _inside_quote(text: str, start: int, end: int, position: int) -> bool:
    """Whether a position inside [start, end) sits within quotation marks there."""
    before = text[start:position]
    return before.count("«") > before.count("»") or before.count('"') % 2 == 1 or before.count("„") > before.count("“")


@component("hedging_ru", requires=["doc", "sentences", "claims"], assigns=["hedges"])
def hedging_ru(document: Document, settings: dict) -> None:
    """Hedges and distancing with their owner: the outlet's outside the speaker's quoted words, the speaker's inside."""
    analysis = document.analysis
    text = document.text
    lowered = text.lower().replace("ё", "е")
    for claim in analysis.claims:
        if claim.cue is not None and claim.cue_class == "distancing":
            analysis.hedges.append(Hedge(**claim.cue.model_dump(), kind="distancing", owner="outlet", sentence=claim.sentences[0]))
            claim.hedges.append(claim.cue.text)
    for phrase, kind in hedge_phrases():
        pattern = r"(?<![\w-])" + re.escape(phrase.replace("ё", "е")) + r"(?![\w-])"
        for match in re.finditer(pattern, lowered):
            start, end = match.start(), match.end()
            if any(h.start < end and start < h.end for h in analysis.hedges):
                continue
            sentence = document.sentence_index(start)
            claim = next((c for c in analysis.claims if c.content.start <= start < c.content.end), None)
            if claim is not None and claim.cue is not None and claim.cue.start <= start < claim.cue.end:
                continue  # the particle is the claim's own cue, recorded above
            quoted = claim is not None and (claim.kind == "direct" or _inside_quote(text, claim.content.start, claim.content.end, start))
            owner = "speaker" if quoted or kind in {"modal", "conditional"} and claim is not None else "outlet"
            hedge = Hedge(start=start, end=end, text=text[start:end], kind=kind, owner=owner, sentence=sentence)
            analysis.hedges.append(hedge)
            if claim is None:
                continue
            if owner == "outlet":
                claim.hedges.append(hedge.text)
            else:
                claim.speaker_hedges.append(hedge.text)
            if kind == "conditional" and owner == "speaker":
                claim.conditional = True
    contents = [piece for c in analysis.claims for piece in c.content_ranges()]
    marks = quotation_marks(document, quotation_regions(text), analysis.claims, contents)  # the language-neutral pass's scare quotes
    analysis.hedges += [mark for mark in marks if not any(h.start < mark.end and mark.start < h.end for h in analysis.hedges)]
    for claim in analysis.claims:
        pieces = claim.content_ranges()
        claim.scare_quotes = [m.text for m in marks if m.kind == "scare_quote" and any(s <= m.start and m.end <= e for s, e in pieces)]
    analysis.hedges.sort(key=lambda h: h.start)
    mark_sentences(analysis, analysis.hedges)


# ---- events ----

def _object_words(token: Token) -> set[str]:
    words = {c.lemma_.lower() for c in token.children if c.dep_ in {"obj", "nsubj:pass", "obl"}}
    if token.dep_ in {"amod", "acl"}:  # a participle: the noun it modifies ("переданные Киеву системы")
        words.add(token.head.lemma_.lower())
    for child in [c for c in token.children if c.dep_ in {"obj", "nsubj:pass"}]:
        words |= {g.lemma_.lower() for g in child.subtree}
    return words


@functools.cache
def actor_words() -> dict[str, tuple[Optional[str], Optional[str]]]:
    return {r[0]: (None if r[1] == "-" else r[1], None if r[2] == "-" else r[2]) for r in _rows("actor_codes.tsv")}


def _words_code(span: SpacySpan) -> Optional[str]:
    """A CAMEO actor code from the country and sector words of a phrase the registry does not know."""
    country = sector = None
    for token in span:
        found = actor_words().get(token.lemma_.lower())
        if found is not None:
            country = country or found[0]
            sector = sector or found[1]
    return (country + (sector or "")) if country else None


@functools.cache
def evaluations() -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in _rows("evaluations.tsv")]


@functools.cache
def word_evaluations() -> dict[str, str]:
    """The single-word evaluations by lemma."""
    return {word: code for word, code in evaluations() if " " not in word}


def _claim_at(analysis, char: int) -> Optional[Claim]:
    return next((c for c in analysis.claims if c.content.start <= char < c.content.end), None)


def _speaker_of(analysis, char: int) -> Optional[tuple[str, Optional[str]]]:
    claim = _claim_at(analysis, char)
    if claim is None or not claim.speaker_resolved:
        return None
    return claim.speaker_resolved, claim.actor.code if claim.actor else None


def _actor_phrase(document: Document, token: Optional[Token]) -> Optional[SpacySpan]:
    if token is None:
        return None
    return _np(document.doc, token.left_edge.i, token.right_edge.i + 1)


@component("events_ru", requires=["doc", "sentences", "claims", "dates", "registry"], assigns=["events", "unrealised_events"], settings={"registries": []})
def events_ru(document: Document, settings: dict) -> None:
    """Events coded to CAMEO/PLOVER through the Russian verb and noun lexicons (each row mapped to the
    code of its English equivalent), plus the speech acts that are events themselves (accusing, denying,
    warning, appealing), each linked to the claim that reports it."""
    analysis = document.analysis
    names = russian_names(tuple(settings["registries"]))
    when = analysis.article.published or analysis.published_inferred
    reported = when.isoformat() if when else None
    verbs, nouns = event_verbs(), event_nouns()

    def name_of(span: Optional[SpacySpan]) -> tuple[Optional[str], Optional[str]]:
        if span is None:
            return None, None
        actor = names.match([t for t in span if not t.is_punct], when)
        if actor is not None:
            return actor.name, actor.code
        return span.text, _words_code(span)

    def add(token: Token, code: str, actor_span, target_span, claim, negated=False, mode="observed", nominal=False, actor_override=None):
        actor, actor_code = name_of(actor_span)
        if actor_override is not None:
            actor, actor_code = actor_override
        target, target_code = name_of(target_span)
        sentence = document.sentence_index(token.idx)
        analysis.events.append(Event(
            id="", sentence=sentence, trigger=document.token_span(token.doc[token.i:token.i + 1]),
            place=place_of(token, "ru"), date=date_of(analysis, analysis.sentences[sentence]) if sentence < len(analysis.sentences) else None,
            actor=actor, actor_code=actor_code[:3] if actor_code else None, actor_sector=actor_code[3:] or None if actor_code else None,
            action=token.lemma_, target=target, target_code=target_code[:3] if target_code else None,
            target_sector=target_code[3:] or None if target_code else None, reported=reported, negated=negated, mode=mode, nominal=nominal,
            **cameo_fields(code), claim_id=claim.id if claim else None, attributed_to=claim.speaker_resolved if claim else None))

    claims_by_cue = {}
    for claim in [*analysis.claims, *analysis.other_attributions]:
        if claim.cue is not None:
            span = document.doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
            if span is not None:
                claims_by_cue[span.root.i] = claim
    evaluated: set[tuple[str, int]] = set()
    lowered = document.text.lower()
    for phrase, code in evaluations():
        if " " not in phrase:
            continue
        for match in re.finditer(re.escape(phrase), lowered):
            speaker = _speaker_of(analysis, match.start())
            if speaker is not None and (code, document.sentence_index(match.start())) not in evaluated:
                evaluated.add((code, document.sentence_index(match.start())))
                token = document.doc.char_span(match.start(), match.end(), alignment_mode="expand")[0]
                add(token, code, None, None, _claim_at(analysis, match.start()), actor_override=speaker)
    for token in document.doc:
        if token.is_punct or token.is_space:
            continue
        claim = _claim_at(analysis, token.idx)
        lemma = token.lemma_.lower()
        cue = cues().get(lemma)
        if token.pos_ in {"VERB", "AUX"} and cue is not None and cue.code and not _negated(token):
            # a speech act that is an event itself (accusing, denying, warning, appealing): its speaker is the actor
            own = claims_by_cue.get(token.i)
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            if own is not None and own.speaker_resolved:
                add(token, cue.code, None, None, claim if claim is not own else None,
                    actor_override=(own.speaker_resolved, own.actor.code if own.actor else None))
            else:
                add(token, cue.code, _actor_phrase(document, subject), None, claim)
            continue
        if lemma in word_evaluations() and claim is not None and claim.speaker_resolved:
            code = word_evaluations()[lemma]
            sentence = document.sentence_index(token.idx)
            if (code, sentence) not in evaluated:  # one denunciation per statement sentence
                evaluated.add((code, sentence))
                add(token, code, None, None, claim, actor_override=(claim.speaker_resolved, claim.actor.code if claim.actor else None))
            continue
        if token.pos_ in {"VERB", "AUX"} and lemma in verbs:
            _english, code, needs = verbs[lemma]
            if needs and not (_object_words(token) & needs):
                continue
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            target = next((c for c in token.children if c.dep_ in {"obj"}), None) or next(
                (c for c in token.children if c.dep_ == "obl" and any(g.lower_ in {"по", "на", "против"} for g in c.children)), None)
            mode = "hypothetical" if token.morph.get("Tense") == ["Fut"] or token.morph.get("VerbForm") == ["Inf"] else "observed"
            add(token, code, _actor_phrase(document, subject), _actor_phrase(document, target), claim, negated=_negated(token), mode=mode)
        elif token.pos_ == "NOUN" and lemma in nouns and not (token.dep_ in {"obj", "nsubj:pass"} and token.head.lemma_.lower() in verbs):
            _english, code = nouns[lemma]
            target = next((c for c in token.children if c.dep_ == "nmod" and any(g.lower_ in {"по", "на", "против"} for g in c.children)), None)
            add(token, code, None, _actor_phrase(document, target), claim, nominal=True)
    number_and_split(analysis)
