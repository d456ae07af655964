"""The speaker chain for inflected languages (Russian today): a claim's speaker is linked to the registry by comparing
lemmas (Пескова, Пескову and Песков are one actor), pronouns and descriptions ("Политик", "она", "В ведомстве") to the
running chain of speakers, and a name the registry does not know to its base form, as the language's parser gives it.
The words come from the language's resources (claimscope.languages.<code>.resources)."""
from __future__ import annotations

import functools
from typing import Optional

from spacy.tokens import Span as SpacySpan

from ..document import Document
from ..languages import resources
from ..nlp.parsers import load_pipeline
from ..pipeline import component
from ..records import Actor
from ..resources.lexicons import fold_letters, language_actor_words
from ..resources.registry import Registry, cached_registry, other_languages_names
from .attribution import headline_tokens
from .noun_phrases import subject_phrase


class LemmaNames:
    """The registry's names in one language keyed by their lemmas, so that any case of a name finds its actor."""

    def __init__(self, registry: Registry, language: str):
        self.registry = registry
        self.words = resources(language)
        self.parser = load_pipeline(self.words.PARSER)
        self.by_key: dict[tuple[str, ...], list[Actor]] = {}
        self.surnames: dict[str, list[Actor]] = {}
        foreign = other_languages_names(language)
        for actor in registry.actors.values():
            for alias in actor.aliases:
                if not self.words.NAME_SCRIPT.search(alias) or alias in foreign:
                    continue
                key = self.key(list(self.parser(alias)))
                if key:
                    self.by_key.setdefault(key, []).append(actor)
                if actor.kind == "person" and all(w[:1].isupper() for w in alias.split()) and key:
                    self.surnames.setdefault(key[-1], []).append(actor)

    def key(self, tokens) -> tuple[str, ...]:
        return tuple(fold_letters(t.lemma_.lower(), self.words.LETTER_FOLDS) for t in tokens if not t.is_punct and not t.is_space and t.pos_ != "ADP"
                     and t.lower_ not in self.words.NAME_SKIP_WORDS)

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
                candidates = Registry._current(self.by_key.get(key[first:first + size], []), when)
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
                own = self.key([token])
                people = {a.id: a for a in Registry._current(self.surnames.get(own[0] if own else "", []), when)}
                if len(people) == 1:
                    return next(iter(people.values()))
        return best


def _gender(tokens) -> Optional[str]:
    """The grammatical gender the parse gives these words (UD "Gender"), when it gives one."""
    return next((t.morph.get("Gender")[0] for t in tokens if t.morph.get("Gender")), None)


@functools.lru_cache(maxsize=4)
def lemma_names(language: str, registries: tuple[str, ...]) -> LemmaNames:
    return LemmaNames(cached_registry(registries), language)


Link = tuple[Optional[str], Optional[Actor], str, str]  # (name, actor, kind: person | organisation, status)


