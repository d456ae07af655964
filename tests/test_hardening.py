"""Bad inputs and bad requests get a clear answer: one error line (never a traceback), 4xx for bad
queries (never a 500), nothing silently accepted that should be refused."""
import json
import random
import string

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.store import Store, StoreError
from claimscope.web import create_app

from .conftest import FIXTURES

runner = CliRunner()
EXAMPLE = str(FIXTURES / "belarus-iskander.txt")


def one_error_line(result, code=1):
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error:") and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# ---- command line ----

def test_output_path_in_a_missing_folder_is_refused_before_any_work(tmp_path):
    line = one_error_line(runner.invoke(app, ["analyze", EXAMPLE, "--out", str(tmp_path / "no" / "r.html"), "--format", "html"]))
    assert "does not exist" in line and str(tmp_path / "no") in line


def test_database_in_a_missing_folder(tmp_path):
    line = one_error_line(runner.invoke(app, ["ingest", EXAMPLE, "--db", str(tmp_path / "no" / "x.sqlite")]))
    assert "folder" in line and "does not exist" in line


def test_unreachable_postgresql_is_one_line():
    line = one_error_line(runner.invoke(app, ["ingest", EXAMPLE, "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"]))
    assert "cannot open" in line and "secret" not in line


def test_serve_refuses_a_database_that_does_not_exist(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "typo.sqlite"), create=False)
    line = one_error_line(runner.invoke(app, ["serve", "--db", str(tmp_path / "typo.sqlite")]))
    assert "does not exist" in line and not (tmp_path / "typo.sqlite").exists()


def test_binary_registry_blames_the_registry(tmp_path):
    line = one_error_line(runner.invoke(app, ["analyze", EXAMPLE, "--registry", "/bin/ls"]), code=2)
    assert "registry /bin/ls" in line


