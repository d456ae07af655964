"""Incremental claim clustering: each new claim joins the nearest cluster centroid within a cosine
threshold (a stricter one when the speakers differ: the same statement relayed by another source),
or starts a new cluster.

Two searches apply that one rule. ``exact`` compares a claim with every centroid (O(claims x
clusters)); ``ann`` asks a faiss HNSW index for the nearest centroids and applies the rule to those
candidates only, re-scored against the current centroids (the index holds each centroid as it was
when inserted; centroids move a little as claims join). The assignments agree with the exact search
at the recall of the candidate list (bench/bench_batch.py measures the agreement).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

import numpy as np

Method = Literal["ann", "exact"]
CANDIDATES = 64  # nearest centroids re-scored per claim in the ANN search
HNSW_LINKS, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128


@dataclass
class Clusters:
    """The clusters known so far: store id (None until inserted), speaker, mean vector, size, label."""

    ids: list[Optional[int]] = field(default_factory=list)
    speakers: list[Optional[str]] = field(default_factory=list)
    means: list[np.ndarray] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    languages: list[set] = field(default_factory=list)  # languages of each cluster's claims
    days: list[Optional[tuple[int, int]]] = field(default_factory=list)  # first and last day (date ordinals) of its dated claims

    def __len__(self) -> int:
        return len(self.ids)

    def join(self, k: int, vector: np.ndarray, language: Optional[str] = None, day: Optional[int] = None) -> None:
        """Add a member to cluster ``k``: its mean and size, its languages, and (a dated member) its first and last day."""
        self.means[k] = (self.means[k] * self.sizes[k] + vector) / (self.sizes[k] + 1)
        self.sizes[k] += 1
        if language is not None:
            self.languages[k].add(language)
        if day is not None:
            span = self.days[k]
            self.days[k] = (min(span[0], day), max(span[1], day)) if span else (day, day)


class _Centroids:
    """Unit centroids with the speaker code of each, and (for ``ann``) an HNSW index over them."""

    def __init__(self, clusters: Clusters, dimension: int, capacity: int, method: Method):
        self.codes: dict[Optional[str], int] = {}
        self.units = np.zeros((capacity, dimension), dtype=np.float32)
        self.speaker_codes = np.zeros(capacity, dtype=np.int64)
        self.first = np.full(capacity, UNDATED[0], dtype=np.int64)
        self.last = np.full(capacity, UNDATED[1], dtype=np.int64)
        self.index = None
        for k, (speaker, mean) in enumerate(zip(clusters.speakers, clusters.means)):
            self.speaker_codes[k] = self.code(speaker)
            self.units[k] = unit(mean)
            self.date(k, clusters.days[k])
        if method == "ann":
            import faiss

            self.index = faiss.IndexHNSWFlat(dimension, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
            self.index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            self.index.hnsw.efSearch = HNSW_EF_SEARCH
            if len(clusters):
                self.index.add(self.units[: len(clusters)])

    def code(self, speaker: Optional[str]) -> int:
        return self.codes.setdefault(speaker, len(self.codes))

    def date(self, k: int, days: Optional[tuple[int, int]]) -> None:
        self.first[k], self.last[k] = days if days is not None else UNDATED

    def candidates(self, vector: np.ndarray, count: int, day: Optional[int] = None, window: int = 0) -> np.ndarray:
        """The clusters to score: within ``window`` days of ``day`` (all of them, scored exactly: a window holds
        few), else the ANN index's nearest, else every cluster."""
        if window and day is not None:
            return np.flatnonzero((self.first[:count] <= day + window) & (self.last[:count] >= day - window))
        if self.index is None:
            return np.arange(count)
        _scores, found = self.index.search(vector[None, :], min(CANDIDATES, count))
        return found[0][found[0] >= 0]

    def set(self, k: int, mean: np.ndarray, new: bool) -> None:
        self.units[k] = unit(mean)
        if new and self.index is not None:
            self.index.add(self.units[k: k + 1])


UNDATED = (np.iinfo(np.int64).min // 2, np.iinfo(np.int64).max // 2)  # a cluster without dates is within every window


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm else vector).astype(np.float32)


def assign(vectors: np.ndarray, speakers: list[Optional[str]], labels: list[str], clusters: Clusters, *,
           threshold: float = 0.75, other_speaker_threshold: float = 0.9, method: Method = "ann",
           languages: Optional[list[Optional[str]]] = None, cross_lingual_allowance: float = 0.0,
           days: Optional[list[Optional[int]]] = None, window_days: int = 0) -> tuple[list[int], set[int]]:
    """Assign each vector (in order) to a cluster position in ``clusters``, which grows and updates in place.
    Returns the position of each vector and the positions whose centroid changed.

    With ``languages``, a claim compared with a cluster that holds no claim in its language gets its
    thresholds lowered by ``cross_lingual_allowance``: a multilingual encoder puts a statement and its
    translation further apart than two statements in one language. With ``days`` (date ordinals) and
    ``window_days``, a dated claim joins only a cluster whose dated claims lie within that many days of it:
    a statement's coverage runs over days, and two like statements months apart are two claims."""
    vectors = np.asarray(vectors, dtype=np.float32)
    languages = languages or [None] * len(vectors)
    days = days or [None] * len(vectors)
    while len(clusters.languages) < len(clusters):
        clusters.languages.append(set())
    while len(clusters.days) < len(clusters):
        clusters.days.append(None)
    centroids = _Centroids(clusters, vectors.shape[1], len(clusters) + len(vectors), method)
    positions: list[int] = []
    touched: set[int] = set()
    for vector, speaker, label, language, day in zip(vectors, speakers, labels, languages, days):
        count = len(clusters)
        code = centroids.code(speaker)
        chosen = None
        if count:
            candidates = np.sort(centroids.candidates(unit(vector), count, day, window_days))
            margins = centroids.units[candidates] @ vector - np.where(centroids.speaker_codes[candidates] == code, threshold, other_speaker_threshold)
            if cross_lingual_allowance and language is not None:
                margins += cross_lingual_allowance * np.array([bool(clusters.languages[k]) and language not in clusters.languages[k] for k in candidates])
            if margins.size and margins.max() >= 0:
                chosen = int(candidates[len(margins) - 1 - int(np.argmax(margins[::-1]))])  # ties go to the later cluster
        new = chosen is None
        if new:
            chosen = count
            clusters.ids.append(None)
            clusters.speakers.append(speaker)
            clusters.means.append(np.zeros(vectors.shape[1], dtype=np.float64))
            clusters.sizes.append(0)
            clusters.labels[chosen] = label[:200]
            clusters.languages.append(set())
            clusters.days.append(None)
            centroids.speaker_codes[chosen] = code
        clusters.join(chosen, vector, language, day)
        if day is not None:
            centroids.date(chosen, clusters.days[chosen])
        centroids.set(chosen, clusters.means[chosen], new)
        touched.add(chosen)
        positions.append(chosen)
    return positions, touched


def named_by_first_claim(positions: list[int]) -> list[int]:
    """Each claim's cluster named by the index of its first claim, so two clusterings can be compared
    whatever order their clusters were numbered in."""
    first: dict[int, int] = {}
    return [first.setdefault(p, k) for k, p in enumerate(positions)]
