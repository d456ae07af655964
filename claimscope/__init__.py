"""claimscope: who says what in war and geopolitics news, how it is hedged, and on whose word."""
from __future__ import annotations

from typing import Optional

from .records import Analysis, Article

__version__ = "0.1.0"


def analyze(text: str, *, title: Optional[str] = None, published=None, source: Optional[str] = None, config=None) -> Analysis:
    """Analyse one article given as text; the Python API's front door."""
    from .ingest import article_from_text, parse_date
    from .pipeline import Pipeline

    article = article_from_text("<text>", text, title=title, published=parse_date(published), source=source)
    return _pipeline(config)(article)


_PIPELINES: dict = {}


def _pipeline(config=None):
    from .pipeline import Config, Pipeline

    key = id(config)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(config or Config.load())
    return _PIPELINES[key]
