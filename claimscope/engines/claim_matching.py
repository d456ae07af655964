"""Matching claims against previously verified claims (fact-checks).

Two rankers fused: BM25 over the verified claim and its title (rank_bm25) and cosine
similarity of all-MiniLM-L6-v2 embeddings (mean over claim and title), both sides mapped by a
small linear adapter trained on CLEF-2020 Task 2 train pairs (data/claim_adapter.npy). The embeddings are
computed once per collection and saved (~/.cache/claimscope or --index), keyed by its hash.
Also the CLEF-2020 CheckThat! Task 2 formats and metrics (MAP@k, MRR).
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..resources.lexicons import DATA

TOKEN = re.compile(r"[a-z0-9]+")
URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")
STOP = frozenset("a an the of to in and or is are was were be been it its on for with as at by that this from".split())
BM25_WEIGHT = 0.3  # without a trained adapter; the adapter file carries the weight chosen with it
ADAPTER_FILE = DATA / "claim_adapter.npz"


@dataclass
class VerifiedClaim:
    id: str
    claim: str
    title: str = ""
    verdict: str = ""


def tokens(text: str) -> list[str]:
    return [t for t in TOKEN.findall(URL.sub(" ", text.lower())) if t not in STOP]


def read_vclaims(path: Path) -> list[VerifiedClaim]:
    """TSV with a header (id, vclaim, title[, verdict]) as in CLEF-2020, or JSONL with id/claim/title/verdict."""
    path = Path(path)
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [VerifiedClaim(str(r["id"]), r.get("claim") or r["vclaim"], r.get("title", ""), r.get("verdict", "")) for r in records]
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))  # quoted fields may hold line breaks
    header = [h.strip().lower() for h in rows[0]]
    column = {name: header.index(name) for name in ("vclaim", "title", "verdict") if name in header}
    if "vclaim" not in column:
        raise ValueError(f"{path}: header must name a 'vclaim' column")
    result = []
    for row in rows[1:]:
        if len(row) <= column["vclaim"]:
            continue
        get = lambda name: row[column[name]] if name in column and len(row) > column[name] else ""  # noqa: E731
        result.append(VerifiedClaim(row[0], get("vclaim"), get("title"), get("verdict")))
    return result


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(query id, text) from a CLEF-2020 Task 2 tweets.queries.tsv (header line first)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row[0], row[1]) for row in rows[1:] if len(row) >= 2]


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "0":
            relevant.setdefault(parts[0], set()).add(parts[2])
    return relevant


class ClaimIndex:
    def __init__(self, claims: list[VerifiedClaim], claim_vectors: np.ndarray, title_vectors: np.ndarray, adapter: bool = True):
        from rank_bm25 import BM25Okapi

        self.claims = claims
        self.claim_vectors = claim_vectors
        self.title_vectors = title_vectors
        self.bm25 = BM25Okapi([tokens(c.claim + " " + c.title) or ["_"] for c in claims])
        self.adapter, self.bm25_weight = load_adapter() if adapter else (None, BM25_WEIGHT)

    @classmethod
    def build(cls, claims: list[VerifiedClaim], progress: Optional[Callable[[int, int], None]] = None, adapter: bool = True) -> "ClaimIndex":
        """Encode every verified claim and its title (in chunks, reporting progress as (done, total) texts)."""
        from .encoder import encoder

        texts = [c.claim for c in claims] + [c.title or c.claim for c in claims]
        vectors = []
        for first in range(0, len(texts), 512):
            vectors.append(encoder().embed(texts[first : first + 512]))
            if progress:
                progress(min(first + 512, len(texts)), len(texts))
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 384), np.float32)
        return cls(claims, matrix[: len(claims)], matrix[len(claims) :], adapter)

    @classmethod
    def for_collection(cls, path: Path, index_dir: Path | None = None, progress: Optional[Callable[[int, int], None]] = None,
                       adapter: bool = True) -> "ClaimIndex":
        """Load the saved index of a collection, building and saving it on first use (``adapter=False``: the plain
        encoder, for training the adapter)."""
        claims = read_vclaims(path)
        if not claims:
            raise ValueError(f"{path}: no verified claims")
        digest = f"{hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]}-{len(claims)}-minilm-int8"
        index_dir = Path(index_dir or Path.home() / ".cache" / "claimscope" / "claim-index")
        vectors = index_dir / f"{digest}.npz"
        if vectors.exists():
            data = np.load(vectors)
            return cls(claims, data["claims"], data["titles"], adapter)
        index = cls.build(claims, progress, adapter)
        index_dir.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(vectors, claims=index.claim_vectors, titles=index.title_vectors)
        return index

    def scores(self, queries: list[str]) -> np.ndarray:
        """Fused relevance of every verified claim for each query (queries x claims)."""
        from .encoder import encoder

        q = encoder().embed(queries)
        claims, titles = self.claim_vectors, self.title_vectors
        if self.adapter is not None:  # the trained linear map (scripts/train_claim_adapter.py)
            q, claims, titles = (_unit(m @ self.adapter) for m in (q, claims, titles))
        return fuse((q @ claims.T + q @ titles.T) / 2, self.lexical_scores(queries), self.bm25_weight)

    def lexical_scores(self, queries: list[str]) -> np.ndarray:
        """BM25 of every verified claim for each query, scaled so each query's best is 1."""
        lexical = np.vstack([self.bm25.get_scores(tokens(text) or ["_"]) for text in queries])
        return lexical / np.maximum(lexical.max(axis=1, keepdims=True), 1e-9)

    def search(self, queries: list[str], top: int = 5) -> list[list[tuple[VerifiedClaim, float]]]:
        results = []
        for row in self.scores(queries):
            order = np.argsort(-row)[:top]
            results.append([(self.claims[i], float(row[i])) for i in order])
        return results


