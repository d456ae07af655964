"""Attribution patterns over a Universal Dependencies parse (claimscope.nlp.natasha for Russian, Ukrainian and
Belarusian): speaker, cue and content, reading the language's words from claimscope.languages.<code>.resources and
its cue and phrase lexicons from claimscope/data/<code>/. Claims are recorded as in English
(claimscope.analysers.attribution); speakers are linked on lemmas (lemma_speakers), hedges found by phrase
(phrase_hedging), events by lexicon (lexicon_events).

The patterns follow the conventions of East Slavic news writing (Russian examples; the Ukrainian and Belarusian
resources give the same words in those languages):

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
"""

from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..document import Document
from ..languages import resources
from ..pipeline import component
from ..resources.lexicons import fold_letters, language_cues, language_phrases, lower_in_place
from .attribution import Found, headline_tokens, record_claims
from .lexicon_events import negated
from .noun_phrases import noun_phrase, subject_phrase

QUOTE_OPEN = {"«", "„", "“", '"'}
QUOTE_CLOSE = {"»", "“", "”", '"'}
DASHES = {"—", "–", "-", "―"}
# Parts of speech that end a subject found by word order (a preposition, a verb, a conjunction ...).
PHRASE_STOPS = {"ADP", "VERB", "AUX", "CCONJ", "SCONJ", "PART", "ADV", "PRON", "DET", "NUM", "SYM"}
# A name in Latin letters in Cyrillic text ("Deutsche Welle", "TUT.BY", "Bloomberg"): the region's institutions write
# their names in Cyrillic, a foreign outlet keeps its own; after "Об этом сообщает" it is the relaying outlet.
LATIN_NAME = re.compile(r"[A-Z][A-Za-z.&'\- ]{1,40}")
# "MOSCOW, May 3 - TASS.": a dateline line, whatever the alphabet.
DATELINE = re.compile(r"^\s*(?=[A-ZА-ЯЁІЇЄҐЎ])(?:[^\W\d_]|[\- ]){1,30},\s*\d{1,2}\s+[^\W\d_]+\.?\s*[-–—]\s*[^.\n]{2,60}\.?\s*$")


def _statement_noun(token: Token, words) -> Optional[Token]:
    """"выступить с заявлением", "сделать заявление": the noun that makes the verb a report."""
    nouns, prepositions = words.STATEMENT_VERBS.get(token.lemma_, ((), ()))
    if not nouns:
        return None
    if words.BORROWED_PARSE:  # by word order: the noun within three words of the verb, after its preposition if it takes one
        sent = token.sent
        near = [t for t in token.doc[max(sent.start, token.i - 3): min(sent.end, token.i + 4)] if t.i != token.i and t.lemma_ in nouns]
        doc = token.doc
        return next((t for t in near if not prepositions or any(t.i - k >= sent.start and doc[t.i - k].lower_ in prepositions and
                                                                 all(doc[j].pos_ in {"ADJ", "DET", "PRON"} for j in range(t.i - k + 1, t.i))
                                                                 for k in (1, 2))), None)  # "з (такою) заявою"
    return next((c for c in token.children if c.lemma_ in nouns
                 and (any(g.lower_ in prepositions for g in c.children) if prepositions else c.dep_ == "obj")), None)


def _foreign_name(token: Token) -> bool:
    """A capitalised word in Latin letters that the tagger leaves unplaced (Deutsche Welle): a foreign name."""
    return token.pos_ == "X" and token.text[:1].isupper() and bool(LATIN_NAME.fullmatch(token.text))


def _is_cue_verb(token: Token, words, cues) -> bool:
    if token.morph.get("Person") in (["1"], ["2"]) and token.morph.get("Mood") != ["Imp"]:
        return False  # "просимо США", "я говорю": the speaker's own words, not a report of someone's
    if (token.pos_ == "VERB" or words.BORROWED_PARSE) and _statement_noun(token, words) is not None:
        return True  # (a borrowed tagger may miss the verb: its statement noun is the evidence)
    if token.pos_ not in {"VERB", "AUX"} or token.lemma_ not in cues:
        return False
    form = token.morph.get("VerbForm")
    # an infinitive reports only as its sentence's root ("Заявить о ..."), which a borrowed parse cannot tell
    return not form or form[0] in {"Fin", "Conv", "Inf"} and (form[0] != "Inf" or token.dep_ in {"ROOT", "parataxis"} and not words.BORROWED_PARSE)


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


