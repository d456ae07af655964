"""Events: actor - action - target - place - time - instrument, coded to CAMEO and PLOVER,
each linked to the claim that reports it (or to the outlet's own voice)."""
from __future__ import annotations

from spacy.tokens import Token

from ..document import Document
from ..lexicons import cameo, event_verbs
from ..pipeline import component
from ..records import Event

PLACE_PREPOSITIONS = {"along", "on", "at", "in", "near", "across", "into", "to"}
PLACE_WORDS = {"border", "borders", "territory", "front", "frontier", "region", "area", "areas"}


def _phrase(token: Token) -> str:
    return token.doc[token.left_edge.i : token.right_edge.i + 1].text.strip()


def _match_verb(token: Token):
    if token.pos_ not in {"VERB", "AUX"}:
        return None
    lemma = token.lemma_.lower()
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    clause = " ".join(t.lower_ for t in token.subtree)
    for entry in event_verbs():
        words = entry.lemma.split()
        if words[0] != lemma or (len(words) > 1 and words[1] != particle):
            continue
        if entry.context and not any(word in clause for word in entry.context):
            continue
        return entry
    return None


def _subject(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    if token.dep_ in {"conj", "xcomp", "advcl"}:
        return _subject(token.head)
    return None


@component("events")
def events(document: Document) -> None:
    analysis = document.analysis
    resolver = document.scratch.get("resolver")
    reported = analysis.article.published or analysis.published_inferred
    weapon_spans = [(w.start, w.end, w.name) for w in analysis.weapons]
    previous_actor: dict[int, str] = {}
    for token in document.doc:
        entry = _match_verb(token)
        if entry is None:
            continue
        code = cameo()[entry.code]
        sentence = document.sentence_index(token.idx)
        subject = _subject(token)
        passive = subject is not None and subject.dep_ == "nsubjpass"
        actor = None
        if subject is not None and not passive:
            span = token.doc[subject.left_edge.i : subject.i + 1]
            actor = resolver.resolve(span) if resolver else span.text
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if agent is not None:
            actor = " ".join(_phrase(c) for c in agent.children if c.dep_ == "pobj") or actor
        paragraph = analysis.sentences[sentence].paragraph
        actor = actor or previous_actor.get(paragraph)
        target = None
        place = None
        for child in token.children:
            if child.dep_ in {"dative"}:
                target = _phrase(child)
            elif child.dep_ == "prep" and child.lower_ in PLACE_PREPOSITIONS:
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if not objects:
                    continue
                obj = objects[0]
                if obj.lower_ in PLACE_WORDS or obj.ent_type_ in {"GPE", "LOC"}:
                    place = place or _phrase(obj)
                elif child.lower_ == "to":
                    target = target or _phrase(obj)
            elif child.dep_ == "dobj" and child.pos_ not in {"PRON", "DET"} and child.lower_ not in {"that", "which", "what", "who"}:
                first, last = child.left_edge.idx, child.right_edge.idx
                if any(first <= s <= last for s, _e, _n in weapon_spans):
                    place = place or next((_phrase(o) for p in child.children if p.dep_ == "prep" and p.lower_ in PLACE_PREPOSITIONS
                                           for o in p.children if o.dep_ == "pobj" and (o.lower_ in PLACE_WORDS or o.ent_type_ in {"GPE", "LOC"})), None)
                else:
                    target = target or _phrase(child)
            elif passive and child.dep_ == "nsubjpass":
                target = target or _phrase(child)
        clause_start, clause_end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
        instruments = sorted({name for s, e, name in weapon_spans if clause_start <= s < clause_end})
        when = next((d.value for d in analysis.dates if analysis.sentences[sentence].start <= d.start < analysis.sentences[sentence].end), None)
        claim = next((c for c in analysis.claims if c.content.start <= token.idx < c.content.end), None)
        trigger = document.token_span(token.doc[token.i : token.i + 1])
        if actor:
            previous_actor[paragraph] = actor
        analysis.events.append(
            Event(
                id=f"e{len(analysis.events) + 1}",
                sentence=sentence,
                trigger=trigger,
                actor=actor,
                action=token.lemma_.lower() + (" over" if entry.lemma.endswith(" over") else ""),
                target=target,
                place=place,
                date=when,
                reported=reported.isoformat() if reported else None,
                negated=any(c.dep_ == "neg" for c in token.children),
                instruments=instruments,
                cameo_code=code.code,
                cameo_label=code.label,
                quad_class=code.quad_class,
                goldstein=code.goldstein,
                plover=code.plover,
                claim_id=claim.id if claim else None,
                attributed_to=claim.speaker_resolved if claim else None,
            )
        )
