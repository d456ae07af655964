"""The terminal report reads well at 80, 100 and 120 columns: no word is broken across lines, a speaker takes one line
where it fits, long contents are cut with an ellipsis (whole under --wide); the same for a Russian article."""
import io
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from claimscope.cli import render
from claimscope.analyzer import Analyzer
from claimscope.cli import app
from claimscope.records import Article

from .conftest import EXAMPLE

# Written for this test: a Russian article with long names, a relay and a quotation.
RUSSIAN = ("Захарова обвинила Киев в подготовке провокации\n\n"
           "Официальный представитель Министерства иностранных дел Российской Федерации Мария Захарова заявила, что "
           "киевский режим готовит масштабную провокацию на Запорожской атомной электростанции, передает РИА Новости. "
           "«Мы располагаем достоверной информацией о планируемой провокации с применением беспилотников», — сказала она. "
           "По словам дипломата, западные страны несут ответственность за безопасность объекта.")
WORD = re.compile(r"[^\W\d_]+")


@pytest.fixture(scope="module")
def analyses(example_text):
    analyzer = Analyzer()
    return {"example": analyzer(Article(id="belarus-iskander.txt", text=example_text)),
            "russian": analyzer(Article(id="zakharova.txt", text=RUSSIAN))}


def vocabulary(analysis) -> set[str]:
    """Every word the report may print: the article's, the analysis's own strings, and the report's labels."""
    labels = " ".join([*render.CUE_LABELS.values(), *render.KIND_LABELS.values(), render.print_text.__doc__ or "",
                       "Claims who says what speaker cue content doubt Verdict Outlet Hedges and distancing Persuasion techniques "
                       "Events Quantities dates Weapon systems published given inferred from the text unknown sentences language "
                       "high risk source medium rests only on sources uncorroborated in quoted phrase unresolved unnamed implicit no "
                       "via CAMEO Goldstein claimed by a outlet reported not year Outlet's own hedged"])
    return set(WORD.findall(analysis.article.text + " " + analysis.model_dump_json() + " " + labels))


def report(analysis, width: int, wide: bool = False) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    render.print_text(analysis, console, wide=wide)
    return console.file.getvalue()


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("which", ["example", "russian"])
def test_no_word_is_broken_and_no_line_is_too_long(analyses, which, width):
    analysis = analyses[which]
    text = report(analysis, width)
    known = vocabulary(analysis)
    broken = sorted({word for word in WORD.findall(text) if word not in known})
    assert broken == [], broken
    assert max(len(line) for line in text.splitlines()) <= width
    assert analysis.claims and "Claims (who says what)" in text


def test_a_speaker_takes_one_line_where_it_fits_and_risk_is_a_marker(analyses):
    text = report(analyses["example"], 120)
    assert "Alexander Lukashenko \u25b2" in text and "(high risk)" not in text
    assert "\u2691" in text  # claims resting only on high-risk sources


def test_long_contents_are_cut_unless_wide(analyses):
    analysis = analyses["example"]
    longest = max(analysis.claims, key=lambda c: len(c.content.text)).content.text
    cut = report(analysis, 100)
    whole = report(analysis, 100, wide=True)
    assert "\u2026" in cut
    assert " ".join(longest.split()[-3:]) not in " ".join(cut.replace("\u2502", " ").split())
    assert " ".join(longest.split()[-3:]) in " ".join(whole.replace("\u2502", " ").split())


def test_cli_report_width_and_wide_options():
    result = CliRunner().invoke(app, ["analyze", str(EXAMPLE), "--width", "80", "--wide"])
    assert result.exit_code == 0 and max(len(line) for line in result.stdout.splitlines()) <= 80
    assert CliRunner().invoke(app, ["analyze", str(EXAMPLE), "--width", "40"]).exit_code == 2
