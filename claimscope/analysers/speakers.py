"""Speaker linking: every claim's source words resolved to one entity of the article, named
canonically (the registry's name when the registry knows it), or marked unresolved.

Mentions are collected over the whole article: people (full names merged by surname: "Grossi"
is "Rafael Grossi"), organisations and places, and noun phrases the registry knows ("Russia's
Defence Ministry", "the U.N. nuclear watchdog"). Claims are then linked in reading order with a
running attribution chain, as a reader does:

* a name, or a phrase the registry knows, is that entity;
* he/she is the speaker of the running chain when that is a person, else the nearest person
  named before; it/they is the running speaker when that is an organisation, else the subject
  of the sentence before;
* a description ("the ministry", "the military", "the diplomat", "the head of state", "the
  agency's head", "the statement") is the latest entity that fits it (a ministry, a military
  body, a person in that role, the person who heads that body, the issuer of the statement);
  a headline description ("... - envoy") looks ahead into the article instead;
* a claim without words for its source ("It is emphasized that ...", "..., adding that") takes
  the running speaker.

What fits nothing stays unresolved: ``speaker_resolved`` is null and ``speaker_status`` says
so, never a bare "he" or "the official" presented as a name.
"""
from __future__ import annotations

import functools

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span as SpacySpan

from ..document import Document
from ..resources.lexicons import weapon_words
from ..pipeline import component
from ..records import Actor, Claim
from ..resources.registry import Registry, cached_registry, normalise
from .attribution import dateline_tokens

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}
# Words beside a person's name that say whether "he" or "she" can refer to them: titles and gendered role nouns.
FEMALE_WORDS = {"ms", "mrs", "miss", "madam", "madame", "lady", "dame", "spokeswoman", "chairwoman", "congresswoman", "businesswoman",
                "ombudswoman", "mother", "wife", "daughter", "sister", "queen", "princess"}
MALE_WORDS = {"mr", "sir", "lord", "spokesman", "congressman", "businessman", "father", "husband", "son", "brother", "king", "prince"}
PRONOUN_GENDER = {"she": "female", "her": "female", "hers": "female", "he": "male", "him": "male", "his": "male"}
PERSON_ROLES = {"diplomat", "envoy", "ambassador", "minister", "official", "spokesman", "spokeswoman", "spokesperson", "president",
                "leader", "head", "chief", "commander", "governor", "mayor", "ombudsman", "ombudswoman", "dictator", "general",
                "lawmaker", "politician", "premier", "chancellor", "secretary", "adviser", "advisor", "aide", "analyst", "expert",
                "strongman", "autocrat", "despot", "tyrant", "ruler", "king", "director", "representative", "deputy", "officer",
                "prosecutor", "judge", "senator", "ombudsperson", "negotiator", "envoy", "colonel", "lieutenant", "sergeant", "milblogger",
                "blogger", "journalist", "correspondent", "witness", "resident", "source"}
GENERIC_HEADLINE_SOURCES = {"media", "medium", "report", "source"}  # head lemmas of a headline's vague source ("media reports")
ORGANISATION_ROLES = {
    "ministry": {"ministry"}, "military": {"military", "army", "forces", "ministry", "staff", "command", "corps"},
    "army": {"army", "military", "forces"}, "forces": {"forces", "army", "military", "corps"}, "agency": {"agency", "watchdog", "service"},
    "watchdog": {"watchdog", "agency"}, "service": {"service"}, "office": {"office"}, "government": {"government", "authorities", "kremlin"},
    "authorities": {"authorities", "government"}, "kremlin": {"kremlin"}, "command": {"command", "staff", "forces"}, "staff": {"staff"},
    "corps": {"corps"}, "institute": {"institute"}, "tank": {"institute"}, "committee": {"committee"}, "council": {"council"},
    "department": {"department"}, "alliance": {"alliance", "nato"}, "side": {"authorities", "government"},
    "mission": {"mission"}, "delegation": {"delegation"}, "embassy": {"embassy"}, "force": {"force"}, "navy": {"navy", "fleet"},
    "fleet": {"fleet", "navy"}, "guard": {"guard"}, "police": {"police"},
}
# Roles that speak for a government: a group of them with a nationality is that country's government ("Ukrainian officials").
OFFICIAL_ROLES = {"official", "diplomat", "minister", "envoy", "ambassador", "representative", "spokesman", "spokeswoman", "spokesperson",
                  "negotiator", "deputy", "secretary"}
