"""Named pipeline components and the pipeline that runs them, chosen by configuration.

As in spaCy, a component is registered under a name with what it ``requires`` and
``assigns`` (fields of ``Document`` or lists of the ``Analysis`` record) and its default
``settings``; the configuration picks components by name and may override their settings.
The pipeline is checked when it is built: a component whose requirements no earlier
component assigns is refused with the fix. Articles are parsed in batches (one ``nlp.pipe``
over the paragraphs of several articles), and batch components (the transformer pass) see the
whole batch at once.
"""
from __future__ import annotations

import gc
import os
import time
import tomllib
import weakref
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Optional

from .document import INTRINSIC_FIELDS, Document
from .nlp.parsers import DEFAULT_MODEL, load_pipeline, parse_texts
from .nlp.parse_process import ParserProcess
from .records import Analysis, Article

COMPONENT_MODULES = ["claimscope.analysers"]
DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
PROFILES = Path(__file__).with_name("profiles")


class ConfigError(ValueError):
    """A configuration or component order that cannot work, with the fix in the message."""


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    func: Callable
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    defaults: dict[str, Any]
    batch: bool  # func takes (documents: list[Document], settings) instead of one document
    setup: Optional[Callable[[dict], None]]  # loads the component's models when a pipeline is built
    doc: str
    version: Optional[str] = None  # the rules' version: a model trained on this component's output records it


COMPONENTS: dict[str, ComponentSpec] = {}


def component(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (), settings: Optional[dict] = None,
              batch: bool = False, setup: Optional[Callable[[dict], None]] = None, version: Optional[str] = None):
    """Register an analyser under ``name``: ``func(document, settings)`` (or ``func(documents, settings)``
    with ``batch=True``), reading the fields in ``requires`` and setting those in ``assigns``.
    ``setup(settings)`` runs when a pipeline with the component is built: it loads the models
    and files the component needs, so that a missing or broken one fails there, named. ``version``
    is the version of the component's rules, which a trained model reading their output records
    (claimscope models --check compares the two)."""

    for field_name in (*requires, *assigns):
        if not is_field(field_name):
            raise TypeError(f"component {name!r}: {field_name!r} is not a field of the Document or its Analysis "
                            f"(a list's items' field is written 'claims.speaker_resolved')")

    def register(func: Callable) -> Callable:
        doc = (func.__doc__ or "").strip().split("\n")[0]
        COMPONENTS[name] = ComponentSpec(name, func, tuple(requires), tuple(assigns), dict(settings or {}), batch, setup, doc, version)
        return func

    return register


def is_field(name: str) -> bool:
    """Whether a component may require or assign ``name``: the parse, a Document field, an Analysis field, or a field of
    the records in one of the Analysis's lists ("claims.speaker_resolved")."""
    from typing import get_args

    head, _, item = name.partition(".")
    if not item:
        return head in INTRINSIC_FIELDS or head in Document.__dataclass_fields__ or head in Analysis.model_fields
    field_info = Analysis.model_fields.get(head)
    record = next(iter(get_args(field_info.annotation)), None) if field_info is not None else None
    return record is not None and hasattr(record, "model_fields") and item in record.model_fields


ENTRY_POINTS = "claimscope.components"  # another package's components: [project.entry-points."claimscope.components"]


def registered() -> dict[str, ComponentSpec]:
    """Every component that claimscope's modules and installed packages register: the modules in COMPONENT_MODULES and
    those named by the "claimscope.components" entry points are imported (importing them registers their components)."""
    from importlib.metadata import entry_points

    for module in [*COMPONENT_MODULES, *(point.value.split(":")[0] for point in entry_points(group=ENTRY_POINTS))]:
        import_module(module)
    return COMPONENTS


def rule_versions() -> dict[str, str]:
    """The rules' version of every registered component that declares one."""
    return {name: spec.version for name, spec in registered().items() if spec.version is not None}


