"""Shared pieces of claimscope's CRF taggers (attribution roles, technique spans)."""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path


@functools.cache
def load_tagger(path: Path):
    """A pycrfsuite tagger for a model file, or None when the file is absent (model not trained)."""
    if not Path(path).exists():
        return None
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def with_window(base: list[list[str]], keep: Callable[[str], bool], width: int = 2) -> list[list[str]]:
    """Each token's own features plus its neighbours' (those `keep` selects), prefixed by offset."""
    features = []
    for i, own in enumerate(base):
        row = ["bias", *own]
        for offset in [o for o in range(-width, width + 1) if o]:
            j = i + offset
            if 0 <= j < len(base):
                row += [f"{offset}:{f}" for f in base[j] if keep(f)]
            else:
                row.append(f"{offset}:edge")
        features.append(row)
    return features
