"""The event coder: CAMEO codes for verbs (PETRARCH2's verb patterns) and event nouns, with their
source and target actors coded (CAMEO actor codes) and their mode (observed, negated, hypothetical).

For a verb, the dictionary gives a default code; its patterns refine it by the verb's subject,
object and prepositional phrases as the parse finds them ("attack * (WITH &WEAPON)"), the most
specific matching pattern winning. A noun heads an event when the event-noun table lists it
("a Ukrainian attack on Kursk"). Actors are coded from the registry (dated roles, post-2016
actors), then PETRARCH2's actor dictionaries (countries, organisations, people, with dates), then
its generic agents for the sector ("Russian troops" -> RUS + MIL).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Optional

from spacy.tokens import Span as SpacySpan, Token

from ..resources.lexicons import cues, rows, weapon_words
from ..resources.petrarch import Element, actor_dictionary, agent_dictionary, current_code, synsets, verb_dictionary

# CAMEO's verb-verb combinations (codebook 1.1b3; PETRARCH2 "combinations"): an intended, demanded, threatened or
# refused action is coded by what is done with it. "X will/agreed to/is ready to <cooperate>" is an intent to
# cooperate (03x, by the root of the action); "<hurt>" an intent to harm is a threat (13x); "X must <act>" said by
# someone, or "called on X to <act>", a demand (10x); "X refused to <act>" a rejection (12x).
INTENT = {"03": "030", "04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "09": "030"}
THREAT = {"14": "133", "15": "138", "16": "131", "17": "130", "18": "1383", "19": "138", "20": "138", "12": "130"}
DEMAND = {"03": "100", "04": "106", "05": "102", "06": "101", "07": "103", "08": "105", "12": "100", "16": "100", "17": "100",
          "18": "100", "19": "1056", "20": "1056", "15": "1056"}
REJECTION = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124", "10": "124"}
INTENT_WORDS = {"plan", "intend", "want", "vow", "swear", "promise", "pledge", "seek", "prepare", "propose", "offer", "aim", "hope", "agree",
                "decide", "wish", "consider", "ready", "prepared", "willing", "able", "set", "expect", "commit", "undertake", "try", "attempt"}
DEMAND_WORDS = {"urge", "call", "ask", "demand", "order", "push", "press", "appeal", "tell", "insist"}
# Acceding to a demand or request is yielding (CAMEO 08, "accede to requests or demands"), whatever the verb's own code.
YIELD_WORDS = {"accept", "accede", "concede", "meet", "grant", "heed", "satisfy", "fulfil", "fulfill", "bow", "yield", "submit"}
REQUEST_NOUNS = {"demand", "request", "call", "ultimatum", "plea"}
# Turning a request or proposal down is a rejection (CAMEO 12), whatever the verb's own code ("dismissed an appeal").
DISMISSAL_WORDS = {"dismiss", "rebuff", "spurn", "snub"}
ACCEDING_OR_DISMISSING = YIELD_WORDS | DISMISSAL_WORDS
PROPOSAL_NOUNS = REQUEST_NOUNS | {"appeal", "proposal", "offer", "invitation", "plan", "initiative", "overture", "bid"}
# Stopping aid, talks or ties is reducing relations (CAMEO 16), not the aid, talks or ties themselves: the root of
# the stopped activity -> the code for stopping it (160 reduce relations, 161 diplomatic ties, 162 material aid, 164 talks).
HALTING_WORDS = {"suspend", "halt", "stop", "cut", "freeze", "end", "reduce", "cancel", "terminate", "curtail", "slash", "scrap"}
HALTED = {"04": "164", "05": "161", "06": "160", "07": "162"}
REPORTING_DEMAND_WORDS = {"tell", "ask"}  # demands only with an infinitive ("told them to leave"), reports with a clause ("told AFP troops left")
REFUSAL_WORDS = {"refuse", "decline", "reject", "oppose", "fail"}
# Agreeing to do something is an intent to cooperate (CAMEO 03x) whatever the action: "agreed to postpone the march" is
# not a threat, and "agreed to set up a centre" (an action the dictionary does not code) is still 030.
AGREEMENT_WORDS = {"agree", "consent"}
DECIDING_WORDS = {"decide", "determine", "choose", "opt"}  # PETRARCH2's SELECT verbs, coded 030 by default
REPORTING_CLASSES = {"neutral", "distancing", "assessment", "belief", "announcement"}
SPEECH = {"say", "tell", "add", "note", "state", "report", "write", "explain", "comment", "remark", "mention", "reply", "respond",
          "answer", "recall", "describe", "stress", "emphasize", "emphasise", "underline", "reiterate", "quote", "cite", "post", "tweet"}
INTENT_HEADS = {"plan", "intend", "want", "threaten", "vow", "swear", "promise", "pledge", "seek", "prepare", "propose", "offer", "aim", "hope",
                "expect", "agree", "decide", "wish", "consider", "refuse", "decline", "urge", "call", "ask", "demand", "order", "push", "need"}
HYPOTHETICAL_AUX = {"will", "would", "shall", "could", "may", "might", "should", "must", "can", "'ll", "wo"}
TARGET_PREPOSITIONS = {"on", "against", "at", "to", "with", "into", "over"}
MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "nummod", "npadvmod"}


@dataclass
class Coded:
    trigger: Token
    code: str
    source: Optional[SpacySpan]
    target: Optional[SpacySpan]
    negated: bool
    mode: str  # observed | hypothetical | negated
    nominal: bool
    depth: int
    governor: Optional[Token] = None  # the word a combination consumed ("threatened" in "threatened to strike")
    obliged: bool = False  # a demand read from "X must/should act": the source is whoever says so, X the target


@functools.cache
def event_nouns() -> dict[str, tuple[str, frozenset[str]]]:
    return {r[0]: (r[1], frozenset() if r[2] == "-" else frozenset(r[2].split("|"))) for r in rows("event_nouns.tsv")}


def _np_words(token: Token) -> frozenset[str]:
    """The noun phrase a token heads, as lower-case words and lemmas (its modifiers and itself)."""
    words = []
    for child in token.lefts:
        if child.dep_ in MODIFIER_DEPS | {"det"}:
            for t in child.subtree:
                words.append(t.lower_)
                words.append(t.lemma_.lower())
    words += [token.lower_, token.lemma_.lower()]
    return frozenset(words)


class _Phrases:
    """The words of each noun phrase a verb's patterns are tried on, read once per verb (a verb has up to hundreds of patterns)."""

    def __init__(self):
        self.found: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def matches(self, element: Element, token: Token) -> bool:
        known = self.found.get(token.i)
        if known is None:
            known = self.found[token.i] = (_np_words(token), frozenset((token.lower_, token.lemma_.lower())))
        words, heads = known
        by_head = element.modifiers_by_head
        return any(modifiers <= words for head in heads for modifiers in by_head.get(head, ()))

    def element(self, element: Element, nouns: list[Token], preps: list[Token]) -> bool:
        if element.preposition is None:
            return any(self.matches(element, n) for n in nouns)
        for prep in preps:
            if prep.lower_ != element.preposition:
                continue
            if not element.phrases:
                return True
            if any(self.matches(element, p) for p in prep.children if p.dep_ in {"pobj", "pcomp"}):
                return True
        return False


