"""The learned event head: for every verb and noun of an English article, whether it reports an event and of which
CAMEO root ("none" is an outcome), from the shared transformer pass's vector of the word, the word's lemma (hashed),
its part of speech and dependency, what the rule coder (claimscope.engines.event_coder) made of it, and whether it
sits in someone's claim. A multinomial logistic regression trained by scripts/train_event_head.py on
bench/data/events-train (English war news annotated exhaustively for events, never the dev sets).

The rules keep what they are good at (arguments, full CAMEO codes, negation and mode); the head decides which of
their events are events at all, re-types a root it is sure of, and adds events the dictionaries miss.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..resources.lexicons import DATA

MODEL_FILE = DATA / "event_head.npz"
ROOTS = ["none"] + [f"{k:02d}" for k in range(1, 21)]
POS = ["VERB", "NOUN", "AUX", "PROPN", "ADJ"]
DEPS = ["ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "dobj", "nsubj", "nsubjpass", "pobj", "compound", "amod", "pcomp", "appos"]
MODES = ["observed", "hypothetical", "negated", "alleged"]
# Whether the word has a subject, an object, an actor as its modifier ("Russia's war", "Russian strikes"), an "on/against"
# object, a definite article, or is a bare plural: an event noun names an event when it says who did it to whom.
SYNTAX = ["subject", "object", "actor_modifier", "target_phrase", "definite", "plural"]
LEMMA_BUCKETS = 4096
MIN_SUPPORT = 20  # a root the head decides on needs this many annotated training events; others stay the rules' alone
CANDIDATE_POS = {"VERB", "NOUN"}


@dataclass(frozen=True)
class Candidate:
    """One word that may report an event, with what the rules say of it."""

    token: int  # index in the spaCy Doc
    lemma: str
    pos: str
    dep: str
    rule_root: Optional[str]  # the rule coder's CAMEO root for this word, if it coded one
    rule_mode: Optional[str]
    in_claim: bool
    syntax: tuple[bool, ...] = ()  # SYNTAX: how the word's phrase names who acts on whom


def _bucket(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "big") % LEMMA_BUCKETS


def features(vectors: np.ndarray, candidates: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
    """(dense features, hashed lemma indices) for the candidates: the unit transformer vector of each word, one-hots of
    its part of speech, dependency, rule root and rule mode, and whether it is in a claim."""
    width = vectors.shape[1] + len(POS) + len(DEPS) + len(ROOTS) + len(MODES) + 1 + len(SYNTAX)
    dense = np.zeros((len(candidates), width), dtype=np.float32)
    lemmas = np.zeros(len(candidates), dtype=np.int64)
    offset = vectors.shape[1]
    for row, c in enumerate(candidates):
        vector = vectors[c.token]
        norm = float(np.linalg.norm(vector))
        dense[row, :offset] = vector / norm if norm else vector
        at = offset
        if c.pos in POS:
            dense[row, at + POS.index(c.pos)] = 1.0
        at += len(POS)
        if c.dep in DEPS:
            dense[row, at + DEPS.index(c.dep)] = 1.0
        at += len(DEPS)
        dense[row, at + ROOTS.index(c.rule_root or "none")] = 1.0
        at += len(ROOTS)
        if c.rule_mode in MODES:
            dense[row, at + MODES.index(c.rule_mode)] = 1.0
        at += len(MODES)
        dense[row, at] = float(c.in_claim)
        at += 1
        for k, value in enumerate(c.syntax):
            dense[row, at + k] = float(value)
        lemmas[row] = _bucket(c.lemma)
    return dense, lemmas


@dataclass(frozen=True)
class EventHead:
    dense: np.ndarray  # (dense features, classes)
    lemma: np.ndarray  # (LEMMA_BUCKETS, classes)
    bias: np.ndarray  # (classes,)
    keep: float  # a rule event is kept unless P(none) is at least this
    add: float  # a word the rules did not code becomes an event when its best root has at least this probability
    retype: float  # the head's root replaces the rules' when it has at least this probability
    trusted: frozenset = frozenset()  # the roots with MIN_SUPPORT training events: the only ones the head drops, adds or re-types

    def decide(self, row: np.ndarray, rule: Optional[str], coded: bool) -> Optional[str]:
        return decide(row, rule, coded, self.keep, self.add, self.retype, self.trusted)

    def probabilities(self, dense: np.ndarray, lemmas: np.ndarray) -> np.ndarray:
        logits = dense @ self.dense + self.lemma[lemmas] + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def decide(row: np.ndarray, rule: Optional[str], coded: bool, keep: float, add: float, retype: float, trusted: frozenset) -> Optional[str]:
    """The CAMEO root of the event a word reports by the head's probabilities ``row``, or None. ``rule`` is the rules'
    root where they report the word as an event that happened; ``coded`` whether they coded the word at all (their
    unrealised events are left as they are). Only trusted roots are dropped, re-typed or added."""
    best = 1 + int(row[1:].argmax())
    root = ROOTS[best]
    if rule is not None:
        if rule in trusted and row[0] >= keep:
            return None  # not an event ("allied" as an adjective, "mine" as a possessive, a plain statement)
        return root if root != rule and {rule, root} <= trusted and row[best] >= retype else rule
    return root if not coded and root in trusted and row[best] >= add else None


def save(path, head: EventHead, settings: dict) -> None:
    np.savez(path, dense=head.dense, lemma=head.lemma, bias=head.bias,
             header=np.frombuffer(json.dumps({"roots": ROOTS, "keep": head.keep, "add": head.add, "retype": head.retype,
                                              "trusted": sorted(head.trusted), "settings": settings}).encode("utf-8"), dtype=np.uint8))


@functools.cache
def load() -> EventHead:
    from ..resources.models import ModelFileError, require

    path = require(MODEL_FILE.name)
    try:
        with np.load(path) as arrays:
            header = json.loads(arrays["header"].tobytes().decode("utf-8"))
            if header["roots"] != ROOTS:
                raise ValueError("classes differ from claimscope.engines.event_head.ROOTS")
            return EventHead(arrays["dense"], arrays["lemma"], arrays["bias"], header["keep"], header["add"], header["retype"],
                             frozenset(header["trusted"]))
    except Exception as exc:  # noqa: BLE001 - any reading failure means the file is unusable
        raise ModelFileError(f"model file {path} cannot be loaded ({type(exc).__name__}: {exc}); rebuild it with "
                             "python scripts/train_event_head.py") from None
