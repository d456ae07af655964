"""The parse process: parses from another process equal the parses made here, and a run never loses an article to it."""
from __future__ import annotations

import json

import pytest

from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article

TEXTS = [
    "The ministry said on Tuesday that two bridges had been destroyed.\n\nLocal officials denied it.\n",
    "“We will not retreat,” the commander told reporters in Kharkiv.\n",
    "According to the governor, 12 drones were shot down overnight. He gave no evidence.\n",
    "The agency cited a spokesman as saying the talks would resume.\n",
    "Nothing was said.\n",
]
COMPONENTS = ["sentences", "entities", "attribution", "speakers", "hedging"]  # no models beyond spaCy: quick to build


def analyses(documents) -> list[str]:
    return [json.dumps(d.analysis.model_dump(mode="json"), sort_keys=True) for d in documents]


@pytest.fixture(scope="module")
def pipelines():
    remote = Pipeline(Config.load(components=COMPONENTS, batch_size=2))
    local = Pipeline(Config.load(components=COMPONENTS, batch_size=2, parse_process=False))
    yield remote, local
    remote.close()


def test_a_run_of_one_batch_starts_no_process():
    pipeline = Pipeline(Config.load(components=COMPONENTS, batch_size=8))
    assert len(list(pipeline.documents(Article(id=str(k), text=t) for k, t in enumerate(TEXTS)))) == len(TEXTS)
    assert pipeline._parser is None


def test_parses_from_the_process_give_the_same_analyses(pipelines):
    remote, local = pipelines
    assert remote.start_parse_process(wait=True)
    articles = [Article(id=str(k), text=t) for k, t in enumerate(TEXTS * 2)]
    parsed = list(remote.documents(articles))
    assert [d.article.id for d in parsed] == [a.id for a in articles]
    assert analyses(parsed) == analyses(local.documents(articles))
    mine, theirs = next(remote.parse([TEXTS[0]])), parsed[0].doc
    assert [(t.text, t.whitespace_, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_, t.is_sent_start) for t in theirs] == \
        [(t.text, t.whitespace_, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_, t.is_sent_start) for t in mine]
    assert not local.start_parse_process()  # parse_process = false


def test_a_dead_parse_process_loses_no_article(pipelines):
    remote, _local = pipelines
    assert remote.start_parse_process(wait=True)
    remote._parser.process.kill()
    remote._parser.process.wait()
    articles = [Article(id=str(k), text=t) for k, t in enumerate(TEXTS * 2)]
    documents = list(remote.documents(articles))
    assert [d.article.id for d in documents] == [a.id for a in articles]
    assert all(d.failed is None for d in documents)
    assert any(d.analysis.claims for d in documents)
    remote.close()
    assert remote._parser is None


def test_batch_mode_workers_start_no_parse_process():
    from claimscope.corpus.batch import AnalyzerPlugin, BatchOptions

    class Worker:
        pass

    worker = Worker()
    plugin = AnalyzerPlugin(BatchOptions())
    plugin.setup(worker)
    analyzer = worker.claimscope_analyzers[plugin.name]
    assert not any(config.parse_process for config in analyzer.configs.values())