ROLE_TITLE_WORDS = {"prime", "foreign", "defence", "defense", "deputy", "vice", "first", "interior", "finance", "press", "chief", "general"}
SPATIAL_PREPOSITIONS = {"over", "in", "near", "at", "across", "into", "around", "along", "outside", "inside", "from", "towards", "toward"}
PLACE_NOUNS = {"region", "oblast", "city", "town", "village", "district", "area", "province", "territory", "border", "frontier", "coast", "peninsula"}
UTTERANCE_NOUNS = {"statement", "communique", "release", "announcement", "post", "message", "bulletin", "update", "readout", "telegram", "comment", "comments", "remarks", "interview"}
TEXT_NOUNS = {"document", "doctrine", "decree", "law", "report", "strategy", "resolution", "treaty", "memorandum", "agreement", "plan", "order", "charter", "constitution"}
MILITARY_CODES = ("MIL",)
# Role words that may describe the same office: a running speaker is only taken for a role word it can hold.
ROLE_FAMILIES = [
    {"diplomat", "envoy", "ambassador", "minister", "negotiator", "representative"},
    {"president", "leader", "head", "ruler", "dictator", "strongman", "autocrat", "despot", "tyrant", "king", "premier", "chancellor", "state"},
    {"spokesman", "spokeswoman", "spokesperson", "secretary", "representative", "aide", "adviser", "advisor", "official"},
    {"general", "commander", "chief", "colonel", "lieutenant", "sergeant", "officer", "head"},
    {"governor", "mayor"},
    {"ombudsman", "ombudswoman", "ombudsperson", "commissioner", "official"},
    {"minister", "secretary", "official", "head", "chief", "deputy"},
    {"prosecutor", "judge", "official"},
]


@dataclass
class Mention:
    start: int  # character offset
    end: int
    name: str  # canonical name
    kind: str  # person | organisation | place
    words: str  # the text as written
    actor: Optional[Actor] = None
    subject: bool = False  # the subject of its clause


def _strip(text: str) -> str:
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip(" ,.;:")


def _gender(person: SpacySpan) -> Optional[str]:
    """"female" or "male" where the words beside a person's name say so ("Ms Zakharova", "spokeswoman Maria
    Zakharova", "Dmitry Peskov, the Kremlin spokesman"), else None."""
    root = person.root
    beside = [t for t in root.children if t.dep_ in {"compound", "appos", "amod"} and not person.start <= t.i < person.end]
    beside += [t for a in beside if a.dep_ == "appos" for t in a.children if t.dep_ in {"compound", "amod"}]
    if root.dep_ == "appos":  # "the Kremlin spokesman, Dmitry Peskov" (not "Clinton spokesman Nick Merrill")
        beside.append(root.head)
    if person.start > 0:
        beside.append(person.doc[person.start - 1])
    for token in beside:
        word = token.lower_.rstrip(".")
        if word in FEMALE_WORDS or word in MALE_WORDS:
            return "female" if word in FEMALE_WORDS else "male"
    return None


def _described(span: SpacySpan, left_out: frozenset[str] | set[str] = frozenset({"det", "punct"})) -> str:
    """An unnamed speaker as the text describes it, up to its head noun ("senior European diplomat")."""
    return " ".join(t.text for t in span if t.dep_ not in left_out and not t.is_space and t.i <= span.root.i)


def _head_noun(span: SpacySpan) -> str:
    root = span.root
    return root.lemma_.lower() if root.pos_ in {"NOUN", "PROPN"} else root.lower_


