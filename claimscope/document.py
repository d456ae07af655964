"""The document that flows through the pipeline: the spaCy parse plus the growing analysis."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan

from .records import Analysis, Article, Span


@dataclass
class Document:
    """One article in analysis. Components read ``doc`` and write typed records into ``analysis``."""

    article: Article
    doc: Doc
    analysis: Analysis
    scratch: dict = field(default_factory=dict)  # values one component hands to a later one

    @property
    def text(self) -> str:
        return self.article.text

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
        """Index of the sentence holding character ``char``."""
        for sentence in self.analysis.sentences:
            if sentence.start <= char < sentence.end or char < sentence.start:
                return sentence.index
        return len(self.analysis.sentences) - 1