@dataclass
class Config:
    language: str = "en"  # ISO 639-1 code of the articles this pipeline reads: components pick that language's resources
    model: str = DEFAULT_MODEL
    components: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)  # not built at all (their models are never loaded)
    disable: list[str] = field(default_factory=list)  # built and checked, but skipped when analysing
    registries: list[str] = field(default_factory=list)
    batch_size: int = 16
    parse_process: bool = True  # from a run's second batch on, parse in a second process (on a machine with two cores or more)
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # [components.NAME] tables
    languages: dict[str, str] = field(default_factory=dict)  # [languages]: another language's code -> its profile (or TOML file)

    @classmethod
    def load(cls, path: Optional[str | Path] = None, **overrides) -> "Config":
        """The packaged defaults, then a user's TOML file (or a packaged profile by name), then explicit overrides."""
        data = tomllib.loads(DEFAULT_CONFIG.read_text())
        pipeline, settings = dict(data["pipeline"]), {k: dict(v) for k, v in data.get("components", {}).items()}
        languages = dict(data.get("languages", {}))
        if path and not Path(path).exists() and (PROFILES / f"{path}.toml").exists():
            path = PROFILES / f"{path}.toml"  # a packaged profile by name, e.g. "fast"
        if path:
            try:
                user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"cannot read config {path}: {getattr(exc, 'strerror', None) or exc}") from None
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"config {path} is not valid TOML: {exc}") from None
            unknown = set(user) - {"pipeline", "components", "languages"}
            if unknown:
                raise ConfigError(f"config {path}: unknown tables {sorted(unknown)} (expected [pipeline], [components.NAME] and [languages])")
            pipeline.update(user.get("pipeline", {}))
            languages.update(user.get("languages", {}))
            for name, values in user.get("components", {}).items():
                settings.setdefault(name, {}).update(values)
        pipeline.update({k: v for k, v in overrides.items() if v is not None})
        known = {f for f in cls.__dataclass_fields__ if f not in {"settings", "languages"}}
        unknown = set(pipeline) - known
        if unknown:
            raise ConfigError(f"config {path or DEFAULT_CONFIG}: unknown [pipeline] keys {sorted(unknown)}; known: {sorted(known)}")
        return cls(**pipeline, settings=settings, languages=languages)


def _same_kind(value: Any, default: Any) -> bool:
    """A setting's value has its default's type (a whole number where a float is expected; booleans are not numbers)."""
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


