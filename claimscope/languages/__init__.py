"""Per-language resources (as spaCy's ``spacy/lang/xx``): the words and patterns the language-neutral analysers read,
one module ``claimscope.languages.<code>.resources`` per language."""
from __future__ import annotations

import functools
from importlib import import_module
from types import ModuleType
from typing import Optional


@functools.cache
def resources(language: Optional[str]) -> ModuleType:
    """The resources of a language (English's for a language without its own, or for an unknown one)."""
    try:
        return import_module(f"{__name__}.{language or 'en'}.resources")
    except ModuleNotFoundError:
        return import_module(f"{__name__}.en.resources")
