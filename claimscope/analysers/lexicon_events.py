"""Events for a language whose verbs PETRARCH2 does not read: triggers come from the language's verb and noun lexicons
(claimscope/data/<language>/, each row coded as the CAMEO code of its English equivalent) over a Universal Dependencies
parse, plus the speech acts that are events themselves (accusing, denying, warning, appealing) and the evaluations that
make a statement one ("назвал это ложью": denouncing), each linked to the claim that reports it. Place and time as in
``events``."""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Span as SpacySpan, Token

from ..document import Document
from ..languages import resources
from ..pipeline import component
from ..records import Claim, Event
from ..resources.lexicons import (language_actor_words, language_cues, language_evaluations, language_event_nouns, language_event_verbs,
                                  lower_in_place)
from .events import cameo_fields, date_of, number_and_split, place_of
from .lemma_speakers import lemma_names
from .noun_phrases import phrase_of


def negated(token: Token, negation: set[str]) -> bool:
    """A negation word attached to the word or right before it."""
    return any(c.lower_ in negation for c in token.children) or (token.i > 0 and token.doc[token.i - 1].lower_ in negation)


def _object_words(token: Token, borrowed_parse: bool = False) -> set[str]:
    if borrowed_parse:  # the parse's heads are unreliable: the words after the verb in its clause
        words: set[str] = set()
        for follower in token.doc[token.i + 1: token.sent.end]:
            if follower.is_punct or follower.pos_ == "VERB" or len(words) >= 8:
                break
            words.add(follower.lemma_.lower())
        return words
    words = {c.lemma_.lower() for c in token.children if c.dep_ in {"obj", "nsubj:pass", "obl"}}
    if token.dep_ in {"amod", "acl"}:  # a participle: the noun it modifies ("переданные Киеву системы")
        words.add(token.head.lemma_.lower())
    for child in [c for c in token.children if c.dep_ in {"obj", "nsubj:pass"}]:
        words |= {g.lemma_.lower() for g in child.subtree}
    return words


def _words_code(span: SpacySpan, language: str) -> Optional[str]:
    """A CAMEO actor code from the country and sector words of a phrase the registry does not know."""
    country = sector = None
    for token in span:
        found = language_actor_words(language).get(token.lemma_.lower())
        if found is not None:
            country = country or found[0]
            sector = sector or found[1]
    return (country + (sector or "")) if country else None


def _claim_at(analysis, char: int) -> Optional[Claim]:
    return next((c for c in analysis.claims if c.content.start <= char < c.content.end), None)


def _speaker_of(claim: Optional[Claim]) -> Optional[tuple[str, Optional[str]]]:
    if claim is None or not claim.speaker_resolved:
        return None
    return claim.speaker_resolved, claim.actor.code if claim.actor else None


@component("lexicon_events", requires=["doc", "sentences", "claims", "dates", "registry"], assigns=["events", "unrealised_events"],
           settings={"registries": []})
