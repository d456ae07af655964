"""Throughput of the full analysis against spaCy parsing alone, on the same texts, same process,
plus cold start and peak memory of `claimscope analyze` on a three-sentence text.

    python bench/bench_pipeline.py [--texts DIR] [--limit N] [--repeat R] [--config fast] [--json OUT.json]
    python bench/bench_pipeline.py --config ru --texts ../shared/data/realnews-ru-dev   # Russian: against natasha's parse alone

Texts: PolNeAR dev articles when ../shared is present, else the example article repeated.
Parse-only runs the pipeline's own batched parse (one nlp.pipe over the paragraphs of a batch
of articles) in this process, so both sides batch the same way; the full analysis parses in its
parse process when the configuration and the cores allow one (`parse_process`), as a long run does.
Component times come from the pipeline's own timing hooks (Pipeline.timings): "pipelined" in the best full run (the transformers' thread shares the
cores, so main-thread components wait), "alone" the best of R more passes with every component run in
turn in one thread (each component's own cost). Best of R runs; parse-only and full alternate.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "data" / "dev" / "text"
EXAMPLE = ROOT / "tests" / "fixtures" / "belarus-iskander.txt"
THREE_SENTENCES = ("Lukashenko said that Belarus had deployed Iskander missiles along the border. "
                   "The Kremlin declined to comment. Ukraine's military said it saw no sign of new launchers.\n")
# Peak RSS from VmHWM, which a new program starts afresh; getrusage's ru_maxrss keeps the parent's peak across
# fork and exec, so it reported this benchmark's own ~1 GB instead of the command's.
RSS_WRAPPER = """
import re, sys
from claimscope.cli import main
sys.argv = ["claimscope", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
finally:
    peak = re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read()).group(1)
    sys.stderr.write(f"\\nmaxrss_kb={peak}\\n")
"""


def load_texts(folder: Path, limit: int) -> list[str]:
    if folder.exists():
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
        texts = [t for t in texts if t.strip()][:limit]
        if texts:
            return texts
    return [EXAMPLE.read_text(encoding="utf-8")] * limit


def throughput(pipeline: Pipeline, texts: list[str], repeat: int) -> dict:
    articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    list(pipeline.documents(articles[: pipeline.config.batch_size]))  # warm up: models, lexicons, the transformer pass
    # A long run's parse process (started at its second batch) is up by then; its start-up is not counted, as model loading is not.
    parse_process = pipeline.start_parse_process(wait=True)
    parse_best = full_best = float("inf")
    components: dict[str, float] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        for _doc in pipeline.parse(texts):
            pass
        parse_best = min(parse_best, time.perf_counter() - started)
        pipeline.timings.clear()
        started = time.perf_counter()
        for _document in pipeline.documents(articles):
            pass
        elapsed = time.perf_counter() - started
        if elapsed < full_best:
            full_best = elapsed
            components = {name: seconds / len(texts) * 1000 for name, seconds in pipeline.timings.items()}
    # Each component's own cost: passes with every component in this thread, one after another. In the
    # pipelined runs above the transformers' thread shares the cores, so those wall times include waiting.
    # Best of R such passes per component: on a shared machine a single pass varied by half.
    alone: dict[str, float] = {}
    for _ in range(repeat):
        pipeline.timings.clear()
        for first in range(0, len(articles), pipeline.config.batch_size):
            pipeline.run_batch(articles[first : first + pipeline.config.batch_size])
        for name, seconds in pipeline.timings.items():
            alone[name] = min(alone.get(name, float("inf")), seconds / len(texts) * 1000)
    return {"articles": len(texts), "words": sum(len(t.split()) for t in texts), "parse_process": parse_process, "parse_only_aps": len(texts) / parse_best,
            "full_aps": len(texts) / full_best, "ratio": parse_best / full_best,
            "components_ms": dict(sorted(components.items(), key=lambda kv: -kv[1])),
            "components_alone_ms": dict(sorted(alone.items(), key=lambda kv: -kv[1]))}


def cold_start(model: str, repeat: int) -> dict:
    """Wall time of `claimscope analyze` on a three-sentence file against loading spaCy and parsing the same text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "three.txt"
        path.write_text(THREE_SENTENCES, encoding="utf-8")
        spacy_only = [sys.executable, "-c", f"import spacy; nlp = spacy.load({model!r}); nlp(open({str(path)!r}).read())"]
        analyze = [sys.executable, "-c", RSS_WRAPPER, "analyze", str(path), "--format", "json"]
        best = {"spacy": float("inf"), "analyze": float("inf")}
        rss = 0
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        for _ in range(repeat):
            for name, command in (("spacy", spacy_only), ("analyze", analyze)):
                started = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
                best[name] = min(best[name], time.perf_counter() - started)
                if name == "analyze":
                    if done.returncode or '"claims"' not in done.stdout:
                        raise SystemExit(f"claimscope analyze failed: {done.stderr[-500:]}")
                    rss = max(rss, int(done.stderr.rsplit("maxrss_kb=", 1)[1].split()[0]))
    return {"spacy_load_parse_s": best["spacy"], "analyze_s": best["analyze"], "cold_start_ratio": best["analyze"] / best["spacy"],
            "analyze_peak_rss_mb": rss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--config", default=None, help="pipeline config file or profile name (e.g. fast)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--no-cold-start", action="store_true")
    args = parser.parse_args()
    pipeline = Pipeline(Config.load(args.config))
    result = throughput(pipeline, load_texts(args.texts, args.limit), args.repeat)
    print(f"{result['articles']} articles, {result['words']} words, best of {args.repeat} runs, {os.cpu_count()} cores")
    print(f"parse only       : {result['parse_only_aps']:8.2f} articles/s ({pipeline.config.model})")
    print(f"full analysis    : {result['full_aps']:8.2f} articles/s" + (" (parse in a second process)" if result["parse_process"] else ""))
    print(f"ratio full/parse : {result['ratio']:8.1%}")
    print(f"  {'ms/article':24s} {'pipelined':>9s} {'alone':>9s}")
    for name, ms in result["components_ms"].items():
        print(f"  {name:24s} {ms:9.1f} {result['components_alone_ms'].get(name, 0.0):9.1f}")
    if not args.no_cold_start and pipeline.config.model != "natasha_ru":
        result.update(cold_start(pipeline.config.model, args.repeat))
        print(f"cold start: claimscope analyze (3 sentences) {result['analyze_s']:.2f} s vs spacy.load + parse {result['spacy_load_parse_s']:.2f} s "
              f"= {result['cold_start_ratio']:.2f}x; peak RSS {result['analyze_peak_rss_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
