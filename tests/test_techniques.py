"""Technique span identification: the CRF and the span head over the shared transformer pass."""
import json

import numpy as np
import pytest

from claimscope.engines import techniques
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article
from claimscope.resources.models import manifest_path


@pytest.fixture(scope="module")
def encoded():
    pipeline = Pipeline(Config.load(components=["sentences", "entities", "attribution_transformer"]))

    def encode(text: str):
        return next(pipeline.documents([Article(id="t", text=text)]))

    return encode


def test_the_span_settings_are_the_ones_the_training_script_chose():
    settings = json.loads(manifest_path(techniques.SI_MODEL).read_text())["settings"]
    assert (techniques.SI_THRESHOLD, techniques.HEAD_WEIGHT) == (settings["span_threshold"], settings["head_weight"])
    head = json.loads(manifest_path(techniques.SI_HEAD).read_text())
    assert head["settings"]["epochs"] == settings["head_epochs"] and head["metrics"]["dev_SI_F1"] > head["metrics"]["dev_SI_F1_crf_alone"]


def test_the_head_scores_loaded_words_above_a_neutral_report(encoded):
    document = encoded("The bloodthirsty butchers of the criminal regime slaughtered innocent children.\n"
                       "The committee will meet on Tuesday at the town hall.\n")
    inside = techniques.head_inside(document.token_vectors, document.token_table.is_space)
    first, second = document.doc.text.index("\n"), len(document.doc.text)
    by_sentence = [max(inside[t.i] for t in document.doc if start <= t.idx < end) for start, end in ((0, first), (first + 1, second))]
    assert ((0 <= inside) & (inside <= 1)).all() and not inside[[t.i for t in document.doc if t.is_space]].any()
    assert by_sentence[0] > 0.5 > by_sentence[1]


def test_a_span_is_a_run_of_tokens_over_the_threshold_within_a_sentence(encoded):
    document = encoded("Traitors lied. Then they fled.\n")
    doc = document.doc
    scores = np.zeros(len(doc), np.float32)
    scores[[0, 1, 4]] = 0.9  # "Traitors lied" and "they", across the sentence break after "lied ."
    spans = techniques.spans_of(doc, document.token_table, scores, 0.5)
    assert [(doc.text[s:e], round(p, 2)) for s, e, p in spans] == [("Traitors lied", 0.9), ("they", 0.9)]

