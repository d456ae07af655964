"""Per-language resources (as spaCy's ``spacy/lang/xx``): the words and patterns the language-neutral analysers read,
one module ``claimscope.languages.<code>.resources`` per language."""
from __future__ import annotations

import functools
from importlib import import_module
from types import ModuleType


@functools.cache
def resources(language: str) -> ModuleType:
    """The resources of a language (English's for a language without its own)."""
    try:
        return import_module(f"{__name__}.{language}.resources")
    except ModuleNotFoundError:
        return import_module(f"{__name__}.en.resources")
