"""The span head of technique identification: a small network over the shared pass's token vectors.

Used by scripts/train_techniques.py (needs torch: ``pip install -e .[train]``).

The pipeline's one transformer pass (the fine-tuned attribution tagger) gives every spaCy token the hidden
state of its layer 4, which already carries the token's paragraph as context. The head reads each token's
vector through one residual feed-forward block and says how likely the token lies inside a technique span
(B/I/O, trained with an auxiliary per-technique output that the shipped file does not keep). The pass stays
frozen, so the attribution tagger and every head reading its vectors are unchanged. A full encoder layer over
the paragraph (started from MiniLM's last layer) scored the same on the tuning split at about five times the
cost (docs/accuracy.md). Saved as plain arrays (claimscope.engines.techniques.head_inside runs them in numpy).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DIM = 384
SETTINGS = {"hidden": 512, "learning_rate": 1e-3, "weight_decay": 0.01, "batch_tokens": 512, "technique_loss_weight": 3.0,
            "dropout": 0.1, "seed": 0, "threads": 2, "activation": "gelu (tanh approximation)"}


class SpanHead(nn.Module):
    def __init__(self, techniques: int):
        super().__init__()
        self.up, self.down = nn.Linear(DIM, SETTINGS["hidden"]), nn.Linear(SETTINGS["hidden"], DIM)
        self.dropout = nn.Dropout(SETTINGS["dropout"])
        self.bio, self.techniques = nn.Linear(DIM, 3), nn.Linear(DIM, techniques)

    def forward(self, vectors: torch.Tensor):
        hidden = self.dropout(vectors + self.down(F.gelu(self.up(vectors), approximate="tanh")))
        return self.bio(hidden), self.techniques(hidden)


def examples(document, si_spans, tc_spans, techniques: list[str]):
    """The head's training rows of one document: token vectors, BIO tags and technique flags of its tokens (not whitespace)."""
    doc = document.doc
    tokens = [t for t in doc if not t.is_space]
    starts = np.array([t.idx for t in tokens])
    ends = starts + np.array([len(t) for t in tokens])
    bio = np.zeros(len(tokens), np.int64)
    flags = np.zeros((len(tokens), len(techniques)), np.float32)
    for start, end in si_spans:
        inside = np.nonzero((starts < end) & (ends > start))[0]
        if len(inside):
            bio[inside] = np.maximum(bio[inside], 2)
            bio[inside[0]] = 1
    for start, end, technique in tc_spans:
        flags[(starts < end) & (ends > start), techniques.index(technique)] = 1.0
    return document.token_vectors[[t.i for t in tokens]].astype(np.float32), bio, flags


def train(rows, techniques: int, epochs: int, after_epoch=None) -> SpanHead:
    """Train the head on ``rows`` (examples() of several documents); ``after_epoch(epoch, head)`` is called after each epoch."""
    torch.manual_seed(SETTINGS["seed"])
    torch.set_num_threads(SETTINGS["threads"])
    rng = np.random.default_rng(SETTINGS["seed"])
    vectors, bio, flags = (torch.tensor(np.concatenate(part)) for part in zip(*rows))
    head = SpanHead(techniques)
    optimiser = torch.optim.AdamW(head.parameters(), lr=SETTINGS["learning_rate"], weight_decay=SETTINGS["weight_decay"])
    steps = -(-len(vectors) // SETTINGS["batch_tokens"])
    total = epochs * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, step / (0.1 * total)) * max(0.0, (total - step) / (0.9 * total)))
    for epoch in range(1, epochs + 1):
        head.train()
        order = torch.tensor(rng.permutation(len(vectors)))
        for step in range(steps):
            batch = order[step * SETTINGS["batch_tokens"] : (step + 1) * SETTINGS["batch_tokens"]]
            tags, technique_logits = head(vectors[batch])
            loss = F.cross_entropy(tags, bio[batch]) + SETTINGS["technique_loss_weight"] * F.binary_cross_entropy_with_logits(technique_logits, flags[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        head.eval()
        if after_epoch is not None:
            after_epoch(epoch, head)
    return head


def arrays(head: SpanHead) -> dict[str, np.ndarray]:
    """The weights head_inside reads (the technique output is left out: only training used it)."""
    return {name: getattr(head, layer).weight.detach().numpy().T.copy() if kind == "weight" else getattr(head, layer).bias.detach().numpy().copy()
            for layer in ("up", "down", "bio") for kind, name in (("weight", f"{layer}_weight"), ("bias", f"{layer}_bias"))}


def save(head: SpanHead, path: Path) -> None:
    np.savez(path, **arrays(head))
