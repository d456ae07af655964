"""Batch analysis on a Dask LocalCluster, ANN clustering and the Parquet export."""
import json
import os
import signal
import threading

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from claimscope.corpus.batch import BatchOptions, connect, run_batch
from claimscope.cli import app
from claimscope.engines.clustering import Clusters, assign, named_by_first_claim
from claimscope.store import Store

from .conftest import FIXTURES

CITIES = ["Kharkiv", "Odesa", "Kherson", "Sumy", "Dnipro", "Zaporizhzhia", "Mykolaiv", "Poltava", "Chernihiv", "Lviv"]


def corpus(folder, articles: int = 20):
    """A JSONL corpus of `articles` distinct short articles and two lines that cannot be read."""
    paragraphs = [p for p in (FIXTURES / "belarus-iskander.txt").read_text().split("\n") if len(p.split()) > 12]
    lines = []
    for k in range(articles):
        city = CITIES[k % len(CITIES)]
        text = (f"Regional officials in {city} said on Monday that {k + 3} drones had been shot down overnight. "
                f"{paragraphs[k % len(paragraphs)]} The governor of the region claimed that {k + 1} people were injured.")
        lines.append(json.dumps({"id": f"article-{k}", "text": text, "source": "Example Wire", "published": f"2024-07-{k + 1:02d}"}))
    lines += ["{not json", json.dumps({"text": ""})]
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def stored_inputs(db) -> list[str]:
    store = Store(str(db), create=False)
    return [row["input"] for rows in store.iter_rows("articles", ["input"]) for row in rows]


def test_batch_on_two_workers_stores_each_article_once_and_reruns_add_nothing(tmp_path):
    path, db = corpus(tmp_path), tmp_path / "batch.sqlite"
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(app, ["batch", str(path), "--db", str(db), "--workers", "2", "--partition-size", "3", "--errors", str(errors)])
    assert result.exit_code == 1, result.output  # two lines could not be read
    assert "added: 20" in result.stderr
    assert "corpus.jsonl:21: malformed JSON line" in result.stderr
    assert "corpus.jsonl:22" in result.stderr
    assert len(errors.read_text().splitlines()) == 2
    inputs = stored_inputs(db)
    assert len(inputs) == len(set(inputs)) == 20
    store = Store(str(db), create=False)
    counts = store.counts()
    assert counts["claims"] >= 20 and counts["clusters"] >= 1
    assert all(row["cluster_id"] is not None for rows in store.iter_rows("claims", ["cluster_id"]) for row in rows)

    again = CliRunner().invoke(app, ["batch", str(path), "--db", str(db), "--workers", "2"])
    assert "added: 0, already stored: 20" in again.stderr
    assert Store(str(db), create=False).counts() == counts


def test_a_killed_worker_loses_and_duplicates_nothing(tmp_path):
    path, db = corpus(tmp_path), tmp_path / "killed.sqlite"
    store = Store(str(db))
    killed = threading.Event()
    with connect(None, workers=2, threads_per_worker=1) as client:
        def kill_one_worker(done, _total):
            if done >= 3 and not killed.is_set():
                killed.set()
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)

        stats, errors = run_batch([str(path)], store, client, options=BatchOptions(), partition_size=2, max_bytes=10_000_000,
                                  progress=kill_one_worker)
    assert killed.is_set()
    assert stats["added"] == 20 and len(errors) == 2
    inputs = stored_inputs(db)
    assert len(inputs) == len(set(inputs)) == 20


def test_ann_clustering_applies_the_exact_rule():
    rng = np.random.default_rng(0)
    topics = rng.normal(size=(40, 384))
    vectors = topics[rng.integers(0, 40, 600)] + rng.normal(scale=0.35, size=(600, 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    speakers = [f"speaker {k % 5}" for k in range(600)]
    exact, _ = assign(vectors, speakers, [""] * 600, Clusters(), method="exact")
    ann, _ = assign(vectors, speakers, [""] * 600, Clusters(), method="ann")
    assert len(set(exact)) > 40  # the rule splits topics by speaker
    assert np.mean(np.array(named_by_first_claim(exact)) == np.array(named_by_first_claim(ann))) >= 0.98


def test_clustering_is_incremental():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(50, 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    known = Clusters()
    first, _ = assign(vectors, [None] * 50, [""] * 50, known)
    second, touched = assign(vectors + 0.01, [None] * 50, [""] * 50, known)
    assert second == first and touched == set(first)  # the same claims again join the clusters they made


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    db = tmp / "store.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(corpus(tmp, articles=4)), "--db", str(db)])
    assert "added: 4" in result.stderr
    return db


def test_parquet_export_writes_every_table(small_store, tmp_path):
    result = CliRunner().invoke(app, ["export", str(tmp_path / "out"), "--db", str(small_store), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    counts = Store(str(small_store), create=False).counts()
    articles = pq.read_table(tmp_path / "out" / "articles.parquet")
    claims = pq.read_table(tmp_path / "out" / "claims.parquet")
    events = pq.read_table(tmp_path / "out" / "events.parquet")
    clusters = pq.read_table(tmp_path / "out" / "clusters.parquet")
    assert articles.num_rows == counts["articles"] == 4
    assert claims.num_rows == counts["claims"] and clusters.num_rows == counts["clusters"]
    assert events.num_rows > 0 and "EventCode" in events.column_names
    assert set(claims.column("article_id").to_pylist()) <= set(articles.column("id").to_pylist())
    assert "articles: 4 rows" in result.stderr


def test_export_refuses_an_unknown_format_and_a_missing_store(small_store, tmp_path):
    wrong = CliRunner().invoke(app, ["export", str(tmp_path / "o"), "--db", str(small_store), "--format", "xlsx"])
    assert wrong.exit_code == 2 and "unknown format 'xlsx'" in wrong.stderr
    missing = CliRunner().invoke(app, ["export", str(tmp_path / "o"), "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1 and "none.sqlite" in missing.stderr and "Traceback" not in missing.output


def test_batch_refuses_an_unreachable_scheduler(tmp_path):
    result = CliRunner().invoke(app, ["batch", str(corpus(tmp_path, 1)), "--db", str(tmp_path / "s.sqlite"), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1 and "error:" in result.stderr and "Traceback" not in result.output
