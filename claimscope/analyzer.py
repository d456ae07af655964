"""The front door for analysing many articles: size budget, language routing, batching, and
one error record (never an exception) for an article that cannot be analysed.

The CLI, the Python API, ingest and the batch workers all go through ``Analyzer.pipe``, so
they refuse and report the same inputs in the same words.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Optional

from .document import Document
from .nlp.language import Language, detect
from .nlp.parsers import ModelMissing
from .pipeline import Config, Pipeline
from .records import Analysis, Article, InputError

DEFAULT_MAX_CHARS = 1_000_000  # about two minutes of analysis on one core
MIN_LANGUAGE_SCORE = 0.5


class Analyzer:
    """Routes each article to the pipeline for its language and analyses articles in batches."""

    def __init__(self, config: Optional[Config] = None, *, max_chars: int = DEFAULT_MAX_CHARS, languages: Optional[dict[str, Config]] = None):
        self.config = config or Config.load()
        self.max_chars = max_chars
        if languages is None:  # the main configuration serves its own language, whatever the table routes there
            languages = {code: language_config(profile, self.config) for code, profile in self.config.languages.items()
                         if code != self.config.language}
        self.configs: dict[str, Config] = {**languages, self.config.language: self.config}
        self.pipelines: dict[str, Pipeline] = {}

    @classmethod
    def from_options(cls, config: Optional[str | Path] = None, *, model: Optional[str] = None, registries: Iterable[str] = (),
                     disable: Iterable[str] = (), max_chars: int = DEFAULT_MAX_CHARS, components: Optional[dict[str, dict]] = None) -> "Analyzer":
        """An analyzer from a config file or profile and the command line's options (``components``: settings per component)."""
        settings = Config.load(config, model=model)
        settings.registries = [*settings.registries, *map(str, registries)]
        settings.disable = [*settings.disable, *disable]
        for name, values in (components or {}).items():
            settings.settings.setdefault(name, {}).update(values)
        return cls(settings, max_chars=max_chars)

    def pipeline(self, language: Optional[str] = None) -> Pipeline:
        """The pipeline for a language (the main one by default), built on first use (its models load then)."""
        language = language or self.config.language
        if language not in self.pipelines:
            self.pipelines[language] = Pipeline(self.configs[language])
        return self.pipelines[language]

    def close(self) -> None:
        """Stop the pipelines' parse processes (see Pipeline.close)."""
        for pipeline in self.pipelines.values():
            pipeline.close()

    def check(self, article: Article) -> tuple[Optional[str], Optional[InputError]]:
        """The language to analyse an article in, or the reason it cannot be analysed."""
        size = len(article.text)
        if size > self.max_chars:
            return None, InputError(input=article.id, reason=f"article is {size:,} characters, over the analysis budget of {self.max_chars:,} (raise it with --max-chars)")
        language = detect(article.text)
        if language.code == "und":
            return None, InputError(input=article.id, reason="no words to analyse (the text holds no letters)")
        if language.code not in self.configs and language.score >= MIN_LANGUAGE_SCORE:
            return None, InputError(input=article.id, reason=_unsupported(language, self.configs))
        return (language.code if language.code in self.configs else self.config.language), None

    def __call__(self, article: Article) -> Analysis:
        """Analyse one article; raise ValueError with the reason when it cannot be analysed."""
        result = next(self.pipe([article]))
        if isinstance(result, InputError):
            raise ValueError(f"{result.input}: {result.reason}")
        return result

    def pipe(self, items: Iterable[Article | InputError]) -> Iterator[Analysis | InputError]:
        """An Analysis or an InputError for every item, in input order; a failing article never stops the rest."""
        for result in self.documents(items):
            yield result if isinstance(result, InputError) else result.analysis

    def documents(self, items: Iterable[Article | InputError]) -> Iterator[Document | InputError]:
        """Like pipe, with the whole Document (parse and vectors) for callers that need more than the record.
        Articles in the main language stream through its pipeline (batched, parser and transformer pass overlapping);
        articles in another language wait in that language's batch, which runs when it is full or when its first
        article's turn comes. Results come out in input order, errors in their place."""
        main = self.config.language
        order: deque[_Entry | InputError] = deque()
        waiting: dict[str, list[_Entry]] = {}

        def flush(language: str) -> None:
            batch, waiting[language] = waiting.get(language, []), []
            if not batch:
                return
            try:
                analysed = self.pipeline(language).run_batch([entry.article for entry in batch])
            except ModelMissing as exc:
                for entry in batch:
                    entry.result = InputError(input=entry.article.id, reason=f"article in {language}: {exc}")
                return
            for entry, document in zip(batch, analysed):
                entry.result = self._finish(document, language)

        def routed() -> Iterator[Article]:
            for item in items:
                if isinstance(item, InputError):
                    order.append(item)
                    continue
                language, error = self.check(item)
                if error is not None:
                    order.append(error)
                    continue
                entry = _Entry(item, language)
                order.append(entry)
                if language == main:
                    yield item
                    continue
                waiting.setdefault(language, []).append(entry)
                if len(waiting[language]) >= self.configs[language].batch_size:
                    flush(language)

        def ready() -> Iterator[Document | InputError]:
            """The front of the queue up to the next article of the main language, its other languages' batches run."""
            while order and not (isinstance(order[0], _Entry) and order[0].language == main):
                entry = order.popleft()
                if isinstance(entry, _Entry):
                    if entry.result is None:
                        flush(entry.language)
                    yield entry.result
                else:
                    yield entry

        for document in self.pipeline(main).documents(routed()):
            yield from ready()
            order.popleft()
            yield self._finish(document, main)
        yield from ready()

    def _finish(self, document: Document, language: str) -> Document | InputError:
        if document.failed is not None:
            return InputError(input=document.article.id, reason=document.failed)
        document.analysis.language = language
        names = set(self.pipeline(language).component_names)
        document.analysis.not_analysed = [what for name, what in LANGUAGE_BOUND.items()
                                          if name not in names and not (name == "techniques" and "techniques_lexicon" in names)]
        return document


class _Entry:
    """An article's place in the output order, and its result once analysed (articles in another language wait)."""

    __slots__ = ("article", "language", "result")

    def __init__(self, article: Article, language: str):
        self.article, self.language, self.result = article, language, None


# Analyses of the English pipeline that another language's pipeline may lack, said in the analysis.
LANGUAGE_BOUND = {"techniques": "persuasion techniques (models trained on English text)",
                  "checkworthiness": "check-worthiness (model trained on English text)"}


def language_config(profile: str, main: Config) -> Config:
    """Another language's pipeline (its profile in the [languages] table) with the main configuration's registries
    and, of its disabled components, those that pipeline has."""
    config = Config.load(profile)
    config.registries = [*config.registries, *main.registries]
    config.disable = [name for name in main.disable if name in config.components]
    return config


def _unsupported(language: Language, configs: dict[str, Config]) -> str:
    supported = ", ".join(sorted(configs))
    return f"language is {language.name} ({language.code}, confidence {language.score:.2f}); this installation analyses {supported} only"
