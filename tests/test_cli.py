"""The command line as a user meets it: formats, schema, exit codes, events export, config."""
import csv
import io
import json
import re

import jsonschema
import pytest
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.schema import generate, published

from .conftest import FIXTURES

runner = CliRunner()
EXAMPLE = str(FIXTURES / "belarus-iskander.txt")


def test_text_report(tmp_path):
    out = tmp_path / "report.txt"
    result = runner.invoke(app, ["analyze", EXAMPLE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = out.read_text()
    assert "Verdict:" in report and "Alexander Lukashenko \u25b2" in report
    assert "932 miles \u2248 1,500 km" in report and "Wednesday, 3 July \u2192 2024-07-03" in report


def test_json_output_follows_published_schema():
    result = runner.invoke(app, ["analyze", EXAMPLE, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    jsonschema.validate(data, published())
    assert data["schema_version"] == "2.1"
    assert any(c["speaker_resolved"] == "Alexander Lukashenko" for c in data["claims"])


def test_published_schema_matches_the_records():
    assert published() == generate(), "run scripts/write_schema.py (and bump SCHEMA_VERSION if incompatible)"
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.stdout)["title"].startswith("claimscope analysis")


def test_html_report_is_self_contained_and_escaped(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text('Putin said that <script>alert("x")</script> Russia would respond. The dictator claims "all is fine" here.')
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["analyze", EXAMPLE, str(hostile), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0
    page = out.read_text()
    assert "<script" not in page and "&lt;script" in page and "&lt;/script&gt;" in page
    assert 'class="content"' in page and 'class="technique"' in page and "Name_Calling,Labeling" in page
    assert "http://" not in page.replace("http-equiv", "") and "https://" not in page


def test_multi_input_run_reports_failures_and_analyses_the_rest(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    failed = tmp_path / "failed.jsonl"
    result = runner.invoke(app, ["analyze", EXAMPLE, str(empty), str(tmp_path / "missing.txt"), "--format", "jsonl", "--errors", str(failed)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1
    jsonschema.validate(lines[0], published())  # every jsonl line has the shape --format json has
    assert {json.loads(line)["reason"] for line in failed.read_text().splitlines()} == {"empty file", "no such file or folder"}
    assert "empty.txt: empty file" in result.stderr


def test_json_is_one_analysis_and_refuses_several_inputs(tmp_path):
    result = runner.invoke(app, ["analyze", EXAMPLE, EXAMPLE, "--format", "json"])
    assert result.exit_code == 2 and "--format jsonl" in result.stderr and result.stdout == ""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"text": "Putin said that Russia would respond."}) + "\n" + json.dumps({"text": "Zelensky said that Ukraine would not yield."}) + "\n")
    result = runner.invoke(app, ["analyze", str(corpus), "--format", "json"])
    assert result.exit_code == 2 and "--format jsonl" in result.stderr


def test_unknown_format_and_model_are_clear(tmp_path):
    result = runner.invoke(app, ["analyze", EXAMPLE, "--format", "pdf"])
    assert result.exit_code == 2 and "unknown format" in result.stderr
    result = runner.invoke(app, ["analyze", EXAMPLE, "--model", "en_core_web_nonexistent"])
    assert result.exit_code == 2 and "is not installed" in result.stderr and "never downloads" in result.stderr


def test_config_picks_components(tmp_path):
    config = tmp_path / "small.toml"
    config.write_text('[pipeline]\ncomponents = ["sentences", "entities"]\n')
    result = runner.invoke(app, ["analyze", EXAMPLE, "--format", "json", "--config", str(config)])
    data = json.loads(result.stdout)
    assert data["sentences"] and data["claims"] == [] and data["verdict"] is None
    config.write_text('[pipeline]\ncomponents = ["sentences", "nonsense"]\n')
    result = runner.invoke(app, ["analyze", EXAMPLE, "--config", str(config)])
    assert result.exit_code == 2 and "unknown pipeline components ['nonsense']" in result.stderr


def test_events_export_gdelt_columns(tmp_path):
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["events", EXAMPLE, "--out", str(out)])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    deploy = next(r for r in rows if r["EventCode"] == "154" and r["AttributedTo"])
    assert deploy["QuadClass"] == "4" and float(deploy["GoldsteinScale"]) == -7.2
    assert deploy["AttributedTo"] == "Alexander Lukashenko" and deploy["Day"] == "20240703"
    result = runner.invoke(app, ["events", EXAMPLE, "--format", "jsonl"])
    assert all(json.loads(line)["EventCode"] for line in result.stdout.splitlines())


def test_python_api(example_text):
    import claimscope

    analysis = claimscope.analyze(example_text, published="2024-07-04", source="Example News")
    assert analysis.article.published.isoformat() == "2024-07-04"
    assert analysis.published_inferred is None
    assert analysis.claims and analysis.verdict.claims == len([c for c in analysis.claims if c.speaker_resolved])


def test_fast_profile_by_name():
    result = runner.invoke(app, ["analyze", EXAMPLE, "--format", "json", "--config", "fast"])
    data = json.loads(result.stdout)
    assert data["claims"] and all(t["method"] == "lexicon" for t in data["techniques"])
    assert all(s["checkworthiness"] is None for s in data["sentences"])


@pytest.mark.parametrize("command", [[], ["analyze"], ["ingest"], ["batch"], ["export"], ["check"], ["eval", "spread"]])
def test_help_names_types_in_words_not_python_types(command):
    text = CliRunner().invoke(app, [*command, "--help"]).output
    assert "Usage:" in text
    assert not re.search(r"<(bool|str|int|float|path|list\[)", text), text
