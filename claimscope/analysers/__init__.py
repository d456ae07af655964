"""Analysers: each module registers pipeline components that read the parse and add records."""
from . import (attribution, attribution_tagger, checkworthiness, event_head, events, hedging, lemma_speakers, lexicon_events, normalise, sentences,
               sources, speakers, techniques, ud_attribution, verdict)