# CAMEO 1.1b3: 072 "Provide military aid" extends assistance to another party; 154 "Mobilize or increase armed forces"
# covers deploying one's own troops or weapons. PETRARCH2 gives the whole DEPLOY/SEND class 072 for a weapon object,
# so a deployment that names no recipient is the deployer's own force posture.
DEPLOYMENT_VERBS = {"deploy", "redeploy", "station", "position"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose", "what", "whatever", "whichever"}
ACTOR_ENTITIES = {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"}
NOT_ACTOR_ENTITIES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
ALLEGATION_WORDS = {"alleged", "purported", "supposed", "so-called", "unconfirmed", "unverified", "claimed"}
EVIDENCE_NOUNS = {"evidence", "proof", "sign", "signs", "confirmation", "trace"}


def actor_token(token: Optional[Token]) -> Optional[Token]:
    """``token`` when its phrase can name an actor (a source or target of an event: CAMEO codes actors, not things), else
    None: the phrase holds a name or a named group, a personal pronoun, or a noun PETRARCH2's agent dictionary lists
    ("troops", "civilians", "officials"), as "the demonstration in Baku" holds Baku. Never a relative pronoun, nor a
    phrase headed by a date, time or quantity or by a weapon (weapons have their own field)."""
    if token is None:
        return None
    if token.lower_ in RELATIVE_PRONOUNS and token.tag_ in {"WDT", "WP", "WP$", "DT", "IN"}:
        return None
    heads = _synset_heads("WEAPON")
    if token.lemma_.lower() in heads or token.lower_ in heads:
        return None
    actors = [t for t in _phrase(token) if t.pos_ in {"PROPN", "PRON"} and t.lower_ not in RELATIVE_PRONOUNS
              or t.ent_type_ in ACTOR_ENTITIES or _agent_word(t)]
    if not actors or token.ent_type_ in NOT_ACTOR_ENTITIES and actors == [token]:
        return None  # "Tens of thousands of students" names the students; "Sunday" or "57" names no one
    return token


def _recipient(verb: Token) -> Optional[Token]:
    """Whom a verb sends something to ("sent missiles to Ukraine"): the object of its "to" phrase, when an actor."""
    return next((actor_token(g) for p in verb.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children
                 if g.dep_ == "pobj" and actor_token(g) is not None), None)


def _agent_word(token: Token) -> bool:
    agents = agent_dictionary()
    return (token.lower_,) in agents or (token.lemma_.lower(),) in agents


def _subject(verb: Token) -> Optional[Token]:
    for child in verb.children:
        if child.dep_ in {"nsubj", "csubj"}:
            return child
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None:
        return next((g for g in agent.children if g.dep_ == "pobj"), None)
    if verb.dep_ in {"conj", "xcomp", "advcl", "acomp"} and verb.head.i != verb.i and verb.head.pos_ in {"VERB", "AUX", "ADJ"}:
        return _subject(verb.head)  # through "is ready to", "agreed to", "and"
    return None


@functools.cache
def verb_supplement() -> dict[str, str]:
    return {r[0]: r[1] for r in rows("event_verbs.tsv")}


@functools.cache
def _synset_heads(name: str) -> frozenset[str]:
    """The one-word phrases of a PETRARCH2 synonym set ("missiles", "drone", "artillery"); for &WEAPON also the weapons
    lexicon's systems ("Leopard tanks")."""
    heads = frozenset(phrase[0] for phrase in synsets().get(name, []) if len(phrase) == 1)
    return heads | weapon_words() if name == "WEAPON" else heads


def _object_synsets(verb: Token, objects: list[Token]) -> list[str]:
    """The synonym sets the supplement names with this verb ("launch &WEAPON") that an object's head or its compound
    words belong to ("87 drones", "artillery shells")."""
    named = _supplement_synsets().get(verb.lemma_.lower())
    if not named or not objects:
        return []
    words = {w.lower_ for o in objects for w in (o, *(c for c in o.children if c.dep_ in {"compound", "amod"}))}
    return [name for name in named if words & _synset_heads(name)]


@functools.cache
def _supplement_synsets() -> dict[str, list[str]]:
    """lemma -> the synonym sets the supplement names with it ("launch" -> ["AIRCRAFT", "WEAPON"])."""
    found: dict[str, list[str]] = {}
    for key in sorted(verb_supplement()):
        if " &" in key:
            found.setdefault(key.split()[0], []).append(key.split()[-1][1:])
    return found


def verb_code(verb: Token) -> Optional[str]:
    """The CAMEO code of a verb in its context, or None (not in the dictionary, or no event): the most specific
    matching PETRARCH2 pattern, else the supplement (data/event_verbs.tsv: the verb with an object of a synonym set,
    "launch &WEAPON", before the verb alone), else PETRARCH2's default for the verb."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    lemma = verb.lemma_.lower()
    # senses no pattern or supplement row of these verbs codes (event_verbs.tsv has none for them)
    if lemma == "meet" and any(c.dep_ == "auxpass" for c in verb.children) and any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return None  # "will be met with retaliation": a response received, not a meeting (PETRARCH2's MEET_PEOPLE)
    if lemma in DECIDING_WORDS and any(c.dep_ == "xcomp" for c in verb.children):
        return None  # "decided to flaunt ...": a decision is the planned action's intent, coded on that action if it is an event
    objects = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    supplement = (next((verb_supplement()[f"{lemma} &{name}"] for name in _object_synsets(verb, objects)), None)
                  or verb_supplement().get(f"{lemma} {particle}") or verb_supplement().get(lemma))
    entries = verb_dictionary().get(verb.lemma_.lower()) or verb_dictionary().get(verb.lower_)
    if not entries:
        return supplement
    fitting = [e for e in entries if e.particle == particle] or [e for e in entries if e.particle is None]
    if not fitting:
        return supplement
    subject = _subject(verb)
    nouns = [c for c in verb.children if c.dep_ in {"dobj", "attr", "oprd", "dative", "nsubjpass"}]
    preps = [c for c in verb.children if c.dep_ in {"prep", "agent"}]
    for xcomp in [c for c in verb.children if c.dep_ == "xcomp"]:  # "called on X to stop": the clause's object and preps count
        nouns += [c for c in xcomp.children if c.dep_ == "dobj"]
    best: Optional[tuple[int, str]] = None
    phrases = _Phrases()
    present = frozenset(p.lower_ for p in preps)
    object_heads = frozenset(w for n in nouns for w in (n.lower_, n.lemma_.lower()))
    for entry in fitting:
        for pattern in entry.candidates(object_heads, present):  # most specific first
            if best is not None and pattern.size <= best[0]:
                break
            if not pattern.prepositions <= present or any(heads.isdisjoint(object_heads) for heads in pattern.object_heads):
                continue
            if pattern.before and (subject is None or not all(phrases.element(e, [subject], []) for e in pattern.before)):
                continue
            if all(phrases.element(e, nouns, preps) for e in pattern.after):
                best = (pattern.size, pattern.code)
    if best is None and supplement:
        return supplement
    if best is None and any(c.dep_ == "oprd" for c in verb.children):
        return None  # "called the plan reckless": an object predicate makes the verb a naming, not its default sense (CALL: telephone)
    for entry in fitting:
        if best is None and entry.code != "---":
            best = (0, entry.code)
    if best is None or best[1] in {"---", ""}:
        return None
    return best[1]


def _eventive(token: Token) -> bool:
    """A verb that can report an event: not an auxiliary, not a reporting verb of the attribution lexicon
    ("said", "claims", "according to"), not an adjectival participle ("Vietnamese-led forces")."""
    if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() in {"be", "have", "do", "accord", "arm", "lead", "base", "involve", "concern", "relate"}:
        return False
    entry = cues().get(token.lemma_.lower())
    if entry is not None and entry.cue_class in REPORTING_CLASSES:
        return False
    if token.dep_ in {"amod", "compound"} or token.dep_ == "acl" and token.tag_ == "VBN" and not any(c.dep_ == "agent" for c in token.children):
        return False
    return True


def _combine(token: Token, code: str, mode: str, negated: bool) -> tuple[str, str, bool, Optional[Token]]:
    """Apply CAMEO's combinations to an action that is intended, demanded, threatened or refused (see INTENT):
    (code, mode, negated, the governing word that the combination consumes)."""
    root = code[:2]
    head = token.head if token.dep_ in {"xcomp", "ccomp", "advcl", "acomp"} and token.head.i != token.i else None
    head_lemma = head.lemma_.lower() if head is not None else ""
    aux = {c.lower_ for c in token.children if c.dep_ in {"aux", "auxpass"}}
    head_negated = head is not None and any(c.dep_ == "neg" for c in head.children)
    if head is not None and head.pos_ == "ADJ" and head.dep_ == "acomp":  # "is ready to meet": the adjective's verb governs
        head_lemma = head.lemma_.lower()
    if head_lemma in REFUSAL_WORDS or (negated and aux & {"will", "would", "wo", "'ll"}) or (head_negated and head_lemma in INTENT_WORDS):
        return REJECTION.get(root, "120"), "observed", False, head
    if negated:
        return code, "negated", True, None
    if head_lemma in AGREEMENT_WORDS:
        return INTENT.get(root, "030"), "observed", False, head
    if head_lemma == "threaten" and root not in {"13"}:
        return THREAT.get(root, "130"), "observed", False, head
    if aux & {"must", "should"} or head_lemma in {"must", "need", "have"} and "to" in aux:
        if root in DEMAND:
            return DEMAND[root], "observed", False, None
    if head_lemma in DEMAND_WORDS and root not in {"02", "10"} and (token.dep_ == "xcomp" or head_lemma not in REPORTING_DEMAND_WORDS):
        return DEMAND.get(root, "100"), "observed", False, head
    if head_lemma in INTENT_WORDS or aux & {"will", "would", "'ll", "shall"} or head is not None and head.pos_ == "ADJ" and head_lemma in INTENT_WORDS:
        if root in INTENT:
            return INTENT[root], "observed", False, head if head_lemma in INTENT_WORDS else None
        if root in THREAT:
            return THREAT[root], "observed", False, head if head_lemma in INTENT_WORDS else None
    return code, mode, negated, None


def _mode(token: Token) -> tuple[bool, str]:
    """(negated, mode) of an event verb: negated ("did not attack", "provided no evidence"), hypothetical (future,
    modal, conditional, planned: "will attack", "plans to attack", "if they attack"), alleged (the outlet's
    "allegedly attacked"), or observed."""
    if any(c.dep_ == "neg" for c in token.children) or any(c.dep_ == "dobj" and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
                                                          for c in token.children):
        return True, "negated"
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in token.children):
        return False, "hypothetical"
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in token.children):
        return False, "hypothetical"
    if token.dep_ in {"xcomp", "ccomp"} and token.head.lemma_.lower() in INTENT_HEADS:
        negated_head = any(c.dep_ == "neg" for c in token.head.children) or token.head.lemma_.lower() in {"refuse", "decline"}
        return negated_head, "negated" if negated_head else "hypothetical"
    if token.dep_ in {"acl", "relcl"} and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return False, "hypothetical"
    if any(c.dep_ == "advmod" and c.lower_ in {"allegedly", "purportedly", "supposedly"} for c in token.children):
        return False, "alleged"
    return False, "observed"


def _noun_mode(token: Token) -> Optional[str]:
    """A nominal event the text presents as unsupported: "the alleged build-up" (alleged), "no evidence of attacks",
    "offered no proof of the build-up" (negated); None otherwise."""
    if any(c.lower_ in ALLEGATION_WORDS for c in token.children if c.dep_ in {"amod", "compound"}):
        return "alleged"
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in EVIDENCE_NOUNS:
        evidence = head.head
        if any(c.lower_ in {"no", "without"} for c in evidence.children) or evidence.head.lower_ == "without" or any(
                c.dep_ == "neg" for c in evidence.head.children):
            return "negated"
    return None


def _target(verb: Token) -> Optional[Token]:
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive is not None:
        return passive
    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.pos_ in {"NOUN", "PROPN", "PRON"}]
    means = bool(objects) and bool(_object_synsets(verb, objects[:1]))  # weapons launched or sent: the target is whom they reach ("at Ukraine", "to Russia")
    if objects and not means:
        return objects[0]
    for prep in [c for c in verb.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS]:
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if pobj is not None:
            return pobj
    return objects[0] if objects else None


def _governing_verb(noun: Token) -> Optional[Token]:
    """The verb whose object phrase holds a noun: "suspended [part of a military aid program]" -> suspended."""
    token = noun
    while token.dep_ in {"compound", "dobj", "pobj", "prep", "nsubjpass"} and token.head.i != token.i:
        token = token.head
        if token.pos_ == "VERB":
            return token
    return None


def _objects(verb: Token) -> list[Token]:
    """A verb's direct objects and the objects of its "to" phrase ("accepted demands", "conceded to demands")."""
    found = [c for c in verb.children if c.dep_ == "dobj"]
    return found + [g for p in verb.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children if g.dep_ == "pobj"]


def _phrase(token: Optional[Token]) -> Optional[SpacySpan]:
    if token is None:
        return None
    doc = token.doc
    right = token.i
    for child in token.rights:
        if child.dep_ in {"relcl", "acl", "punct", "cc", "conj", "appos"}:
            break
        right = child.right_edge.i
    left = min([token.i] + [c.left_edge.i for c in token.lefts if c.dep_ != "punct"])
    return doc[left : right + 1]


def code_events(sent: SpacySpan) -> list[Coded]:
    """Every codable event of a sentence, the main one (highest in the parse, not a plain statement) first."""
    found: list[Coded] = []
    coded_objects: set[int] = set()
    nouns = event_nouns()
    consumed: set[int] = set()
    tokens = list(sent)
    for token in tokens:
        pos = token.pos_
        if pos != "VERB" and pos != "AUX":  # every verb event below needs one (most tokens are not)
            continue
        lemma = token.lemma_.lower()
        objects = _objects(token) if pos == "VERB" and lemma in ACCEDING_OR_DISMISSING else []
        yields = lemma in YIELD_WORDS and any(o.lemma_.lower() in REQUEST_NOUNS for o in objects)
        dismisses = lemma in DISMISSAL_WORDS and any(o.lemma_.lower() in PROPOSAL_NOUNS for o in objects)
        if not (yields or dismisses) and not _eventive(token):
            continue
        code = "080" if yields else "120" if dismisses else verb_code(token)
        if yields or dismisses:
            coded_objects.update(o.i for o in objects)  # the demand acceded to or the appeal dismissed is not an event of its own
        if code is None or code in {"01", "010"}:
            continue  # a plain statement is not an event (CAMEO 010 is "make statement, not specified below")
        if lemma in DEPLOYMENT_VERBS and code.startswith("07") and not _recipient(token):
            code = "154"
        if lemma in AGREEMENT_WORDS and code == "050" and any(
                c.dep_ in {"xcomp", "ccomp"} or c.dep_ == "prep" and c.lower_ in {"to", "on"} for c in token.children):
            code = "030"  # agreed to/on/that something: an intent to cooperate, not PETRARCH2's bare default
        negated, mode = _mode(token)
        demanded = code.startswith("10")
        code, mode, negated, governor = _combine(token, code, mode, negated)
        if governor is not None:
            consumed.add(governor.i)
        obliged = governor is None and code.startswith("10") and not demanded  # "Y must act": said by someone else
        source, target = actor_token(_subject(token)), actor_token(_target(token))
        if governor is not None and token.dep_ == "ccomp" and source is not None and source.head.i == token.i:
            source, target = actor_token(_subject(governor)), source  # "X demanded that Y act": X does it, to Y
        elif obliged:
            source, target = None, source
        if target is None and code[:2] in {"02", "10"}:  # "demanded that Y act": asked of the clause's subject
            target = actor_token(next((g for c in token.children if c.dep_ == "ccomp" for g in c.children if g.dep_ == "nsubj"), None))
        depth = len(list((governor or token).ancestors))
        found.append(Coded(token, code, _phrase(source), _phrase(target), negated, mode, False, depth, governor, obliged))
        coded_objects.update(c.i for c in token.children if c.dep_ in {"dobj", "nsubjpass", "pobj"})
    found = [f for f in found if f.trigger.i not in consumed]
    for token in tokens:
        if token.pos_ != "NOUN" or token.i in coded_objects:
            continue
        entry = nouns.get(token.lemma_.lower())
        if entry is None:
            continue
        code, needs = entry
        context = {t.lemma_.lower() for t in token.subtree} | {t.lower_ for t in token.subtree}
        if needs and not needs & context:
            continue
        if token.head.i != token.i and token.head.pos_ == "VERB" and any(f.trigger.i == token.head.i for f in found) and token.dep_ in {"dobj", "nsubjpass"}:
            continue
        owner = next((c for c in token.children if c.dep_ in {"poss", "amod", "compound"} and (c.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"} or c.pos_ == "PROPN")), None)
        if owner is None and token.dep_ in {"dobj", "pobj"}:  # "promised to continue military aid": the subject of the governing verb
            governing = token.head if token.dep_ == "dobj" else token.head.head
            owner = _subject(governing) if governing.pos_ in {"VERB", "AUX"} else None
        owner = actor_token(owner)
        target = actor_token(next((g for p in token.children if p.dep_ == "prep" and p.lower_ in TARGET_PREPOSITIONS for g in p.children if g.dep_ == "pobj"), None))
        unsupported = _noun_mode(token)
        negated = any(c.lower_ in {"no", "without"} for c in token.children if c.dep_ in {"det", "neg"}) or unsupported == "negated"
        head = token.head
        mode = "negated" if negated else unsupported or (_mode(head)[1] if head.pos_ in {"VERB", "AUX"} and head.i != token.i and token.dep_ in {"dobj", "nsubjpass"} and _mode(head)[1] != "observed" else "observed")
        halting = _governing_verb(token)
        if halting is not None and halting.lemma_.lower() in HALTING_WORDS and code[:2] in HALTED:
            code = HALTED[code[:2]]  # "suspended aid deliveries": aid stopped, not given
            owner = owner or _subject(halting)
        governing = token.head if token.dep_ == "dobj" else None
        if governing is not None and governing.dep_ == "xcomp":
            governing = governing.head  # "promised to continue military aid"
        if not negated and governing is not None and governing.lemma_.lower() in INTENT_WORDS and (code[:2] in INTENT or code[:2] in THREAT):
            code, mode = INTENT.get(code[:2]) or THREAT[code[:2]], "observed"  # promised aid: an intent to give it, as for verbs
        found.append(Coded(token, code, _phrase(owner), _phrase(target), negated, mode, True, len(list(token.ancestors)) + 1))
    found.sort(key=lambda c: (c.code.startswith("01"), c.mode != "observed", c.depth, c.trigger.i))
    return found


# ---- actors ----

def _longest_actor_phrase(words: list[str], when: Optional[date]) -> Optional[str]:
    """The code of the longest dictionary phrase in ``words``; of equally long ones, a country's own entry first
    ("King Hassan of Morocco": Morocco, not a one-word entry for another country's Hassan)."""
    table = actor_dictionary()
    for size in range(min(6, len(words)), 0, -1):
        codes = [current_code(table[key], when) for key in (tuple(words[first : first + size]) for first in range(len(words) - size + 1)) if key in table]
        codes = [c for c in codes if c]
        if codes:
            return next((c for c in codes if len(c) == 3), codes[0])
    return None


def actor_code(span: Optional[SpacySpan], when: Optional[date] = None, registry=None, resolved: Optional[str] = None) -> Optional[tuple[str, Optional[str]]]:
    """(code, sector) of an actor phrase: 'Russian troops' -> ('RUS', 'MIL'); 'NATO' -> ('IGO', 'WSTNAT'); None if unknown.
    ``resolved`` is the name the phrase refers to (a pronoun's referent), tried first."""
    if span is None and not resolved:
        return None
    if registry is not None:
        for text in filter(None, (resolved, span.text if span is not None else None)):
            actor = registry.match(text, when)
            if actor is not None and actor.code:
                return _split(actor.code)
    pronoun = span is None or len(span) == 0 or span.root.pos_ == "PRON"
    text = resolved if pronoun else span.text
    if not text:
        return None
    spaced = [w.strip(".,;:()\"'\u2019").replace(".", "") for w in text.lower().split()]
    spaced = [w.removesuffix("'s").removesuffix("\u2019s") for w in spaced if w and w not in {"the", "a", "an"}]
    code = None
    for candidate in (spaced, [w[:-1] if w.endswith("s") and len(w) > 4 else w for w in spaced], [w.split("-")[0] for w in spaced]):
        code = _longest_actor_phrase(candidate, when)
        if code:
            break
    agent = None
    if not pronoun:
        head = span.root
        agent = agent_dictionary().get((head.lower_,)) or agent_dictionary().get((head.lemma_.lower(),))
    if code is None and agent is None:
        return None
    country, sector = _split(code) if code else (None, None)
    if agent and (sector is None or country in {"IGO", "NGO"}):
        sector = agent
    return (country or "---"), sector


def _split(code: str) -> tuple[str, Optional[str]]:
    code = code.strip()
    return code[:3], code[3:] or None


def arguments(token: Token) -> tuple[Optional[SpacySpan], Optional[SpacySpan], bool, str, bool]:
    """(source, target, negated, mode, nominal) of a word the rules did not code but the event head calls an event,
    read as the rules read their own: a verb's subject and object, a noun's owner and "on/against" object."""
    if token.pos_ in {"VERB", "AUX"}:
        negated, mode = _mode(token)
        return _phrase(actor_token(_subject(token))), _phrase(actor_token(_target(token))), negated, mode, False
    owner = next((c for c in token.children if c.dep_ in {"poss", "amod", "compound"} and (c.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"} or c.pos_ == "PROPN")), None)
    target = next((g for p in token.children if p.dep_ == "prep" and p.lower_ in TARGET_PREPOSITIONS for g in p.children if g.dep_ == "pobj"), None)
    unsupported = _noun_mode(token)
    negated = any(c.lower_ in {"no", "without"} for c in token.children if c.dep_ in {"det", "neg"}) or unsupported == "negated"
    return _phrase(actor_token(owner)), _phrase(actor_token(target)), negated, "negated" if negated else unsupported or "observed", True