class Linker:
    """Mentions of one article and the resolution of speaker spans against them."""

    def __init__(self, document: Document, registry: Registry):
        self.document = document
        self.doc = document.doc
        self.registry = registry
        self.when = document.article.published or document.analysis.published_inferred
        self.mentions: list[Mention] = []
        self.entities = list(self.doc.ents)  # Doc.ents and Span.ents rebuild every entity span on each call: read them once
        self.entity_starts = [e.start for e in self.entities]
        self.sentences = list(self.doc.sents)
        # The last speaker, when the text described it without a name ("a senior defense official"): "the official" and
        # "he" refer back to it until a named speaker follows (set by link_claims, in reading order).
        self.recent_unnamed: Optional[tuple[str, Optional[Actor], str]] = None
        self._collect()

    def _ents(self, span: SpacySpan) -> list[SpacySpan]:
        """The entities inside ``span`` (what ``span.ents`` gives)."""
        first = bisect.bisect_left(self.entity_starts, span.start)
        last = bisect.bisect_left(self.entity_starts, span.end, first)
        return [e for e in self.entities[first:last] if e.end <= span.end]

    # ---- mentions ----

    def _actor(self, text: str) -> Optional[Actor]:
        return self.registry.match(text, self.when)

    def _collect(self) -> None:
        known_chunks = []
        self.chunks = list(self.doc.noun_chunks)  # Span.noun_chunks walks the whole Doc on each call
        for chunk in self.chunks:
            if chunk.root.pos_ != "PRON" and len(chunk) <= 8:
                actor = self._actor(chunk.text)
                if actor is not None and actor.kind != "person":
                    known_chunks.append(chunk)
                    self.mentions.append(Mention(chunk.start_char, chunk.end_char, actor.name, "organisation", chunk.text, actor, chunk.root.dep_ in {"nsubj", "nsubjpass"}))
        inside_known = lambda ent: any(c.start <= ent.start and ent.end <= c.end for c in known_chunks)  # noqa: E731
        weapons = {w.rstrip("s") for w in weapon_words()}
        people = [e for e in self.entities if e.label_ == "PERSON" and e.root.text.lower().rstrip("s") not in weapons]
        full_names: dict[str, str] = {}
        for name in sorted(dict.fromkeys(_strip(e.text) for e in people), key=len, reverse=True):  # ties: the first mentioned
            if name:
                full_names.setdefault(name.split()[-1].lower(), name)
        self.full_names = full_names
        genders: dict[str, set[str]] = {}
        for ent in people:
            words = _strip(ent.text)
            if not words:
                continue
            full = self._full_name(words)
            actor = self._actor(words) or self._actor(full)
            name = actor.name if actor is not None and actor.kind == "person" else full
            gender = _gender(ent)
            if gender is not None:
                genders.setdefault(name, set()).add(gender)
            self.mentions.append(Mention(ent.start_char, ent.end_char, name, "person", ent.text, actor, ent.root.dep_ in {"nsubj", "nsubjpass"}))
        # canonical name -> "female" | "male" where the text says so; a name the text genders both ways (two people of
        # one surname taken for one, "Mr Clinton" and "Mrs Clinton") is left open
        self.genders = {name: found.pop() for name, found in genders.items() if len(found) == 1}
        for ent in self.entities:
            if ent.label_ in {"ORG", "GPE", "NORP", "FAC"} and not inside_known(ent):
                words = _strip(ent.text)
                actor = self._actor(ent.text)
                kind = "organisation" if ent.label_ == "ORG" or actor is not None and actor.kind != "person" else "place"
                self.mentions.append(Mention(ent.start_char, ent.end_char, actor.name if actor else words, kind, ent.text, actor, ent.root.dep_ in {"nsubj", "nsubjpass"}))
        self.mentions.sort(key=lambda m: m.start)

    def _fuller(self, words: str, char: int, headline: bool, chain) -> tuple[str, Optional[Actor], str]:
        """An organisation by the longer name the article gives it ("the General Staff" after "the General Staff of
        the Armed Forces of Ukraine"): the running speaker's, or the nearest mention's before (for a headline, the
        first after), else these words."""
        short = normalise(words)

        def extends(name: str) -> bool:  # more words of a name, not one cut short by the parse ("... Service of") or an age ("Schiff, 56")
            rest = name[len(short) :].split()
            return name.startswith(short + " ") and all(w.isalpha() for w in rest) and rest[-1] not in {"of", "the", "and", "for", "in", "on", "to"}

        running = next((link for link in reversed(chain) if link[2] == "organisation" and extends(normalise(link[0]))), None)
        if running is not None:
            return running
        longer = [m for m, name, written in self._organisation_names if extends(name) or extends(written) and len(name) > len(short)]
        before = [m for m in longer if m.end <= char]
        chosen = before[-1] if before else next((m for m in longer if m.start >= char), None) if headline else None
        return (chosen.name, chosen.actor, "organisation") if chosen is not None else (words, None, "organisation")

    @functools.cached_property
    def _organisation_names(self) -> list[tuple[Mention, str, str]]:
        """The organisation mentions with their name and words normalised (registry.normalise), read once."""
        return [(m, normalise(m.name), normalise(m.words)) for m in self.mentions if m.kind == "organisation"]

    def _full_name(self, words: str) -> str:
        """The longest name the article gives a person that ends with these words ("Zakharova" -> "Maria Zakharova");
        another first name is another person ("Bill Clinton" is not "Hillary Clinton")."""
        full = self.full_names.get(words.split()[-1].lower(), words)
        return full if full.lower().endswith(words.lower()) else words

    def _before(self, char: int, kind: Optional[str] = None) -> list[Mention]:
        return [m for m in self.mentions if m.end <= char and (kind is None or m.kind == kind)]

    # ---- resolution ----

    @functools.cached_property
    def dateline_starts(self) -> set[int]:
        """Where the words of the article's datelines start (attribution.dateline_tokens)."""
        return {self.doc[i].idx for i in dateline_tokens(self.doc)}

    def resolve(self, span: SpacySpan, chain: list[tuple[str, Optional[Actor], str]], headline: bool = False) -> tuple[Optional[str], Optional[Actor], str]:
        """(canonical name, registry actor, kind) for a speaker span; name None when it cannot be resolved."""
        text = _strip(span.text)
        root = span.root
        lower = root.lower_
        if not text:
            return None, None, ""
        if root.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS and len(span) == 1:
            return self._pronoun(lower, span.start_char, chain)
        actor = self._actor(text) or self._actor(span.text)
        if actor is not None:
            return actor.name, actor, actor.kind
        persons = [e for e in self._ents(span) if e.label_ == "PERSON" and not (e.root.dep_ == "poss" and e.root.head.i == root.i and root.lemma_.lower() in PERSON_ROLES)]
        if persons:
            words = _strip(persons[0].text)
            full = self._full_name(words) if words else words
            actor = self._actor(full) or self._actor(words)
            if actor is not None and actor.kind == "person":
                return actor.name, actor, "person"
            return full, None, "person"
        if root.lemma_.lower() in {"source", "sources"} and not persons:  # "a TASS source", "sources close to the Kremlin": unnamed
            return _described(span), None, "unnamed"
        for ent in self._ents(span):  # "the state agency BelTA", "Russia's Tass news agency": the named body inside the phrase
            found = self._actor(ent.text)
            in_pp = any(a.dep_ == "prep" and span.start <= a.i < span.end for a in ent.root.ancestors)  # not "the ministry in Moscow"
            if found is not None and found.kind != "person" and not in_pp and ent.label_ in {"ORG", "PERSON", "GPE"} and (root.lemma_.lower() in {"agency", "newspaper", "outlet", "broadcaster", "channel", "service", "office", "group"} or root.i in range(ent.start, ent.end)):
                return found.name, found, found.kind
        if root.lemma_.lower() in PLACE_NOUNS and root.pos_ == "NOUN":  # "the Kyiv region" is a place, not the government "Kyiv" stands for
            place = next((e for e in self._ents(span) if e.label_ in {"GPE", "LOC"}), None)
            return (_strip(place.text) if place is not None else text), None, "place"
        for token in span:  # a one-word name the tagger missed ("the state agency BelTA"), not a place after it ("drones over Kyiv")
            in_pp = any(a.dep_ == "prep" and a.lower_ in SPATIAL_PREPOSITIONS and span.start <= a.i < span.end for a in token.ancestors) \
                and root.lemma_.lower() not in {"authority", "authorities", "official", "officials", "government", "leadership"}  # "authorities in Kyiv"
            found = self._actor(token.text) if token.pos_ == "PROPN" and len(token) > 2 and not in_pp else None
            if found is not None and found.kind != "person":
                return found.name, found, found.kind
        # names, not a title of role words written with capitals ("the President", "the Foreign Minister", "the Ministry")
        titled = all(t.dep_ == "det" or t.is_punct or t.lower_ in ROLE_TITLE_WORDS or t.lemma_.lower() in PERSON_ROLES
                     or t.lemma_.lower() in ORGANISATION_ROLES for t in span)
        proper = [t for t in span if t.pos_ == "PROPN" and t.dep_ != "poss" and not titled] \
            if not any(t.pos_ == "PROPN" and t.dep_ == "poss" for t in span) else []
        for ent in self._ents(span):
            if ent.label_ in {"ORG", "GPE", "NORP", "FAC"} and (ent.root.i == root.i or ent.root.head.i == root.i and root.pos_ == "PROPN"):
                found = self._actor(ent.text)
                return (found.name, found, found.kind) if found else self._fuller(_strip(ent.text), span.start_char, headline, chain)
        head = _head_noun(span)
        unnamed = any(t.lower_ in {"unnamed", "anonymous", "unidentified"} for t in span)  # ("sources" are unnamed above)
        if (span[0].lower_ in {"a", "an", "one", "another", "some"} or unnamed) and not persons:  # an unnamed source the text describes
            described = _described(span)
            return described, None, "unnamed"
        if head in {"authorities", "officials", "government", "side"} and not any(t.pos_ in {"ADJ", "PROPN"} or t.dep_ == "poss" for t in span if t.i != root.i):
            found = self._country_body(span.start_char)
            if found:
                return found
        if head in UTTERANCE_NOUNS | TEXT_NOUNS:  # "the Tass report", "a Kremlin statement", "intelligence reports": the body behind the text
            for ent in self._ents(span):
                found = self._actor(ent.text)
                if found is not None and found.kind != "person":
                    return found.name, found, found.kind
            modifiers = {t.lower_ for t in span if t.dep_ in {"compound", "amod"} and t.i < root.i}
            if modifiers:
                body = next((m for m in reversed(self._before(span.start_char)) if m.kind == "organisation" and modifiers & set(normalise(m.words + " " + m.name).split())), None)
                if body is not None:
                    return body.name, body.actor, "organisation"
        owner = next((t for t in span if t.dep_ == "poss" and t.head.i == root.i), None)
        if head in PERSON_ROLES and owner is None:
            owner = next((t for t in span if t.dep_ in {"compound", "amod", "nmod"} and t.head.i == root.i and (t.ent_type_ in {"ORG", "GPE"} or self._actor(t.text) is not None)), None)
        if head in PERSON_ROLES and owner is not None:
            found = self._holder_of(owner, head, span.start_char, headline)
            if found:
                return found
        nationality = next((t for t in span if t.head.i == root.i and t.i < root.i and t.dep_ in {"amod", "compound", "nmod"}
                            and (t.ent_type_ in {"NORP", "GPE"} or t.lower_ in {"western", "european", "foreign"})), None)
        if head in PERSON_ROLES and not proper and root.tag_ in {"NNS", "NNPS"} and nationality is not None:
            # "Ukrainian officials": that country's government when the registry knows it, else the group as described
            # ("two British diplomats"), never the government of whichever country was named last
            found = self._actor(f"{nationality.text} authorities") if head in OFFICIAL_ROLES else None
            if found is not None:
                return found.name, found, found.kind
            return _described(span, {"det", "punct", "nummod"}), None, "unnamed"
        if head in PERSON_ROLES and not proper and root.tag_ in {"NNS", "NNPS"}:  # "officials said": a group, not the last person
            return self._country_body(span.start_char) or (None, None, "")
        if head in PERSON_ROLES and not proper:
            return self._role_person(span, head, chain, headline)
        if head in UTTERANCE_NOUNS | TEXT_NOUNS and owner is not None:  # "his plan", "Moscow's statement": whoever owns it
            return self.resolve(self.doc[owner.left_edge.i : owner.i + 1], chain, headline)
        bare = all(t.i == root.i or t.dep_ == "det" for t in span if not t.is_punct)  # "this document", "the law" refer back; "the foreign agents law" names its own
        if head in TEXT_NOUNS and not proper and bare:
            described = self._document(span)
            if described:
                return described, None, "document"
        if (head in UTTERANCE_NOUNS or head in TEXT_NOUNS and bare) and not proper:
            return self._issuer(span.start_char, chain)
        if head in ORGANISATION_ROLES and not proper:
            found = self._role_organisation(span, head, headline, chain)
            if found[0]:
                return found
        if proper and root.pos_ == "PROPN":
            fuller = self._fuller(text, span.start_char, headline, chain)
            if fuller[0] != text:
                return fuller
            return text, None, "organisation" if any(e.label_ == "ORG" for e in self._ents(span)) else "person" if len(proper) >= 2 else "organisation"
        if head in ORGANISATION_ROLES and any(t.head.i == root.i and t.i < root.i and (t.pos_ == "PROPN" or t.ent_type_ in {"ORG", "GPE", "NORP"}) for t in span):
            return text, None, "organisation"  # a body the registry does not know, named by the text: "the DPR mission to the JCCC"
        return None, None, ""

    def outlet_in(self, span: SpacySpan) -> Optional[str]:
        """The outlet an unnamed source belongs to ("a RIA source", "sources told Reuters"): it relays that source."""
        for token in span:
            if token.pos_ == "PROPN" or token.ent_type_ in {"ORG", "PERSON", "GPE"}:
                found = self._actor(token.text) or next((self._actor(e.text) for e in self._ents(span) if e.start <= token.i < e.end), None)
                if found is not None and found.kind == "media":
                    return found.name
        return None

    def _main_subject(self, char: int, kinds: set[str]) -> Optional[Mention]:
        """The subject of the main clause of the sentence, when it comes before ``char``: what a pronoun in that
        sentence's subordinate clause refers to ("The committee opened a case into what it called ...")."""
        sentence = next((s for s in self.sentences if s.start_char <= char < s.end_char), None)
        pronoun = self.doc.char_span(char, char + 1, alignment_mode="expand").start
        for mention in reversed(self._before(char)):
            if sentence is None or mention.start < sentence.start_char:
                return None
            if mention.kind in kinds and mention.subject:
                span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is not None and span.root.head.dep_ == "ROOT" and span.root.head.i < pronoun:
                    return mention
        return None

    def _pronoun(self, lower: str, char: int, chain) -> tuple[Optional[str], Optional[Actor], str]:
        if lower in PERSON_PRONOUNS:
            wanted = PRONOUN_GENDER[lower]
            fits = lambda name: self.genders.get(name, wanted) == wanted  # noqa: E731 - "she" is never a man the text calls "Mr"
            subject = self._main_subject(char, {"person"})
            if subject is not None and fits(subject.name):
                return subject.name, subject.actor, "person"
            if self.recent_unnamed is not None:
                return self.recent_unnamed
            if chain and chain[-1][2] == "person" and fits(chain[-1][0]):
                return chain[-1]
            people = [m for m in self._before(char, "person") if char - m.end < 1500 and fits(m.name)]
            if people:
                subjects = [m for m in people[-3:] if m.subject]
                chosen = subjects[-1] if subjects else people[-1]
                return chosen.name, chosen.actor, "person"
            return None, None, ""
        if lower in GROUP_PRONOUNS:
            subject = self._main_subject(char, {"organisation"})
            if subject is not None:
                return subject.name, subject.actor, "organisation"
            if chain and chain[-1][2] not in {"person", ""}:
                return chain[-1]
            organisations = [m for m in self._before(char) if m.kind == "organisation" and char - m.end < 1500]
            if organisations:
                subjects = [m for m in organisations[-3:] if m.subject]
                chosen = subjects[-1] if subjects else organisations[-1]
                return chosen.name, chosen.actor, "organisation"
        return None, None, ""

    def _role_person(self, span: SpacySpan, head: str, chain, headline: bool) -> tuple[Optional[str], Optional[Actor], str]:
        """'the diplomat', 'the head of state', 'envoy' (headline): the running person, or the person named in that role."""
        role_words = {t.lower_ for t in span if t.is_alpha} - {"the", "a", "of"}
        if headline:  # resolved later from the article's first speakers (link_claims)
            return None, None, ""
        if self.recent_unnamed is not None and self.recent_unnamed[0].split()[-1] == head:
            return self.recent_unnamed  # "A senior defense official said ... The official added ..."
        if chain and chain[-1][2] == "person" and _can_hold(chain[-1][1], head, role_words):
            return chain[-1]
        people = [m for m in self._before(span.start_char, "person") if span.start_char - m.end < 2000]
        fitting = [m for m in people if _can_hold(m.actor, head, role_words) and (m.actor is not None or self._described_as(m, head))]
        chosen = (fitting or [None])[-1]
        return (chosen.name, chosen.actor, "person") if chosen is not None else (None, None, "")

    def _described_as(self, mention: Mention, head: str) -> bool:
        """Whether the text calls this person by the role word ("Governor Serhiy Lysak", "Lysak, the regional governor")."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return False
        around = self.doc[max(0, span.start - 4) : min(len(self.doc), span.end + 6)]
        families = [f for f in ROLE_FAMILIES if head in f] or [{head}]
        return any(t.lemma_.lower() in family for t in around for family in families)

    def _holder_of(self, owner, role: str, char: int, headline: bool) -> Optional[tuple[str, Optional[Actor], str]]:
        """'the agency's head': the person the registry lists as heading (or speaking for) the owner, or the next person named."""
        owner_span = self.doc[owner.left_edge.i : owner.i + 1]
        name, actor, _kind = self.resolve(owner_span, [], headline)
        if actor is None and name:
            actor = self._actor(name)
        if actor is not None:
            names = {normalise(actor.name), *map(normalise, actor.aliases)}
            holders = [c for c in self.registry.actors.values() if c.kind == "person" and c.affiliation and normalise(c.affiliation) in names
                       and (role in normalise(c.role or "").split() or role in {"head", "chief", "leader"})]
            mentioned = [c for c in holders if any(m.actor is not None and m.actor.id == c.id for m in self.mentions)]
            current = self.registry._current(holders, self.when) if self.when else []
            chosen = mentioned or (current if len(current) == 1 else [])
            if chosen:
                return chosen[0].name, chosen[0], "person"
        later = [m for m in self.mentions if m.kind == "person" and char < m.start < char + 600]
        return (later[0].name, later[0].actor, "person") if later else None

    def _role_organisation(self, span: SpacySpan, head: str, headline: bool, chain=()) -> tuple[Optional[str], Optional[Actor], str]:
        """'the ministry', 'the military', 'the agency': the latest organisation that fits (ahead, in a headline)."""
        fits = ORGANISATION_ROLES[head]
        if not headline and chain and chain[-1][2] not in {"person", "unnamed", ""}:
            words = set(normalise(chain[-1][0]).split()) | (set(normalise(chain[-1][1].role or "").split()) if chain[-1][1] else set())
            if words & fits:
                return chain[-1]
        candidates = [m for m in self.mentions if m.kind == "organisation"]
        candidates = [m for m in candidates if m.start >= span.end_char] if headline else list(reversed([m for m in candidates if m.end <= span.start_char]))
        candidates = [m for m in candidates if m.start not in self.dateline_starts]  # "BERLIN (Reuters) -": the dateline's wire

        def fitting(m: Mention) -> bool:
            words = set(normalise(m.name).split()) | set(normalise(m.words).split())
            if m.actor is not None:
                words |= set(normalise(m.actor.role or "").split())
                if head in {"military", "army", "forces"} and (m.actor.code or "").endswith(MILITARY_CODES):
                    return True
            return bool(words & fits)

        chosen = next((m for m in candidates if fitting(m)), None)
        return (chosen.name, chosen.actor, "organisation") if chosen is not None else (None, None, "")

    def _document(self, span: SpacySpan) -> Optional[str]:
        """'This document' after 'their military doctrine': the text named just before, with its owner
        ('military doctrine of Belarusian authorities')."""
        sents = self.sentences
        index = next((k for k, s in enumerate(sents) if s.start <= span.start < s.end), 0)
        window = self.doc[sents[max(0, index - 2)].start : span.start]
        chunks = [c for c in self.chunks if window.start <= c.start and c.end <= window.end and c.root.lemma_.lower() in TEXT_NOUNS]
        if not chunks:
            return None
        chunk = chunks[-1]
        words = " ".join(t.text for t in chunk if t.dep_ not in {"det", "poss"})
        owner = next((t for t in chunk if t.dep_ == "poss"), None)
        if owner is not None and owner.pos_ == "PRON":
            subject = next((t for t in chunk.sent if t.dep_ in {"nsubj", "nsubjpass"} and t.i < chunk.start), None)
            if subject is not None:
                name, _actor, _kind = self.resolve(self.doc[subject.left_edge.i : subject.i + 1], [], False)
                return f"{words} of {name or _strip(self.doc[subject.left_edge.i : subject.i + 1].text)}"
        elif owner is not None:
            return f"{words} of {_strip(self.doc[owner.left_edge.i : owner.i + 1].text)}"
        return words

    def _country_body(self, char: int) -> Optional[tuple[str, Optional[Actor], str]]:
        """Bare 'authorities'/'officials': the government of the country the text was just talking about."""
        for mention in reversed(self._before(char + 1)):
            if char - mention.end > 600:
                break
            actor = mention.actor or self._actor(mention.words)
            if actor is not None and (actor.role or "").startswith("government"):
                return actor.name, actor, "organisation"
        return None

    def _issuer(self, char: int, chain) -> tuple[Optional[str], Optional[Actor], str]:
        """'the statement said': whoever made the statement mentioned before ("In a statement, the ministry ..."),
        else the running speaker."""
        sents = self.sentences
        index = next((k for k, s in enumerate(sents) if s.start_char <= char < s.end_char), len(sents))
        for sent in reversed(sents[max(0, index - 4) : index]):
            if any(t.lemma_.lower() in UTTERANCE_NOUNS for t in sent):
                subject = next((t for t in sent if t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and t.pos_ != "PRON"), None)
                if subject is not None:
                    whole = self._actor(self.doc[subject.left_edge.i : subject.right_edge.i + 1].text)  # "the General Staff of the Armed Forces of Ukraine"
                    if whole is not None:
                        return whole.name, whole, whole.kind
                    name, actor, kind = self.resolve(self.doc[subject.left_edge.i : subject.i + 1], chain, False)
                    if name:
                        return name, actor, kind
        if chain:
            return chain[-1]
        organisations = [m for m in self._before(char) if m.kind in {"organisation", "person"}]
        return (organisations[-1].name, organisations[-1].actor, organisations[-1].kind) if organisations else (None, None, "")


