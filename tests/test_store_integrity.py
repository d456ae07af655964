"""The store's invariants under concurrent writers, killed writers, database restarts and a full disk.

Writers here store synthetic analyses with their claims' vectors given (as batch workers do), so that
many processes can write at once without loading the analysis models; the real CLI is run too."""
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.records import Analysis, Article, Claim, Span
from claimscope.store import Store, StoreError, check, repair

from .conftest import EXAMPLE, skip_unless

POSTGRES = os.environ.get("CLAIMSCOPE_TEST_POSTGRES")
PG_RESTART = os.environ.get("CLAIMSCOPE_TEST_PG_RESTART")  # a shell command that restarts that server (.ci/run sets it)
SMALL_DISK = os.environ.get("CLAIMSCOPE_TEST_SMALL_DISK")  # a folder on a small tmpfs (.ci/run mounts one)
TOPICS = ["missiles were deployed near the border", "drones attacked an oil depot", "the prisoner exchange was completed",
          "talks will resume next week", "the bridge was hit overnight", "troops withdrew from the village"]


def synthetic(n: int, prefix: str = "") -> tuple[Analysis, list]:
    """Article ``n``: two claims whose unit vectors are near one of six topic directions, so that articles share clusters."""
    rng = np.random.default_rng(n)
    speakers = ["Alexander Lukashenko", "Kremlin", None]
    claims, vectors = [], []
    for k in range(2):
        topic = (n + k) % len(TOPICS)
        content = f"{TOPICS[topic]} ({prefix}{n}.{k})"
        direction = np.zeros(384, dtype=np.float32)
        direction[topic] = 1.0
        vector = direction + rng.normal(0, 0.01, 384).astype(np.float32)
        vectors.append(vector / np.linalg.norm(vector))
        claims.append(Claim(id=f"c{k}", kind="indirect", speaker_resolved=speakers[(n + k) % 3],
                            content=Span(start=0, end=len(content), text=content)))
    text = f"Article {n}. " + " ".join(c.content.text for c in claims) + f" Unique words {prefix}{n} " + " ".join(f"w{n * 7 + i}" for i in range(12))
    article = Article(id=f"article-{n}.txt", text=text, title=f"Article {n}", source="Minsk Wire")
    return Analysis(article=article, language="en", claims=claims), vectors


def write_articles(url: str, numbers: list[int], cluster_every: int = 1, pause: float = 0.0, ready=None) -> None:
    """One writer: store each article (and cluster) in turn, as `claimscope ingest` does; ``pause`` stands for the
    analysis time between articles, ``ready`` (an Event) is set once the store is open."""
    store = Store(url)
    if ready is not None:
        ready.set()
    for position, n in enumerate(numbers):
        analysis, vectors = synthetic(n)
        time.sleep(pause)
        store.add(analysis, vectors)
        if (position + 1) % cluster_every == 0:
            store.cluster_claims()
    store.cluster_claims()


def run_writers(url: str, groups: list[list[int]]) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=write_articles, args=(url, group)) for group in groups]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0


def sqlite_url(tmp_path) -> str:
    return str(tmp_path / "store.sqlite")


@pytest.fixture
def postgres_url():
    from sqlalchemy import create_engine, text

    with create_engine(POSTGRES).begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS claims, articles, clusters CASCADE"))
    return POSTGRES


def assert_sound(store: Store, articles: int) -> None:
    assert check(store) == []
    counts = store.counts()
    assert counts["articles"] == articles and counts["claims"] == 2 * articles


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=skip_unless(bool(POSTGRES), "set CLAIMSCOPE_TEST_POSTGRES (.ci/run does)"))])
def test_concurrent_writers_leave_no_violation_and_a_rerun_adds_nothing(tmp_path, backend, request):
    url = sqlite_url(tmp_path) if backend == "sqlite" else request.getfixturevalue("postgres_url")
    groups = [list(range(k, 48, 4)) + [100, 101] for k in range(4)]  # four writers, two articles given to all of them
    run_writers(url, groups)
    store = Store(url)
    assert_sound(store, 48 + 2)
    before = store.counts()
    run_writers(url, groups[:2])
    assert store.counts() == before and check(store) == []


