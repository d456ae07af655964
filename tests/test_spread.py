"""How a claim travels: presentation of each stored claim, outlet-voice members, origin, relays, corroboration,
laundering, the window of days, outlets read from datelines, the exports and the narrative page."""
import csv
import json
from datetime import date
from types import SimpleNamespace

import numpy as np
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.engines.clustering import Clusters, assign
from claimscope.resources.outlets import outlet_from_dateline
from claimscope.records import Actor, Claim, Span
from claimscope.resources.registry import cached_registry
from claimscope.store import Store
from claimscope.store.spread import cluster_spread, presentation_of, source_group
from claimscope.web import create_app

# Written for these tests: a Russian ministry's claim, an outlet that states it as fact, one that says "according to
# media reports", and the same statement again two months later.
CORPUS = [
    {"id": "agency", "published": "2024-07-03", "text": "Drones attack Bryansk oil depot\n\nMOSCOW, July 3. /TASS/. The Russian Defence Ministry said on "
     "Wednesday that Ukrainian drones attacked an oil depot in the Bryansk region overnight and set two fuel tanks on fire."},
    {"id": "daily", "published": "2024-07-04", "source": "Daily Example", "text": "Fuel tanks burn in Bryansk\n\nUkrainian drones attacked an "
     "oil depot in the Bryansk region overnight and set two fuel tanks on fire. Firefighters worked through the morning."},
    {"id": "wire", "published": "2024-07-04", "source": "Other Wire", "text": "Depot fire in Russia\n\nUkrainian drones attacked an oil depot "
     "in the Bryansk region overnight, according to media reports."},
    {"id": "later", "published": "2024-09-20", "source": "TASS", "text": "Bryansk again\n\nThe Russian Defence Ministry said on Friday that "
     "Ukrainian drones attacked an oil depot in the Bryansk region overnight and set two fuel tanks on fire."},
]


def claim(speaker: str = "the ministry", status: str = "resolved", via=()) -> Claim:
    return Claim(id="c1", kind="indirect", speaker=Span(start=0, end=len(speaker), text=speaker), speaker_status=status, via=list(via),
                 content=Span(start=0, end=4, text="text"))


def test_presentation_of_a_claim():
    assert presentation_of(claim()) == "attributed"
    assert presentation_of(claim(via=["TASS"])) == "relayed"
    assert presentation_of(claim("media reports")) == "vague"
    assert presentation_of(claim("sources", status="unresolved")) == "vague"
    assert presentation_of(claim("a senior official", status="unnamed", via=["RIA Novosti"])) == "vague"  # an outlet's unnamed source


def member(n, presentation, outlet, speaker=None, risk=None, group=None, day=3, via=None):
    return SimpleNamespace(id=n, article_id=n, published=date(2024, 7, day), outlet=outlet, language="en", presentation=presentation,
                           speaker_resolved=speaker, via=via, actor_risk=risk, outlet_risk="unknown", source_group=group)


def test_origin_relays_corroboration_and_laundering_of_a_cluster():
    members = [member(3, "outlet_voice", "Daily Example", day=4), member(1, "attributed", "TASS", "Russian Defence Ministry", "high", "state:Russia"),
               member(2, "relayed", "Reuters", "Russian Defence Ministry", "high", "state:Russia", day=3, via="TASS"),
               member(4, "attributed", "BBC", "Dmitry Peskov", "high", "state:Russia", day=5)]
    spread = cluster_spread(members)
    assert spread["origin_article_id"] == 1 and spread["origin_speaker"] == "Russian Defence Ministry" and spread["origin_outlet"] == "TASS"
    assert spread["first_seen"] == date(2024, 7, 3) and spread["spread"]["outlets"] == ["TASS", "Reuters", "Daily Example", "BBC"]
    assert spread["spread"]["relay_chain"] == [{"outlet": "Reuters", "cites": "TASS", "speaker": "Russian Defence Ministry", "published": "2024-07-03"}]
    assert spread["spread"]["independent_corroboration"] == 0  # the Kremlin is on the ministry's side
    assert spread["laundered"] is True
    members.append(member(5, "attributed", "Kyiv Post", "IAEA", "low", "IAEA", day=6))
    assert cluster_spread(members)["spread"]["independent_corroboration"] == 1
    low_risk = [member(1, "attributed", "Reuters", "IAEA", "low", "IAEA"), member(2, "outlet_voice", "Daily Example", day=4)]
    assert cluster_spread(low_risk)["laundered"] is False
    own_outlet = [member(1, "attributed", "TASS", "Russian Defence Ministry", "high", "state:Russia"), member(2, "outlet_voice", "TASS")]
    assert cluster_spread(own_outlet)["laundered"] is False  # the reader of that outlet saw the source


def test_source_groups_put_a_states_bodies_and_state_media_on_one_side():
    ministry = Actor(id="mod", name="Russian Defence Ministry", kind="organisation", country="Russia", code="RUSMIL", risk="high")
    agency = Actor(id="tass", name="TASS", kind="media", country="Russia", code="RUSMED", risk="high")
    watchdog = Actor(id="iaea", name="IAEA", kind="organisation", code="IGOUNO", risk="low")
    assert source_group(ministry, None) == source_group(agency, None) == "state:Russia"
    assert source_group(watchdog, None) == "IAEA" and source_group(None, "a witness") == "a witness"


