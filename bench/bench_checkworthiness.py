"""Check-worthiness scoring (sentences/s) and claim matching (queries/s against the 10k
CLEF-2020 verified claims), on CPU.

    python bench/bench_checkworthiness.py
"""
from __future__ import annotations

import time
from pathlib import Path

from claimscope.engines.checkworthiness import read_transcript, score
from claimscope.engines.claim_matching import ClaimIndex, read_queries

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    lines = [line.text for path in sorted((SHARED / "clef2020-checkworthiness" / "training").glob("*.tsv"))[:5] for line in read_transcript(path)]
    score(lines[:10])  # warm up
    started = time.perf_counter()
    score(lines)
    print(f"check-worthiness: {len(lines) / (time.perf_counter() - started):.0f} sentences/s ({len(lines)} sentences)")

    collection = SHARED / "clef2020-claim-retrieval" / "verified_claims.docs.tsv"
    started = time.perf_counter()
    index = ClaimIndex.for_collection(collection)
    print(f"claim index load/build: {time.perf_counter() - started:.1f} s for {len(index.claims)} verified claims")
    queries = [text for _, text in read_queries(SHARED / "clef2020-claim-retrieval" / "dev" / "tweets.queries.tsv")]
    index.search(queries[:5])
    started = time.perf_counter()
    index.search(queries, top=1000)
    print(f"claim matching: {len(queries) / (time.perf_counter() - started):.1f} queries/s ({len(queries)} queries, top 1000)")


if __name__ == "__main__":
    main()