def test_check_names_each_violation_and_repair_rebuilds_only_derived_data(tmp_path):
    url = sqlite_url(tmp_path)
    write_articles(url, list(range(12)))
    store = Store(url)
    assert check(store) == []
    connection = sqlite3.connect(url)
    analyses_before = connection.execute("SELECT id, analysis FROM articles ORDER BY id").fetchall()
    contents_before = connection.execute("SELECT id, content, speaker_resolved FROM claims ORDER BY id").fetchall()
    connection.execute("UPDATE clusters SET size = size + 1 WHERE id = 1")
    connection.execute("UPDATE clusters SET centroid = '[0.5]' WHERE id = 2")
    connection.execute("INSERT INTO clusters(label, centroid, size, space, languages) VALUES ('empty', '[]', 1, 'english', '[]')")
    connection.execute("UPDATE claims SET cluster_id = NULL WHERE id = 3")
    connection.execute("UPDATE claims SET vector = NULL WHERE id = 4")
    connection.execute("DELETE FROM claims_fts WHERE rowid = 5")
    connection.execute("UPDATE articles_fts SET text = 'stale' WHERE rowid = 1")
    connection.commit()
    kinds = {v.kind for v in check(store)}
    assert kinds == {"cluster_size", "centroid", "empty_cluster", "unclustered", "vector", "fts"}
    done = repair(store, check(store))
    assert done["vectors embedded"] == 1 and done["claims clustered"] == 1 and done["empty clusters deleted"] == 1
    assert check(store) == []
    assert connection.execute("SELECT id, analysis FROM articles ORDER BY id").fetchall() == analyses_before
    assert connection.execute("SELECT id, content, speaker_resolved FROM claims ORDER BY id").fetchall() == contents_before
    assert store.ledger(query="exchange")


def test_check_command_exits_1_naming_violations_and_0_after_repair(tmp_path):
    url = sqlite_url(tmp_path)
    write_articles(url, list(range(6)))
    connection = sqlite3.connect(url)
    connection.execute("INSERT INTO clusters(label, centroid, size, space, languages) VALUES ('empty', '[]', 1, 'english', '[]')")
    connection.commit()
    runner = CliRunner()
    broken = runner.invoke(app, ["check", "--db", url])
    assert broken.exit_code == 1 and "violation: empty_cluster: 1 clusters have no member claims" in broken.stderr
    repaired = runner.invoke(app, ["check", "--db", url, "--repair"])
    assert repaired.exit_code == 0 and "empty clusters deleted 1" in repaired.stderr and repaired.stderr.rstrip().splitlines()[-1].startswith("ok |")
    assert runner.invoke(app, ["check", "--db", str(tmp_path / "absent.sqlite")]).exit_code == 1


def test_killed_writers_leave_a_store_that_check_passes_or_repairs_and_a_rerun_completes(tmp_path):
    url = sqlite_url(tmp_path)
    numbers = list(range(60))
    context = multiprocessing.get_context("spawn")
    rng = random.Random(7)
    stored = []
    for _round in range(5):
        ready = context.Event()
        writer = context.Process(target=write_articles, args=(url, numbers), kwargs={"pause": 0.005, "ready": ready})
        writer.start()
        assert ready.wait(60)
        time.sleep(0.05 + rng.random() * 0.1)  # killed while storing or clustering
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        store = Store(url)
        stored.append(store.counts()["articles"])
        violations = check(store)
        assert {v.kind for v in violations} <= {"unclustered", "vector"}  # committed work is whole; only clustering may be owed
        if violations:
            repair(store, violations)
            assert check(store) == []
    assert stored[0] < len(numbers)  # the writers were killed mid-run
    write_articles(url, numbers)
    assert_sound(Store(url), len(numbers))


def test_readers_never_see_a_cluster_whose_members_are_not_committed(tmp_path):
    url = sqlite_url(tmp_path)
    Store(url)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=write_articles, args=(url, list(range(k, 60, 2))), kwargs={"pause": 0.02}) for k in range(2)]
    for writer in writers:
        writer.start()
    store, seen = Store(url), 0
    while any(writer.is_alive() for writer in writers):
        kinds = {v.kind for v in check(store)}  # one snapshot of the store
        assert kinds <= {"unclustered", "vector"}, kinds
        for cluster in store.cluster_summaries():
            assert cluster.claims >= 1
        seen += 1
    assert seen > 5
    assert_sound(store, 60)