def test_a_claim_joins_only_clusters_within_the_window_of_days():
    vector = np.ones((2, 4), dtype=np.float32) / 2
    days = [date(2024, 7, 3).toordinal(), date(2024, 9, 20).toordinal()]
    positions, _ = assign(vector, ["x", "x"], ["a", "b"], Clusters(), method="exact", days=days, window_days=7)
    assert positions[0] != positions[1]
    positions, _ = assign(vector, ["x", "x"], ["a", "b"], Clusters(), method="exact", days=[days[0], days[0] + 5], window_days=7)
    assert positions[0] == positions[1]


@pytest.mark.parametrize("text, outlet", [
    ("Headline\n\nMOSCOW, January 8. /TASS/. Russia's armed forces said", "TASS"),
    ("Headline\n\nKYIV, Jan 14 (Reuters) - Russian strikes hit", "Reuters"),
    ("Заголовок\n\nМОСКВА, 3 мая - РИА Новости. В Кремле заявили", "RIA Novosti"),
    ("Headline\n\nMinsk, 5 July (BelTA) – Lukashenko said", "BelTA"),
])
def test_outlet_read_from_a_dateline(text, outlet):
    rating = outlet_from_dateline(cached_registry(()), text)
    assert rating.actor.name == outlet and rating.inferred and rating.risk in {"high", "low"}


def test_no_outlet_read_from_text_without_an_agency_signature():
    assert outlet_from_dateline(cached_registry(()), "Talks resume\n\nThe Kremlin said on Monday (local time) - that talks resume.") is None


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spread")
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in CORPUS), encoding="utf-8")
    db = folder / "spread.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return Store(str(db), create=False)


def test_a_claim_repeated_as_fact_elsewhere_is_laundered(store):
    first = next(c for c in store.cluster_summaries() if "Daily Example" in c.outlets)
    assert first.origin_speaker == "Russian Defence Ministry" and first.origin_outlet.startswith("TASS")  # read from the dateline
    assert first.laundered and str(first.first_seen) == "2024-07-03"
    members = {m.outlet: m for m in store.cluster(first.cluster_id).members}
    assert members["Daily Example"].presentation == "outlet_voice"
    assert members["Daily Example"].sentence.startswith("Ukrainian drones attacked an oil depot")
    assert members["Other Wire"].presentation == "vague"
    later = [c for c in store.cluster_summaries() if c.first_seen == date(2024, 9, 20)]
    assert later and not later[0].laundered  # two months on: another cluster
    assert store.cluster_summaries(laundered=True) == [first]  # the filtered summary counts the same members
    assert first.cluster_id not in {c.cluster_id for c in store.cluster_summaries(laundered=False)}


def test_exports_carry_presentation_and_spread_columns(store, tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["export", str(tmp_path / "pq"), "--db", store.url.removeprefix("sqlite:///")]).exit_code == 0
    clusters = pq.read_table(tmp_path / "pq" / "clusters.parquet").to_pylist()
    claims = pq.read_table(tmp_path / "pq" / "claims.parquet").to_pylist()
    assert {"origin_article_id", "origin_speaker", "origin_outlet", "first_seen", "laundered"} <= set(clusters[0])
    assert {c["presentation"] for c in claims} >= {"attributed", "outlet_voice", "vague"} and all(c["cluster_id"] for c in claims)
    assert runner.invoke(app, ["export", str(tmp_path / "csv"), "--db", store.url.removeprefix("sqlite:///"), "--format", "csv"]).exit_code == 0
    rows = list(csv.DictReader(open(tmp_path / "csv" / "clusters.csv", encoding="utf-8")))
    assert any(row["laundered"] == "True" and json.loads(row["spread"])["outlets"] for row in rows)
    assert runner.invoke(app, ["export", str(tmp_path / "x"), "--db", store.url.removeprefix("sqlite:///"), "--format", "xls"]).exit_code == 2


def test_narrative_page_and_api(store):
    client = TestClient(create_app(store))
    laundered = client.get("/api/clusters", params={"laundered": "true"}).json()
    assert len(laundered) == 1
    detail = client.get(f"/api/clusters/{laundered[0]['cluster_id']}").json()
    assert [m["presentation"] for m in detail["members"]] == ["attributed", "outlet_voice", "vague"]
    page = client.get(f"/clusters/{laundered[0]['cluster_id']}").text
    assert "<svg" in page and "Laundered:" in page and "outlet voice" in page and "<script" not in page
    assert "laundered" in client.get("/clusters", params={"laundered": "yes"}).text
    assert client.get("/api/clusters/999999").status_code == 404


def test_openapi_documents_every_api_response(store):
    spec = TestClient(create_app(store)).get("/openapi.json").json()
    schemas = {path: json.dumps(ops["get"]["responses"]["200"]["content"]["application/json"]["schema"])
               for path, ops in spec["paths"].items() if path.startswith("/api")}
    expected = {"/api/articles": "ArticleRow", "/api/articles/{article_id}": "Analysis", "/api/claims": "ClaimRow",
                "/api/clusters": "ClusterSummary", "/api/clusters/{cluster_id}": "ClusterDetail",
                "/api/actors/{speaker}/timeline": "TimelinePoint", "/api/search": "SearchResult"}
    assert {path: name in schemas.get(path, "") for path, name in expected.items()} == {path: True for path in expected}
    assert "laundered" in spec["components"]["schemas"]["ClusterSummary"]["properties"]
