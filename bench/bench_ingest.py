"""Corpus ingest throughput, ledger query latency and peak memory.

    python bench/bench_ingest.py [--articles 1000] [--db /tmp/bench.sqlite]

The corpus: PolNeAR train+dev texts (real news) when ../shared is present, topped up to
--articles with lightly edited reprints (so near-duplicate detection is exercised); without
../shared, edited copies of the example article. Reports articles/s for ingest (analysis +
store), and in the same process articles/s for analysis alone on the first 100 articles, the
latency of ledger queries with filters (p50/p95), and the peak resident memory.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article
from claimscope.store import Store

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data"


def corpus(size: int) -> list[Article]:
    texts = [p.read_text(encoding="utf-8") for split in ("train", "dev") for p in sorted((POLNEAR / split / "text").glob("*.txt"))]
    texts = [t for t in texts if t.strip()] or [(ROOT / "tests" / "fixtures" / "belarus-iskander.txt").read_text()]
    rng = random.Random(0)
    articles = [Article(id=f"a{i}", text=t, source=f"outlet{i % 7}") for i, t in enumerate(texts[:size])]
    while len(articles) < size:
        original = rng.choice(texts)
        articles.append(Article(id=f"r{len(articles)}", text=original + f"\n(Reprint {len(articles)}.)", source=f"outlet{rng.randrange(7, 12)}"))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--config", default=None, help="pipeline config file or profile name (e.g. fast)")
    args = parser.parse_args()
    articles = corpus(args.articles)
    pipeline = Pipeline(Config.load(args.config))
    pipeline(articles[0])  # warm up models

    started = time.perf_counter()
    for article in articles[:100]:
        pipeline(article)
    analysis_rate = 100 / (time.perf_counter() - started)

    db = args.db or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    store = Store(db)
    started = time.perf_counter()
    for article in articles:
        if not store.has(article.text):
            store.add(pipeline(article))
    ingest_seconds = time.perf_counter() - started
    started = time.perf_counter()
    store.cluster_claims()
    cluster_seconds = time.perf_counter() - started

    speakers = [s["speaker"] for s in store.speakers(50)]
    rng = random.Random(1)
    latencies = []
    for _ in range(args.queries):
        filters = rng.choice([{"speaker": rng.choice(speakers)}, {"cue_class": "distancing"}, {"risk": True},
                              {"query": rng.choice(["election", "Clinton", "emails", "border"])}, {"outlet": "outlet3", "cue_class": "neutral"}])
        t0 = time.perf_counter()
        store.ledger(**filters, limit=200)
        latencies.append((time.perf_counter() - t0) * 1000)
    counts = store.counts()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(articles)} articles -> {counts['articles']} stored ({counts['duplicates']} near-duplicates), {counts['claims']} claims, {counts['clusters']} clusters")
    print(f"ingest (analysis + store): {len(articles) / ingest_seconds:.2f} articles/s ({ingest_seconds:.0f} s)")
    print(f"analysis alone, same process: {analysis_rate:.2f} articles/s; store overhead {1 - (len(articles) / ingest_seconds) / analysis_rate:.0%}")
    print(f"clustering: {counts['claims'] / cluster_seconds:.0f} claims/s")
    print(f"ledger queries: p50 {statistics.median(latencies):.1f} ms, p95 {statistics.quantiles(latencies, n=20)[18]:.1f} ms over {len(latencies)}")
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
