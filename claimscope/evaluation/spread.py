"""The spread evaluation (``claimscope eval spread --gold DIR``): ingest a folder of stories, each told
by several outlets, into a store and score how the store follows each claim across them.

The gold folder (bench/data/spread-dev is the development set) holds the articles, ``sources.tsv``
(file, story, url, outlet, domain, language, date, outlet_type), ``gold.jsonl`` (one line per sentence
that carries its story's claim, with its presentation) and ``stories.jsonl`` (per story: origin and
whether it was laundered). Scores:

- pairwise clustering precision/recall/F1 over the gold sentences: two sentences of one story should
  share a cluster, two of different stories should not. A sentence's cluster is that of the stored
  row (claim, or outlet-voice member) whose content overlaps it most; a sentence with no row has none.
- presentation accuracy over the gold sentences (a sentence with no row counts as wrong), and over
  the sentences that have one;
- laundering precision/recall over stories: a story is predicted laundered when the cluster that holds
  most of its sentences is.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select

from ..records import InputError

PRESENTATIONS = ("attributed", "relayed", "vague", "outlet_voice")


def read_gold(gold: Path) -> tuple[list[dict], list[dict], dict[str, dict]]:
    with open(gold / "sources.tsv", encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle, delimiter="\t"))
    sentences = [json.loads(line) for line in (gold / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    stories = {row["story"]: row for row in (json.loads(line) for line in (gold / "stories.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())}
    return sources, sentences, stories


def articles_of(gold: Path, sources: list[dict], same_day: bool = False):
    """The articles as a user would ingest them: the text, its publication date and the outlet's name (as --source).
    ``same_day`` puts every article on the first article's day: the window of days then separates nothing, as in a
    busy week of a real store, so the figures show what the vectors alone tell apart."""
    from ..ingest.readers import article_from_text, parse_date

    first = next((row.get("date") for row in sources if row.get("date")), None)
    for row in sources:
        day = re.match(r"\d{4}-\d{2}-\d{2}", (first if same_day else row.get("date")) or "")
        text = (gold / row["file"]).read_text(encoding="utf-8")
        article = article_from_text(row["file"], text, published=parse_date(day.group(0)) if day else None)
        article.source = row.get("outlet") or None
        yield article


def ingest_gold(gold: Path, store, analyzer, same_day: bool = False) -> list[str]:
    """Analyse and store every article of the gold folder; returns the input errors."""
    from ..corpus.ingest_runs import add_result

    sources, _sentences, _stories = read_gold(gold)
    stats: dict[str, int] = Counter()
    errors: list[InputError] = []
    for result in analyzer.pipe(articles_of(gold, sources, same_day)):
        if isinstance(result, InputError):
            errors.append(result)
        else:
            add_result(store, result, None, stats, errors)
    return [f"{e.input}: {e.reason}" for e in errors]


def _rows_by_file(store) -> dict[str, list[Any]]:
    from ..store.schema import articles, claims

    with store.engine.connect() as conn:
        rows = conn.execute(select(articles.c.input, claims.c.id, claims.c.cluster_id, claims.c.presentation, claims.c.content_start,
                                   claims.c.content_end).join(articles, claims.c.article_id == articles.c.id)).all()
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row.input, []).append(row)
    return found


def _prf(correct: int, predicted: int, gold: int) -> dict[str, Optional[float]]:
    precision = correct / predicted if predicted else None
    recall = correct / gold if gold else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score(gold: Path, store) -> dict[str, Any]:
    """The figures for a store that holds the gold folder's articles (see the module docstring)."""
    from ..store.schema import clusters

    _sources, sentences, stories = read_gold(gold)
    rows = _rows_by_file(store)
    with store.engine.connect() as conn:
        laundered = {row.id: bool(row.laundered) for row in conn.execute(select(clusters.c.id, clusters.c.laundered))}
    texts = {name: (gold / name).read_text(encoding="utf-8") for name in {item["file"] for item in sentences}}
    matched = []
    for item in sentences:
        start = texts[item["file"]].find(item["sentence"])
        end = start + len(item["sentence"])
        best, overlap = None, 0
        for row in rows.get(item["file"], []):
            if row.content_start is None:
                continue
            shared = min(end, row.content_end) - max(start, row.content_start)
            if shared > overlap:
                best, overlap = row, shared
        matched.append((item, best))
    clusters_of = [row.cluster_id if row is not None else None for _item, row in matched]
    # Purity: the stored rows of every cluster that holds a gold sentence, against that cluster's main story; a row
    # that carries no gold sentence is another claim of those articles, merged in by mistake.
    gold_rows = {row.id: item["story"] for item, row in matched if row is not None}
    cluster_of_row = {row.id: row.cluster_id for _item, row in matched if row is not None}
    stories_in: dict[int, Counter] = {}
    for row_id, story in gold_rows.items():
        stories_in.setdefault(cluster_of_row[row_id], Counter())[story] += 1
    gold_cluster_rows = [row for group in rows.values() for row in group if row.cluster_id in stories_in]
    pure = sum(gold_rows.get(row.id) == stories_in[row.cluster_id].most_common(1)[0][0] for row in gold_cluster_rows)
    gold_pairs = predicted_pairs = correct_pairs = 0
    for (a, ca), (b, cb) in combinations(zip([m[0] for m in matched], clusters_of), 2):
        same_story = a["story"] == b["story"]
        same_cluster = ca is not None and ca == cb
        gold_pairs += same_story
        predicted_pairs += same_cluster
        correct_pairs += same_story and same_cluster
    with_row = [(item, row) for item, row in matched if row is not None]
    presentation_right = sum(row.presentation == item["presentation"] for item, row in with_row)
    confusion = Counter((item["presentation"], row.presentation if row is not None else "no row") for item, row in matched)
    predicted_laundered, story_clusters = {}, {}
    for story in stories:
        members = [c for (item, _row), c in zip(matched, clusters_of) if item["story"] == story and c is not None]
        main = Counter(members).most_common(1)[0][0] if members else None
        story_clusters[story] = {"cluster": main, "sentences": sum(item["story"] == story for item, _ in matched),
                                 "in_main_cluster": members.count(main) if main is not None else 0}
        predicted_laundered[story] = bool(main is not None and laundered.get(main))
    gold_laundered = {story: bool(row.get("laundered")) for story, row in stories.items()}
    tp = sum(predicted_laundered[s] and gold_laundered[s] for s in stories)
    return {
        "sentences": len(sentences), "sentences_with_row": len(with_row), "stories": len(stories),
        "clustering": {**_prf(correct_pairs, predicted_pairs, gold_pairs), "gold_pairs": gold_pairs, "predicted_pairs": predicted_pairs},
        "purity": pure / len(gold_cluster_rows) if gold_cluster_rows else None, "members_of_gold_clusters": len(gold_cluster_rows),
        "presentation_accuracy": presentation_right / len(sentences) if sentences else None,
        "presentation_accuracy_with_row": presentation_right / len(with_row) if with_row else None,
        "presentation_confusion": {f"{g} -> {p}": n for (g, p), n in sorted(confusion.items())},
        "laundering": {**_prf(tp, sum(predicted_laundered.values()), sum(gold_laundered.values())),
                       "predicted": sorted(s for s, v in predicted_laundered.items() if v), "gold": sorted(s for s, v in gold_laundered.items() if v)},
        "stories_detail": story_clusters,
    }


def format_report(result: dict[str, Any]) -> str:
    def f(value):
        return "-" if value is None else f"{value:.3f}"

    c, l = result["clustering"], result["laundering"]
    lines = [
        f"{result['stories']} stories, {result['sentences']} gold sentences ({result['sentences_with_row']} with a stored row)",
        f"clustering (pairwise over gold sentences): P {f(c['precision'])}  R {f(c['recall'])}  F1 {f(c['f1'])}  "
        f"({c['predicted_pairs']} predicted pairs, {c['gold_pairs']} gold)",
        f"cluster purity (members of the gold sentences' clusters that carry their story's claim): {f(result['purity'])} "
        f"of {result['members_of_gold_clusters']}",
        f"presentation accuracy: {f(result['presentation_accuracy'])} (over sentences with a row: {f(result['presentation_accuracy_with_row'])})",
        f"laundering: P {f(l['precision'])}  R {f(l['recall'])}  F1 {f(l['f1'])}  predicted {l['predicted']}",
        "presentation confusion (gold -> predicted): " + ", ".join(f"{k}: {v}" for k, v in result["presentation_confusion"].items()),
    ]
    return "\n".join(lines)
