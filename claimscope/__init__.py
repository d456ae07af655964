"""claimscope: who says what in war and geopolitics news, how it is hedged, and on whose word."""
from __future__ import annotations

import functools
from typing import Optional

from .records import Analysis, Article

__version__ = "0.1.0"


def analyze(text: str, *, title: Optional[str] = None, published=None, source: Optional[str] = None, pipeline=None) -> Analysis:
    """Analyse one article given as text; the Python API's front door.

    ``pipeline`` is a ``claimscope.pipeline.Pipeline`` (e.g. built from another config);
    by default one pipeline with the packaged configuration is built once and reused."""
    from .ingest import article_from_text, parse_date

    article = article_from_text("<text>", text, title=title, published=parse_date(published), source=source)
    return (pipeline or default_pipeline())(article)


@functools.cache
def default_pipeline():
    from .pipeline import Pipeline

    return Pipeline()
