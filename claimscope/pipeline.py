"""Named pipeline components and the pipeline that runs them, chosen by configuration."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Optional

from spacy.tokens import Doc

from .document import Document
from .nlp import DEFAULT_MODEL, load_pipeline
from .records import Analysis, Article

Component = Callable[[Document], None]
COMPONENTS: dict[str, Component] = {}
COMPONENT_MODULES = ["claimscope.analysers"]
DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
PROFILES = Path(__file__).with_name("profiles")


def component(name: str) -> Callable[[Component], Component]:
    """Register an analyser under ``name`` so configuration can pick it."""

    def register(func: Component) -> Component:
        COMPONENTS[name] = func
        return func

    return register


@dataclass
class Config:
    model: str = DEFAULT_MODEL
    components: list[str] = field(default_factory=list)
    registries: list[str] = field(default_factory=list)
    batch_size: int = 16

    @classmethod
    def load(cls, path: Optional[str | Path] = None, **overrides) -> "Config":
        """The packaged defaults, then a user's TOML file, then explicit overrides."""
        data = tomllib.loads(DEFAULT_CONFIG.read_text())["pipeline"]
        if path and not Path(path).exists() and (PROFILES / f"{path}.toml").exists():
            path = PROFILES / f"{path}.toml"  # a packaged profile by name, e.g. "fast"
        if path:
            try:
                data.update(tomllib.loads(Path(path).read_text()).get("pipeline", {}))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"cannot read config {path}: {exc}") from None
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)


_PARAGRAPH = re.compile(r"[^\n]*\n*")


class Pipeline:
    """Parse articles paragraph by paragraph with spaCy, then run the configured components."""

    def __init__(self, config: Optional[Config] = None):
        self.config = config or Config.load()
        for module in COMPONENT_MODULES:
            import_module(module)
        unknown = [name for name in self.config.components if name not in COMPONENTS]
        if unknown:
            raise ValueError(f"unknown pipeline components {unknown}; known: {sorted(COMPONENTS)}")
        self.nlp = load_pipeline(self.config.model)
        self.components = [(name, COMPONENTS[name]) for name in self.config.components]

    def parse(self, texts: Iterable[str]) -> Iterator[Doc]:
        """Parse each text; a paragraph never shares a sentence or a parse tree with another."""
        for text in texts:
            paragraphs = [m.group(0) for m in _PARAGRAPH.finditer(text) if m.group(0)]
            docs = list(self.nlp.pipe(paragraphs, batch_size=self.config.batch_size))
            yield Doc.from_docs(docs, ensure_whitespace=False) if len(docs) > 1 else docs[0]

    def __call__(self, article: Article) -> Analysis:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        for document in self.documents(articles):
            yield document.analysis

    def documents(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Full documents (parse and analysis), for training and evaluation code that needs the parse."""
        for article in articles:
            doc = next(self.parse([article.text]))
            document = Document(article=article, doc=doc, analysis=Analysis(article=article))
            document.scratch["config"] = self.config
            for _name, run in self.components:
                run(document)
            yield document