class Chain:
    """The speakers an article has named so far, which pronouns and descriptions refer back to."""

    def __init__(self, document: Document, names: LemmaNames):
        self.document = document
        self.names = names
        self.words = names.words
        self.descriptions = self.words.PERSON_DESCRIPTIONS | self.words.BODY_DESCRIPTIONS
        self.when = document.article.published or document.analysis.published_inferred
        self.body: list[tuple[str, Optional[Actor], str]] = []  # (name, actor, kind)
        self.headline: list[tuple[str, Optional[Actor], str]] = []  # the headline's sources: pronouns fall back on them
        self.sentences = list(document.doc.sents)
        self.headline_range = headline_tokens(document)
        self.genders: dict[str, str] = {}  # a person's grammatical gender, from the words that named them
        self.described: dict[str, tuple[str, Optional[Actor], str]] = {}  # a description's head -> whom it named last ("диктатор")

    def remember(self, name: str, actor: Optional[Actor], span: SpacySpan) -> None:
        """What the words that named a person say of them: their grammatical gender, and the descriptions that now
        refer to them ("білоруський диктатор Олександр Лукашенко", then "Диктатор")."""
        gender = _gender([t for t in span if t.ent_type_ == "PERSON"] or [span.root])
        if gender:
            self.genders.setdefault(name, gender)
        for token in span:
            if token.lemma_.lower() in self.words.PERSON_DESCRIPTIONS:
                self.described[token.lemma_.lower()] = (name, actor, "person")

    def agrees(self, name: str, gender: Optional[str]) -> bool:
        return gender is None or self.genders.get(name) in {None, gender}

    def last(self, kind: str, chain=None, gender: Optional[str] = None) -> Optional[tuple[str, Optional[Actor], str]]:
        return next((c for c in reversed(self.body if chain is None else chain) if c[2] == kind and self.agrees(c[0], gender)), None)

    def resolve(self, span: Optional[SpacySpan]) -> Link:
        if span is None:
            return None, None, "", "none"
        words, doc, names, when = [t for t in span if not t.is_punct], self.document.doc, self.names, self.when
        if len(words) == 1 and words[0].lower_ in self.words.PERSON_PRONOUNS:
            gender = _gender(words)
            before = self.previous_subject(span, gender)
            if before is not None:
                return before
            person = self.last("person", self.body or self.headline, gender)
            if person is None:  # "За його відомостями" after the General Staff spoke: a masculine or neuter body is "he/it" too
                person = self.last("organisation", self.body or self.headline)
            return (person[0], person[1], person[2], "resolved") if person else (None, None, "", "unresolved")
        if len(words) == 1 and words[0].lower_ in self.words.GROUP_PRONOUNS:
            body = self.last("organisation") or (self.body[-1] if self.body else None)
            return (body[0], body[1], body[2], "resolved") if body else (None, None, "", "unresolved")
        people = [t for t in span if t.ent_type_ == "PERSON"]
        if people and len(people) < len(words):  # "Посол России в Польше Сергей Андреев": the person the phrase names, not "России"
            person = doc[min(t.i for t in people) : max(t.i for t in people) + 1]
            actor = names.match([t for t in person if not t.is_punct], when)
            if actor is not None and actor.kind == "person":
                return actor.name, actor, "person", "resolved"
        actor = names.match(words, when)
        whole = self.words.BORROWED_PARSE and actor is not None and actor in names.by_key.get(names.key(words), [])
        if actor is not None and not (people and actor.kind != "person" and not whole):  # (a borrowed tagger's person label on
            # a body's whole registered name yields to the registry)
            return actor.name, actor, "person" if actor.kind == "person" else "organisation", "resolved"
        head = span.root.lemma_.lower()
        named = any(t.pos_ == "PROPN" and t.lemma_.lower() not in self.descriptions for t in span)  # "Прэзідэнт" opening a sentence is no name
        if head in self.words.PERSON_DESCRIPTIONS and not named and self.last("person"):
            person = self.of_country(span) or self.described.get(head) or self.last("person")
            return person[0], person[1], "person", "resolved"
        if head in self.words.BODY_DESCRIPTIONS and not named and self.last("organisation"):
            body = self.last("organisation")
            return body[0], body[1], "organisation", "resolved"
        if people:
            name = names.parser.base_form(doc[min(t.i for t in people) : max(t.i for t in people) + 1])
            surname = name.split()[-1]
            earlier = next((c for c in reversed(self.body) if c[2] == "person" and c[0].split()[-1] == surname), None)
            return (earlier[0], earlier[1], "person", "resolved") if earlier else (name, None, "person", "resolved")
        if any(t.ent_type_ in {"ORG", "GPE"} or t.pos_ == "PROPN" for t in span):
            return names.parser.base_form(span), None, "organisation", "resolved"
        return names.parser.base_form(span), None, "organisation", "unnamed"

    def of_country(self, span: SpacySpan) -> Optional[tuple[str, Optional[Actor], str]]:
        """"Український лідер", "белорусский диктатор": the last person named whose registry code has the country the
        description's nationality word gives, when it gives one."""
        words = language_actor_words(self.document.language)
        countries = {words[t.lemma_.lower()][0] for t in span if t.lemma_.lower() in words} - {None}
        return next((c for c in reversed(self.body) if c[2] == "person" and c[1] is not None and c[1].code
                     and c[1].code[:3] in countries), None) if len(countries) == 1 else None

    def previous_subject(self, span: SpacySpan, gender: Optional[str] = None) -> Optional[Link]:
        """he/she: the person who is the subject of the sentence before, else the last person named there whose gender
        agrees ("Журналисты спросили Пескова ... «...», — ответил он": the one asked answers)."""
        sentences = self.sentences
        number = next((k for k, sent in enumerate(sentences) if sent.start <= span.start < sent.end), 0)
        if number == 0 or (self.headline_range is not None and self.headline_range[0] <= sentences[number - 1].start < self.headline_range[1]):
            return None
        previous = sentences[number - 1]
        subject = None if self.words.BORROWED_PARSE else \
            next((c for c in previous.root.children if c.dep_ in self.words.SUBJECT_DEPS and c.pos_ != "PRON"), None)
        candidates = [subject_phrase(subject)] if subject is not None else []
        candidates += [entity for entity in previous.ents if entity.label_ == "PERSON"]  # the first named is the most salient
        for phrase in candidates:
            name, actor, kind, status = self.resolve(phrase)
            if kind == "person" and status == "resolved" and self.agrees(name, gender):
                return name, actor, kind, status
        return None


