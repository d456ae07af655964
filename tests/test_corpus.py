"""Corpus mode: ingest into a store (idempotent, resumable, near-duplicates), clusters, REST API and pages."""
import json
import os

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.store import Store, hamming, simhash
from claimscope.web import create_app

from .conftest import FIXTURES, skip_unless

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Minsk Wire</title>
<item><title>Lukashenko repeats missile claim</title><link>https://minsk.example/1</link><pubDate>Thu, 04 Jul 2024 10:00:00 GMT</pubDate>
<description>Alexander Lukashenko claims that Belarus has deployed Iskander missile systems along the border with Ukraine. The claim could not be verified.</description></item>
<item><title>Kyiv responds</title><link>https://kyiv.example/2</link><pubDate>Fri, 05 Jul 2024 09:00:00 GMT</pubDate>
<description>Ukrainian officials said that they saw no sign of new missile systems near the border, according to Reuters.</description></item>
</channel></rss>"""


def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = (FIXTURES / "belarus-iskander.txt").read_text()
    (folder / "a-original.txt").write_text(text)
    (folder / "b-reprint.txt").write_text(text.replace("Wednesday, 3 July", "Wednesday 3 July") + "\nReprinted with permission.")
    (folder / "c-feed.xml").write_text(FEED)
    lines = [json.dumps({"text": "Putin said that Russia would respond to any provocation on the border.", "source": "TASS", "published": "2024-07-05"}),
             "{not json", json.dumps({"url": "x"})]
    (folder / "d.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "e-empty.txt").write_text("")
    (folder / "f-binary.html").write_bytes(b"\x00\x01\x02" * 50)
    return folder


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("store")
    folder = corpus(tmp_path)
    db = tmp_path / "cs.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db)])
    return folder, db, result


def test_mixed_folder_stores_every_good_article_and_reports_every_bad_one(stored):
    _folder, db, result = stored
    assert result.exit_code == 1
    for bad in ("d.jsonl:2: malformed JSON line", "d.jsonl:3: JSON line has no non-empty", "e-empty.txt: empty file", "f-binary.html: binary file"):
        assert bad in result.stderr
    counts = Store(str(db)).counts()
    assert counts["articles"] == 5 and counts["duplicates"] == 1
    assert "added: 5" in result.stderr


def test_reingest_is_idempotent(stored):
    folder, db, _ = stored
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert "added: 0, already stored: 5" in result.stderr
    assert Store(str(db)).counts()["articles"] == 5


def test_interrupted_run_resumes(tmp_path):
    folder = corpus(tmp_path)
    db = tmp_path / "resume.sqlite"
    CliRunner().invoke(app, ["ingest", str(folder / "a-original.txt"), "--db", str(db), "--no-cluster"])
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert "added: 4, already stored: 1" in result.stderr
    assert Store(str(db)).counts()["articles"] == 5


def test_simhash_links_near_duplicates_only():
    text = (FIXTURES / "belarus-iskander.txt").read_text()
    assert hamming(simhash(text), simhash(text + " Reprinted with permission.")) <= 3
    assert hamming(simhash(text), simhash("Putin said that Russia would respond to any provocation on the border.")) > 10


def test_claims_cluster_across_outlets(stored):
    _folder, db, _ = stored
    store = Store(str(db))
    clusters = store.cluster_summaries()
    deployed = next(c for c in clusters if "Minsk Wire" in c.outlets and "Iskander" in c.label)
    assert deployed.claims >= 3 and deployed.independent_corroboration == 0  # only Lukashenko says it
    assert deployed.speakers == ["Alexander Lukashenko"] and str(deployed.first_seen) == "2024-07-03"


@pytest.fixture(scope="module")
def client(stored):
    return TestClient(create_app(Store(str(stored[1]))))


def test_api(client):
    articles = client.get("/api/articles").json()
    assert len(articles) == 5
    first = next(a for a in articles if a["duplicate_of"] is None and "Iskander" in (a["title"] or ""))
    analysis = client.get(f"/api/articles/{first['id']}").json()
    assert analysis["schema_version"] == "2.1" and analysis["claims"]
    risky = client.get("/api/claims", params={"speaker": "Alexander Lukashenko", "risk": True}).json()
    assert risky and all(c["risk_flag"] and c["speaker_resolved"] == "Alexander Lukashenko" for c in risky)
    assert client.get("/api/claims", params={"cue_class": "according_to"}).json()[0]["cue_class"] == "according_to"
    assert client.get("/api/claims", params={"outlet": "TASS"}).json()[0]["speaker_resolved"] == "Vladimir Putin"
    assert client.get("/api/search", params={"q": "provocation"}).json()["claims"]
    assert client.get("/api/articles/99999").status_code == 404
    schema = client.get("/openapi.json").json()
    assert "/api/claims" in schema["paths"]
    timeline = client.get("/api/actors/Alexander Lukashenko/timeline").json()
    assert timeline[0]["claims"] >= 1


def test_pages_escape_article_text(tmp_path):
    store = Store(str(tmp_path / "x.sqlite"))
    from claimscope.ingest import article_from_text
    from claimscope.pipeline import Pipeline

    article = article_from_text("evil.txt", '<script>alert(1)</script> headline\nPutin said that "<img src=x onerror=alert(2)>" is fine.')
    article_id, _, _ = store.add(Pipeline()(article))
    client = TestClient(create_app(store))
    page = client.get(f"/articles/{article_id}")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text and "<img src=x" not in page.text
    assert "script-src" not in page.headers["content-security-policy"] and "default-src 'none'" in page.headers["content-security-policy"]
    assert "<script" not in client.get("/claims").text
    assert client.get("/search", params={"q": "<script>"}).status_code == 200


def test_pages(client):
    assert "claim ledger" in client.get("/").text
    ledger = client.get("/claims", params={"speaker": "Vladimir Putin"}).text
    assert "Vladimir Putin" in ledger and "Alexander Lukashenko</a></td>" not in ledger
    assert "<svg" in client.get("/actors/Alexander Lukashenko").text
    assert "independent corroboration" in client.get("/clusters").text


@skip_unless(bool(os.environ.get("CLAIMSCOPE_TEST_POSTGRES")), "set CLAIMSCOPE_TEST_POSTGRES to a PostgreSQL URL (.ci/run does)")
def test_postgresql_store_same_schema(tmp_path):
    from sqlalchemy import create_engine, text

    url = os.environ["CLAIMSCOPE_TEST_POSTGRES"]
    with create_engine(url).begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS claims, articles, clusters CASCADE"))
    folder = corpus(tmp_path)
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", url])
    assert "added: 5" in result.stderr
    store = Store(url)
    assert store.counts()["duplicates"] == 1
    assert store.ledger(speaker="Vladimir Putin")
    assert store.ledger(query="provocation")
    assert store.search_articles("Iskander")
    again = CliRunner().invoke(app, ["ingest", str(folder), "--db", url])
    assert "added: 0, already stored: 5" in again.stderr
