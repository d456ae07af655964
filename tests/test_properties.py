"""Property-based tests (hypothesis): any bytes or text, however odd, is either analysed or reported
with a reason; nothing crashes, hangs or disappears."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimscope.analyzer import Analyzer
from claimscope.ingest import read_inputs
from claimscope.records import Analysis, Article, InputError

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".xml", ".md", ".bin"]))
def test_any_bytes_become_articles_or_errors(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(data)
    results = list(read_inputs([str(path)]))
    assert results, "every input yields at least one article or one error"
    for item in results:
        assert isinstance(item, (Article, InputError))
        if isinstance(item, InputError):
            assert item.reason and str(path) in item.input


@SETTINGS
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=600))
def test_any_text_is_analysed_or_refused(analyzer, text):
    article = Article(id="prop", text=text)
    results = list(analyzer.pipe([article]))
    assert len(results) == 1
    result = results[0]
    if isinstance(result, Analysis):
        assert result.article.text == text
        for claim in result.claims:
            assert text[claim.content.start : claim.content.end] == claim.content.text
    else:
        assert result.reason


@SETTINGS
@given(lines=st.lists(st.one_of(st.text(max_size=80), st.just('{"text": "Putin said that Russia would respond."}'), st.just("{bad json")), max_size=6))
def test_jsonl_batches_never_lose_a_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_text("\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines) + "\n", encoding="utf-8")
    non_empty = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = list(read_inputs([str(path)]))
    whole_file_refused = len(results) == 1 and isinstance(results[0], InputError) and results[0].input == str(path)
    assert whole_file_refused or len(results) == len(non_empty), "one article or one error per line, or one error for the file"


def test_huge_and_odd_inputs(analyzer):
    odd = ["\u202e" * 50 + "Lukashenko said the border is closed.", "A" * 5000, "\n" * 2000 + "Putin said nothing.", "\u0000 text",
           "Hello " * 30000]
    for text in odd:
        (result,) = list(analyzer.pipe([Article(id="odd", text=text)]))
        assert isinstance(result, (Analysis, InputError))


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def analyzer(pipeline):
    built = Analyzer(pipeline.config)
    built.pipelines["en"] = pipeline
    return built
