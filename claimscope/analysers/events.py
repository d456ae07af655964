"""Events: who did what to whom, where, when, with what, coded to CAMEO and PLOVER with actor codes
(claimscope.engines.event_coder), each linked to the claim that reports it or to the outlet's own voice.

An event inside a claim's content is *claimed* by that claim's speaker, not observed by the
outlet; a negated event ("troops did not attack") keeps ``negated`` and is never exported as
that event; a hypothetical one ("will attack", "plans to attack", "if they attack") has mode
``hypothetical``.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Span as SpacySpan, Token

from ..document import Document
from ..engines.event_coder import actor_code, code_events
from ..languages import resources
from ..resources.lexicons import cameo_entry
from ..resources.petrarch import actor_dictionary, agent_dictionary, plover_of, verb_dictionary
from ..pipeline import component
from ..records import Event

PLACE_ENTITIES = {"GPE", "LOC", "FAC"}


def place_of(trigger: Token, language: Optional[str] = "en") -> Optional[str]:
    """Where it happened: a place phrase after the verb or after its object ("deployed missiles along the border",
    "развернули ракеты на границе"), by the language's place prepositions and words. A place is a prepositional object
    (English "prep"/"pobj") or an oblique nominal with a preposition (Universal Dependencies "obl"/"nmod" with "case")."""
    words = resources(language)
    heads = [trigger] + [c for c in trigger.children if c.dep_ in {"dobj", "nsubjpass", "obj", "nsubj:pass"}]
    for child in [c for h in heads for c in h.children]:
        if child.dep_ == "prep" and child.lower_ in words.PLACE_PREPOSITIONS:
            objects = [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in {"obl", "nmod"} and any(g.dep_ == "case" and g.lower_ in words.PLACE_PREPOSITIONS for g in child.children):
            objects = [child]
        else:
            continue
        for obj in objects:
            if obj.ent_type_ in PLACE_ENTITIES or obj.lemma_.lower() in words.PLACE_WORDS:
                start = obj.left_edge.i
                while start < obj.i and obj.doc[start].dep_ == "case":  # the phrase, not its preposition
                    start += 1
                return trigger.doc[start : obj.right_edge.i + 1].text.strip()  # not the line break a headline ends with
    return None


def date_of(analysis, sentence) -> Optional[str]:
    """When it happened: the first date the event's sentence gives."""
    return next((d.value for d in analysis.dates if sentence.start <= d.start < sentence.end), None)


def _name(document: Document, span: Optional[SpacySpan], names: dict) -> Optional[str]:
    """The name an actor phrase refers to (resolved through the speaker linker), read once per phrase in ``names``."""
    if span is None:
        return None
    key = (span.start, span.end)
    if key not in names:
        resolver = document.resolver
        name = resolver.resolve(span, [], False)[0] if resolver is not None else None
        names[key] = name or span.text.strip()
    return names[key]


def _speaker(document: Document, claim) -> Optional[SpacySpan]:
    """A claim's speaker as spaCy tokens (None without a speaker)."""
    return document.doc.char_span(claim.speaker.start, claim.speaker.end, alignment_mode="expand") if claim.speaker else None


def _load(settings: dict) -> None:
    verb_dictionary()
    actor_dictionary()
    agent_dictionary()


def build_event(document: Document, token: Token, code: str, source: Optional[SpacySpan], target: Optional[SpacySpan], negated: bool,
                mode: str, nominal: bool, names: dict, weapons: list, obliged: bool = False) -> Event:
    """An event record for a coded word: actor and target named and coded, place, date, weapons, the claim it is in."""
    analysis = document.analysis
    when = analysis.article.published or analysis.published_inferred
    sentence = analysis.sentences[document.sentence_index(token.idx)]
    actor, target_name = _name(document, source, names), _name(document, target, names)
    source_code = actor_code(source, when, document.registry, actor)
    target_code = actor_code(target, when, document.registry, target_name)
    clause = token.doc[token.left_edge.i : token.right_edge.i + 1]
    instruments = sorted({name for s, _e, name in weapons if clause.start_char <= s < clause.end_char})
    claim = next((c for c in analysis.claims if any(s <= token.idx < e for s, e in c.content_ranges())), None)
    speaker = claim is not None and claim.speaker is not None and claim.kind != "quoted_phrase"
    if speaker and (obliged or source is not None and source.root.pos_ == "PRON"):
        # "Hungary said it will support ...": the pronoun is the speaker; "X said Y must ...": X demands it of Y
        spoken = _speaker(document, claim)
        actor = claim.speaker_resolved or (claim.speaker.text if spoken is not None and spoken.root.pos_ != "PRON" else actor)
        source_code = actor_code(spoken, when, document.registry, claim.speaker_resolved) if spoken is not None else None
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    return Event(
        id="", sentence=sentence.index, trigger=document.token_span(token.doc[token.i : token.i + 1]),
        actor=actor, actor_code=source_code[0] if source_code else None, actor_sector=source_code[1] if source_code else None,
        action=token.lemma_.lower() + (" " + particle if particle else ""),
        target=target_name, target_code=target_code[0] if target_code else None, target_sector=target_code[1] if target_code else None,
        place=place_of(token, document.language), date=date_of(analysis, sentence),
        reported=when.isoformat() if when else None, negated=negated,
        mode="observed" if mode == "alleged" and claim is not None else mode,  # the claim's speaker asserts it
        nominal=nominal, instruments=instruments, **cameo_fields(code),
        claim_id=claim.id if claim else None, attributed_to=claim.speaker_resolved if claim else None,
    )


