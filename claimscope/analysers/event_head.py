"""The learned event head over the rule coder's events (claimscope.engines.event_head): it drops the rule events it
is sure are no events, re-types a root it is sure of, and adds the events the dictionaries miss."""
from __future__ import annotations

from ..document import Document
from ..engines.event_coder import arguments
from ..engines.event_head import CANDIDATE_POS, Candidate, features, load
from ..pipeline import component
from ..records import Event
from .events import build_event, number_and_split, recode


def by_trigger(document: Document, events: list[Event]) -> dict[int, Event]:
    """The events by the index of their trigger word in the spaCy Doc."""
    found = {}
    for event in events:
        span = document.doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if span is not None:
            found[span.root.i] = event
    return found


def candidates(document: Document) -> list[Candidate]:
    """Every verb and noun of the article, and every word the rules coded, with what the rules made of it."""
    analysis = document.analysis
    coded = by_trigger(document, analysis.events + analysis.unrealised_events)
    contents = [piece for claim in analysis.claims for piece in claim.content_ranges()]
    found = []
    for token in document.doc:
        event = coded.get(token.i)
        if event is None and token.pos_ not in CANDIDATE_POS:
            continue
        found.append(Candidate(token.i, token.lemma_.lower(), token.pos_, token.dep_, event.cameo_code[:2] if event else None,
                               (event.mode if not event.negated else "negated") if event else None,
                               any(s <= token.idx < e for s, e in contents), _syntax(token)))
    return found


ACTOR_MODIFIERS = {"poss", "amod", "compound", "nmod"}


def _syntax(token) -> tuple[bool, ...]:
    """engines.event_head.SYNTAX for a word."""
    children = list(token.children)
    return (any(c.dep_ in {"nsubj", "nsubjpass", "agent"} for c in children),
            any(c.dep_ in {"dobj", "dative"} for c in children),
            any(c.dep_ in ACTOR_MODIFIERS and (c.pos_ in {"PROPN", "PRON"} or c.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"}) for c in children),
            any(c.dep_ == "prep" and c.lower_ in {"on", "against", "at", "into"} for c in children),
            any(c.dep_ == "det" and c.lower_ == "the" for c in children),
            token.tag_ in {"NNS", "NNPS"} and not any(c.dep_ == "det" for c in children))


# Nouns that name a whole conflict: without an actor they frame the news ("since the start of the war" is not coded,
# realnews-dev2's annotation rules), with one they report it ("Russia's war against Ukraine").
CONFLICT_FRAMES = {"war", "conflict", "hostilities", "warfare"}
COMMEMORATING = {"anniversary", "commemoration", "remembrance", "memory", "memorial", "jubilee"}


def _commemorated(token) -> bool:
    """"the 80th anniversary of Belarus's liberation": a past event remembered, not one reported as news."""
    head = token.head
    if token.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head.i != token.i and head.lemma_.lower() in COMMEMORATING


@component("event_head", requires=["doc", "token_vectors", "claims", "events", "unrealised_events"], assigns=["events", "unrealised_events"],
           setup=lambda settings: load())
def event_head(document: Document, settings: dict) -> None:
    """Which words report events, and of which CAMEO root, learned on war news annotated for every event."""
    analysis = document.analysis
    found = candidates(document)
    if not found:
        return
    head = load()
    probabilities = head.probabilities(*features(document.token_vectors, found))
    by_token = by_trigger(document, analysis.events)
    kept, weapons, names = [], [(w.start, w.end, w.name) for w in analysis.weapons], {}
    for candidate, row in zip(found, probabilities):
        event = by_token.pop(candidate.token, None)
        root = head.decide(row, event.cameo_code[:2] if event is not None else None, candidate.rule_root is not None)
        if root is None:
            continue
        if event is None:
            token = document.doc[candidate.token]
            if _commemorated(token):
                continue
            event = build_event(document, token, root + "0", *arguments(token), names, weapons)
            if token.lemma_.lower() in CONFLICT_FRAMES and event.actor is None:
                continue  # "the war in Ukraine", "since the war began": the conflict as a frame, no one's action
        elif root != event.cameo_code[:2]:
            recode(event, root + "0")
        kept.append(event)  # number_and_split moves an added event the text does not present as real to unrealised_events
    analysis.events = kept + list(by_token.values())  # rule events on words the head does not read (no vector) stay
    number_and_split(analysis)