def test_bad_config_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[pipeline\n")
    assert "not valid TOML" in one_error_line(runner.invoke(app, ["analyze", EXAMPLE, "--config", str(bad)]), code=2)
    bad.write_text('[components.verdict]\nsame_claim_scor = 3\n')
    assert "has no settings" in one_error_line(runner.invoke(app, ["analyze", EXAMPLE, "--config", str(bad)]), code=2)
    bad.write_text('[pipeline]\ncomponents = ["sentences", "verdict"]\n')
    line = one_error_line(runner.invoke(app, ["analyze", EXAMPLE, "--config", str(bad)]), code=2)
    assert "requires" in line and "'claims'" in line


def test_events_format_follows_the_extension_and_refuses_unknown(tmp_path):
    out = tmp_path / "events.jsonl"
    assert runner.invoke(app, ["events", EXAMPLE, "--out", str(out)]).exit_code == 0
    assert all(json.loads(line)["EventCode"] for line in out.read_text().splitlines())
    assert "cannot tell the format" in one_error_line(runner.invoke(app, ["events", EXAMPLE, "--out", str(tmp_path / "e.xlsx")]), code=2)
    assert "unknown format" in one_error_line(runner.invoke(app, ["events", EXAMPLE, "--format", "xml"]), code=2)


def test_long_article_is_refused_with_the_budget(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 400_000)  # a two-million-character line
    result = runner.invoke(app, ["analyze", str(big), "--format", "json"])
    assert result.exit_code == 1 and "over the analysis budget" in result.stderr and "max_length" not in result.stderr


def test_unsupported_language_is_reported_not_analysed(tmp_path):
    german = tmp_path / "de.txt"
    german.write_text("Die Regierung hat am Montag erklärt, dass die Verhandlungen in der nächsten Woche fortgesetzt werden sollen. "
                      "Der Sprecher sagte, man sei zuversichtlich, dass eine Einigung möglich sei.")
    result = runner.invoke(app, ["analyze", str(german), "--format", "jsonl"])
    assert result.exit_code == 1 and "language is German (de" in result.stderr and result.stdout == ""


def test_language_is_read_from_the_article_not_its_title_case_headline():
    from claimscope.nlp.language import detect

    headline = "Merkel Wades In: Urges Berlin To Stay In European Union Talks."  # alone, it reads as German
    body = ("The chancellor said on Tuesday that the government would keep talking to its partners, and officials in "
            "Brussels welcomed the statement. Critics argued that the decision came too late for the farmers who had protested.")
    assert detect(headline).code != "en" and detect(f"{headline}\n\n{body}").code == "en"


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Lukashenko said that Belarus would defend its border.".encode("utf-16"))
    result = runner.invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["claims"]


def test_html_page_without_an_article_is_an_input_error(tmp_path):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/'>Home</a> / <a href='/login'>Log in</a></nav></body></html>")
    result = runner.invoke(app, ["analyze", str(page), "--format", "jsonl"])
    assert result.exit_code == 1 and "holds no article" in result.stderr


def test_models_check_passes_and_catches_a_changed_lexicon(tmp_path):
    import shutil

    from claimscope.resources.lexicons import DATA

    assert runner.invoke(app, ["models", "--check"]).exit_code == 0
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    (copy / "cues.tsv").write_text((copy / "cues.tsv").read_text() + "mutter\tneutral\tn\n")
    result = runner.invoke(app, ["models", "--check", "--data-dir", str(copy)])
    assert result.exit_code == 1 and "cues.tsv changed since training" in result.stderr


def test_corrupt_model_file_is_a_clear_error(tmp_path, monkeypatch):
    import shutil

    from claimscope.resources import models

    copy = tmp_path / "data"
    shutil.copytree(models.DATA, copy)
    (copy / "techniques_tc.npz").write_bytes(b"not a model")
    monkeypatch.setattr(models, "DATA", copy)
    models.require.cache_clear()
    try:
        with pytest.raises(models.ModelFileError, match="techniques_tc.npz is corrupt"):
            models.require("techniques_tc.npz")
    finally:
        models.require.cache_clear()


# ---- web ----

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "w.sqlite"
    runner.invoke(app, ["ingest", EXAMPLE, "--db", str(db), "--source", "tass.com"])
    return TestClient(create_app(Store(str(db))), raise_server_exceptions=False)


@pytest.mark.parametrize("url", [
    "/claims?since=yesterday", "/claims?until=2024-13-45", "/api/claims?since=yesterday",
    "/api/claims?offset=99999999999999999999", "/api/articles?offset=99999999999999999999",
    "/articles/99999999999999999999999", "/api/articles/99999999999999999999999",
    "/api/claims?limit=-1", "/api/claims?limit=0", "/api/claims?limit=5000", "/api/claims?offset=-3", "/api/search?q=",
    "/api/claims?outlet_risk=enormous",
])
def test_bad_queries_are_4xx(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.text[:200])


def test_security_headers_and_offline_api_docs(client):
    response = client.get("/docs")
    assert response.status_code == 200 and "/api/claims" in response.text and "<script" not in response.text.lower()
    assert "cdn" not in response.text.lower()
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_outlet_rating_is_shown_and_filterable(client):
    rows = client.get("/api/claims", params={"outlet_risk": "high"}).json()
    assert rows and all(r["outlet_risk"] == "high" for r in rows)
    assert client.get("/api/claims", params={"outlet_risk": "low"}).json() == []
    page = client.get("/claims", params={"outlet_risk": "high"}).text
    assert "outlet rated high" in page and "CRED-1" in page
    article = client.get(f"/articles/{client.get('/api/articles').json()[0]['id']}").text
    assert "rated unreliable" in article


def test_web_fuzz_no_500_and_still_serving(client):
    rng = random.Random(7)
    routes = ["/", "/claims", "/clusters", "/search", "/docs", "/api/articles", "/api/claims", "/api/clusters", "/api/search",
              "/articles/1", "/api/articles/1", "/actors/x", "/api/actors/x/timeline"]
    names = ["q", "since", "until", "limit", "offset", "speaker", "risk", "outlet", "outlet_risk", "cue_class", "id"]
    alphabet = string.printable + "\u0000\u202e\U0001f4a3\u00e9"
    hostile = ["'; DROP TABLE claims; --", "<script>alert(1)</script>", "%00", "9" * 40, "-1", "1e309", "NaN", "..%2f..%2fetc%2fpasswd", "\"", "\\"]
    for _ in range(1000):
        route = rng.choice(routes)
        params = {rng.choice(names): rng.choice(hostile) if rng.random() < 0.5 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
                  for _ in range(rng.randint(0, 3))}
        response = client.get(route, params=params)
        assert response.status_code < 500, (route, params, response.status_code)
    assert client.get("/api/claims").status_code == 200