def _can_hold(actor: Optional[Actor], head: str, role_words: set[str]) -> bool:
    """Can an actor be called by this role word? Unknown roles (not in the registry) can."""
    if actor is None or not actor.role:
        return True
    role = set(normalise(actor.role).split())
    if head in role or role_words & role:
        return True
    if head == "diplomat" and "foreign" in role | set(normalise(actor.affiliation or "").split()):
        return True  # a foreign ministry's people are its diplomats ("the diplomat" after its spokeswoman)
    return any(head in family and role & family for family in ROLE_FAMILIES)


def _position(claim: Claim) -> int:
    spans = [s.start for s in (claim.speaker, claim.cue) if s is not None]
    return min(spans) if spans else claim.content.start


def link_claims(document: Document, claims: list[Claim], linker: Linker) -> None:
    """Resolve every claim's speaker in reading order (the body first, then the headline, which a
    role word such as "envoy" ties to the article's first speaker of that kind)."""
    chain: list[tuple[str, Optional[Actor], str]] = []
    kinds: dict[int, str] = {}
    ordered = sorted(claims, key=lambda c: _position(c))
    body = [c for c in ordered if not c.headline]
    named_in_headline = []  # the headline's named sources: "it" in the lede may be one of them ("Ukraine says ...\n\n..., it said")
    for claim in (c for c in ordered if c.headline and c.speaker is not None):
        span = document.doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand")
        found = linker.resolve(span, [], True) if span is not None and span.root.pos_ != "PRON" else (None, None, "")
        if found[0] is not None and found[2] not in {"unnamed", ""}:
            named_in_headline.append(found)
    for claim in body + [c for c in ordered if c.headline]:
        kind = ""
        if claim.headline:
            chain = []  # a headline is read before the article, with nothing running
        if claim.speaker is not None:
            speaker_span = document.doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand")
            running = chain if claim.headline or chain else named_in_headline
            vague = claim.headline and speaker_span is not None and _head_noun(speaker_span) in GENERIC_HEADLINE_SOURCES
            # "amid media reports": a vague source in a headline is read as written, not as one named below
            name, actor, kind = linker.resolve(speaker_span, running, claim.headline and not vague) if speaker_span is not None else (None, None, "")
            if name is None and claim.headline and speaker_span is not None and not vague:
                head = _head_noun(speaker_span)
                wanted = "person" if head in PERSON_ROLES else "organisation" if head in ORGANISATION_ROLES else None
                lead = next((c for c in body if c.speaker_resolved and (wanted is None or kinds.get(id(c)) == wanted)), None)
                if lead is not None:
                    name, actor, kind = lead.speaker_resolved, lead.actor, kinds.get(id(lead), "")
            claim.speaker_resolved, claim.actor = name, actor
            claim.speaker_status = "unnamed" if kind == "unnamed" else "resolved" if name else "unresolved"
        elif chain and (claim.speaker_status == "implicit" or claim.cue is None):
            claim.speaker_resolved, claim.actor, kind = chain[-1]
            claim.speaker_status = "implicit"
        kinds[id(claim)] = kind
        if claim.speaker_resolved and not claim.headline and kind != "unnamed":
            chain.append((claim.speaker_resolved, claim.actor, kind))
        if not claim.headline and claim.speaker is not None:
            described_person = kind == "unnamed" and claim.speaker_resolved and claim.speaker_resolved.split()[-1] in PERSON_ROLES
            linker.recent_unnamed = (claim.speaker_resolved, None, "unnamed") if described_person else \
                linker.recent_unnamed if kind == "unnamed" or not claim.speaker_resolved else None
        claim.via = []
        for relay in claim.via_spans:
            span = document.doc.char_span(relay.start, relay.end, alignment_mode="expand")
            name, _actor, _kind = linker.resolve(span, [], False) if span is not None else (None, None, "")
            claim.via.append(name or _strip(relay.text))
        if kind == "unnamed" and claim.speaker is not None:  # the speaker's span was read above, in this claim's turn
            outlet = linker.outlet_in(speaker_span) if speaker_span is not None else None
            if outlet is not None and outlet not in claim.via:
                claim.via.append(outlet)


@component("speakers", requires=["doc", "claims", "other_attributions"], assigns=["registry", "resolver", "claims.speaker_resolved", "claims.actor", "other_attributions.speaker_resolved"], settings={"registries": []},
           setup=lambda settings: cached_registry(tuple(settings["registries"])))
def speakers(document: Document, settings: dict) -> None:
    """Link every claim's speaker (and relays) to one entity of the article, canonically named, or mark it unresolved."""
    registry = cached_registry(tuple(settings["registries"]))
    document.registry = registry
    linker = Linker(document, registry)  # the article's mentions, collected once for the claims and the other attributions
    link_claims(document, document.analysis.claims, linker)
    link_claims(document, document.analysis.other_attributions, linker)
    document.resolver = linker
