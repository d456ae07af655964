"""The document that flows through the pipeline: the spaCy parse plus the growing analysis.

Components hand values to later ones through the typed fields below, never through an
untyped dict; each component declares the fields it requires and assigns (see
``claimscope.pipeline.component``), and a pipeline whose order cannot provide them is refused
when it is built.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Optional, Protocol

from spacy.tokens import Doc, Span as SpacySpan

from .engines.crf import TokenTable, token_table
from .records import Analysis, Article, Span

if TYPE_CHECKING:  # imported for annotations only: loading them is the components' business
    import numpy as np

    from .resources.outlets import OutletRating
    from .resources.registry import Registry

class Resolver(Protocol):
    """How an article's names resolve to entities (the speakers component's linker): the canonical name, the
    registry actor and the kind of mention a span of the text refers to, given the chain of earlier speakers."""

    def resolve(self, span: SpacySpan, chain: list, headline: bool = False) -> tuple[Optional[str], Any, str]: ...


# Fields a component may require or assign, beyond the parse itself. The analysis record's own
# lists (sentences, claims, ...) are named after the Analysis attribute they fill.
INTRINSIC_FIELDS = {"article", "doc"}


@dataclass
class Document:
    """One article in analysis. Components read ``doc`` and write typed records into ``analysis``."""

    article: Article
    doc: Doc
    analysis: Analysis
    token_vectors: Optional["np.ndarray"] = None  # (tokens, dim): the transformer pass's hidden-state vector for each spaCy token
    sentence_vectors: Optional["np.ndarray"] = None  # (sentences, dim): unit mean of each analysis sentence's token vectors
    tagger_probs: Optional["np.ndarray"] = None  # (tokens, tags): the fine-tuned attribution tagger's probabilities
    resolver: Optional[Resolver] = None  # the article's mentions and how names resolve to entities (speakers)
    pattern_claims: set[str] = field(default_factory=set)  # ids of claims found by a well-known rule pattern
    registry: Optional["Registry"] = None  # actor/source registry the sources component matched against
    outlet: Optional["OutletRating"] = None  # the outlet that published the article, with its rating
    language: Optional[str] = None  # ISO 639-1 code of the article's language
    failed: Optional[str] = None  # why a component could not analyse this document (the others go on)
    extras: dict[str, Any] = field(default_factory=dict)  # user components' own values (name them after the component)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return self.article.text

    @cached_property
    def token_table(self) -> TokenTable:
        """The parse's token attributes as lists (crf.token_table), read once for every component that needs them."""
        return token_table(self.doc)

    def span(self, start: int, end: int) -> Span:
        """A record span over article characters, trimmed of surrounding whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Span(start=start, end=end, text=self.text[start:end])

    def token_span(self, tokens: SpacySpan) -> Span:
        return self.span(tokens.start_char, tokens.end_char)

    def sentence_index(self, char: int) -> int:
        """Index of the sentence holding character ``char`` (the next one when it falls between sentences)."""
        sentences = self.analysis.sentences
        if len(self._sentence_starts) != len(sentences):
            self._sentence_starts = [s.start for s in sentences]
        if not sentences:
            return 0
        index = bisect.bisect_right(self._sentence_starts, char) - 1
        if index < 0:
            return 0
        if char >= sentences[index].end and index + 1 < len(sentences):
            return index + 1
        return index
