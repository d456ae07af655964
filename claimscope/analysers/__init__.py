"""Analysers: each module registers pipeline components that read the parse and add records."""
from . import attribution, attribution_tagger, checkworthiness, event_head, events, hedging, normalise, sentences, sources, speakers, techniques, verdict
