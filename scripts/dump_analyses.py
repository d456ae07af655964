"""Whole analyses of a fixed set of articles, to show that a refactoring changed nothing (or exactly what it meant to).

    python scripts/dump_analyses.py OUT_DIR                 # write OUT_DIR/<set>/<article>.json
    python scripts/dump_analyses.py OUT_DIR --compare BASE  # also list the articles whose analysis differs from BASE

The set: the example article, the first 50 PolNeAR dev articles, realnews-dev, realnews-dev2 and realnews-ru-dev (from
../shared/data), each analysed as `claimscope analyze FILE --format json` does.
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimscope.analyzer import Analyzer  # noqa: E402
from claimscope.ingest import read_inputs  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {
    "example": [SHARED / "examples" / "belarus-iskander.txt"],
    "polnear-dev": sorted((SHARED / "data" / "polnear" / "data" / "dev" / "text").glob("*.txt"))[:50],
    "realnews-dev": sorted((SHARED / "data" / "realnews-dev").glob("[0-9][0-9]-*.txt")),
    "realnews-dev2": sorted((SHARED / "data" / "realnews-dev2").glob("[0-9][0-9]-*.txt")),
    "realnews-ru-dev": sorted((SHARED / "data" / "realnews-ru-dev").glob("[0-9][0-9]-*.txt")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, default=None, help="a folder written by an earlier run")
    args = parser.parse_args()
    analyzer = Analyzer()
    for name, paths in SETS.items():
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        for path, result in zip(paths, analyzer.pipe(read_inputs([str(p) for p in paths]))):
            text = result.model_dump_json(indent=1) if hasattr(result, "model_dump_json") else f"error: {result.reason}"
            (folder / f"{path.stem}.json").write_text(text + "\n", encoding="utf-8")
    analyzer.close()
    if args.compare:
        changed = 0
        for mine in sorted(args.out.rglob("*.json")):
            base = args.compare / mine.relative_to(args.out)
            before = base.read_text(encoding="utf-8").splitlines() if base.exists() else []
            after = mine.read_text(encoding="utf-8").splitlines()
            if before != after:
                changed += 1
                print(f"--- {mine.relative_to(args.out)}")
                print("\n".join(list(difflib.unified_diff(before, after, lineterm="", n=1))[2:40]))
        print(f"{changed} analyses differ")


if __name__ == "__main__":
    main()
