"""Claim clustering by average linkage: new claims join each other and the known clusters, best pair first, while the
mean cosine between two groups reaches their threshold (claimscope.engines.clustering.assign).

Candidate pairs come from each new claim's nearest groups: ``exact`` finds them by every cosine, ``ann`` asks a faiss
HNSW index (bench/bench_batch.py measures how often the two agree).
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Literal, Optional

import numpy as np

Method = Literal["ann", "exact"]
CANDIDATES = 64  # nearest groups (claims and clusters) paired with each new claim in the ANN search
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


UNDATED = (np.iinfo(np.int64).min // 2, np.iinfo(np.int64).max // 2)  # a cluster without dates is within every window


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm else vector).astype(np.float32)


def assign(vectors: np.ndarray, speakers: list[Optional[str]], labels: list[str], clusters: Clusters, *,
           threshold: float = 0.75, other_speaker_threshold: float = 0.9, method: Method = "ann",
           languages: Optional[list[Optional[str]]] = None, cross_lingual_allowance: float = 0.0,
           days: Optional[list[Optional[int]]] = None, window_days: int = 0, link_threshold: float = 0.0) -> tuple[list[int], set[int]]:
    """Assign each vector to a cluster position in ``clusters``, which grows and updates in place; returns the position
    of each vector and the positions whose centroid changed.

    Average linkage, best pair first: the new claims and the known clusters are groups, and the two groups whose
    mean pairwise cosine most exceeds their threshold merge, until no pair reaches it (two known clusters never merge,
    so stored ids stay). The mean over all pairs is what keeps one story's claims together without chaining in the
    next day's story, as joining the nearest centroid in arrival order did. A pair's threshold is ``threshold`` when
    the groups' speakers agree, else ``other_speaker_threshold``, lowered by ``cross_lingual_allowance`` times the
    share of the pairs that cross languages (a multilingual encoder puts a statement and its translation further
    apart). Two groups also need one strong link: a claim of one whose cosine with a claim of the other (a cross-language
    pair's raised by the allowance) reaches ``link_threshold``, so that a claim restated somewhere ties them, not a
    shared topic alone. With ``days`` (date ordinals) and ``window_days``, groups merge only when their dated claims lie within
    that many days: a statement's coverage runs over days, and two like statements months apart are two claims.
    Candidate pairs come from each new claim's nearest groups (an HNSW index with ``ann``, every group with ``exact``)."""
    units = np.asarray(vectors, dtype=np.float32)
    units = units / np.maximum(np.linalg.norm(units, axis=1, keepdims=True), 1e-12)
    languages = languages or [None] * len(units)
    days = days or [None] * len(units)
    while len(clusters.languages) < len(clusters):
        clusters.languages.append(set())
    while len(clusters.days) < len(clusters):
        clusters.days.append(None)
    known = len(clusters)
    groups = _Groups(clusters, units, speakers, languages, days, threshold, other_speaker_threshold, cross_lingual_allowance, window_days,
                     link_threshold)
    heap: list[tuple[float, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        if a < known and b < known:
            return
        margin = groups.margin(a, b)
        if margin is not None and margin >= 0:
            heapq.heappush(heap, (-margin, min(a, b), max(a, b), groups.version[a], groups.version[b]))

    for a, neighbours in enumerate(_neighbours(groups.units(), known, method), start=known):
        for b in neighbours:
            if b != a:
                groups.link(a, b)
                push(a, b)
    while heap:
        _margin, a, b, version_a, version_b = heapq.heappop(heap)
        if not (groups.alive(a) and groups.alive(b)) or (groups.version[a], groups.version[b]) != (version_a, version_b):
            continue
        kept = groups.merge(a, b)
        for other in groups.neighbours[kept]:
            push(kept, other)
    positions: list[int] = []
    touched: set[int] = set()
    new_cluster: dict[int, int] = {}
    for k, (unit_vector, label, language, day) in enumerate(zip(units, labels, languages, days)):
        group = groups.find(known + k)
        if group < known:
            chosen = group
        elif group in new_cluster:
            chosen = new_cluster[group]
        else:
            chosen = new_cluster[group] = len(clusters)
            clusters.ids.append(None)
            clusters.speakers.append(speakers[k])
            clusters.means.append(np.zeros(units.shape[1], dtype=np.float64))
            clusters.sizes.append(0)
            clusters.labels[chosen] = label[:200]
            clusters.languages.append(set())
            clusters.days.append(None)
        clusters.join(chosen, unit_vector, language, day)
        touched.add(chosen)
        positions.append(chosen)
    return positions, touched


class _Groups:
    """The groups of average-linkage clustering: the known clusters (0 .. known-1) and the new claims, each with the sum
    of its unit vectors, its size, its languages, its speaker and its span of days."""

    def __init__(self, clusters: Clusters, units: np.ndarray, speakers, languages, days, threshold: float, other_speaker_threshold: float,
                 allowance: float, window: int, link_threshold: float):
        known = len(clusters)
        self.sums = [np.asarray(mean, dtype=np.float64) * size for mean, size in zip(clusters.means, clusters.sizes)] + [u.astype(np.float64) for u in units]
        self.sizes = list(clusters.sizes) + [1] * len(units)
        self.languages = [{language: size / len(found) for language in found} if found else {} for found, size in zip(clusters.languages, clusters.sizes)]
        self.languages += [{language: 1.0} if language else {} for language in languages]
        self.speakers = list(clusters.speakers) + list(speakers)
        self.days = list(clusters.days) + [(day, day) if day is not None else None for day in days]
        self.version = [0] * (known + len(units))
        self.parent = list(range(known + len(units)))  # a merged group's parent is the group it went into
        self.neighbours: list[set[int]] = [set() for _ in self.parent]
        self.threshold, self.other, self.allowance, self.window = threshold, other_speaker_threshold, allowance, window
        self.link_threshold = link_threshold
        self.strongest: dict[tuple[int, int], float] = {}  # the strongest claim-to-claim link seen between two groups

    def units(self) -> np.ndarray:
        return np.stack([unit(s) for s in self.sums]).astype(np.float32)

    def link(self, a: int, b: int) -> None:
        self.neighbours[a].add(b)
        self.neighbours[b].add(a)
        cosine = float(self.sums[a] @ self.sums[b]) / (self.sizes[a] * self.sizes[b])  # a claim and a claim or a cluster's mean
        if self.allowance and self.languages[a] and self.languages[b] and not set(self.languages[a]) & set(self.languages[b]):
            cosine += self.allowance
        key = (min(a, b), max(a, b))
        self.strongest[key] = max(self.strongest.get(key, -1.0), cosine)

    def margin(self, a: int, b: int) -> Optional[float]:
        """How far the mean cosine of the pairs between two groups lies above their threshold (None: outside the window, or
        no strong link between them)."""
        span_a, span_b = self.days[a], self.days[b]
        if self.window and span_a and span_b and (span_a[0] > span_b[1] + self.window or span_a[1] < span_b[0] - self.window):
            return None
        if self.strongest.get((min(a, b), max(a, b)), -1.0) < self.link_threshold:
            return None
        mean = float(self.sums[a] @ self.sums[b]) / (self.sizes[a] * self.sizes[b])
        limit = self.threshold if self.speakers[a] == self.speakers[b] else self.other
        if self.allowance and self.languages[a] and self.languages[b]:
            same = sum(count * self.languages[b].get(language, 0.0) for language, count in self.languages[a].items())
            limit -= self.allowance * (1.0 - same / (sum(self.languages[a].values()) * sum(self.languages[b].values())))
        return mean - limit

    def merge(self, a: int, b: int) -> int:
        """Merge two groups into the lower position (a known cluster, or the earlier claim); returns it."""
        kept, gone = min(a, b), max(a, b)
        self.sums[kept] = self.sums[kept] + self.sums[gone]
        self.sizes[kept] += self.sizes[gone]
        for language, count in self.languages[gone].items():
            self.languages[kept][language] = self.languages[kept].get(language, 0.0) + count
        span_a, span_b = self.days[kept], self.days[gone]
        self.days[kept] = (min(span_a[0], span_b[0]), max(span_a[1], span_b[1])) if span_a and span_b else span_a or span_b
        self.parent[gone] = kept
        self.version[kept] += 1
        self.neighbours[kept] = {k for k in self.neighbours[kept] | self.neighbours[gone] if self.alive(k) and k != kept}
        for k in self.neighbours[kept]:
            self.neighbours[k].discard(gone)
            self.neighbours[k].add(kept)
            links = [self.strongest.pop((min(g, k), max(g, k)), -1.0) for g in (kept, gone)]
            self.strongest[(min(kept, k), max(kept, k))] = max(links)
        return kept

    def alive(self, k: int) -> bool:
        return self.parent[k] == k

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            k = self.parent[k]
        return k


def _neighbours(units: np.ndarray, known: int, method: Method) -> list[np.ndarray]:
    """For each new claim (rows known..), the positions of its CANDIDATES nearest groups: by the exact cosines with
    ``exact``, from an HNSW index with ``ann``; all groups when there are no more than that."""
    count = len(units)
    if count <= CANDIDATES:
        return [np.arange(count) for _ in range(known, count)]
    if method == "exact":
        found = []
        for start in range(known, count, 1024):  # a block of rows at a time: the whole matrix of 10,000 claims is 400 MB
            scores = units[start : start + 1024] @ units.T
            found += list(np.argpartition(-scores, CANDIDATES - 1, axis=1)[:, :CANDIDATES])
        return found
    import faiss

    index = faiss.IndexHNSWFlat(units.shape[1], HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(units)
    _scores, found = index.search(units[known:], CANDIDATES)
    return [row[row >= 0] for row in found]


def named_by_first_claim(positions: list[int]) -> list[int]:
    """Each claim's cluster named by the index of its first claim, so two clusterings can be compared
    whatever order their clusters were numbered in."""
    first: dict[int, int] = {}
    return [first.setdefault(p, k) for k, p in enumerate(positions)]
