"""Corpus ingest throughput, ledger query latency and peak memory.

    python bench/bench_ingest.py [--articles 1000] [--db /tmp/bench.sqlite]

The corpus: PolNeAR train+dev texts (real news) when ../shared is present, topped up to
--articles with lightly edited reprints (so near-duplicate detection is exercised); without
../shared, edited copies of the example article. Reports articles/s for ingest (analysis +
store, through the code path of `claimscope ingest`), and in the same process articles/s for
analysis alone on the first 100 articles, the time to cluster the stored claims, the
latency of ledger queries with filters (p50/p95), and the peak resident memory (this process's; its
parse process's; and the two together, sampled).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

from claimscope.analyzer import Analyzer
from claimscope.pipeline import Config
from claimscope.records import Article
from claimscope.corpus.ingest_runs import ingest_items
from claimscope.store import Store

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data"


def _status_mb(pid: int | str, field: str) -> float:
    """A /proc/PID/status memory figure in MB (0 once the process is gone)."""
    try:
        return int(re.search(rf"{field}:\s*(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) / 1024
    except (OSError, AttributeError):
        return 0.0


class MemorySampler:
    """The largest sum of this process's and its parse process's resident memory, sampled in a thread.
    getrusage cannot give it: a child's figure carries the parent's size at the fork that started it."""

    interval = 0.01

    def __init__(self, pipeline):
        self.pipeline, self.peak_mb, self.done = pipeline, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(self.interval):
            parser = self.pipeline.parse_process
            self.peak_mb = max(self.peak_mb, _status_mb("self", "VmRSS") + (_status_mb(parser.process.pid, "VmRSS") if parser else 0))

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


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
    folder = Path(tempfile.mkdtemp())
    corpus_file = folder / "corpus.jsonl"
    corpus_file.write_text("".join(json.dumps({"id": a.id, "text": a.text, "source": a.source}) + "\n" for a in articles), encoding="utf-8")
    analyzer = Analyzer(Config.load(args.config))
    analyzer.pipeline()(articles[0])  # warm up models
    together = MemorySampler(analyzer.pipeline())

    started = time.perf_counter()
    for _ in analyzer.pipe(articles[:100]):
        pass
    analysis_rate = min(100, len(articles)) / (time.perf_counter() - started)

    store = Store(args.db or str(folder / "bench.sqlite"))
    started = time.perf_counter()
    _stats, errors = ingest_items(store, analyzer, [str(corpus_file)], max_bytes=10**9)  # the code path of `claimscope ingest`
    ingest_seconds = time.perf_counter() - started
    assert not errors, errors[:3]
    parser = analyzer.pipeline().parse_process
    parser_mb = _status_mb(parser.process.pid, "VmHWM") if parser else 0  # its own peak: VmHWM starts afresh at exec
    analyzer.close()  # as `claimscope ingest` does before clustering
    started = time.perf_counter()
    store.cluster_claims()
    cluster_seconds = time.perf_counter() - started

    speakers = [s.speaker for s in store.speakers(50)]
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
    together.stop()
    print(f"corpus: {len(articles)} articles -> {counts['articles']} stored ({counts['duplicates']} near-duplicates), {counts['claims']} claims, {counts['clusters']} clusters")
    print(f"ingest (analysis + store): {len(articles) / ingest_seconds:.2f} articles/s ({ingest_seconds:.0f} s)")
    print(f"analysis alone, same process: {analysis_rate:.2f} articles/s; store overhead {1 - (len(articles) / ingest_seconds) / analysis_rate:.0%}")
    print(f"clustering (ANN): {counts['claims']} claims in {cluster_seconds:.1f} s")
    print(f"ledger queries: p50 {statistics.median(latencies):.1f} ms, p95 {statistics.quantiles(latencies, n=20)[18]:.1f} ms over {len(latencies)}")
    print(f"peak resident memory: {peak_mb:.0f} MB" + (f"; parse process {parser_mb:.0f} MB; the two together {together.peak_mb:.0f} MB "
                                                        f"(sampled every {together.interval * 1000:.0f} ms)" if parser_mb else ""))


if __name__ == "__main__":
    main()