def fuse(dense, lexical, bm25_weight: float = BM25_WEIGHT):
    """The ranking score: cosine similarity and scaled BM25, weighted (numpy arrays or torch tensors)."""
    return (1 - bm25_weight) * dense + bm25_weight * lexical


def load_adapter() -> tuple[Optional[np.ndarray], float]:
    """The trained linear map and the BM25 weight chosen with it (scripts/train_claim_adapter.py)."""
    from ..resources.models import ModelFileError, require

    path = require(ADAPTER_FILE.name)
    try:
        data = np.load(path)
        return data["adapter"], float(data["bm25_weight"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"model file {path} cannot be loaded ({exc}); rebuild it with scripts/train_claim_adapter.py") from None


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def map_at_k(run: dict[str, list[str]], qrels: dict[str, set[str]], k: int) -> float:
    """Mean average precision at k over the queries in qrels (CLEF-2020 Task 2 official metric)."""
    total = 0.0
    for query, relevant in qrels.items():
        ranked = run.get(query, [])[:k]
        hits, precision_sum = 0, 0.0
        for rank, doc in enumerate(ranked, start=1):
            if doc in relevant:
                hits += 1
                precision_sum += hits / rank
        total += precision_sum / min(len(relevant), k)
    return total / len(qrels) if qrels else 0.0


def mrr(run: dict[str, list[str]], qrels: dict[str, set[str]]) -> float:
    total = 0.0
    for query, relevant in qrels.items():
        for rank, doc in enumerate(run.get(query, []), start=1):
            if doc in relevant:
                total += 1 / rank
                break
    return total / len(qrels) if qrels else 0.0


def read_run(path: Path) -> dict[str, list[str]]:
    ranked: dict[str, list[tuple[int, str]]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            ranked.setdefault(parts[0], []).append((int(parts[3]), parts[2]))
    return {q: [d for _, d in sorted(items)] for q, items in ranked.items()}
