"""English MiniLM against multilingual e5 for claim similarity: quality and speed on the same machine.

    python bench/bench_encoders.py [--json OUT.json]

Quality in English: CheckThat! 2020 claim retrieval, dev split (tweets against 10,375 verified claims),
MAP@5 of plain cosine ranking with each encoder (no adapter, no BM25), i.e. how well each space puts
the same claim near itself. Quality across languages: the held-out (odd-numbered) Russian/English pairs
of tests/fixtures/crosslingual_pairs.tsv, share of pairs whose partner is the nearest of all the
other-language texts. Speed: sentences/s embedding the verified claims, in this process.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from claimscope.engines.claim_matching import map_at_k, read_qrels, read_queries, read_vclaims
from claimscope.engines.vectors import english_embed, multilingual_embed

ROOT = Path(__file__).resolve().parents[1]
CLEF = ROOT.parent / "shared" / "data" / "clef2020-claim-retrieval"
PAIRS = ROOT / "tests" / "fixtures" / "crosslingual_pairs.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    claims = read_vclaims(CLEF / "verified_claims.docs.tsv")
    queries = read_queries(CLEF / "dev" / "tweets.queries.tsv")
    qrels = read_qrels(CLEF / "dev" / "tweet-vclaim-pairs.qrels")
    rows = [line.split("\t") for line in PAIRS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")][1::2]
    report = {}
    for name, embed in (("minilm", english_embed), ("e5", multilingual_embed)):
        started = time.perf_counter()
        documents = embed([c.claim for c in claims])
        rate = len(claims) / (time.perf_counter() - started)
        asked = embed([text for _id, text in queries])
        ranked = {qid: [claims[k].id for k in np.argsort(-(documents @ vector))[:5]] for (qid, _t), vector in zip(queries, asked)}
        russian, english = embed([r[1] for r in rows]), embed([r[2] for r in rows])
        nearest = float(np.mean(np.argmax(russian @ english.T, axis=1) == np.arange(len(rows))))
        report[name] = {"clef_dev_map5": round(map_at_k(ranked, qrels, 5), 4), "crosslingual_pair_top1": round(nearest, 4),
                        "sentences_per_s": round(rate, 1)}
        print(name, report[name], flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
