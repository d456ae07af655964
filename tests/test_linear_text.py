"""The shipped linear text models run without scikit-learn and give its probabilities."""
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from claimscope.engines import linear_text
from claimscope.engines.techniques import field_context, field_meta, field_span, tc_matrix

TEXTS = [
    "The ministry said the strike hit a fuel depot near the border.",
    "Officials claimed, without evidence, that the convoy carried weapons!",
    "Heroes of the nation will never surrender to the aggressor.",
    "What about their own crimes? Nobody asks about those.",
    "Troops  shelled\tthe village overnight, the governor said.",
    "It is either us or them: there is no middle ground.",
    "The so-called peace plan is a trap, a spokesman warned.",
    "Prices rose by 12 percent, according to the statistics office.",
]


def items():
    return [{"span": t[:30], "context": t[20:] + " || " + t[:10], "meta": f"len{len(t.split()) % 5} rep{i % 3}" + (" excl" if "!" in t else "")}
            for i, t in enumerate(TEXTS)]


def test_multiclass_model_with_vectors_gives_scikit_learns_probabilities(tmp_path):
    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=field_span, ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(preprocessor=field_span, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ("context", TfidfVectorizer(preprocessor=field_context, sublinear_tf=True)),
        ("meta", TfidfVectorizer(preprocessor=field_meta, token_pattern=r"\S+", use_idf=False, norm=None)),
    ]).fit(items())
    vectors = np.random.default_rng(0).normal(size=(len(TEXTS), 6))
    labels = ["report", "doubt", "flag", "whatabout", "report", "black-white", "doubt", "report"]
    classifier = LogisticRegression(C=4.0, max_iter=2000).fit(tc_matrix(features, items(), vectors, 1.5), labels)
    blocks = [("span", True, features.transformer_list[0][1]), ("span", True, features.transformer_list[1][1]),
              ("context", True, features.transformer_list[2][1]), ("meta", False, features.transformer_list[3][1])]
    path = tmp_path / "tc.npz"
    assert linear_text.save(path, blocks, classifier, 1.5, items(), vectors, tc_matrix(features, items(), vectors, 1.5)) < 1e-9

    model = linear_text.load(path)
    unseen = [{"span": "a trap, the spokesman said", "context": "unknown words only || x", "meta": "len2 rep0"}]
    unseen_vectors = np.ones((1, 6))
    expected = classifier.predict_proba(tc_matrix(features, unseen, unseen_vectors, 1.5))
    assert model.classes == tuple(classifier.classes_)
    assert np.allclose(model.predict_proba(unseen, unseen_vectors), expected, atol=1e-12)
    with pytest.raises(ValueError, match="transformer vectors"):
        model.predict_proba(unseen)


def test_binary_model_on_plain_texts(tmp_path):
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(TEXTS)
    labels = [1, 1, 0, 0, 1, 0, 0, 1]
    classifier = LogisticRegression(C=1.0, class_weight="balanced").fit(vectorizer.transform(TEXTS), labels)
    path = tmp_path / "cw.npz"
    linear_text.save(path, [(None, True, vectorizer)], classifier, 0.0, TEXTS, None, vectorizer.transform(TEXTS))
    probabilities = linear_text.load(path).predict_proba(["The GOVERNOR said prices rose.", ""])
    assert np.allclose(probabilities, classifier.predict_proba(vectorizer.transform(["The GOVERNOR said prices rose.", ""])), atol=1e-12)


def test_a_model_that_the_arrays_cannot_reproduce_is_refused(tmp_path):
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit(TEXTS)
    classifier = LogisticRegression().fit(vectorizer.transform(TEXTS), [0, 1] * 4)
    with pytest.raises(ValueError, match="only word or char_wb"):
        linear_text.save(tmp_path / "x.npz", [(None, True, vectorizer)], classifier, 0.0, TEXTS, None, vectorizer.transform(TEXTS))


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, header=np.frombuffer(b'{"format": "something else"}', dtype=np.uint8))
    with pytest.raises(ValueError, match="not a claimscope-linear-text"):
        linear_text.load(path)
