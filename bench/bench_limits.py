"""Oversized inputs: wall time and peak memory of `claimscope analyze` on them.

    python bench/bench_limits.py [--megabytes 10] [--at-budget]

Runs the CLI in a child process (as a user would) on (1) a plain-text article of --megabytes MB
made of real news paragraphs, (2) one line of two million characters, and with --at-budget
(3) an article just under the default analysis budget, which is analysed rather than refused.
For each: exit status, the first line of stderr, seconds and the child's peak resident memory.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimscope.analyzer import DEFAULT_MAX_CHARS

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "data" / "dev" / "text"


def paragraphs() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(POLNEAR.glob("*.txt"))] if POLNEAR.exists() else []
    return "\n\n".join(texts) or (ROOT / "tests" / "fixtures" / "belarus-iskander.txt").read_text(encoding="utf-8")


def grow(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


CHILD = """
import resource, sys
from claimscope.cli import main
sys.argv = ["claimscope", "analyze", sys.argv[1], "--format", "json"]
try:
    main()
finally:
    sys.stderr.write(f"\\nmaxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
"""


def run(path: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                          env=os.environ | {"PYTHONWARNINGS": "ignore"})
    seconds = time.perf_counter() - started
    errors, _, tail = done.stderr.rpartition("maxrss_kb=")
    first = (errors.strip().splitlines() or [""])[0]
    return {"exit": done.returncode, "stderr": first[:160], "seconds": seconds, "peak_mb": int(tail.split()[0]) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=10)
    parser.add_argument("--at-budget", action="store_true", help="also analyse an article just under the default budget")
    args = parser.parse_args()
    text = paragraphs()
    folder = Path(tempfile.mkdtemp())
    cases = {f"{args.megabytes:g} MB article": grow(text, int(args.megabytes * 1_000_000)),
             "2,000,000-character line": grow(text.replace("\n", " "), 2_000_000)}
    if args.at_budget:
        cases[f"{DEFAULT_MAX_CHARS - 1000:,}-character article (under the budget)"] = grow(text, DEFAULT_MAX_CHARS - 1000)
    for number, (name, body) in enumerate(cases.items()):
        path = folder / f"case{number}.txt"
        path.write_text(body, encoding="utf-8")
        result = run(path)
        print(f"{name}: exit {result['exit']} in {result['seconds']:.1f} s, peak RSS {result['peak_mb']:.0f} MB; {result['stderr'] or 'no error'}")


if __name__ == "__main__":
    main()
