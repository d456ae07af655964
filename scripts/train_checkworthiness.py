"""Train the check-worthiness model from CLEF-2020 CheckThat! Task 5 transcripts.

    python scripts/train_checkworthiness.py --data ../shared/data/clef2020-checkworthiness/training

Holds out the fixed dev split (every fifth debate), compares n-grams, embeddings and both on
dev MAP and writes the best (trained on the other debates only, so dev scores stay honest)
to claimscope/data/checkworthiness.joblib.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from claimscope.checkworthiness import MODEL_FILE, average_precision, dev_split, featurise, precision_at, read_transcript
from claimscope.embeddings import encoder


def fit(texts, labels, embeddings, weight, c):
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    classifier.fit(featurise(vectorizer, texts, embeddings if weight else None, weight), labels)
    return {"vectorizer": vectorizer, "classifier": classifier, "embedding_weight": weight}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    debates = {p.name: read_transcript(p) for p in sorted(args.data.glob("*.tsv"))}
    dev = dev_split(list(debates))
    texts = {name: [line.text for line in lines] for name, lines in debates.items()}
    labels = {name: [line.label or 0 for line in lines] for name, lines in debates.items()}
    embeddings = {name: encoder().encode(texts[name], batch_size=128) for name in debates}

    def pool(names):
        return (sum((texts[n] for n in names), []), sum((labels[n] for n in names), []), np.vstack([embeddings[n] for n in names]))

    train = [n for n in debates if n not in dev]
    x, y, e = pool(train)
    best = None
    for weight in (0.0, 1.0, 3.0):
        for c in (0.1, 1.0):
            model = fit(x, y, e, weight, c)
            aps, p10 = [], []
            for name in sorted(dev):
                features = featurise(model["vectorizer"], texts[name], embeddings[name] if weight else None, weight)
                scores = model["classifier"].predict_proba(features)[:, 1]
                aps.append(average_precision(labels[name], scores))
                p10.append(precision_at(labels[name], scores, 10))
            name = "n-grams" if not weight else f"n-grams + MiniLM (weight {weight})"
            print(f"{name}, C={c}: dev MAP {np.mean(aps):.4f}  P@10 {np.mean(p10):.3f}  ({len(dev)} debates)", flush=True)
            if best is None or np.mean(aps) > best[0]:
                best = (np.mean(aps), name, c, model)
    score, name, c, model = best
    joblib.dump(model, MODEL_FILE, compress=3)
    print(f"kept {name}, C={c} (dev MAP {score:.4f}); wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
