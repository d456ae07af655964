"""Throughput of the full analysis against spaCy parsing alone, on the same texts, same process.

    python bench/bench_pipeline.py [--texts DIR] [--limit N] [--repeat R]

Texts: PolNeAR dev articles when ../shared is present, else the example article repeated.
Prints articles/s for parse-only and for the full pipeline, and their ratio; also the time
spent in each component and technique spans/s.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from claimscope.document import Document
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Analysis, Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "data" / "dev" / "text"
EXAMPLE = ROOT / "tests" / "fixtures" / "belarus-iskander.txt"


def load_texts(folder: Path, limit: int) -> list[str]:
    if folder.exists():
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
        texts = [t for t in texts if t.strip()][:limit]
        if texts:
            return texts
    return [EXAMPLE.read_text(encoding="utf-8")] * limit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--config", default=None, help="pipeline config file or profile name (e.g. fast)")
    args = parser.parse_args()
    texts = load_texts(args.texts, args.limit)
    pipeline = Pipeline(Config.load(args.config))
    articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    pipeline(articles[0])  # warm up: models, lexicons, encoder

    parse_best = full_best = float("inf")
    per_component: dict[str, float] = defaultdict(float)
    spans = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        for _doc in pipeline.parse(texts):
            pass
        parse_best = min(parse_best, time.perf_counter() - started)

        started = time.perf_counter()
        spans = 0
        per_component.clear()
        for article in articles:
            doc = next(pipeline.parse([article.text]))
            document = Document(article=article, doc=doc, analysis=Analysis(article=article))
            document.scratch["config"] = pipeline.config
            for name, run in pipeline.components:
                t0 = time.perf_counter()
                run(document)
                per_component[name] += time.perf_counter() - t0
            spans += len(document.analysis.techniques)
        full_best = min(full_best, time.perf_counter() - started)

    n = len(texts)
    words = sum(len(t.split()) for t in texts)
    print(f"{n} articles, {words} words, best of {args.repeat} runs")
    print(f"spaCy parse only : {n / parse_best:8.2f} articles/s")
    print(f"full analysis    : {n / full_best:8.2f} articles/s")
    print(f"ratio full/parse : {parse_best / full_best:8.1%}")
    technique_time = per_component.get("techniques", 0.0)
    if technique_time:
        print(f"techniques       : {spans / technique_time:8.1f} spans/s, {n / technique_time:.2f} articles/s (component alone)")
    for name, seconds in sorted(per_component.items(), key=lambda kv: -kv[1]):
        print(f"  {name:20s} {seconds / n * 1000:8.1f} ms/article")


if __name__ == "__main__":
    main()