def lexicon_events(document: Document, settings: dict) -> None:
    """Events coded to CAMEO/PLOVER through the language's verb and noun lexicons, and the speech acts that are events."""
    analysis = document.analysis
    language = document.language
    words = resources(language)
    names = lemma_names(language, tuple(settings["registries"]))
    when = analysis.article.published or analysis.published_inferred
    reported = when.isoformat() if when else None
    verbs, nouns, cues = language_event_verbs(language), language_event_nouns(language), language_cues(language)
    evaluations = language_evaluations(language)
    word_evaluations = {word: code for word, code in evaluations if " " not in word}

    def name_of(span: Optional[SpacySpan]) -> tuple[Optional[str], Optional[str]]:
        if span is None:
            return None, None
        actor = names.match([t for t in span if not t.is_punct], when)
        if actor is not None:
            return actor.name, actor.code
        return span.text, _words_code(span, language)

    def add(token: Token, code: str, actor_span, target_span, claim, negated=False, mode="observed", nominal=False, actor_override=None):
        actor, actor_code = actor_override if actor_override is not None else name_of(actor_span)
        target, target_code = name_of(target_span)
        sentence = document.sentence_index(token.idx)
        analysis.events.append(Event(
            id="", sentence=sentence, trigger=document.token_span(token.doc[token.i:token.i + 1]),
            place=place_of(token, language), date=date_of(analysis, analysis.sentences[sentence]) if sentence < len(analysis.sentences) else None,
            actor=actor, actor_code=actor_code[:3] if actor_code else None, actor_sector=actor_code[3:] or None if actor_code else None,
            action=token.lemma_, target=target, target_code=target_code[:3] if target_code else None,
            target_sector=target_code[3:] or None if target_code else None, reported=reported, negated=negated, mode=mode, nominal=nominal,
            **cameo_fields(code), claim_id=claim.id if claim else None, attributed_to=claim.speaker_resolved if claim else None))

    def oblique_target(token: Token, dep: str) -> Optional[Token]:
        """"удар по Киеву": the target a preposition marks (UD "obl" under a verb, "nmod" under a noun)."""
        return next((c for c in token.children if c.dep_ == dep and any(g.lower_ in words.TARGET_PREPOSITIONS for g in c.children)), None)

    claims_by_cue = {}
    for claim in [*analysis.claims, *analysis.other_attributions]:
        if claim.cue is not None:
            span = document.doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
            if span is not None:
                claims_by_cue[span.root.i] = claim
    evaluated: set[tuple[str, int]] = set()  # one denunciation per statement sentence
    lowered = lower_in_place(document.text)
    for phrase, code in evaluations:
        if " " not in phrase:
            continue
        for match in re.finditer(re.escape(phrase), lowered):
            claim = _claim_at(analysis, match.start())
            speaker = _speaker_of(claim)
            if speaker is not None and (code, document.sentence_index(match.start())) not in evaluated:
                evaluated.add((code, document.sentence_index(match.start())))
                token = document.doc.char_span(match.start(), match.end(), alignment_mode="expand")[0]
                add(token, code, None, None, claim, actor_override=speaker)
    for token in document.doc:
        if token.is_punct or token.is_space:
            continue
        claim = _claim_at(analysis, token.idx)
        lemma = token.lemma_.lower()
        cue = cues.get(lemma)
        if token.pos_ in {"VERB", "AUX"} and cue is not None and cue.code and not negated(token, words.NEGATION_WORDS):
            # a speech act that is an event itself (accusing, denying, warning, appealing): its speaker is the actor
            own = claims_by_cue.get(token.i)
            subject = next((c for c in token.children if c.dep_ in words.SUBJECT_DEPS), None)
            if own is not None and own.speaker_resolved:
                add(token, cue.code, None, None, claim if claim is not own else None, actor_override=_speaker_of(own))
            else:
                add(token, cue.code, phrase_of(subject), None, claim)
            continue
        if lemma in word_evaluations and claim is not None and claim.speaker_resolved:
            code = word_evaluations[lemma]
            sentence = document.sentence_index(token.idx)
            if (code, sentence) not in evaluated:
                evaluated.add((code, sentence))
                add(token, code, None, None, claim, actor_override=_speaker_of(claim))
            continue
        if token.pos_ in {"VERB", "AUX"} and lemma in verbs:
            _english, code, needs = verbs[lemma]
            if needs and not (_object_words(token, words.BORROWED_PARSE) & needs):
                continue
            subject = next((c for c in token.children if c.dep_ in words.SUBJECT_DEPS), None)
            target = next((c for c in token.children if c.dep_ in {"obj"}), None) or oblique_target(token, "obl")
            mode = "hypothetical" if token.morph.get("Tense") == ["Fut"] or token.morph.get("VerbForm") == ["Inf"] else "observed"
            add(token, code, phrase_of(subject), phrase_of(target), claim, negated=negated(token, words.NEGATION_WORDS), mode=mode)
        elif token.pos_ == "NOUN" and lemma in nouns and not (token.dep_ in {"obj", "nsubj:pass"} and token.head.lemma_.lower() in verbs):
            _english, code = nouns[lemma]
            add(token, code, None, phrase_of(oblique_target(token, "nmod")), claim, nominal=True)
    number_and_split(analysis)
