"""SemEval-2020 Task 11 scorers and file formats.

SI: span F1 with partial-overlap credit (Da San Martino et al., 2019): precision is the sum,
over predicted spans s and gold spans t of the same article, of |s & t| / |s|, divided by the
number of predicted spans; recall the same with |t| and the number of gold spans.
TC: micro-F1 over gold spans: a prediction (article, start, end, technique) is correct when a
gold span with those offsets carries that technique (each gold label matched at most once).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

Span = tuple[int, int]


def read_articles(folder: Path) -> dict[str, str]:
    """article id -> text, for files named article<ID>.txt."""
    return {p.stem.removeprefix("article"): p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("article*.txt"))}


def read_si(path: Path) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            article, start, end = line.split("\t")[:3]
            spans[article].append((int(start), int(end)))
    return spans


def read_tc(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    labels: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            article, technique, start, end = line.split("\t")[:4]
            labels[article].append((int(start), int(end), technique))
    return labels


def dev_split(ids: Iterable[str]) -> set[str]:
    """The fixed dev split: every fifth article id in sorted order."""
    return {article for i, article in enumerate(sorted(ids)) if i % 5 == 0}


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def si_scores(gold: dict[str, list[Span]], pred: dict[str, list[Span]], articles: Iterable[str]) -> dict[str, float]:
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for article in articles:
        g, p = gold.get(article, []), pred.get(article, [])
        n_pred += len(p)
        n_gold += len(g)
        for s in p:
            p_sum += sum(_overlap(s, t) for t in g) / max(1, s[1] - s[0])
        for t in g:
            r_sum += sum(_overlap(s, t) for s in p) / max(1, t[1] - t[0])
    precision = min(1.0, p_sum / n_pred) if n_pred else 0.0
    recall = min(1.0, r_sum / n_gold) if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold, "pred": n_pred}


def span_technique_scores(gold: dict[str, list[tuple[int, int, str]]], pred: dict[str, list[tuple[int, int, str]]], articles: Iterable[str]) -> dict[str, float]:
    """Span + technique F1: the SI measure (partial-overlap credit) where a predicted span only overlaps gold spans of its
    own technique (SemEval-2020 Task 11's official TC scorer on predicted spans, read per technique)."""
    articles = list(articles)
    techniques = sorted({t for source in (gold, pred) for a in articles for *_, t in source.get(a, [])})

    def by_technique(source):
        return {(a, t): [(s, e) for s, e, label in source.get(a, []) if label == t] for a in articles for t in techniques}

    return si_scores(by_technique(gold), by_technique(pred), [(a, t) for a in articles for t in techniques])


def tc_scores(gold: dict[str, list[tuple[int, int, str]]], pred: dict[str, list[tuple[int, int, str]]], articles: Iterable[str]) -> dict[str, float]:
    correct = n_pred = n_gold = 0
    per_class: Counter = Counter()
    for article in articles:
        g = Counter(gold.get(article, []))
        p = pred.get(article, [])
        n_gold += sum(g.values())
        n_pred += len(p)
        for item in p:
            if g[item] > 0:
                g[item] -= 1
                correct += 1
                per_class[item[2]] += 1
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold, "pred": n_pred}


def write_predictions(rows: Iterable[tuple[str, str, int, int]], path: Path) -> None:
    """SemEval TC format: article id, technique, start, end (end exclusive), tab-separated."""
    with open(path, "w", encoding="utf-8") as handle:
        for article, technique, start, end in rows:
            handle.write(f"{article}\t{technique}\t{start}\t{end}\n")


ENCODED = ["sentences", "entities", "attribution_transformer"]


def _documents(texts: dict[str, str], ids: list[str], pipeline):
    from ..pipeline import Config, Pipeline
    from ..records import Article

    encoded = Pipeline(Config.load(model=pipeline.config.model, components=ENCODED))
    return zip(ids, encoded.documents(Article(id=a, text=texts[a]) for a in ids))


def evaluate_ptc(folder: Path, split: str, pipeline) -> str:
    """SI and TC scores of the technique models on a PTC-style folder (all articles or the dev split)."""
    from ..engines.techniques import SI_THRESHOLD, classify_spans, detect, display_thresholds, shown as shown_by_default

    texts = read_articles(Path(folder) / "articles")
    if not texts:
        raise FileNotFoundError(f"no article*.txt files under {Path(folder) / 'articles'}")
    ids = sorted(dev_split(texts)) if split == "dev" else sorted(texts)
    si_gold, tc_gold = read_si(Path(folder) / "task1-SI.labels"), read_tc(Path(folder) / "task2-TC.labels")
    settings = pipeline.settings.get("techniques", {})
    si_pred, tc_pred, joint, shown = {}, {}, {}, {}
    thresholds = display_thresholds()
    for article, document in _documents(texts, ids, pipeline):
        found = detect(document, settings.get("span_threshold", SI_THRESHOLD))
        si_pred[article] = [(s, e) for s, e, *_ in found]
        joint[article] = [(s, e, t) for s, e, t, *_ in found]
        shown[article] = [(s, e, t) for s, e, t, *_ in shown_by_default(found, thresholds)]
        spans = [(s, e) for s, e, _ in tc_gold.get(article, [])]
        tc_pred[article] = [(s, e, label) for (s, e), (label, _) in zip(spans, classify_spans(document, spans))]
    si, tc = si_scores(si_gold, si_pred, ids), tc_scores(tc_gold, tc_pred, ids)
    both, display = span_technique_scores(tc_gold, joint, ids), span_technique_scores(tc_gold, shown, ids)
    return (
        f"SemEval-2020 Task 11, {len(ids)} articles ({split})\n"
        f"SI span F1 (partial overlap): P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f} (gold {si['gold']}, pred {si['pred']})\n"
        f"span + technique F1 (partial overlap, same technique): P {both['precision']:.3f} R {both['recall']:.3f} F1 {both['f1']:.3f}\n"
        f"  shown by default (calibrated thresholds): P {display['precision']:.3f} R {display['recall']:.3f} F1 {display['f1']:.3f} (pred {display['pred']})\n"
        f"TC micro-F1 over gold spans: P {tc['precision']:.3f} R {tc['recall']:.3f} F1 {tc['f1']:.3f} (gold {tc['gold']})"
    )


def predict_ptc(articles_dir: Path, out_file: Path, pipeline) -> tuple[int, int]:
    from ..engines.techniques import SI_THRESHOLD, detect

    texts = read_articles(articles_dir)
    settings = pipeline.settings.get("techniques", {})
    rows = []
    for article, document in _documents(texts, sorted(texts), pipeline):
        rows += [(article, technique, start, end) for start, end, technique, _c, _m in detect(document, settings.get("span_threshold", SI_THRESHOLD))]
    write_predictions(rows, out_file)
    return len(rows), len(texts)
