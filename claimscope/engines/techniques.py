"""Technique detection shared by the pipeline component, training and evaluation.

Span identification (SI) averages two token scorers, a CRF over the parse (BIO of "technique") and a
span head (a feed-forward block over the shared transformer pass's token vectors), and keeps the runs of
tokens whose score reaches a threshold; technique classification
(TC) is a linear model over span and context n-grams, span length, how often the span repeats
in the article and the transformer pass's vectors (claimscope.engines.linear_text runs it). A
high-precision cue lexicon (data/technique_cues.tsv) adds spans the model may miss. Trained by scripts/train_techniques.py from ../shared/data/ptc.
"""
from __future__ import annotations

import functools
import re

import numpy as np
from spacy.tokens import Doc

from .crf import TokenTable, load_tagger, with_window
from ..resources.lexicons import DATA, rows
from .linear_text import load_shipped

Detection = tuple[int, int, str, float, str]
SI_MODEL = DATA / "techniques_si.crfsuite"
SI_HEAD = DATA / "techniques_si_head.npz"
TC_MODEL = DATA / "techniques_tc.npz"
CONTEXT_CHARS = 60
# Both chosen on the tuning split by scripts/train_techniques.py (techniques_si.crfsuite.manifest.json, "settings"):
SI_THRESHOLD = 0.25  # the score a token needs to be inside a span
HEAD_WEIGHT = 0.5  # the span head's share of a token's score (the CRF's is the rest)


@functools.cache
def _cues() -> list[tuple[tuple[str, ...], str, str]]:
    return sorted(((tuple(r[0].split()), r[1], r[2]) for r in rows("technique_cues.tsv")), key=lambda c: -len(c[0]))


@functools.cache
def _cues_by_first_word() -> dict[str, list[int]]:
    """Indexes into _cues() by the cue's first word, so that a document is scanned once, not once per cue."""
    index: dict[str, list[int]] = {}
    for number, (phrase, _technique, _extent) in enumerate(_cues()):
        index.setdefault(phrase[0], []).append(number)
    return index


def lexicon_spans(doc: Doc, table: TokenTable) -> list[Detection]:
    """Spans of the cue lexicon's phrases (by lemma or word form), longest cues first; ``table`` is the doc's token table."""
    found: list[Detection] = []
    taken: set[int] = set()
    lemmas, words = table.lemma, table.lower
    cues, by_first = _cues(), _cues_by_first_word()
    matches = set()  # (cue number, token index): longer cues first, then the lexicon's order, then the text's
    for i in range(len(doc)):
        for number in {*by_first.get(lemmas[i], ()), *by_first.get(words[i], ())}:
            phrase = cues[number][0]
            size = len(phrase)
            if tuple(lemmas[i : i + size]) == phrase or tuple(words[i : i + size]) == phrase:
                matches.add((number, i))
    for number, i in sorted(matches):
        phrase, technique, extent = cues[number]
        start, end = i, i + len(phrase)
        head = doc[i]
        if extent == "phrase" and head.pos_ == "VERB":
            objects = [c for c in head.children if c.dep_ == "dobj"]
            end = objects[0].i + 1 if objects else end
        elif extent == "phrase":
            start, end = head.left_edge.i, head.right_edge.i + 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if taken & set(range(start, end)):
            continue
        taken.update(range(start, end))
        found.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), technique, 0.9, "lexicon"))
    return found


# ---- span identification (CRF) ----

def si_features(table: TokenTable, start: int, end: int) -> list[list[str]]:
    """CRF features of tokens [start, end) (a sentence) of a parse's token table."""
    lower, heads = table.lower[start:end], table.head[start:end]
    columns = [
        ("w", [f"w={x}" for x in lower]), ("lem", [f"lem={x}" for x in table.lemma[start:end]]), ("pos", [f"pos={x}" for x in table.pos[start:end]]),
        ("tag", [f"tag={x}" for x in table.tag[start:end]]), ("dep", [f"dep={x}" for x in table.dep[start:end]]),
        ("shape", [f"shape={x[:4]}" for x in table.shape[start:end]]), ("suf", [f"suf={x[-3:]}" for x in lower]),
        ("hlem", [f"hlem={table.lemma[h]}" for h in heads]), ("ent", [f"ent={x or 'O'}" for x in table.ent_type[start:end]]),
        ("upper", [f"upper={int(upper and len(text) > 1)}" for upper, text in zip(table.is_upper[start:end], table.text[start:end])]),
    ]
    return with_window(columns, {"w", "lem", "pos"})


