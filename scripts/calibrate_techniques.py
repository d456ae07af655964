"""Calibrate the persuasion-technique display: claimscope/data/technique_thresholds.npz.

    python scripts/calibrate_techniques.py [--precision 0.6] [--min-spans 5]

On the PTC dev split (every fifth article, held out from training), every span the pipeline detects (at its default
span threshold, so the spans a reader would see) is scored
against the gold technique spans: a detected span is right when it overlaps a gold span of the same technique. For
each technique the threshold kept is the lowest confidence at which the spans shown (confidence at or above it) reach
--precision, over at least --min-spans spans; a technique that never does is not shown by default. The analysis keeps
every span's confidence; only the display (and the default JSON) leave out the ones below their technique's
threshold (`claimscope analyze --all-techniques` shows them all).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimscope.engines.techniques import NEVER_SHOWN, THRESHOLDS_FILE, detect  # noqa: E402
from claimscope.evaluation.techniques import _documents, dev_split, read_articles, read_tc  # noqa: E402
from claimscope.pipeline import Pipeline  # noqa: E402
from claimscope.resources.models import command_line, write_manifest  # noqa: E402

PTC = ROOT.parent / "shared" / "data" / "ptc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precision", type=float, default=0.6)
    parser.add_argument("--min-spans", type=int, default=5)
    args = parser.parse_args()
    texts = read_articles(PTC / "articles")
    ids = sorted(dev_split(texts))
    gold = read_tc(PTC / "task2-TC.labels")
    scored: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    pipeline = Pipeline()
    for article, document in _documents(texts, ids, pipeline):
        spans = gold.get(article, [])
        for start, end, technique, confidence, _method in detect(document):  # at the default span threshold
            right = any(s < end and start < e and t == technique for s, e, t in spans)
            scored[technique].append((confidence, right))
    names, thresholds, precisions, shown = [], [], [], []
    for technique, rows in sorted(scored.items()):
        rows.sort(reverse=True)
        chosen, kept_precision, kept = NEVER_SHOWN, None, 0
        right = 0
        for count, (confidence, ok) in enumerate(rows, start=1):
            right += ok
            if count >= args.min_spans and right / count >= args.precision:
                chosen, kept_precision, kept = confidence, right / count, count
        names.append(technique)
        thresholds.append(chosen)
        precisions.append(kept_precision if kept_precision is not None else float("nan"))
        shown.append(kept)
        print(f"{technique:40s} threshold {chosen:.3f}  precision {kept_precision if kept_precision is not None else float('nan'):.3f} "
              f"over {kept} of {len(rows)} dev spans")
    np.savez(THRESHOLDS_FILE, names=np.array(names), thresholds=np.array(thresholds, dtype=np.float32),
             precision=np.array(precisions, dtype=np.float32), shown=np.array(shown), total=np.array([len(scored[n]) for n in names]))
    write_manifest(THRESHOLDS_FILE, command=command_line(), data=[PTC / "articles", PTC / "task2-TC.labels"],
                   settings={"precision": args.precision, "min_spans": args.min_spans, "split": "dev (every fifth article)"},
                   metrics={n: {"threshold": round(float(t), 3), "dev_precision": None if np.isnan(p) else round(float(p), 3), "shown": int(k)}
                            for n, t, p, k in zip(names, thresholds, precisions, shown)},
                   packages=["numpy", "python-crfsuite", "onnxruntime"],
                   notes="Per-technique display thresholds: the lowest confidence at which the shown dev spans reach the precision asked.")
    print(f"wrote {THRESHOLDS_FILE}")


if __name__ == "__main__":
    main()
