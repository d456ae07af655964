"""Attribution constructions beyond the example article: name-only dash quotes, "Speaker:" lines."""
import pytest

from claimscope.ingest import article_from_text


@pytest.fixture(scope="module")
def analyse(pipeline):
    return lambda text: pipeline(article_from_text("t.txt", text))


def _by_cue(analysis, cue):
    return [c for c in analysis.claims if c.cue is not None and c.cue.text == cue]


def test_quote_closed_by_dash_and_name_alone(analyse):
    text = (
        "Readers respond to the debate.\n"
        "\u201cHe represents our greatest shame. He has no plan.\u201d\u2015 Sonya Herridge\n"
        "\u201cThe regime lies every day about the war.\u201d \u2015 Pamela Padilla.\n"
    )
    claims = _by_cue(analyse(text), "\u2015")
    assert [(c.speaker.text, c.content.text, c.kind) for c in claims] == [
        ("Sonya Herridge", "\u201cHe represents our greatest shame. He has no plan.\u201d", "direct"),
        ("Pamela Padilla", "\u201cThe regime lies every day about the war.\u201d", "direct"),
    ]


def test_speaker_colon_headline_and_transcript(analyse):
    text = (
        "Pence: Gennifer Flowers Won\u2019t Be at Debate\n\n"
        "Partial transcript as follows:\n\n"
        "\"WALLACE: Let\u2019s start with breaking news on the debate story.\n\n"
        "\"PENCE: Well, look, Hillary Clinton apparently thinks this is an episode of a game show.\n"
    )
    claims = _by_cue(analyse(text), ":")
    assert [(c.speaker.text, c.content.text) for c in claims] == [
        ("Pence", "Gennifer Flowers Won\u2019t Be at Debate"),
        ("WALLACE", "Let\u2019s start with breaking news on the debate story"),
        ("PENCE", "Well, look, Hillary Clinton apparently thinks this is an episode of a game show"),
    ]


def test_labels_before_a_colon_are_not_speakers(analyse):
    text = "Update: the story was corrected on Monday after the ministry called.\n\nWatch: troops cross the river near the town.\n"
    assert _by_cue(analyse(text), ":") == []


def test_bare_demonstrative_is_not_a_speaker(example):
    assert not [c for c in example.claims if c.speaker is not None and c.speaker.text == "This"]