@functools.cache
def _head() -> dict[str, np.ndarray]:
    from ..resources.models import require

    with np.load(require(SI_HEAD.name)) as data:
        return {name: data[name] for name in data.files}


def head_inside(token_vectors: np.ndarray, is_space, head: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """The span head's probability, for each token, that it lies inside a technique span (0 for whitespace): a residual
    feed-forward block over the token's vector from the transformer pass, then B/I/O. ``head``: other weights than the
    shipped ones (the training script's, before it saves them)."""
    weights = head or _head()
    x = token_vectors.astype(np.float32, copy=False)
    hidden = x @ weights["up_weight"] + weights["up_bias"]
    hidden *= 0.5 * (1.0 + np.tanh(0.7978845608 * hidden * (1.0 + 0.044715 * hidden * hidden)))  # GELU, tanh form as trained (no **: float32 pow is slow)
    logits = (x + hidden @ weights["down_weight"] + weights["down_bias"]) @ weights["bio_weight"] + weights["bio_bias"]
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    inside = (probabilities[:, 1] + probabilities[:, 2]) / probabilities.sum(axis=1)
    inside[np.asarray(is_space, dtype=bool)] = 0.0
    return inside


def crf_inside(doc: Doc, table: TokenTable, tagger) -> np.ndarray:
    """The CRF's probability, for each token, that it lies inside a technique span (1 - marginal of O), sentence by sentence."""
    inside = np.zeros(len(doc), np.float32)
    for sent in doc.sents:
        start, end = sent.start, sent.end
        if not any(table.is_alpha[start:end]):
            continue
        tagger.set(si_features(table, start, end))
        tagger.tag()
        inside[start:end] = [1.0 - tagger.marginal("O", k) for k in range(end - start)]
    return inside


def identify_spans(document, threshold: float = SI_THRESHOLD) -> list[tuple[int, int, float]]:
    """Runs of tokens, within a sentence, whose score of being inside a technique reaches the threshold, with their
    mean score: HEAD_WEIGHT of the span head's probability plus the rest of the CRF's. The threshold trades
    precision for recall; it and the weight are chosen on a tuning part of the training articles
    (scripts/train_techniques.py prints the sweep)."""
    doc, table = document.doc, document.token_table
    inside = (1.0 - HEAD_WEIGHT) * crf_inside(doc, table, load_tagger(SI_MODEL)) + HEAD_WEIGHT * head_inside(document.token_vectors, table.is_space)
    return spans_of(doc, table, inside, threshold)


def spans_of(doc: Doc, table: TokenTable, inside: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """The runs of tokens of each sentence whose score reaches the threshold, as character spans with their mean score."""
    found = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        if not any(table.is_alpha[start:end]):
            continue
        for first, last in probable_runs(table.is_space[start:end], inside[start:end].tolist(), threshold):
            found.append((table.idx[start + first], table.idx[start + last - 1] + len(table.text[start + last - 1]), float(np.mean(inside[start + first : start + last]))))
    return found


def probable_runs(is_space: list[bool], probabilities: list[float], threshold: float) -> list[tuple[int, int]]:
    """Runs of consecutive tokens (not whitespace) whose probability reaches the threshold, as [start, end) positions."""
    runs: list[list[int]] = []
    for k, (space, probability) in enumerate(zip(is_space, probabilities)):
        if probability < threshold or space:
            continue
        if runs and runs[-1][1] == k:
            runs[-1][1] = k + 1
        else:
            runs.append([k, k + 1])
    return [(a, b) for a, b in runs]


# ---- technique classification ----

_NON_WORD = re.compile(r"\W+")


@functools.lru_cache(maxsize=4)
def _words_only(text: str) -> str:
    """The text lowercased with each run of non-word characters made one space (computed once per article, not per span)."""
    return _NON_WORD.sub(" ", text.lower())


def tc_features(text: str, start: int, end: int) -> dict:
    """The inputs the TC model reads for one span: the span, its context, length and repetition."""
    span = text[start:end]
    normalised = _NON_WORD.sub(" ", span.lower()).strip()
    repeats = _words_only(text).count(normalised) if normalised else 0
    return {
        "span": span,
        "context": text[max(0, start - CONTEXT_CHARS) : start] + " || " + text[end : end + CONTEXT_CHARS],
        "meta": f"len{min(len(span.split()), 12)} rep{min(repeats, 5)} "
        + ("excl " if "!" in span else "") + ("quest " if "?" in span else "") + ("caps " if span.isupper() else ""),
    }


def field_span(item: dict) -> str:
    return item["span"].lower()


def field_context(item: dict) -> str:
    return item["context"].lower()


def field_meta(item: dict) -> str:
    return item["meta"]


@functools.cache
def _tc_model():
    return load_shipped(TC_MODEL.name, "scripts/train_techniques.py")


def load_models() -> None:
    """Load (and check) the technique models (span CRF, span head, class model): called when a pipeline with the techniques
    component is built."""
    load_tagger(SI_MODEL)
    _head()
    _tc_model()


def span_vectors(document, spans: list[tuple[int, int]]) -> np.ndarray:
    """From the transformer pass: the mean token vector of each span and the vector of the sentence it starts in."""
    doc, tokens, sentences = document.doc, document.token_vectors, document.sentence_vectors
    rows = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        inside = tokens[span.start : span.end] if span is not None and len(span) else np.zeros((1, tokens.shape[1]), np.float32)
        vector = inside.mean(axis=0)
        vector = vector / (np.linalg.norm(vector) or 1.0)
        rows.append(np.concatenate([vector, sentences[document.sentence_index(start)]]))
    return np.vstack(rows) if rows else np.zeros((0, 2 * tokens.shape[1]), np.float32)


def tc_matrix(features, items: list[dict], embeddings: np.ndarray | None, weight: float):
    """The scikit-learn feature matrix the TC model is trained on (training only)."""
    from scipy.sparse import csr_matrix, hstack

    matrix = features.transform(items)
    return hstack([matrix, csr_matrix(embeddings * weight)]).tocsr() if weight else matrix


def classify_spans(document, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """The most likely technique of each span and its probability."""
    model = _tc_model()
    if not spans:
        return []
    items = [tc_features(document.text, s, e) for s, e in spans]
    embeddings = span_vectors(document, spans) if model.embedding_weight else None
    probabilities = model.predict_proba(items, embeddings)
    best = probabilities.argmax(axis=1)
    return [(model.classes[k], float(probabilities[i, k])) for i, k in enumerate(best)]


THRESHOLDS_FILE = DATA / "technique_thresholds.npz"
NEVER_SHOWN = 1.01  # the threshold of a technique whose spans never reached the precision: no confidence reaches it


@functools.cache
def display_thresholds() -> dict[str, float]:
    """technique -> the confidence its spans need to be shown (scripts/calibrate_techniques.py: precision 0.6 on PTC dev)."""
    from ..resources.models import require

    with np.load(require(THRESHOLDS_FILE.name)) as data:
        return {str(name): float(value) for name, value in zip(data["names"], data["thresholds"])}


def shown(detections: list[Detection], thresholds: dict[str, float]) -> list[Detection]:
    """The detections whose confidence reaches their technique's display threshold: what a reader sees by default."""
    return [d for d in detections if d[3] >= thresholds.get(d[2], NEVER_SHOWN)]


def detect(document, threshold: float = SI_THRESHOLD, min_confidence: float = 0.0) -> list[Detection]:
    """Lexicon spans first; model spans that do not overlap them, classified by the TC model."""
    doc = document.doc
    found = lexicon_spans(doc, document.token_table)
    model_spans = [(s, e, p) for s, e, p in identify_spans(document, threshold)
                   if not any(a < e and s < b for a, b, *_ in found)]
    labels = classify_spans(document, [(s, e) for s, e, _ in model_spans])
    for (start, end, p_span), (technique, p_class) in zip(model_spans, labels):
        confidence = p_span * p_class
        if confidence >= min_confidence:
            found.append((start, end, technique, confidence, "model"))
    return sorted(found)
