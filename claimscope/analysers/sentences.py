"""Sentence and entity records from the spaCy parse."""
from __future__ import annotations

from ..document import Document
from ..resources.lexicons import weapon_words
from ..pipeline import component
from ..records import Entity, Sentence


@component("sentences", requires=["doc"], assigns=["sentences"])
def sentences(document: Document, settings: dict) -> None:
    """One record per sentence, with the paragraph it sits in (paragraphs end at a line break)."""
    paragraph = 0
    for index, sent in enumerate(document.doc.sents):
        span = document.token_span(sent)
        if index and "\n" in document.text[document.analysis.sentences[-1].end : span.start]:
            paragraph += 1
        document.analysis.sentences.append(Sentence(**span.model_dump(), index=index, paragraph=paragraph))


@component("entities", requires=["doc"], assigns=["entities"])
def entities(document: Document, settings: dict) -> None:
    """Named entities; names of weapon systems are never people or places."""
    words = weapon_words()
    for ent in document.doc.ents:
        label = ent.label_
        if label in {"PERSON", "GPE", "ORG", "NORP"} and ent.root.text.lower().rstrip("s") in {w.rstrip("s") for w in words}:
            label = "PRODUCT"
        document.analysis.entities.append(Entity(**document.token_span(ent).model_dump(), label=label))
