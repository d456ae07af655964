"""claimscope: who says what in war and geopolitics news, how it is hedged, and on whose word."""
from __future__ import annotations

import functools
from typing import Optional

from .records import Analysis, Article

__version__ = "0.2.0"


def analyze(text: str, *, title: Optional[str] = None, published=None, source: Optional[str] = None, url: Optional[str] = None,
            analyzer=None) -> Analysis:
    """Analyse one article given as text; the Python API's front door.

    ``source`` is the outlet (name, domain or URL) and is rated (see claimscope.resources.outlets).
    ``analyzer`` is a ``claimscope.analyzer.Analyzer`` (e.g. built from another config); by
    default one analyzer with the packaged configuration is built once and reused. Raises
    ValueError when the text cannot be analysed (empty, over the size budget, unsupported language)."""
    from .ingest.readers import IngestError, article_from_text, parse_date

    try:
        article = article_from_text("<text>", text, title=title, published=parse_date(published), source=source, url=url)
    except IngestError as exc:
        raise ValueError(str(exc)) from None
    return (analyzer or default_analyzer())(article)


@functools.cache
def default_analyzer():
    from .analyzer import Analyzer

    return Analyzer()
