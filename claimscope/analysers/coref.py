"""Speaker resolution: names, pronouns and epithets to the canonical actor named in the text.

A light, explainable heuristic (salience by recency) rather than a full coreference model:
"he"/"she" and epithets such as "the dictator" take the nearest person named before them;
"this document" takes the nearest document-like noun phrase; surnames take the longest
full name that ends with them.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan

from ..lexicons import epithets, weapon_words

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "their"}


@dataclass
class Mention:
    start: int
    name: str
    kind: str  # person | group | document


def _strip_possessive(text: str) -> str:
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


class Resolver:
    """Mentions of one document in order; resolves a speaker span to a canonical name."""

    def __init__(self, doc: Doc):
        self.doc = doc
        weapons = {w.rstrip("s") for w in weapon_words()}
        people = [e for e in doc.ents if e.label_ == "PERSON" and e.root.text.lower().rstrip("s") not in weapons]
        names = [_strip_possessive(e.text.strip()) for e in people]
        self.full_names: dict[str, str] = {}
        for name in sorted(set(names), key=len, reverse=True):
            surname = name.split()[-1].lower()
            self.full_names.setdefault(surname, name)
        self.mentions = [Mention(e.start_char, self.canonical_person(n), "person") for e, n in zip(people, names)]
        self.mentions += [
            Mention(e.start_char, e.text, "group") for e in doc.ents if e.label_ in {"ORG", "NORP", "GPE"}
        ]
        self.mentions.sort(key=lambda m: m.start)
        self.document_chunks = [
            c for c in doc.noun_chunks if epithets().get(c.root.lemma_.lower()) == "document"
        ]

    def canonical_person(self, name: str) -> str:
        return self.full_names.get(name.split()[-1].lower(), name) if name else name

    def _nearest(self, before: int, kind: str) -> str | None:
        for mention in reversed(self.mentions):
            if mention.start < before and mention.kind == kind:
                return mention.name
        return None

    def resolve(self, span: SpacySpan) -> str:
        """Canonical name for a speaker span; the span's own text when nothing better is known."""
        root = span.root
        lower = root.text.lower()
        if lower in {"it", "its", "they", "them", "their"}:
            subject = self._previous_subject(span)
            if subject is not None:
                return subject
        if root.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS:
            kind = "person" if lower in PERSON_PRONOUNS else "group"
            return self._nearest(span.start_char, kind) or span.text
        for ent in span.ents:
            if ent.label_ == "PERSON" and ent.root.text.lower().rstrip("s") not in {w.rstrip("s") for w in weapon_words()}:
                return self.canonical_person(_strip_possessive(ent.text))
        determiner = span[0].lower_ in {"the", "this", "that", "these"}
        role = epithets().get(root.lemma_.lower())
        if determiner and role == "person" and not any(t.pos_ == "PROPN" for t in span):
            return self._nearest(span.start_char, "person") or span.text
        if determiner and role == "document" and span[0].lower_ in {"this", "that", "the"}:
            earlier = [c for c in self.document_chunks if c.end_char <= span.start_char]
            if earlier:
                return self.describe_document(earlier[-1])
        return _strip_possessive(span.text)

    def _previous_subject(self, span: SpacySpan) -> str | None:
        """'it'/'they' take the subject of the sentence before (a common news pattern)."""
        sents = list(self.doc.sents)
        index = next((i for i, s in enumerate(sents) if s.start <= span.start < s.end), 0)
        if index == 0:
            return None
        root = sents[index - 1].root
        subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"), None)
        return self.resolve(self.doc[subject.left_edge.i : subject.i + 1]) if subject is not None else None

    def describe_document(self, chunk: SpacySpan) -> str:
        """'their military doctrine' -> 'military doctrine of Belarusian authorities'."""
        words = [t for t in chunk if t.dep_ not in {"det", "poss"}]
        text = " ".join(t.text for t in words)
        owner = next((t for t in chunk if t.dep_ == "poss"), None)
        if owner is not None and owner.pos_ == "PRON":
            subject = next((t for t in chunk.sent if t.dep_ in {"nsubj", "nsubjpass"} and t.i < chunk.start), None)
            if subject is not None:
                return f"{text} of {self.doc[subject.left_edge.i : subject.i + 1].text}"
        elif owner is not None:
            return f"{text} of {_strip_possessive(self.doc[owner.left_edge.i : owner.i + 1].text)}"
        return text
