"""Shared pieces of claimscope's CRF taggers (attribution roles, technique spans)."""
from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def load_tagger(path: Path):
    """A pycrfsuite tagger for a shipped model file, checked against its manifest (ModelFileError otherwise)."""
    import pycrfsuite

    from .models import ModelFileError, require

    checked = require(Path(path).name)
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(checked))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"model file {checked} cannot be opened ({exc}); rebuild it with its script under scripts/") from None
    return tagger


def with_window(base: list[list[str]], shared: set[str], width: int = 2) -> list[list[str]]:
    """Each token's own features plus its neighbours' features named in ``shared`` ("w" for "w=..."), prefixed by offset."""
    kept = [[f for f in own if f[: f.index("=")] in shared] for own in base]
    offsets = [o for o in range(-width, width + 1) if o]
    features = []
    for i, own in enumerate(base):
        row = ["bias", *own]
        for offset in offsets:
            j = i + offset
            if 0 <= j < len(base):
                prefix = f"{offset}:"
                row += [prefix + f for f in kept[j]]
            else:
                row.append(f"{offset}:edge")
        features.append(row)
    return features