@component("lemma_speakers", requires=["doc", "claims", "other_attributions"],
           assigns=["registry", "claims.speaker_resolved", "claims.actor", "other_attributions.speaker_resolved"], settings={"registries": []})
def lemma_speakers(document: Document, settings: dict) -> None:
    """Link each claim's speaker to the registry (names compared on lemmas), pronouns and descriptions to the running chain
    of speakers, unknown names to their base form."""
    names = lemma_names(document.language, tuple(settings["registries"]))
    document.registry = names.registry
    doc = document.doc
    chain = Chain(document, names)
    headline_claims = []
    claims = sorted(document.analysis.claims, key=lambda c: (c.cue.start if c.cue else c.content.start))
    for claim in claims:
        span = doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand") if claim.speaker else None
        if claim.speaker_status == "unnamed":  # set by the finder ("ранее сообщалось": earlier media reports)
            pass
        elif span is not None:
            name, actor, kind, status = chain.resolve(span)
            claim.speaker_resolved, claim.actor, claim.speaker_status = name, actor, status
            if name and status == "resolved":
                (chain.headline if claim.headline else chain.body).append((name, actor, kind))
                if kind == "person":
                    chain.remember(name, actor, span)  # "Он сказал": whoever "он" is, is masculine
        elif claim.speaker_status == "implicit" and chain.body:
            claim.speaker_resolved, claim.actor = chain.body[-1][0], chain.body[-1][1]
        if claim.headline and not claim.speaker_resolved:
            headline_claims.append(claim)
        claim.via = []
        for relay in claim.via_spans:
            relay_span = doc.char_span(relay.start, relay.end, alignment_mode="expand")
            name = chain.resolve(relay_span)[0] if relay_span is not None else None
            claim.via.append(name or relay.text)
    for claim in headline_claims:  # an unresolved headline source is the article's first resolved speaker
        lead = next((c for c in claims if c.speaker_resolved and not c.headline), None)
        if lead is not None and claim.speaker_status in {"implicit", "none"}:
            claim.speaker_resolved, claim.actor, claim.speaker_status = lead.speaker_resolved, lead.actor, "implicit"
    for claim in document.analysis.other_attributions:
        span = doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand") if claim.speaker else None
        if span is not None:
            claim.speaker_resolved, claim.actor, _kind, claim.speaker_status = chain.resolve(span)