class ClauseFinder:
    """Claims of one article, sentence by sentence, over its UD parse."""

    def __init__(self, document: Document):
        self.document = document
        self.words = resources(document.language)
        self.cues = language_cues(document.language)
        self.phrases = language_phrases(document.language)
        self.particles = {phrase for phrase, kind, _c in self.phrases if kind == "particle"}
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
            cue = item.cue.start_char
            outer = [o for o in self.found if o is not item and o.kind != "nested" and o.content[0] <= cue < o.content[1]
                     and not (o.cue is not None and item.content[0] <= o.cue.start_char < item.content[1] and o.cue.start_char > cue)]
            if outer:
                item.kind = "nested"

    # -- helpers --

    def covered(self, char: int) -> bool:
        return any(f.content[0] <= char < f.content[1] and f.kind != "nested" for f in self.found)

    def add(self, cue: tuple[int, int], belief: bool = False, **kwargs) -> Found:
        """A claim found by a pattern; ``cue`` in characters (a framing phrase need not be one token), ``belief`` for a
        belief rather than speech."""
        item = Found(cue=self.doc.char_span(*cue, alignment_mode="expand"), speech=not belief, pattern=True, **kwargs)
        item.content = _trim(self.doc, *item.content)
        if item.content[1] > item.content[0]:
            self.found.append(item)
        return item

    def phrase_matches(self, sent: SpacySpan) -> list[tuple[int, int, str, str]]:
        """(start char, end char, kind, cue class) of the framing phrases in a sentence, not overlapping."""
        lowered = fold_letters(lower_in_place(sent.text), self.words.LETTER_FOLDS)
        taken: list[tuple[int, int, str, str]] = []
        for phrase, kind, cue_class in self.phrases:
            for match in re.finditer(r"(?<![\w-])" + re.escape(fold_letters(phrase, self.words.LETTER_FOLDS)) + r"(?![\w-])", lowered):
                start, end = sent.start_char + match.start(), sent.start_char + match.end()
                if not any(s < end and start < e for s, e, _k, _c in taken):
                    taken.append((start, end, kind, cue_class))
        return sorted(taken)

    def negated(self, token: Token) -> bool:
        return negated(token, self.words.NEGATION_WORDS)

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
            speaker = noun_phrase(doc, sent.start, colon.i)
            if speaker is not None and self._names_source(speaker):
                self.add(speaker=speaker, cue=(colon.idx, colon.idx + 1), cue_class="neutral", content=(colon.idx + 1, sent.end_char), kind="direct",
                         headline=True)
                return
        dashes = [t for t in tokens if t.text in DASHES and t.whitespace_ and t.i > sent.start and doc[t.i - 1].whitespace_ or t.text in DASHES and t.i > sent.start and doc[t.i - 1].text == ","]
        if dashes:
            dash = dashes[-1]
            speaker = noun_phrase(doc, dash.i + 1, sent.end)
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
        speaker = noun_phrase(doc, sent.start, colon.i)
        if speaker is not None and self._names_source(speaker) and any(t.ent_type_ == "PERSON" or t.pos_ == "PROPN" for t in speaker):
            self.add(speaker=speaker, cue=(colon.idx, colon.idx + 1), cue_class="neutral", content=(colon.idx + 1, closing[-1].idx + 1), kind="direct")

    @staticmethod
    def _names_source(span: SpacySpan) -> bool:
        return len(span) <= 6 and any(t.pos_ in {"PROPN", "NOUN"} for t in span) and not any(t.pos_ == "VERB" for t in span)

    # -- body sentences --

    def sentence(self, sent: SpacySpan, previous: Optional[SpacySpan]) -> None:
        doc = self.doc
        tokens = [t for t in sent if not t.is_space and not t.is_punct]
        if tokens and tokens[0].lower_ in self.words.INTERROGATIVES and sent.text.rstrip().endswith("?"):
            return  # "Что заявил Песков?": a question (often a section heading), not a report
        matches = self.phrase_matches(sent)
        phrase_tokens = set()
        for start, end, _kind, _class in matches:
            first, last = self.tokens_between(start, end)
            phrase_tokens.update(range(first, last))
        verbs = [t for t in sent if _is_cue_verb(t, self.words, self.cues) and t.i not in phrase_tokens and not self.negated(t)]
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
        for noun in [t for t in sent if t.pos_ == "NOUN" and t.lemma_ in self.words.NOMINAL_CUES]:
            item = self.nominal_claim(sent, noun)
            if item is not None:
                made.append(item)
        # relays: the relaying outlet of the sentence's claims, or the speaker when there is none
        relay_words = [(r.idx, self._relay_subject(r), r) for r in relays]
        relay_words += [(s, self._phrase_subject(sent, e), None) for s, e, _k in relay_spans]
        for position, subject, verb in relay_words:
            if subject is None:
                continue
            owners = [m for m in made if m.content[1] <= position + 1 and m.speech]
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
        that = self.words.THAT_WORDS
        if len(window) > 3 and window[0] in self.words.ABOUT_PREPOSITIONS and window[1] in self.words.ABOUT_THAT and window[2] == "," and window[3] in that:
            start = doc[k + 3].idx + len(doc[k + 3].text)
        elif len(window) > 1 and window[0] == "," and window[1] in that:
            start = doc[k + 1].idx + len(doc[k + 1].text)
        else:
            return None
        end = max(noun.right_edge.idx + len(noun.right_edge.text), start)
        return self.add(speaker=subject_phrase(source), cue=(noun.idx, noun.idx + len(noun.text)), cue_class="neutral", content=(start, end), kind="nominal")

    def _relay(self, verb: Token, sent: SpacySpan) -> bool:
        """"..., сообщает РИА Новости": a present-tense report verb after the content whose subject is an outlet."""
        if verb.lemma_ not in self.words.RELAY_VERBS or self._punct_before(verb) is None:
            return False
        subject = self._relay_subject(verb)
        if subject is None:
            return False
        if verb.lemma_ in self.words.MEDIA_RELAY_VERBS and not any(t.lemma_ in self.words.MEDIA_WORDS or t.ent_type_ == "ORG" for t in subject):
            return False
        tail = [t for t in sent if t.i > verb.i and not t.is_punct and not t.is_space]
        return all(t.i in range(subject.start, subject.end) or t.pos_ in {"ADP", "PROPN", "NOUN", "ADJ", "CCONJ"} for t in tail)

    def _relay_subject(self, verb: Token) -> Optional[SpacySpan]:
        subject = next((c for c in verb.children if c.dep_ in self.words.SUBJECT_DEPS), None)
        if subject is not None and subject.i > verb.i:
            return subject_phrase(subject)
        after = noun_phrase(self.doc, verb.i + 1, verb.sent.end)
        if after is not None and len(after) <= 6:
            return after
        return None

    def _phrase_subject(self, sent: SpacySpan, end_char: int) -> Optional[SpacySpan]:
        first, last = self.tokens_between(end_char, sent.end_char)
        stop = next((k for k in range(first, last) if self.doc[k].text in {",", ";"} or self.doc[k].pos_ in {"VERB", "AUX"}), last)
        return noun_phrase(self.doc, first, stop)  # "со ссылкой на Минобороны России информирует ...": up to the verb

    def _punct_before(self, verb: Token) -> Optional[int]:
        """The character offset of the comma or dash that ends the content before a post-posed cue."""
        k = verb.i - 1
        while k >= verb.sent.start and (self.doc[k].is_space or self.doc[k].lower_ in self.words.WORDS_BEFORE_CUE):
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
            source = noun_phrase(doc, first, stop)
            if kind == "statement_of" and source is not None and source[0].lower_ in self.words.IN_PREPOSITIONS:
                source = noun_phrase(doc, source.start + 1, source.end)
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
            if not before_words or before_words.lower().rstrip(",").rsplit(" ", 1)[-1] in self.words.THAT_WORDS:
                content = after_text  # "X сказал, что, по оценкам Y, ...": the words before are X's clause
            elif not self.text[after_text[0]:after_text[1]].strip(" .,—–-"):
                content = before_text
            else:  # "Беларусь, как заявил Лукашенко, не планирует ...": the longer part carries the predicate
                content = max(before_text, after_text, key=lambda r: r[1] - r[0])
            first, _last = self.tokens_between(start, end)
            pronoun = next((t for t in doc[first:_last] if t.lower_ in self.words.POSSESSIVE_PRONOUNS), None)
            if pronoun is not None:  # "по его словам": the pronoun is the source
                source = doc[pronoun.i:pronoun.i + 1]
            return self.add(speaker=source, cue=(start, end), cue_class="neutral" if cue_class == "belief" else cue_class,
                            content=content, kind="according_to" if kind != "parenthetical" else "parenthetical",
                            implicit=source is None, belief=cue_class == "belief")
        if kind == "impersonal":
            earlier = any(t.lower_ in self.words.EARLIER for t in sent if abs(t.idx - start) < 20)
            first, last = self.tokens_between(end, sent.end_char)
            content_start = end
            if first < last and doc[first].text in {",", ":"}:
                first += 1
            if first < last and doc[first].lower_ in self.words.THAT_WORDS:
                content_start = doc[first].idx + len(doc[first].text)
            elif self.text[start:end].lower().split(" ", 1)[0] in self.words.AS_WORDS:  # ", как утверждается, ...": the rest, minus the phrase
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
        relay = next((t for t in sent if t.i > 0 and t.lemma_ in self.words.RELAY_VERBS and self._relay(t, sent)), None)
        stop = self._punct_before(relay) if relay is not None else None
        return self.add(speaker=None, cue=(start, end), cue_class=cue_class, content=(end, stop or sent.end_char), kind="indirect", implicit=True)

    # -- reporting verbs --

    def verb_claim(self, sent, verb: Token, previous, verbs, matches) -> Optional[Found]:
        doc = self.doc
        words = self.words
        statement = _statement_noun(verb, words)
        cue = self.cues[words.STATEMENT_CUE if statement is not None else verb.lemma_]
        # "выступить с заявлением" / "С таким заявлением ... выступили": the noun carries the report, on either side
        cue_start = min(verb.idx, statement.idx) if statement is not None else verb.idx
        cue_end = max(verb.idx + len(verb.text), statement.idx + len(statement.text)) if statement is not None else verb.idx + len(verb.text)
        speaker_token = next((c for c in verb.children if c.dep_ in words.SUBJECT_DEPS), None)
        conv = verb.morph.get("VerbForm") == ["Conv"]
        if speaker_token is None and conv:
            speaker_token = next((c for c in verb.head.children if c.dep_ in words.SUBJECT_DEPS), None)
        if words.BORROWED_PARSE and not self._plausible_subject(speaker_token, verb):  # the borrowed parse's guess fails: word order
            speaker_token = self._linear_subject(sent, verb, statement)
        if speaker_token is not None and verb.morph.get("Number") == ["Plur"] and speaker_token.morph.get("Number") == ["Sing"] \
                and not any(c.dep_ == "conj" for c in speaker_token.children):
            speaker_token = None  # no agreement: the parser's subject is the object ("В МИД вручение ноты назвали ...")
        if cue.lemma in words.ANSWER_VERBS and not any(t.lower_ in words.THAT_WORDS | {":"} or t.text in QUOTE_OPEN for t in doc[verb.i + 1: verb.i + 4]) \
                and not self._quote_before(verb):
            return None  # "отвечая на вопросы": answering, not reporting; "«Нет», — ответил он": the quoted answer is his
        if verb.morph.get("Person") == ["1"] and verb.morph.get("Mood") == ["Imp"] or verb.lower_ in words.OUTLET_VOICE_VERBS:
            return None  # "Напомним, ...": the outlet's own voice
        speaker = self._linear_phrase(speaker_token) if speaker_token is not None and words.BORROWED_PARSE else \
            subject_phrase(speaker_token) if speaker_token is not None else None
        if speaker is not None and speaker_token.pos_ == "PRON" and speaker_token.lower_ not in words.PERSON_PRONOUNS | words.GROUP_PRONOUNS:
            speaker = None  # "что", "это": not a source
        if speaker is None and verb.morph.get("Number") == ["Plur"]:
            place = next((c for c in verb.children if c.dep_ == "obl" and any(g.lower_ in words.IN_PREPOSITIONS and g.dep_ == "case" for g in c.children)), None)
            if place is not None:  # "В украинском МИД назвали ...": the body named with "в" is the source
                speaker = noun_phrase(doc, place.left_edge.i, place.right_edge.i + 1)
        implicit = speaker is None
        if speaker is not None and cue_start <= speaker.start_char < cue_end:  # "Заяву Пєсков зробив": the speaker splits them
            cue_start, cue_end = verb.idx, verb.idx + len(verb.text)
        punct = self._punct_before(verb)
        about_this = self._about_this_before(verb) if words.BORROWED_PARSE else \
            any(c.lower_ in words.ABOUT_THIS and any(g.lower_ in words.ABOUT_PREPOSITIONS for g in c.children) for c in verb.children)
        # "С таким заявлением выступили ...": the statement noun points back like "Об этом"
        statement_before = statement is not None and any(c.lemma_ in words.DEMONSTRATIVES for c in statement.children)
        if words.BORROWED_PARSE:  # "Відповідну заяву Лукашенко зробив": the word before the noun
            statement_before = statement is not None and statement.i > sent.start and doc[statement.i - 1].lemma_ in words.DEMONSTRATIVES
        if statement_before and previous is None:
            return None  # "Такое заявление сделал X" opening the text: the statement it points back to is not there
        if (about_this or statement_before) and previous is not None:
            # "<statement>. Об этом заявил X.": the statement is the sentence before, or the content of its claim
            earlier = [f for f in self.found if previous.start_char <= f.content[0] < previous.end_char and f.kind != "nested" and f.speech]
            if statement_before and earlier:
                return None  # the statement is attributed already; this sentence only dates it
            if verb.lemma_ in words.RELAY_VERBS and verb.morph.get("Tense") == ["Pres"]:
                # "Об этом пишет <outlet> со ссылкой на X": the outlet's source line; X relays the claims before
                relayed = [self._phrase_subject(sent, e) for s_, e, k, _c in matches if k == "relay"]
                if not relayed and speaker is not None and (any(t.lemma_ in words.MEDIA_WORDS or t.ent_type_ == "ORG" for t in speaker)
                                                            or LATIN_NAME.fullmatch(speaker.text)):
                    relayed = [speaker]  # "Об этом сообщает РИА Новости": the outlet relays the claims before
                for claim in earlier:
                    claim.via += [r for r in relayed if r is not None]
                source = next(((s_, e, self._phrase_subject(sent, e)) for s_, e, k, _c in matches if k == "relay"), None)
                if not earlier and source is not None and source[2] is not None:
                    # "<uncued statement>. Об этом сообщает <outlet> со ссылкой на X": the statement is X's
                    item = self.add(speaker=source[2], cue=source[:2], cue_class="neutral", content=(previous.start_char, previous.end_char),
                                    kind="indirect")
                    item.extra_sentences.append(self.document.sentence_index(previous.start_char))
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
        begin = max(verb.i, statement.i if statement is not None else verb.i) + 1
        if speaker is not None and speaker.start > verb.i:
            begin = max(begin, speaker.end)
        end_token = self._content_end(sent, verb, verbs, matches)
        start_char = None
        for k in range(begin, end_token):
            token = doc[k]
            if token.lower_ in words.THAT_WORDS and (token.dep_ == "mark" or k == begin or doc[k - 1].text == ","):
                start_char = token.idx + len(token.text)
                break
            if token.text == ":" and k <= begin + 3:
                start_char = token.idx + 1
                break
            if token.lower_ in words.ABOUT_PREPOSITIONS and k <= begin + 3:
                nxt = doc[k + 1] if k + 1 < end_token else None
                if nxt is not None and nxt.lower_ in words.ABOUT_THAT:
                    continue
                start_char = token.idx + len(token.text)
                break
            if token.lower_ in words.ABOUT_THAT and k + 2 < end_token and doc[k + 2].lower_ in words.THAT_WORDS:
                start_char = doc[k + 2].idx + len(doc[k + 2].text)
                break
            if token.pos_ in {"NOUN", "PROPN", "ADJ", "VERB", "PRON", "NUM"} or token.text in QUOTE_OPEN:
                if token.dep_ in {"obl", "iobj"} and not any(g.lower_ in words.ABOUT_PREPOSITIONS for g in token.children):
                    continue  # "сказал журналисту ...", "в интервью": not the content
                if token.lower_ in words.WORDS_AFTER_CUE:
                    continue
                break
        if start_char is None:
            k = begin
            while k < end_token and (doc[k].dep_ in {"advmod", "punct", "obl", "iobj"} and doc[k].text not in QUOTE_OPEN
                                     and not any(g.lower_ in words.ABOUT_PREPOSITIONS for g in doc[k].children)):
                k = doc[k].right_edge.i + 1 if doc[k].dep_ in {"obl", "iobj"} else k + 1
            start_char = doc[k].idx if k < end_token else None
        if start_char is None:
            return None
        first_word = self.text[start_char:].split(None, 1)[:1]
        if first_word and first_word[0].lower() in words.TOPIC_PREPOSITIONS:
            return None  # "зробив заяву щодо переговорів": what the speech was about, not what it said
        end_char = doc[end_token - 1].idx + len(doc[end_token - 1].text) if end_token > begin else sent.end_char
        if speaker is not None and speaker.start > verb.i and speaker.end >= end_token:
            return None
        kind = "direct" if self.text[start_char:end_char].lstrip(" :").startswith(tuple(QUOTE_OPEN)) else "indirect"
        return self.add(speaker=speaker, cue=(cue_start, cue_end), cue_class=cue.cue_class, content=(start_char, end_char), kind=kind,
                        implicit=implicit, belief=cue.cue_class == "belief")

    # -- subjects where the parse is borrowed from another language (its heads are unreliable) --

    def _linear_subject(self, sent: SpacySpan, verb: Token, statement: Optional[Token] = None) -> Optional[Token]:
        """The subject by word order: the nominal right before the verb (and its statement noun) in their clause
        ("Повітряні сили ЗСУ в Telegram додали"), else the one right after them ("..., повідомив Генштаб", "З такою заявою
        виступив Зеленський")."""
        doc = self.doc
        last = max(verb.i, statement.i) if statement is not None else verb.i
        k = verb.i - 1
        while k >= sent.start and not (doc[k].is_punct or doc[k].pos_ in {"VERB", "SCONJ"} and doc[k].lower_ not in self.particles
                                       or doc[k].lower_ in self.words.THAT_WORDS):
            k -= 1
        head = self._nominal(k + 1, verb.i)
        if head is not None and statement is not None and head.i == statement.i:
            head = None  # the statement noun itself ("Заяву зробив Пєсков")
        if head is None and self._subject_may_follow(verb):
            stop = next((t.i for t in doc[last + 1: sent.end] if t.is_punct), sent.end)
            head = self._nominal(last + 1, stop, after=True)
        return head

    def _plausible_subject(self, token: Optional[Token], verb: Token) -> bool:
        """Whether a borrowed parse's subject can be one: a noun, name or personal pronoun, nominative where the case is
        known, in the verb's clause (no punctuation between them)."""
        if token is None:
            return False
        words = self.words
        if not (token.pos_ in {"NOUN", "PROPN"} or token.lower_ in words.PERSON_PRONOUNS | words.GROUP_PRONOUNS):
            return False
        if words.CASE_FROM_DICTIONARY and token.morph.get("Case") and token.morph.get("Case") != ["Nom"]:
            return False
        if token.i > verb.i and not self._subject_may_follow(verb):
            return False
        between = self.doc[min(token.i, verb.i) + 1: max(token.i, verb.i)]
        return not any(t.is_punct for t in between)

    def _subject_may_follow(self, verb: Token) -> bool:
        """Whether a nominal after the verb can be its subject: where cases are known (a nominative), after the content
        ("..., повідомив Генштаб") or after "Про це" ("Про це заявив президент"); else it is the verb's object."""
        return self.words.CASE_FROM_DICTIONARY or self._punct_before(verb) is not None or self._about_this_before(verb)

    def _about_this_before(self, verb: Token) -> bool:
        """"Про це повідомив X" by word order: "about this" before the verb in its sentence."""
        doc, words = self.doc, self.words
        return any(t.lower_ in words.ABOUT_THIS and doc[t.i - 1].lower_ in words.ABOUT_PREPOSITIONS for t in doc[verb.sent.start + 1: verb.i])

    def _nominal(self, start: int, end: int, after: bool = False) -> Optional[Token]:
        """The first noun, name or personal pronoun of tokens [start, end) after leading adverbs and prepositions: before
        the verb, the nominative one, or the body "в" names ("У МЗС заявили"); after it, the nominative one right there
        ("заявив про перехоплення" has none)."""
        doc = self.doc
        words = self.words
        skipped = words.ABOUT_THIS | words.IN_PREPOSITIONS if after else words.ABOUT_PREPOSITIONS | words.ABOUT_THIS | words.IN_PREPOSITIONS
        located = False
        while start < end and (doc[start].pos_ in {"ADV", "CCONJ", "PART", "X"} | (set() if after else {"ADP"})
                               and doc[start].lower_ not in words.PERSON_PRONOUNS and not _foreign_name(doc[start])
                               or doc[start].lower_ in skipped or doc[start].is_space):
            located = located or doc[start].lower_ in words.IN_PREPOSITIONS
            start += 1
        adjective = None
        for token in doc[start:end]:
            if token.lower_ in words.RELATIVE_PRONOUNS or after and token.pos_ == "ADP":
                return None
            if words.CASE_FROM_DICTIONARY and not located and token.pos_ in {"NOUN", "PROPN", "ADJ"} and token.morph.get("Case") \
                    and token.morph.get("Case") != ["Nom"]:
                if after:
                    return None
                continue  # "Відповідну заяву Лукашенко зробив": an object before the subject
            if token.pos_ in {"NOUN", "PROPN"} or _foreign_name(token) or token.lower_ in self.words.PERSON_PRONOUNS | self.words.GROUP_PRONOUNS:
                return token
            if token.pos_ not in {"ADJ", "DET", "NUM"}:
                return None
            adjective = token if token.pos_ == "ADJ" else adjective
        return adjective if end > start and adjective is not None and adjective.i == end - 1 else None  # "Українські військові"

    def _linear_phrase(self, token: Token) -> SpacySpan:
        """A subject found by word order: its adjectives before it and the nominals after it, up to a preposition,
        punctuation or a verb."""
        doc = self.doc
        start = token.i
        case = token.morph.get("Case") if self.words.CASE_FROM_DICTIONARY else []
        while start > token.sent.start and doc[start - 1].pos_ in {"ADJ", "DET", "NUM"} \
                and (not case or not doc[start - 1].morph.get("Case") or doc[start - 1].morph.get("Case") == case):
            start -= 1
        end = token.i + 1
        while end < token.sent.end and doc[end].pos_ not in PHRASE_STOPS and not doc[end].is_punct and not doc[end].is_space:
            end += 1
        return doc[start:end]

    def _content_end(self, sent: SpacySpan, verb: Token, verbs, matches) -> int:
        """Token index where a pre-posed cue's content ends: the sentence end, before a trailing relay
        (", сообщает ...") or before the next coordinated reporting verb (", но отметил, что", ", отметив, что")."""
        end = sent.end
        for other in verbs:
            coordinated = other.dep_ in {"conj", "parataxis"} and other.head.i <= verb.i
            participle = other.morph.get("VerbForm") == ["Conv"] and (other.head == verb or other.head.i < verb.i)
            if other.i > verb.i and (coordinated or participle):
                k = other.i - 1
                while k > verb.i and (self.doc[k].text in {","} | self.words.COORDINATORS or self.doc[k].is_space):
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
        for relay in [t for t in sent if t.i > verb.i and t.lemma_ in self.words.RELAY_VERBS and self._relay(t, sent)]:
            k = relay.i - 1
            while k > verb.i and (self.doc[k].text in {","} | DASHES or self.doc[k].is_space):
                k -= 1
            end = min(end, k + 1)
        while end > verb.i + 1 and (self.doc[end - 1].is_punct and self.doc[end - 1].text not in QUOTE_CLOSE | {")"} or self.doc[end - 1].is_space):
            end -= 1
        return end


@component("attribution_ud", requires=["doc", "sentences", "entities"], assigns=["claims", "other_attributions", "pattern_claims"])
def attribution_ud(document: Document, settings: dict) -> None:
    """Claims with speaker, cue and content by the patterns over a UD parse (speakers are linked by lemma_speakers)."""
    record_claims(document, ClauseFinder(document).run())  # every claim here comes from a rule pattern
