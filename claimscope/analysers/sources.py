"""Sources: the article's outlet rated by CRED-1 and the registry (see claimscope.resources.outlets)."""
from __future__ import annotations

from ..document import Document
from ..resources.outlets import cred1, outlet_from_dateline, rate_outlet
from ..pipeline import component


@component("sources", requires=["registry"], assigns=["outlet"], setup=lambda settings: cred1())
def sources(document: Document, settings: dict) -> None:
    """Rate the outlet given by the input (--source, the URL, the site name), or else the one whose dateline opens the text."""
    article = document.article
    document.outlet = rate_outlet(document.registry, article.source, article.url, article.site) or outlet_from_dateline(document.registry, article.text)
    document.analysis.outlet = document.outlet
