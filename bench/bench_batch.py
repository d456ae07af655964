"""Batch throughput on a Dask LocalCluster (1 and 2 workers, same articles) and claim clustering
time, exact against ANN, with the agreement of their assignments.

    python bench/bench_batch.py [--articles 200] [--claims 1000 10000] [--json OUT.json]

Articles: the first --articles PolNeAR texts (real news; bench_ingest.corpus). Each worker count
runs on a warm cluster (the pipeline loaded by the worker plugin on a 2-article warm-up) into a
fresh SQLite store; the rate counts analysis, transfer and storing. Scaling efficiency is
rate(2 workers) / (2 x rate(1 worker)).

Clustering: (a) the claims the 2-worker run stored (their vectors and resolved speakers), clustered
exactly and with the HNSW index; agreement is the share of claims whose cluster (named by its first
claim) is the same in both; (b) the first 1,000 and 10,000 PolNeAR sentences encoded as claims with
20 speakers taken in turn, for time at scale.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import POLNEAR, corpus  # noqa: E402

from claimscope.corpus.batch import BatchOptions, connect, run_batch  # noqa: E402
from claimscope.engines.clustering import Clusters, assign, named_by_first_claim  # noqa: E402
from claimscope.store import Store  # noqa: E402


def write_jsonl(articles, path: Path) -> Path:
    path.write_text("".join(json.dumps({"id": a.id, "text": a.text, "source": a.source}) + "\n" for a in articles), encoding="utf-8")
    return path


def batch_rate(workers: int, corpus_file: Path, warmup_file: Path, folder: Path) -> tuple[float, Store]:
    with connect(None, workers=workers, threads_per_worker=1) as client:
        run_batch([str(warmup_file)], Store(str(folder / f"warm{workers}.sqlite")), client, options=BatchOptions(), max_bytes=10**9)
        store = Store(str(folder / f"batch{workers}.sqlite"))
        started = time.perf_counter()
        stats, errors = run_batch([str(corpus_file)], store, client, options=BatchOptions(), max_bytes=10**9)
        seconds = time.perf_counter() - started
    assert not errors, errors[:3]
    return stats["added"] / seconds, store


def compare(vectors: np.ndarray, speakers: list) -> dict:
    result = {"claims": len(vectors)}
    named = {}
    for method in ("exact", "ann"):
        started = time.perf_counter()
        positions, _ = assign(vectors, speakers, [""] * len(vectors), Clusters(), method=method)
        result[f"{method}_seconds"] = round(time.perf_counter() - started, 3)
        result[f"{method}_clusters"] = len(set(positions))
        named[method] = named_by_first_claim(positions)
    result["agreement"] = round(float(np.mean(np.array(named["exact"]) == np.array(named["ann"]))), 4)
    return result


def sentence_claims(count: int) -> tuple[np.ndarray, list]:
    from claimscope.engines.encoder import encoder

    sentences = []
    for path in sorted((POLNEAR / "train" / "text").glob("*.txt")):
        sentences += [s.strip() for s in path.read_text(encoding="utf-8").replace("\n", " ").split(". ") if len(s.split()) >= 6]
        if len(sentences) >= count:
            break
    sentences = sentences[:count]
    return encoder().embed(sentences), [f"speaker {k % 20}" for k in range(len(sentences))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--claims", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    articles = corpus(args.articles)
    corpus_file = write_jsonl(articles, folder / "corpus.jsonl")
    warmup_file = write_jsonl([a.model_copy(update={"id": f"warm{k}", "text": a.text + " (warm-up)"}) for k, a in enumerate(articles[:2])],
                              folder / "warmup.jsonl")
    report: dict = {"articles": len(articles)}
    rates = {}
    for workers in (1, 2):
        rates[workers], store = batch_rate(workers, corpus_file, warmup_file, folder)
        report[f"articles_per_s_{workers}_worker"] = round(rates[workers], 3)
        print(f"{workers} worker(s): {rates[workers]:.2f} articles/s", flush=True)
    report["scaling_efficiency"] = round(rates[2] / (2 * rates[1]), 3)
    print(f"scaling efficiency (2 workers): {report['scaling_efficiency']:.0%}")

    rows = [row for rows in store.iter_rows("claims", ["vector", "speaker_resolved", "published"]) for row in rows]
    vectors = np.vstack([np.frombuffer(r["vector"], dtype="<f4") for r in rows if r["vector"]])
    stored = compare(vectors, [r["speaker_resolved"] for r in rows if r["vector"]])
    report["clustering_stored_claims"] = stored
    print(f"clustering the {stored['claims']} claims of {len(articles)} articles: exact {stored['exact_seconds']} s, "
          f"ANN {stored['ann_seconds']} s, agreement {stored['agreement']:.2%}", flush=True)
    for count in args.claims:
        vectors, speakers = sentence_claims(count)
        result = compare(vectors, speakers)
        report[f"clustering_{count}_claims"] = result
        print(f"clustering {result['claims']} sentence claims: exact {result['exact_seconds']} s ({result['exact_clusters']} clusters), "
              f"ANN {result['ann_seconds']} s ({result['ann_clusters']} clusters), agreement {result['agreement']:.2%}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
