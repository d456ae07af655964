"""Analysers: each module registers pipeline components that read the parse and add records."""
from . import (  # noqa: F401
    attribution, attribution_tagger, checkworthiness, events, hedging, normalise, russian, sentences, sources, speakers, techniques,
    verdict,
)
