"""Concurrent writers on one store: throughput and the store's invariants.

    python bench/bench_concurrency.py [--writers 2] [--articles 12] [--db URL] [--config fast] [--json OUT]

Runs the baseline first, one `claimscope ingest` process over all N x M articles, then N `claimscope ingest`
processes at once, each over its own M articles (with a few articles given to every writer, so that the
same text arrives from several writers), each into a fresh store; then re-runs every writer to show that
a re-run adds nothing. Reports articles/s for each (wall time from the first process's start to the last
one's end) and the violations `claimscope check` finds (none expected). Articles: realnews-dev and PolNeAR dev texts when
../shared is present, else edited copies of the example article. --db: a PostgreSQL URL to run on that
server (its tables are dropped first); by default fresh SQLite files in a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimscope.store import Store, check

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SHARED_ARTICLES = 2  # given to every writer


def texts(count: int) -> list[str]:
    found = sorted(DATA.glob("realnews-dev/*.txt")) + sorted(DATA.glob("polnear/data/dev/text/*"))
    out = [path.read_text(encoding="utf-8") for path in found[:count]]
    example = (ROOT.parent / "shared" / "examples" / "belarus-iskander.txt")
    base = example.read_text(encoding="utf-8") if example.exists() else (ROOT / "tests" / "fixtures" / "belarus-iskander.txt").read_text(encoding="utf-8")
    while len(out) < count:
        out.append(base + f"\nEdition {len(out)}.")
    return out


def fresh(url: str | None, folder: Path, name: str) -> str:
    if url is None:
        return str(folder / f"{name}.sqlite")
    from sqlalchemy import create_engine, text

    with create_engine(url).begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS claims, articles, clusters CASCADE"))
    return url


def ingest(db: str, folders: list[Path], config: str | None) -> tuple[float, list[str]]:
    """Run one `claimscope ingest` per folder at once; seconds from the first start to the last end, and their last lines."""
    command = [sys.executable, "-m", "claimscope.cli", "ingest", "--db", db] + (["--config", config] if config else [])
    started = time.perf_counter()
    runs = [subprocess.Popen([*command, str(folder)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) for folder in folders]
    lines = []
    for run in runs:
        _out, stderr = run.communicate()
        lines.append((stderr.strip().splitlines() or [""])[-1])
        if run.returncode:
            raise SystemExit(f"ingest failed (status {run.returncode}): {stderr[-2000:]}")
    return time.perf_counter() - started, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--articles", type=int, default=12, help="articles per writer (besides the shared ones)")
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite files in a temporary folder)")
    parser.add_argument("--config", default=None, help="pipeline config or profile for the writers (e.g. fast)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = texts(args.writers * args.articles + SHARED_ARTICLES)
        shared, own = corpus[:SHARED_ARTICLES], corpus[SHARED_ARTICLES:]
        writer_folders = []
        for w in range(args.writers):
            target = folder / f"writer{w}"
            target.mkdir()
            for k, text in enumerate(shared + own[w * args.articles:(w + 1) * args.articles]):
                (target / f"{k:03d}.txt").write_text(text, encoding="utf-8")
            writer_folders.append(target)
        everything = folder / "all"
        everything.mkdir()
        for k, text in enumerate(corpus):
            (everything / f"{k:03d}.txt").write_text(text, encoding="utf-8")
        total = len(corpus)
        results = {}
        for name, folders in (("one writer", [everything]), (f"{args.writers} writers", writer_folders)):
            db = fresh(args.db, folder, name.replace(" ", "-"))
            seconds, lines = ingest(db, folders, args.config)
            store = Store(db, create=False)
            violations = [v.message for v in check(store)]
            before = store.counts()
            rerun_seconds, rerun_lines = ingest(db, folders, args.config)
            after = store.counts()
            results[name] = {"articles": total, "seconds": round(seconds, 2), "articles_per_s": round(total / seconds, 3),
                             "violations": violations, "violations_after_rerun": [v.message for v in check(store)],
                             "rerun_added_nothing": before == after, "store": after, "last_lines": lines + rerun_lines}
            print(f"{name:>12}: {total} articles in {seconds:6.1f} s = {total / seconds:5.2f} articles/s | "
                  f"violations {len(violations)} | re-run adds nothing: {before == after} | {after}")
        one, many = results["one writer"], results[f"{args.writers} writers"]
        ratio = many["articles_per_s"] / one["articles_per_s"]
        print(f"throughput {args.writers} writers / one writer: {ratio:.2f}")
        if args.json:
            args.json.write_text(json.dumps({"results": results, "ratio": round(ratio, 3), "writers": args.writers,
                                             "backend": "postgresql" if args.db else "sqlite"}, indent=2, default=str))


if __name__ == "__main__":
    main()
