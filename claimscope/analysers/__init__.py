"""Analysers: each module registers pipeline components that read the parse and add records."""
from . import attribution, events, hedging, normalise, sentences, sources, techniques, verdict  # noqa: F401
