"""Shared pieces of claimscope's CRF taggers (attribution roles, technique spans)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_ALPHA, IS_SPACE, IS_UPPER, LEMMA, LOWER, ORTH, POS, SHAPE, TAG
from spacy.tokens import Doc


@functools.cache
def load_tagger(path: Path):
    """A pycrfsuite tagger for a shipped model file, checked against its manifest (ModelFileError otherwise)."""
    import pycrfsuite

    from ..resources.models import ModelFileError, require

    checked = require(Path(path).name)
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(checked))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"model file {checked} cannot be opened ({exc}); rebuild it with its script under scripts/") from None
    return tagger


@dataclass(frozen=True)
class TokenTable:
    """A parse's token attributes as plain lists, one entry per token, read at once from the Doc's arrays.
    The CRFs' features read these: reading them token by token through spaCy's Token objects (one
    object per token and per head, every attribute a string-store lookup) was most of their cost."""

    text: list[str]
    lower: list[str]
    lemma: list[str]  # lowercased
    pos: list[str]
    tag: list[str]
    dep: list[str]
    shape: list[str]
    ent_type: list[str]  # "" outside entities
    head: list[int]  # the head's token index (a root is its own head)
    idx: list[int]  # character offset
    is_space: list[bool]
    is_alpha: list[bool]
    is_upper: list[bool]


def token_table(doc: Doc) -> TokenTable:
    strings = doc.vocab.strings
    names = [ORTH, LOWER, LEMMA, POS, TAG, DEP, SHAPE, ENT_TYPE]
    array = doc.to_array([*names, HEAD, IDX, IS_SPACE, IS_ALPHA, IS_UPPER])
    columns = []
    for k in range(len(names)):
        hashes = array[:, k].tolist()
        lookup = {h: strings[h] for h in set(hashes)}
        columns.append([lookup[h] for h in hashes])
    text, lower, lemma, pos, tag, dep, shape, ent_type = columns
    lemma_lower = {s: s.lower() for s in set(lemma)}
    offsets = array[:, len(names)].astype("int64").tolist()  # HEAD: relative offsets, stored unsigned
    idx, *flags = (array[:, k].tolist() for k in range(len(names) + 1, len(names) + 5))
    is_space, is_alpha, is_upper = ([bool(v) for v in column] for column in flags)
    return TokenTable(text=text, lower=lower, lemma=[lemma_lower[s] for s in lemma], pos=pos, tag=tag, dep=dep, shape=shape,
                      ent_type=ent_type, head=[i + offset for i, offset in enumerate(offsets)], idx=idx,
                      is_space=is_space, is_alpha=is_alpha, is_upper=is_upper)


def with_window(columns: list[tuple[str, list[str]]], shared: set[str], width: int = 2) -> list[list[str]]:
    """Rows of CRF features from columns (a feature name and its "name=value" string for each token, in
    feature order): each token's own features, then its neighbours' features whose name is in ``shared``,
    prefixed by offset ("-1:w=said"; "-1:edge" past either end), nearest last on the left."""
    size = len(columns[0][1]) if columns else 0
    own = list(zip(*(values for _name, values in columns))) if columns else [()] * size
    kept = [values for name, values in columns if name in shared]
    windows = []
    for offset in (o for o in range(-width, width + 1) if o):
        prefix = f"{offset}:"
        prefixed = list(zip(*([prefix + f for f in values] for values in kept))) if kept else [()] * size
        edge = (f"{offset}:edge",)
        windows.append([prefixed[i + offset] if 0 <= i + offset < size else edge for i in range(size)])
    return [["bias", *row, *[f for window in parts for f in window]] for row, *parts in zip(own, *windows)]
