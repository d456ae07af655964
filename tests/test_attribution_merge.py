"""How the attribution CRF's spans are linked and merged with the rules' claims.

The merge tests give the attribution_tagger component chosen tagged spans (tag_document is replaced),
so they test the merge itself, not what the trained model happens to tag."""
import pytest

from claimscope.analysers import attribution_tagger as merge
from claimscope.engines.attribution_crf import TaggedSpan, joined, link
from claimscope.pipeline import Config, Pipeline
from claimscope.records import Article


@pytest.fixture(scope="module")
def rules():
    return Pipeline(Config.load(components=["sentences", "entities", "attribution"]))


def rules_document(rules, text):
    return next(rules.documents([Article(id="t", text=text)]))


def tokens(doc, role, phrase, after=0):
    """The TaggedSpan over the first occurrence of ``phrase`` at or after character ``after``."""
    start = doc.text.index(phrase, after)
    span = doc.char_span(start, start + len(phrase))
    return TaggedSpan(role, span.start, span.end)


def merged(monkeypatch, document, tagged, order="rules"):
    monkeypatch.setattr(merge, "tag_document", lambda _document: tagged)
    merge.attribution_tagger(document, {"order": order})
    return document.analysis


def test_a_content_its_frame_interrupts_is_linked_as_its_pieces(rules):
    doc = rules_document(rules, '"We will hold the line," the commander said. "The bridge is ours."').doc
    spans = [tokens(doc, "CON", '"We will hold the line,"'), tokens(doc, "SRC", "the commander"), tokens(doc, "CUE", "said"),
             tokens(doc, "CON", '"The bridge is ours."')]
    [(source, cue, pieces)] = link(doc, spans)
    assert (doc[source.start : source.end].text, doc[cue.start : cue.end].text) == ("the commander", "said")
    assert [doc[p.start : p.end].text for p in pieces] == ['"We will hold the line,"', '"The bridge is ours."']


def test_a_content_piece_two_sentences_away_is_not_linked(rules):
    doc = rules_document(rules, "The mayor said the port was closed. Ships waited. Trade stopped completely.").doc
    spans = [tokens(doc, "SRC", "The mayor"), tokens(doc, "CUE", "said"), tokens(doc, "CON", "the port was closed"),
             tokens(doc, "CON", "Trade stopped completely")]
    [(_source, _cue, pieces)] = link(doc, spans)
    assert [doc[p.start : p.end].text for p in pieces] == ["the port was closed"]


def test_spans_split_only_by_a_doubled_space_are_one_span(rules):
    doc = rules_document(rules, "The agency announced it  added 255,000 jobs in July.").doc
    first, second = tokens(doc, "CON", "it"), tokens(doc, "CON", "added 255,000 jobs in July")
    assert second.start > first.end  # the doubled space is a token of its own
    [span] = joined(doc, [first, second])
    assert doc[span.start : span.end].text == "it  added 255,000 jobs in July"


def test_a_tagged_attribution_may_share_the_speaker_of_a_rule_claim(rules, monkeypatch):
    document = rules_document(rules, "The senator mocked the plan, saying it would fail.")
    doc = document.doc
    analysis = merged(monkeypatch, document, [(tokens(doc, "SRC", "The senator"), tokens(doc, "CUE", "mocked"), [tokens(doc, "CON", "the plan")])])
    found = {(c.speaker.text, c.cue.text, c.content.text) for c in analysis.claims + analysis.other_attributions}
    assert found == {("The senator", "saying", "it would fail"), ("The senator", "mocked", "the plan")}


def test_a_tagged_cue_that_reports_no_speech_is_kept_apart_from_the_claims(rules, monkeypatch):
    document = rules_document(rules, "He did not say whether the talks would resume.")
    doc = document.doc
    analysis = merged(monkeypatch, document, [(tokens(doc, "SRC", "He"), tokens(doc, "CUE", "did not say"),
                                               [tokens(doc, "CON", "whether the talks would resume")])])
    assert analysis.claims == []
    assert [(a.cue.text, a.content.text) for a in analysis.other_attributions] == [("did not say", "whether the talks would resume")]


