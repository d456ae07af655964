"""Score the attribution merge (rules + CRF, component attribution_tagger) on the tuning fifth of PolNeAR train.

    python scripts/tune_attribution_merge.py --polnear ../shared/data/polnear/data --tagger-work work/tagger

The shipped CRF saw all of train, so a merge rule judged on train articles with it would be judged
in-sample. This script fits the CRF again on four fifths of train (the tuning split of
scripts/train_attribution.py: every fifth article is held out), with the shipped model's settings,
gives the held-out articles the fine-tuned tagger's out-of-fold probabilities, runs the rules and the
merge on them in each order (``order``: quotes, rules, patterns) and scores them as `claimscope eval
attribution` scores PolNeAR dev. Changes to the merge are chosen on these figures, never on dev.
The fitted CRF is kept in --work and reused when it is there (delete it after changing the rules or
the features). About 20 minutes on 2 cores when it fits the CRF, 10 when it reuses it.
"""
from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

import pycrfsuite

from claimscope.engines import attribution_crf as attribution_model
from claimscope.analysers.attribution_tagger import ORDERS, attribution_tagger
from claimscope.engines.attribution_crf import MODEL_FILE, paragraph_features, rule_roles
from claimscope.evaluation.attribution import from_analysis, read_brat, score_articles
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article
from train_attribution import articles, fit_crf, gold_tags, tagger_probabilities, tuning_split


def score(items, settings: dict) -> dict:
    """Exact span F1 per role and full-attribution F1 of the merge over (annotation, document) pairs."""

    def merged(ann, document):
        document = copy.deepcopy(document)  # the merge rewrites the analysis
        attribution_tagger(document, settings)
        return document.text, read_brat(ann, document.text), from_analysis(document.analysis)

    result = score_articles(merged(ann, document) for ann, document in items)
    scores = {f"exact_{role}_F1": round(s["exact_f1"], 4) for role, s in result["roles"].items()}
    return scores | {"full_F1": round(result["full"]["f1"], 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, required=True, help="PolNeAR data folder (holding train/)")
    parser.add_argument("--tagger-work", type=Path, default=Path("work/tagger"), help="the folder train_attribution_tagger.py fitted (out-of-fold probabilities)")
    parser.add_argument("--work", type=Path, default=Path("work/merge-tune"), help="where the CRF fitted on four fifths of train is kept")
    args = parser.parse_args()
    started = time.time()
    anns = articles(args.polnear / "train")
    pipeline = Pipeline(Config.load(components=["sentences", "entities", "attribution"]))
    documents = list(pipeline.documents(Article(id=stem, text=text) for _ann, stem, text in anns))
    pipeline.close()
    print(f"{len(documents)} articles parsed and read by the rules ({time.time() - started:.0f}s)", flush=True)
    probs = tagger_probabilities(args.tagger_work, documents)
    fit, tune = tuning_split(len(documents))
    model = args.work / "fit.crfsuite"
    if not model.exists():
        settings = json.loads(Path(f"{MODEL_FILE}.manifest.json").read_text(encoding="utf-8"))["settings"]

        def sequences():
            for k in fit:
                tags = gold_tags(documents[k].doc, read_brat(anns[k][0], anns[k][2]))
                for start, end, features in paragraph_features(documents[k], rule_roles(documents[k]), probs[k]):
                    yield features, tags[start:end]

        args.work.mkdir(parents=True, exist_ok=True)
        fit_crf(sequences(), settings, settings["iterations"], model)
        print(f"fitted {model} on {len(fit)} articles ({time.time() - started:.0f}s)", flush=True)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    attribution_model.load_tagger = lambda _path: tagger  # tag_document reads the fitted CRF, not the shipped one
    items = []
    for k in tune:
        documents[k].tagger_probs = probs[k]
        items.append((anns[k][0], documents[k]))
    for order in ORDERS:
        print(f"order={order}: {score(items, {'order': order})} "
              f"({len(items)} tuning articles, {time.time() - started:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