def cameo_fields(code: str) -> dict:
    """An event's fields for a CAMEO code: the code, its label, quad class, Goldstein score, PLOVER type and mode."""
    entry = cameo_entry(code)
    plover, plover_mode = plover_of(code)
    return dict(cameo_code=code, cameo_label=entry.label, quad_class=entry.quad_class, goldstein=entry.goldstein, plover=plover,
                plover_mode=plover_mode or None)


def recode(event: Event, code: str) -> None:
    """Give an event another CAMEO code (and its label, quad class, Goldstein score and PLOVER type)."""
    for name, value in cameo_fields(code).items():
        setattr(event, name, value)


# Speech acts that are events themselves (CAMEO 01-02, 10-13): a claim whose cue denies, rejects, accuses, criticises,
# warns, appeals or demands is coded by its cue when the verb coder did not code that verb.
SPEECH_ACTS = {
    "deny": "016", "refute": "016", "dispute": "016", "rebuff": "120", "reject": "120", "dismiss": "120", "question": "120",
    "accuse": "112", "blame": "112", "charge": "112", "criticize": "111", "criticise": "111", "condemn": "111", "denounce": "111",
    "decry": "111", "slam": "111", "brand": "111", "label": "111", "warn": "130", "threaten": "130", "caution": "130",
    "call": "020", "urge": "020", "appeal": "020", "ask": "020", "demand": "100",
}


def _speech_events(document: Document, existing: set[int]) -> list:
    """(token, code) for the cues of claims that are speech-act events and were not coded as verbs."""
    found = []
    for claim in document.analysis.claims:
        if claim.cue is None:
            continue
        span = document.doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
        if span is None:
            continue
        token = span.root
        code = SPEECH_ACTS.get(token.lemma_.lower())
        if code == "020" and token.lemma_.lower() == "call" and not any(c.lower_ in {"for", "on", "upon"} or c.tag_ == "VB" for c in token.children):
            continue  # "called the alliance dangerous" names, it does not appeal ("call for", "call on X to")
        if code and token.i not in existing and not any(c.dep_ == "neg" for c in token.children):
            found.append((token, code, claim))
    return found


@component("events", requires=["doc", "sentences", "claims", "dates", "weapons", "resolver", "registry"], assigns=["events", "unrealised_events"], setup=_load,
           version="2")
def events(document: Document, settings: dict) -> None:
    """CAMEO/PLOVER events with source and target actor codes, mode, and the claim that reports them."""
    analysis = document.analysis
    when = analysis.article.published or analysis.published_inferred
    reported = when.isoformat() if when else None
    weapons = [(w.start, w.end, w.name) for w in analysis.weapons]
    coded_tokens: set[int] = set()
    names: dict = {}
    for sent in document.doc.sents:
        for coded in code_events(sent):
            coded_tokens.add(coded.trigger.i)
            if coded.governor is not None:
                coded_tokens.add(coded.governor.i)
            analysis.events.append(build_event(document, coded.trigger, coded.code, coded.source, coded.target, coded.negated, coded.mode,
                                               coded.nominal, names, weapons, obliged=coded.obliged))
    for token, code, claim in _speech_events(document, coded_tokens):
        source_code = actor_code(_speaker(document, claim), when, document.registry, claim.speaker_resolved)
        sentence = analysis.sentences[document.sentence_index(token.idx)]
        analysis.events.append(
            Event(
                id=f"e{len(analysis.events) + 1}", sentence=sentence.index, trigger=document.token_span(token.doc[token.i : token.i + 1]),
                actor=claim.speaker_resolved, actor_code=source_code[0] if source_code else None, actor_sector=source_code[1] if source_code else None,
                action=token.lemma_.lower(), reported=reported, mode="observed", **cameo_fields(code),
                claim_id=None, attributed_to=None,
            )
        )
    number_and_split(analysis)


def number_and_split(analysis) -> None:
    """Number the events in reading order, and keep in ``events`` only those presented as having happened: the negated,
    hypothetical and alleged ones go to ``unrealised_events``."""
    ordered = sorted(analysis.events + analysis.unrealised_events, key=lambda e: (e.sentence, e.trigger.start))
    for number, event in enumerate(ordered, start=1):
        event.id = f"e{number}"
    analysis.events = [e for e in ordered if e.mode == "observed" and not e.negated]
    analysis.unrealised_events = [e for e in ordered if not (e.mode == "observed" and not e.negated)]
