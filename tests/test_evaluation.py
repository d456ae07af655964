"""Scorers implement the published metrics; prediction writers produce the benchmark formats."""
import pytest
from typer.testing import CliRunner

from claimscope.engines.checkworthiness import average_precision, precision_at
from claimscope.engines.claim_matching import map_at_k, mrr
from claimscope.cli import app
from claimscope.evaluation.attribution import Counts, read_brat, score_role, write_brat
from claimscope.engines.techniques import shown
from claimscope.evaluation.techniques import si_scores, span_technique_scores, tc_scores
from claimscope.records import Analysis, Article, Claim, Span

TEXT = "Putin said that Russia would respond. The minister claims the drones were Ukrainian.\n"
ANN = (
    "T1\tSource 0 5\tPutin\nT2\tCue 6 10\tsaid\nT3\tContent 11 36\tthat Russia would respond\n"
    "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    "T5\tSource 38 50\tThe minister\nT6\tCue 51 57\tclaims\nT7\tContent 58 83\tthe drones were Ukrainian\n"
    "T8\tAttribution 51 57\tclaims\nE2\tAttribution:T8 Source:T5 Cue:T6 Content:T7\n"
)


@pytest.fixture()
def polnear(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(TEXT)
    (tmp_path / "attributions" / "doc1_abcd.ann").write_text(ANN)
    return tmp_path


def test_brat_reader_links_roles(polnear):
    attributions = read_brat(polnear / "attributions" / "doc1_abcd.ann", TEXT)
    assert [a.spans["Cue"] for a in attributions] == [[(6, 10)], [(51, 57)]]
    assert TEXT[slice(*attributions[1].spans["Content"][0])] == "the drones were Ukrainian"


def test_eval_attribution_scores_a_perfect_article(polnear):
    result = CliRunner().invoke(app, ["eval", "attribution", "--gold", str(polnear)])
    assert result.exit_code == 0, result.output
    cue_line = next(line for line in result.stdout.splitlines() if line.startswith("Cue"))
    assert cue_line.split()[1:] == ["2", "2", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000"]
    assert "F1 1.000" in result.stdout.splitlines()[-1]


def test_predict_attribution_writes_brat_that_reads_back(polnear, tmp_path):
    out = tmp_path / "pred"
    result = CliRunner().invoke(app, ["predict", "attribution", str(polnear / "text"), str(out)])
    assert result.exit_code == 0
    predicted = read_brat(out / "doc1.ann", TEXT)
    assert {tuple(a.spans["Source"][0]) for a in predicted} == {(0, 5), (38, 50)}


def test_interrupted_content_is_written_and_scored_as_its_pieces(tmp_path):
    text = '"We stay," she said. "We fight."\n'
    span = lambda start, end: Span(start=start, end=end, text=text[start:end])  # noqa: E731
    claim = Claim(id="c1", speaker=span(11, 14), cue=span(15, 19), content=span(0, 32), content_parts=[span(0, 10), span(21, 32)], kind="direct")
    analysis = Analysis(article=Article(id="t", text=text), claims=[claim])
    (tmp_path / "t.ann").write_text(write_brat(analysis))
    assert read_brat(tmp_path / "t.ann", text)[0].spans["Content"] == [(0, 10), (21, 32)]
    gold, counts = [[(0, 10), (21, 32)]], Counts()
    score_role(text, gold, [claim.content_ranges()], counts)
    assert counts.scores()["exact_f1"] == 1.0


def test_si_partial_overlap_credit():
    gold = {"a": [(0, 10)]}
    pred = {"a": [(0, 5), (20, 30)]}
    scores = si_scores(gold, pred, ["a"])
    assert scores["precision"] == pytest.approx((5 / 5 + 0) / 2)
    assert scores["recall"] == pytest.approx(5 / 10)


def test_tc_micro_f1_matches_each_gold_label_once():
    gold = {"a": [(0, 5, "Doubt"), (0, 5, "Loaded_Language"), (9, 12, "Slogans")]}
    pred = {"a": [(0, 5, "Doubt"), (0, 5, "Doubt"), (9, 12, "Slogans")]}
    scores = tc_scores(gold, pred, ["a"])
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)


def test_span_and_technique_credit_only_overlaps_of_the_same_technique():
    gold = {"a": [(0, 10, "Doubt"), (20, 30, "Slogans")]}
    pred = {"a": [(0, 5, "Doubt"), (20, 30, "Doubt")]}
    scores = span_technique_scores(gold, pred, ["a"])
    assert scores["precision"] == pytest.approx((5 / 5 + 0) / 2)
    assert scores["recall"] == pytest.approx((5 / 10 + 0) / 2)


def test_spans_are_shown_from_their_techniques_threshold_and_never_for_an_uncalibrated_one():
    detections = [(0, 5, "Doubt", 0.7, "model"), (6, 9, "Doubt", 0.4, "model"), (10, 12, "Slogans", 0.99, "model")]
    assert shown(detections, {"Doubt": 0.5}) == [detections[0]]


def test_ranking_metrics():
    assert average_precision([0, 1, 0, 1], [0.9, 0.8, 0.1, 0.7]) == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert precision_at([1, 0, 1], [0.5, 0.4, 0.9], 2) == pytest.approx(1.0)
    run = {"q1": ["x", "a"], "q2": ["b"], "q3": ["z"]}
    qrels = {"q1": {"a"}, "q2": {"b"}, "q3": {"c"}}
    assert map_at_k(run, qrels, 5) == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert mrr(run, qrels) == pytest.approx((1 / 2 + 1) / 3)
