"""Build the technique cue lexicon (claimscope/data/technique_cues.tsv) from the PTC training labels.

    python scripts/build_technique_cues.py --ptc ../shared/data/ptc

A lemma (or two-lemma phrase) becomes a cue for a technique when, over the training articles
(every article not in the fixed dev split), it occurs at least MIN_COUNT times in at least
MIN_ARTICLES articles (so that one article's topic does not become a cue) and at least
MIN_PRECISION of its occurrences lie inside a gold span of that technique. Repetition is left
out: it is a property of an article, not of a word. Nothing is added by hand, so the lexicon
holds only what the corpus supports; dev articles are never read.
"""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from claimscope.evaluation.techniques import dev_split, read_articles, read_tc
from claimscope.resources.lexicons import DATA
from claimscope.pipeline import Config, Pipeline

MIN_COUNT, MIN_ARTICLES, MIN_PRECISION = 4, 3, 0.6
CONTEXTUAL = {"Repetition"}
STOP_POS = {"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT", "NUM", "SPACE", "SYM", "X", "PROPN"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ptc", type=Path, required=True)
    args = parser.parse_args()
    texts = read_articles(args.ptc / "articles")
    labels = read_tc(args.ptc / "task2-TC.labels")
    train = sorted(a for a in texts if a not in dev_split(texts))
    parser_only = Pipeline(Config.load(components=[]))
    total: Counter = Counter()
    articles: dict[tuple[str, ...], set[str]] = defaultdict(set)
    inside: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for article, doc in zip(train, parser_only.parse(texts[a] for a in train)):
        spans = labels.get(article, [])
        tokens = [t for t in doc if not t.is_space]
        for size in (1, 2):
            for i in range(len(tokens) - size + 1):
                window = tokens[i : i + size]
                if any(t.pos_ in STOP_POS or not t.is_alpha for t in window):
                    continue
                key = tuple(t.lemma_.lower() for t in window)
                start, end = window[0].idx, window[-1].idx + len(window[-1])
                total[key] += 1
                articles[key].add(article)
                for technique in {t for s, e, t in spans if s <= start and end <= e and t not in CONTEXTUAL}:
                    inside[key][technique] += 1
    rows = []
    for key, count in total.items():
        if count < MIN_COUNT or len(articles[key]) < MIN_ARTICLES or not inside[key]:
            continue
        technique, hits = inside[key].most_common(1)[0]
        if hits / count >= MIN_PRECISION:
            rows.append((" ".join(key), technique, hits, count))
    rows.sort(key=lambda r: (r[1], -r[2] / r[3], r[0]))
    header = (
        "# Technique cue lexicon, built by scripts/build_technique_cues.py from the PTC training labels\n"
        f"# (SemEval-2020 Task 11, dev articles excluded): a lemma or two-lemma phrase occurring >= {MIN_COUNT} times in\n"
        f"# >= {MIN_ARTICLES} articles, >= {MIN_PRECISION:.0%} of them inside a gold span of the technique. Do not edit by hand: rebuild.\n"
        "# lemmas <TAB> technique <TAB> extent (word) <TAB> precision on train (inside/occurrences)\n"
    )
    body = "".join(f"{phrase}\t{technique}\tword\t{hits}/{count}\n" for phrase, technique, hits, count in rows)
    (DATA / "technique_cues.tsv").write_text(header + body, encoding="utf-8")
    print(f"wrote {len(rows)} cues to {DATA / 'technique_cues.tsv'}")


if __name__ == "__main__":
    main()