@contextmanager
def _collector_paused():
    """Loading models and dictionaries allocates millions of long-lived objects, which set off the cyclic garbage
    collector again and again over an ever larger heap (it more than tripled the time to read the actor
    dictionaries): it is paused while they load, and restored after (a caller that had turned it off keeps it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Pipeline:
    """Parse articles in batches with spaCy, then run the configured components in order."""

    def __init__(self, config: Optional[Config] = None):
        self.config = config or Config.load()
        registered()
        wanted = [name for name in self.config.components if name not in self.config.exclude]
        unknown = [name for name in [*wanted, *self.config.disable, *self.config.exclude] if name not in COMPONENTS]
        if unknown:
            raise ConfigError(f"unknown pipeline components {unknown}; known: {sorted(COMPONENTS)}")
        self.specs = [COMPONENTS[name] for name in wanted]
        self.settings = {spec.name: self._settings(spec) for spec in self.specs}
        self._check_order()
        setups = [spec for spec in self.specs if spec.setup is not None and spec.name not in self.config.disable]
        with _collector_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimscope-setup") as pool:
            # Batch components load ONNX graphs, mostly outside the GIL: in a second thread while spaCy loads.
            loading = [pool.submit(spec.setup, self.settings[spec.name]) for spec in setups if spec.batch]
            self.nlp = load_pipeline(self.config.model)
            gc.disable()  # spaCy's model reader (srsly's msgpack) turns the collector back on when it finishes
            for spec in setups:
                if not spec.batch:
                    spec.setup(self.settings[spec.name])
            for future in loading:
                future.result()
        self.timings: dict[str, float] = defaultdict(float)  # seconds per component (and "parse"), summed over runs
        self.profile = False
        self._parser: Optional[ParserProcess] = None

    def _settings(self, spec: ComponentSpec) -> dict[str, Any]:
        """Declared defaults, then [pipeline] keys of the same name (e.g. registries), then [components.NAME]."""
        given = self.config.settings.get(spec.name, {})
        unknown = set(given) - set(spec.defaults)
        if unknown:
            raise ConfigError(f"component {spec.name!r} has no settings {sorted(unknown)}; its settings: {sorted(spec.defaults) or 'none'}")
        for key, value in given.items():
            expected = spec.defaults[key]
            if not _same_kind(value, expected):
                raise ConfigError(f"component {spec.name!r}: setting {key!r} must be {type(expected).__name__} like its default "
                                  f"{expected!r}, not {type(value).__name__} {value!r}")
        pipeline_wide = {k: getattr(self.config, k) for k in spec.defaults if k in Config.__dataclass_fields__}
        return {**spec.defaults, **pipeline_wide, **given}

    def _check_order(self) -> None:
        available = set(INTRINSIC_FIELDS)
        providers = {f: spec.name for spec in COMPONENTS.values() for f in spec.assigns}
        for spec in self.specs:
            missing = [f for f in spec.requires if f not in available]
            if missing:
                fixes = ", ".join(f"{f!r} (assigned by {providers[f]!r})" if f in providers else repr(f) for f in missing)
                raise ConfigError(f"component {spec.name!r} requires {fixes}, which no earlier component assigns; put the provider before it in [pipeline] components")
            available.update(spec.assigns)

    @property
    def component_names(self) -> list[str]:
        return [spec.name for spec in self._active()]

    def requires(self, field_name: str) -> bool:
        return any(field_name in spec.assigns for spec in self.specs)

    # ---- parsing ----

    def parse(self, texts: Iterable[str]) -> Iterator:
        """Parse each text in this process (see parse_texts)."""
        return parse_texts(self.nlp, texts, self.config.batch_size)

    # ---- analysis ----

    def __call__(self, article: Article) -> Analysis:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyses in input order; a component failure is raised here (claimscope.analyzer.Analyzer reports it per article instead)."""
        for document in self.documents(articles):
            if document.failed is not None:
                raise RuntimeError(f"{document.article.id}: {document.failed}")
            yield document.analysis

    def documents(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Full documents (parse, vectors and analysis), batch by batch, in input order. The pipeline's first run
        of batch components (the transformer pass, whose ONNX runtime releases the GIL) works in a second
        thread on one batch while the next batch is parsed and the previous one finished, and from the second
        batch on the parse runs in a process of its own (claimscope.nlp.parse_process), so that the parser, the
        transformer and the other analysers share the cores."""
        parsed = self._parsed_batches(self._batches(articles))
        active = self._active()
        split = next((k for k, spec in enumerate(active) if spec.batch), None)
        if split is None:
            for documents in parsed:
                yield from self._run(documents, active)
            return
        end = next((k for k in range(split, len(active)) if not active[k].batch), len(active))
        before, middle, after = active[:split], active[split:end], active[end:]
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimscope-transformer") as pool:
            pending = None
            for documents in parsed:
                documents = self._run(documents, before)
                future = pool.submit(self._run, documents, middle)
                if pending is not None:
                    yield from self._run(pending.result(), after)
                pending = future
            if pending is not None:
                yield from self._run(pending.result(), after)

    def _batches(self, articles: Iterable[Article]) -> Iterator[list[Article]]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.config.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _parsed_batches(self, batches: Iterable[list[Article]], ahead: int = 2) -> Iterator[list[Document]]:
        """Parsed documents, batch by batch in input order. From a run's second batch on (so that one article
        never waits for a process to start), the ParserProcess parses up to ``ahead`` batches ahead once it
        is ready; until then, and for any batch it fails on, the parse runs here (which reports the failing
        article and keeps the others)."""
        queue: deque[tuple[list[Article], Optional[Future]]] = deque()
        for number, batch in enumerate(batches):
            if number == 1:
                self.start_parse_process()
            future = self._parser.submit([a.text for a in batch]) if self._parser is not None and self._parser.ready() else None
            queue.append((batch, future))
            while len(queue) > ahead or (queue and queue[0][1] is None):
                yield self._received(*queue.popleft())
        while queue:
            yield self._received(*queue.popleft())

    def start_parse_process(self, wait: bool = False) -> bool:
        """Start the parse process now (a run starts it at its second batch) when the configuration and the
        machine allow one; with ``wait``, until its model has loaded. True when it is ready."""
        from spacy.language import Language

        spacy_model = isinstance(self.nlp, Language)  # not claimscope's Russian parser, whose Docs are built another way
        if self._parser is None and self.config.parse_process and spacy_model and (os.cpu_count() or 1) >= 2:
            try:
                self._parser = ParserProcess(self.config.model)
                weakref.finalize(self, self._parser.close)
            except OSError:  # no process could be started: parse here
                self.config.parse_process = False
        if self._parser is not None and wait:
            try:
                self._parser.started.result()
            except Exception:  # noqa: BLE001 - a worker that could not start is never used
                pass
        return self._parser is not None and self._parser.ready()

    @property
    def parse_process(self) -> Optional[ParserProcess]:
        """The parse process, once started."""
        return self._parser

    def close(self) -> None:
        """Stop the parse process, if one was started (it also stops when this pipeline is collected or the program ends)."""
        if self._parser is not None:
            self._parser.close()
            self._parser = None

    def _received(self, articles: list[Article], future: Optional[Future]) -> list[Document]:
        if future is None:
            return self._parsed(articles)
        from spacy.tokens import Doc

        started = time.perf_counter()
        try:
            blobs = future.result()
        except Exception:  # noqa: BLE001 - the worker died: parse here from now on
            self._parser.broken = True
            blobs = None
        if blobs is None:  # the worker could not parse this batch: parse it here, which names the article that fails
            return self._parsed(articles)
        documents = [self._document(a, Doc(self.nlp.vocab).from_bytes(blob)) for a, blob in zip(articles, blobs)]
        self.timings["parse"] += time.perf_counter() - started
        return documents

    def _document(self, article: Article, doc, failed: Optional[str] = None) -> Document:
        return Document(article=article, doc=doc, analysis=Analysis(article=article), language=self.config.language, failed=failed)

    def _active(self) -> list[ComponentSpec]:
        return [spec for spec in self.specs if spec.name not in self.config.disable]

    def _parsed(self, articles: list[Article]) -> list[Document]:
        started = time.perf_counter()
        try:
            documents = [self._document(a, d) for a, d in zip(articles, self.parse([a.text for a in articles]))]
        except Exception:  # noqa: BLE001 - parse one by one to find the article that breaks the parser
            documents = []
            for article in articles:
                try:
                    documents.append(self._document(article, next(self.parse([article.text]))))
                except Exception as exc:  # noqa: BLE001 - reported per article
                    documents.append(self._document(article, self.nlp.make_doc(""), failed=f"could not be parsed: {type(exc).__name__}: {exc}"))
        self.timings["parse"] += time.perf_counter() - started
        return documents

    def _run(self, documents: list[Document], specs: list[ComponentSpec]) -> list[Document]:
        """Run components over a batch. A component that fails on one document marks that document failed
        (``document.failed``) and the others go on; a batch component that fails is retried document by document."""
        for spec in specs:
            started = time.perf_counter()
            settings = self.settings[spec.name]
            live = [d for d in documents if d.failed is None]
            if spec.batch:
                try:
                    spec.func(live, settings)
                except Exception:  # noqa: BLE001 - find the document that breaks it
                    for document in live:
                        self._guarded(spec, [document], document, settings)
            else:
                for document in live:
                    self._guarded(spec, document, document, settings)
            self.timings[spec.name] += time.perf_counter() - started
        return documents

    @staticmethod
    def _guarded(spec: ComponentSpec, argument, document: Document, settings: dict) -> None:
        try:
            spec.func(argument, settings)
        except Exception as exc:  # noqa: BLE001 - reported per article; the batch goes on
            document.failed = f"analysis failed in {spec.name}: {type(exc).__name__}: {exc}"

    def run_batch(self, articles: list[Article]) -> list[Document]:
        """Parse and analyse one batch of articles in this thread."""
        return self._run(self._parsed(articles), self._active())
