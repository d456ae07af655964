"""The reference reading of the example article (shared/examples/belarus-iskander.expected.md)."""
import pytest

LUKASHENKO = "Aleksandr Lukashenko"

# (speaker as written, resolved, cue contains, kind, content starts with)
CLAIMS = [
    ("Aleksandr Lukashenko", LUKASHENKO, "claims", "indirect", "that Belarus has deployed Iskander missile systems along the border with Ukraine"),
    ("He", LUKASHENKO, "warned", "indirect", "that he had deployed his nuclear capability along the border between the two countries"),
    ("he", LUKASHENKO, "claims", "parenthetical", "the increased activity of the Ukrainian military at the borders of Belarus"),
    ("the dictator", LUKASHENKO, "According to", "according_to", 'his border guards and military have already intercepted "dozens" of drones'),
    ("Lukashenko", LUKASHENKO, "said", "direct", "The Polonaise and Iskander missile systems have been positioned."),
    ("Putin", "Vladimir Putin", "announced", "indirect", "the construction of storage facilities for tactical nuclear weapons on Belarusian territory"),
    ("Lukashenko", LUKASHENKO, "announced", "indirect", 'that in case of "further provocations," Belarus may directly join the war in Ukraine'),
    ("the dictator", LUKASHENKO, "said", "direct", "What, open another 932 miles of the front?"),
]


def find(example, content_start):
    matches = [c for c in example.claims if c.content.text.startswith(content_start)]
    assert matches, f"no claim whose content starts with {content_start!r}"
    return matches[0]


@pytest.mark.parametrize("speaker, resolved, cue, kind, content", CLAIMS)
def test_claim_table(example, speaker, resolved, cue, kind, content):
    claim = find(example, content)
    assert claim.speaker.text == speaker
    assert claim.speaker_resolved == resolved
    assert cue in claim.cue.text
    assert claim.kind == kind


def test_dash_quote_spans_three_sentences(example):
    claim = find(example, "The Polonaise and Iskander")
    assert claim.content.text.endswith("in a high state of combat readiness")
    assert len(claim.sentences) == 3
    quote = find(example, "What, open another")
    assert quote.content.text.endswith("harder for the Ukrainians to maintain this border")


def test_doctrine_quote_is_attributed_to_the_doctrine(example):
    claim = find(example, '"retaliation using all forces and means')
    assert claim.kind == "quoted_phrase"
    assert "military doctrine" in claim.speaker_resolved


def test_conditional_and_hedges_on_claims(example):
    join = find(example, "that in case of")
    assert join.conditional and "may" in join.hedges
    assert '"further provocations,"' in join.scare_quotes
    drones = find(example, "his border guards")
    assert '"dozens"' in drones.scare_quotes and '"the most modern explosives"' in drones.scare_quotes
    assert "claims" in find(example, "that Belarus has deployed").hedges


def test_hedges_and_scare_quotes(example):
    hedges = [h.text for h in example.hedges if h.kind in {"hedge", "modal"}]
    for word in ("purportedly", "allegedly", "likely"):
        assert word in hedges
    assert hedges.count("may") == 2
    distancing = [h.text for h in example.hedges if h.kind == "distancing"]
    assert {"claims", "as he claims", "According to"} <= set(distancing)
    scare = " ".join(h.text for h in example.hedges if h.kind == "scare_quote")
    for phrase in ("increased activity of the Ukrainian military in the border area", "dozens", "the most modern explosives", "further provocations"):
        assert phrase in scare


def test_outlet_voice_is_kept_apart(example):
    warning = next(s for s in example.sentences if s.text.startswith("Many of the reports"))
    assert warning.voice == "outlet" and warning.hedged
    quoted = next(s for s in example.sentences if s.text.startswith("It is also known"))
    assert quoted.voice == "reported"


def test_speakers_resolve_to_registry_actors(example):
    actors = {c.actor.id for c in example.claims if c.actor}
    assert {"lukashenko", "putin"} <= actors
    lukashenko = next(c.actor for c in example.claims if c.actor and c.actor.id == "lukashenko")
    assert lukashenko.country == "Belarus" and lukashenko.role == "head of state" and lukashenko.risk == "high"


def test_techniques_in_outlet_voice(example):
    found = {(t.text, t.technique) for t in example.techniques}
    assert ("dictator", "Name_Calling,Labeling") in {(t.text.replace("the ", ""), t.technique) for t in example.techniques}
    assert sum(t.text.endswith("regime") and t.technique == "Name_Calling,Labeling" for t in example.techniques) == 2
    assert any("retaliation using all forces and means" in text and tech == "Appeal_to_fear-prejudice" for text, tech in found)
    assert any(text.startswith("flaunt his nuclear arsenal") for text, _ in found)


def test_dates_and_quantities(example):
    dates = {d.text: d for d in example.dates}
    assert dates["Wednesday, 3 July"].value == "2024-07-03" and dates["Wednesday, 3 July"].inferred
    assert dates["April 2024"].value == "2024-04"
    assert dates["2022"].value == "2022"
    assert str(example.published_inferred) == "2024-07-03"
    miles = next(q for q in example.quantities if q.text == "932 miles")
    assert miles.normalized_unit == "km" and round(miles.normalized_value) == 1500


def test_weapons(example):
    names = {w.name: w for w in example.weapons}
    assert names["Iskander"].designation == "9K720"
    assert names["Polonaise"].category == "multiple launch rocket system"


def events_like(example, actor, action):
    return [e for e in example.events if e.actor and actor in e.actor and e.action == action]


def test_events(example):
    deploy = next(e for e in events_like(example, "Belarus", "deploy") if e.trigger.text == "deployed")
    assert "Iskander" in deploy.instruments and deploy.cameo_code == "154" and deploy.quad_class == 4
    assert deploy.attributed_to == LUKASHENKO and deploy.reported == "2024-07-03"
    assert "border" in deploy.place
    handover = next(e for e in events_like(example, "Putin", "hand over") if e.date)
    assert handover.date == "2022" and handover.cameo_code == "072" and "Lukashenko" in handover.target
    assert events_like(example, "Belarusian authorities", "update")[0].date == "2024-04"
    assert events_like(example, "border guards", "intercept")[0].attributed_to == LUKASHENKO
    assert any(e.cameo_code.startswith("13") for e in events_like(example, "Lukashenko", "warn"))
    secure = events_like(example, "Ukrainians", "secure")[0]
    assert secure.claim_id is None and secure.plover == "MOBILIZE"
    assert events_like(example, "Ukrainians", "mine")
    assert events_like(example, "Russian troops", "attack")[0].negated


def test_verdict(example):
    verdict = example.verdict
    lukashenko = verdict.speakers[LUKASHENKO]
    assert lukashenko >= 8 and lukashenko / verdict.claims > 0.6
    assert verdict.claims_corroborated == 0
    assert verdict.claims_high_risk_only >= 9
    assert LUKASHENKO in verdict.high_risk_speakers
    assert verdict.outlet_warnings and "not authentic" in verdict.outlet_warnings[0]
    sentence = verdict.sentence
    assert f"{verdict.claims_high_risk_only} of {verdict.claims}" in sentence and LUKASHENKO in sentence
    assert "0 are corroborated" in sentence and "warns" in sentence