def test_a_tagged_attribution_inside_a_claims_content_is_nested(rules, monkeypatch):
    document = rules_document(rules, "The general said that troops welcomed the decision by the council.")
    doc = document.doc
    analysis = merged(monkeypatch, document, [(tokens(doc, "SRC", "troops"), tokens(doc, "CUE", "welcomed"),
                                               [tokens(doc, "CON", "the decision by the council")])])
    assert [(c.cue.text, c.content.text) for c in analysis.claims] == [("said", "that troops welcomed the decision by the council")]
    assert [(a.kind, a.speaker.text, a.cue.text) for a in analysis.other_attributions] == [("nested", "troops", "welcomed")]


def test_a_rule_claims_cue_takes_in_the_words_the_tagged_cue_adds(rules, monkeypatch):
    document = rules_document(rules, "The ministry said in a statement that the bridge was destroyed.")
    doc = document.doc
    analysis = merged(monkeypatch, document, [(tokens(doc, "SRC", "The ministry"), tokens(doc, "CUE", "said in a statement"),
                                               [tokens(doc, "CON", "that the bridge was destroyed")])])
    [claim] = analysis.claims
    assert (claim.speaker.text, claim.cue.text, claim.content.text) == ("The ministry", "said in a statement", "that the bridge was destroyed")
    assert analysis.other_attributions == []


def test_after_quotations_a_tagged_attribution_with_the_rule_claims_cue_replaces_it(rules, monkeypatch):
    document = rules_document(rules, "The mayor said on Monday that the port was closed.")
    doc = document.doc
    [rule_claim] = document.analysis.claims
    assert rule_claim.kind == "indirect" and rule_claim.content.text == "that the port was closed"
    tagged = [(tokens(doc, "SRC", "The mayor"), tokens(doc, "CUE", "said"), [tokens(doc, "CON", "the port was closed")])]
    [claim] = merged(monkeypatch, document, tagged, order="quotes").claims
    assert (claim.speaker.text, claim.cue.text, claim.content.text) == ("The mayor", "said", "the port was closed")


def test_after_quotations_a_rule_claim_wins_over_a_tagged_attribution_with_another_cue(rules, monkeypatch):
    document = rules_document(rules, "The mayor said the port was closed after officials warned of storms.")
    doc = document.doc
    tagged = [(tokens(doc, "SRC", "officials"), tokens(doc, "CUE", "warned"), [tokens(doc, "CON", "of storms")])]
    analysis = merged(monkeypatch, document, tagged, order="quotes")
    assert [(c.speaker.text, c.cue.text) for c in analysis.claims] == [("The mayor", "said")]
    assert all(a.cue.text != "warned" for a in analysis.other_attributions)


def test_an_unknown_merge_order_is_refused_when_the_pipeline_is_built():
    from claimscope.pipeline import ConfigError

    config = Config.load()
    config.settings["attribution_tagger"] = {"order": "tagger"}
    with pytest.raises(ConfigError, match="order must be one of 'quotes', 'rules', 'patterns', not 'tagger'"):
        Pipeline(config)


def test_a_tagged_claim_that_takes_over_a_rule_claim_keeps_the_speaker_of_a_participle_cue(rules, monkeypatch):
    document = rules_document(rules, "The army said it had shot down nine drones overnight, adding that debris damaged a school.")
    doc = document.doc
    assert [c.speaker.text for c in document.analysis.claims] == ["The army", "The army"]
    tagged = [(tokens(doc, "SRC", "The army"), tokens(doc, "CUE", "said"), [tokens(doc, "CON", "it had shot down nine drones overnight")]),
              (None, tokens(doc, "CUE", "adding"), [tokens(doc, "CON", "that debris damaged a school")])]
    analysis = merged(monkeypatch, document, tagged, order="quotes")
    assert [(c.speaker.text, c.cue.text, c.speaker_status) for c in analysis.claims] == [("The army", "said", "unresolved"), ("The army", "adding", "unresolved")]



def test_a_passive_tagged_cue_without_a_source_takes_its_agent(rules, monkeypatch):
    document = rules_document(rules, "The rumours were dismissed by the regional command on Monday.")
    doc = document.doc
    analysis = merged(monkeypatch, document, [(None, tokens(doc, "CUE", "were dismissed"), [tokens(doc, "CON", "The rumours")])], order="quotes")
    assert [(c.speaker.text, c.cue.text, c.content.text) for c in analysis.claims] == [("the regional command", "were dismissed", "The rumours")]