def test_full_disk_is_one_clear_error_and_the_store_stays_intact(tmp_path):
    url = sqlite_url(tmp_path)
    write_articles(url, list(range(4)))
    store = Store(url)
    before = store.counts()

    @event.listens_for(store.engine, "connect")
    def small_disk(dbapi_connection, _record):  # the database may not grow past its current size: SQLite's SQLITE_FULL
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    store.engine.dispose()
    big, vectors = synthetic(99)
    big.article.text += " filler" * 50_000
    with pytest.raises(StoreError, match="the disk is full, nothing of this write was kept"):
        store.add(big, vectors)
    assert Store(url).counts() == before and check(Store(url)) == []


@skip_unless(bool(SMALL_DISK), "set CLAIMSCOPE_TEST_SMALL_DISK to a folder on a small tmpfs (.ci/run mounts one)")
def test_ingest_onto_a_full_disk_reports_each_article_and_keeps_the_store(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for k in range(3):
        (folder / f"a{k}.txt").write_text(text + f"\nEdition {k}." + " filler" * 6_000 * (k > 0), encoding="utf-8")
    db = os.path.join(SMALL_DISK, f"full-{os.getpid()}.sqlite")
    filler = os.path.join(SMALL_DISK, f"filler-{os.getpid()}")
    try:
        first = CliRunner().invoke(app, ["ingest", str(folder / "a0.txt"), "--db", db])
        assert first.exit_code == 0
        free = shutil.disk_usage(SMALL_DISK).free
        with open(filler, "wb") as handle:  # leave about 24 KB free: enough for the store to open, not to store the 40 KB articles
            handle.write(b"\0" * max(0, free - 24 * 1024))
        result = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--no-cluster"])
        assert result.exit_code == 1 and "Traceback" not in result.output
        failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
        assert len(failed) == 2 and all("the disk is full, nothing of this write was kept" in line for line in failed), result.stderr
        os.remove(filler)
        store = Store(db)
        assert store.counts()["articles"] == 1 and check(store) == []
    finally:
        for path in (filler, db, db + "-wal", db + "-shm"):
            if os.path.exists(path):
                os.remove(path)


@skip_unless(bool(POSTGRES and PG_RESTART), "set CLAIMSCOPE_TEST_POSTGRES and CLAIMSCOPE_TEST_PG_RESTART (.ci/run does)")
def test_postgresql_restart_mid_ingest_is_retried_and_nothing_is_half_written(postgres_url):
    failures: list[BaseException] = []

    def writer():
        try:
            write_articles(postgres_url, list(range(200)), cluster_every=5, pause=0.03)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(1.5)
    subprocess.run(PG_RESTART, shell=True, check=True, timeout=120)
    assert thread.is_alive()  # the restart came mid-run
    thread.join(180)
    assert not thread.is_alive() and failures == []
    assert_sound(Store(postgres_url), 200)


def test_a_sqlite_store_busy_at_open_is_waited_for(tmp_path, monkeypatch):
    """SQLite may answer "database is locked" at once, without waiting, while another process creates the store or
    switches it to WAL: opening retries instead of failing."""
    from sqlalchemy.exc import OperationalError

    from claimscope.store import database

    original, calls = database.Store._create_schema, []

    def busy_once(self, conn):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
        return original(self, conn)

    monkeypatch.setattr(database.Store, "_create_schema", busy_once)
    store = Store(str(tmp_path / "busy.sqlite"))
    assert len(calls) == 2 and store.read(lambda conn: True)


def test_two_ingest_processes_on_one_store(tmp_path):
    """The real CLI: two `claimscope ingest` runs at once on one SQLite store, then a re-run."""
    folders = [tmp_path / "a", tmp_path / "b"]
    text = EXAMPLE.read_text(encoding="utf-8")
    for k, folder in enumerate(folders):
        folder.mkdir()
        for n in range(3):
            (folder / f"{n}.txt").write_text(text.replace("3 July", f"{n + 3 * k + 1} July") + f"\nEdition {k}-{n}.", encoding="utf-8")
    db = str(tmp_path / "cli.sqlite")
    command = [sys.executable, "-m", "claimscope.cli", "ingest", "--db", db, "--config", "fast"]
    runs = [subprocess.Popen([*command, str(folder)], stderr=subprocess.PIPE, text=True) for folder in folders]
    outputs = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    store = Store(db)
    assert check(store) == [] and store.counts()["articles"] == 6
    again = subprocess.run([*command, str(folders[0])], stderr=subprocess.PIPE, text=True, timeout=300)
    assert "added: 0, already stored: 3" in again.stderr and check(store) == []
