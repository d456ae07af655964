"""The event coder on sentences written for the tests: each PLOVER type, negation, claimed versus
observed events, CAMEO combinations, actor codes and their date ranges, the PLOVER commands."""
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from claimscope.cli import app
from claimscope.ingest import article_from_text


@pytest.fixture(scope="module")
def code(pipeline):
    def run(text, published=None):
        return pipeline(article_from_text("t.txt", text, published=published)).events
    return run


def main(events):
    return next(e for e in sorted(events, key=lambda e: (e.negated, e.mode != "observed", e.plover == "OTHER")))


@pytest.mark.parametrize("text, plover", [
    ("The two governments agreed to hold peace talks in Geneva next month.", "AGREE"),
    ("The agency delivered medical aid to the besieged city.", "AID"),
    ("Gunmen abducted four aid workers near the border on Sunday.", "ASSAULT"),
    ("Police arrested twelve protesters outside the parliament.", "COERCE"),
    ("The rebels surrendered their weapons to the peacekeepers.", "RETREAT"),
    ("The foreign ministers of France and Germany met in Paris on Tuesday.", "CONSULT"),
    ("Japan and Australia signed a defence cooperation pact.", "SUPPORT"),
    ("The opposition demanded the resignation of the prime minister.", "DEMAND"),
    ("The president condemned the bombing of the hospital.", "DISAPPROVE"),
    ("Russian troops shelled the town overnight.", "FIGHT"),
    ("Prosecutors opened an investigation into the killing of the journalist.", "INVESTIGATE"),
    ("China massed troops along its border with India.", "MOBILIZE"),
    ("Thousands of students marched through the capital to protest the new law.", "PROTEST"),
    ("The government rejected the proposal for a ceasefire.", "REJECT"),
    ("The European Union imposed new sanctions on Iran on Monday.", "COERCE"),
    ("The United States suspended military aid to the country.", "SANCTION"),
    ("The army withdrew its forces from the northern district.", "RETREAT"),
    ("North Korea threatened to strike the United States with nuclear weapons.", "THREATEN"),
    ("The government eased restrictions on the press.", "CONCEDE"),
    ("The two navies held joint exercises with the coast guard.", "COOPERATE"),
    ("The rebels agreed to release the hostages.", "AGREE"),
])
def test_each_plover_type(code, text, plover):
    assert main(code(text)).plover == plover


def test_negated_event_is_flagged_and_not_exported(pipeline, tmp_path):
    analysis = pipeline(article_from_text("t.txt", "Russian troops did not attack the village."))
    assert not any(e.action == "attack" for e in analysis.events)  # not an event that happened
    attack = next(e for e in analysis.unrealised_events if e.action == "attack")
    assert attack.negated and attack.mode == "negated"
    source = tmp_path / "n.txt"
    source.write_text("Russian troops did not attack the village on Monday.")
    out = tmp_path / "e.jsonl"
    assert CliRunner().invoke(app, ["events", str(source), "--out", str(out)]).exit_code == 0
    assert not any(json.loads(line)["EventRootCode"] == "19" for line in out.read_text().splitlines())


def test_reported_event_is_claimed_not_observed(code):
    events = code("Russia's Defence Ministry said Ukrainian forces had shelled the bridge.")
    shelled = next(e for e in events if e.action == "shell")
    assert shelled.claim_id and shelled.attributed_to and shelled.actor_code == "UKR"
    observed = next(e for e in code("Ukrainian forces shelled the bridge on Monday.") if e.action == "shell")
    assert observed.claim_id is None and observed.attributed_to is None


def test_intent_and_refusal_combinations(code):
    assert main(code("Moscow will hold talks with Kyiv next week.")).cameo_code.startswith("03")
    assert main(code("The president refused to meet the envoy.")).plover == "REJECT"
    assert main(code("The rebels said the army must withdraw from the town.")).plover == "DEMAND"


def test_actor_codes_respect_date_ranges(pipeline):
    from claimscope.engines.event_coder import actor_code
    from claimscope.resources.registry import Registry

    registry = Registry.load()
    doc = pipeline.nlp("Dmytro Kuleba spoke.")
    kuleba = doc[0:2]
    assert actor_code(kuleba, date(2023, 5, 1), registry, "Dmytro Kuleba") == ("UKR", "GOV")
    assert actor_code(kuleba, date(2025, 5, 1), registry, "Dmytro Kuleba") != ("UKR", "GOV")  # no longer foreign minister
    putin = pipeline.nlp("Vladimir Putin spoke.")[0:2]
    assert actor_code(putin, date(1995, 1, 1))[0] == "RUS"  # PETRARCH2's dated entries when the registry is not asked


def test_predict_and_eval_events_commands(tmp_path):
    records = [{"id": "a", "text": "Police arrested twelve protesters outside the parliament.", "event": "COERCE",
                "source": [{"code": "---"}], "target": []},
               {"id": "b", "text": "The European Union imposed new sanctions on Iran.", "event": "COERCE", "source": [{"code": "IGO"}],
                "target": [{"code": "IRN"}]}]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "pred.jsonl"
    assert CliRunner().invoke(app, ["predict", "events", str(gold), str(out)]).exit_code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"] and lines[1]["events"][0]["plover"] == "COERCE"
    assert lines[1]["events"][0]["source"]["code"] == "IGO" and lines[1]["events"][0]["target"]["code"] == "IRN"
    result = CliRunner().invoke(app, ["eval", "events", "--gold", str(gold)])
    assert "top-1 accuracy 1.000" in result.stdout and "target code accuracy 1.000" in result.stdout


def test_a_demand_is_made_by_its_speaker_of_whoever_must_act(code):
    said = main(code("Poland's foreign ministry said on Monday that Belarus must close the migrant camps."))
    assert said.plover == "DEMAND" and said.actor_code == "POL" and said.target_code == "BLR"
    demanded = main(code("Hungarian officials demanded that Austria reopen the border crossing."))
    assert demanded.plover == "DEMAND" and demanded.actor_code == "HUN" and demanded.target_code == "AUT"


def test_telling_a_reporter_is_not_a_demand(code):
    events = code("The Turkish navy seized two cargo ships, officials told reporters.")
    assert main(events).plover != "DEMAND"


def test_agreeing_to_an_uncoded_action_or_to_a_harmful_one_is_agreement(code):
    assert main(code("Chile and Peru agreed to set up a joint fisheries commission.")).plover == "AGREE"
    assert main(code("The union agreed to postpone the strike until March.")).plover == "AGREE"


def test_acceding_to_demands_is_conceding(code):
    assert main(code("The cabinet accepted demands from the miners' union.")).plover == "CONCEDE"
    assert main(code("The governor finally conceded to demands for an inquiry.")).plover == "CONCEDE"


def test_pronoun_source_in_reported_speech_is_the_speaker(code):
    promised = main(code("Kenyan opposition leaders said they would meet the mediator next week."))
    assert promised.actor_code == "KEN"


def test_actor_codes_of_abbreviations_and_titled_names(pipeline):
    from claimscope.engines.event_coder import actor_code

    assert actor_code(pipeline.nlp("U.S. customs officers")[:])[0] == "USA"
    assert actor_code(pipeline.nlp("the U.K.")[:])[0] == "GBR"
    assert actor_code(pipeline.nlp("King Hassan of Morocco")[:])[0] == "MAR"


def test_dismissing_an_appeal_is_a_rejection(code):
    assert main(code("The junta dismissed an appeal from the regional bloc to hold elections.")).plover == "REJECT"


def test_stopping_aid_or_talks_is_a_sanction_not_aid(code):
    stopped = main(code("The donor countries suspended aid deliveries to the province."))
    assert stopped.plover == "SANCTION" and stopped.cameo_code.startswith("16")
    assert main(code("Canada announced a suspension of trade talks with the island.")).plover == "SANCTION"
    assert main(code("The donor countries delivered aid to the province.")).plover == "AID"


def test_compiled_actor_dictionary_is_current_and_equals_the_files(tmp_path, monkeypatch):
    from claimscope.resources import petrarch

    parsed = petrarch.parse_actor_files()
    compiled = petrarch._compiled_actors()
    assert compiled is not None, "data/petrarch/actors.compiled.json is stale: run python scripts/compile_petrarch.py"
    assert compiled == parsed and list(compiled) == list(parsed)
    stale = tmp_path / "stale.json"
    stale.write_text(petrarch.COMPILED_ACTORS.read_text(encoding="utf-8").replace('"sources":{"', '"sources":{"x', 1), encoding="utf-8")
    monkeypatch.setattr(petrarch, "COMPILED_ACTORS", stale)
    assert petrarch._compiled_actors() is None  # files edited since: they are parsed instead


def test_the_place_of_an_event_in_a_headline_is_its_words_alone(code):
    events = code("Russia says it downed 30 drones over Bryansk region\n\nThe ministry gave no further details.\n")
    assert [e.place for e in events if e.action == "down"] == ["Bryansk region"]


@pytest.mark.parametrize("text, action, target", [
    ("Russia expelled two British diplomats on Friday.", "expel", "British diplomats"),
    ("Moscow and Minsk signed an agreement on fuel. Thousands rallied in Tbilisi against the foreign agents law.", "rally", None),  # a law is no actor
    ("Air defences intercepted 40 drones over the Kyiv region.", "intercept", "40 drones over the Kyiv region"),
])
def test_a_target_is_named_by_its_own_words_not_by_the_context(code, text, action, target):
    assert [e.target for e in code(text) if e.action == action] == [target]


@pytest.mark.parametrize("text, action, code_, target", [
    ("Russia launched 87 drones and three missiles at Ukraine overnight.", "launch", "195", "Ukraine"),
    ("North Korea has sent artillery shells to Russia.", "send", "072", "Russia"),
    ("Germany delivered Leopard tanks to Ukraine.", "deliver", "072", "Ukraine"),
    ("Ukraine launched a new recruitment campaign.", "launch", "020", None),  # a campaign is no actor
])
def test_weapons_launched_or_sent_are_the_means_and_the_target_is_whom_they_reach(code, text, action, code_, target):
    [event] = [e for e in code(text) if e.action == action]
    assert (event.cameo_code, event.target) == (code_, target)


# ---- what is and is not an event, and who its arguments are (CAMEO 1.1b3 and the realnews annotation rules) ----

def unrealised(pipeline, text):
    return pipeline(article_from_text("t.txt", text)).unrealised_events


@pytest.mark.parametrize("text, action", [
    ("Moscow provided no evidence of the strikes.", "provide"),
    ("The ministry offered no proof of the alleged attacks on the border post.", "attack"),
    ("The army may attack the town next week.", "attack"),
])
def test_events_the_text_does_not_present_as_having_happened_are_not_events(pipeline, text, action):
    analysis = pipeline(article_from_text("t.txt", text))
    assert not any(e.action.startswith(action) and e.cameo_code.startswith("19") for e in analysis.events)
    assert any(e.action.startswith(action) for e in analysis.unrealised_events)


def test_an_outlet_alleged_event_is_alleged_but_inside_a_claim_it_is_the_speakers(pipeline):
    outlet = pipeline(article_from_text("t.txt", "The alleged attack on the border post took place at night.")).unrealised_events
    assert any(e.mode == "alleged" and e.action == "attack" for e in outlet)
    claimed = pipeline(article_from_text("t.txt", "The ministry said the alleged attack on the border post had been repelled.")).events
    assert all(e.mode == "observed" for e in claimed)


def test_a_plain_statement_is_not_an_event(code):
    assert not any(e.cameo_code in {"01", "010"} for e in code("The minister said the situation was stable. He sees it differently."))


@pytest.mark.parametrize("text, argument", [
    ("The plane that was shot down by Ukraine carried prisoners.", "that"),
    ("Lukashenko decided on Wednesday to deploy troops.", "Wednesday"),
    ("Air defences shot down 57 over the region.", "57"),
])
def test_an_events_source_or_target_is_never_a_date_quantity_or_relative_pronoun(code, text, argument):
    for event in code(text):
        assert event.actor != argument and event.target != argument


def test_a_weapon_is_an_instrument_not_an_actor(code):
    events = code("A drone hit an IAEA vehicle near the plant on Tuesday.")
    hit = next(e for e in events if e.action == "hit")
    assert hit.actor is None and "IAEA" in (hit.target or "")


@pytest.mark.parametrize("text, root", [
    ("Belarus deploys Iskander missiles along the border with Ukraine.", "15"),
    ("The United States sent Patriot missiles to Ukraine.", "07"),
])
def test_deploying_ones_own_weapons_is_force_posture_and_sending_them_to_another_is_aid(code, text, root):
    assert any(e.cameo_code.startswith(root) for e in code(text))


def test_a_day_without_a_year_stays_without_one(pipeline):
    analysis = pipeline(article_from_text("t.txt", "BERLIN, August 13. /TASS/. Ukrainian drones attacked a depot in the region."))
    assert [d.value for d in analysis.dates] == ["--08-13"] and analysis.published_inferred is None
    assert all(e.reported is None for e in analysis.events)


def test_the_event_head_reads_every_verb_and_noun(pipeline):
    from claimscope.engines.event_head import load

    head = load()
    assert "19" in head.trusted and 0 < head.add <= 1 and 0 < head.keep <= 1
    analysis = pipeline(article_from_text("t.txt", "Russian forces shelled the village of Bilohorivka on Monday, killing two civilians."))
    assert any(e.cameo_code.startswith("19") for e in analysis.events)


def test_calling_something_a_name_is_no_appeal_but_calling_for_it_is(code):
    """CAMEO 02 Appeal is a request ("call for", "call on X to"); "called the plan reckless" names, it requests nothing."""
    assert not any(e.cameo_code.startswith("02") and e.action == "call" for e in code('Kallas called the plan "reckless".'))
    assert any(e.cameo_code.startswith("02") for e in code("The Red Cross called for a pause in the shelling of Kherson."))
    assert not any(e.action == "call" for e in code("Zelensky called the strike a war crime."))  # not 041, a telephone call


def test_a_decision_is_the_intent_of_its_action_and_being_met_with_a_response_is_no_meeting(code):
    """PETRARCH2 codes DECIDE 030 by default; "decided to visit the troops" plans an action that is no event, and
    "will be met with force" receives a response: neither is cooperation or a meeting (CAMEO 03, 04)."""
    assert not any(e.action == "decide" for e in code("Lukashenko decided to visit the troops in Grodno."))
    assert not any(e.action == "meet" for e in code("Any incursion will be met with force, the ministry said."))
    assert any(e.action == "meet" for e in code("Zelensky met Macron in Paris on Monday."))


def test_weapons_handed_over_are_military_aid(code):
    event = next(e for e in code("Germany handed over forty air defence missiles to Ukraine.") if e.action == "hand over")
    assert event.cameo_code.startswith("07")


def test_eval_events_on_articles_annotated_for_every_event(tmp_path):
    (tmp_path / "a01.txt").write_text("Russian forces shelled Kherson overnight.\n\nThe weather was mild on Sunday.\n")
    (tmp_path / "a01.events.json").write_text(json.dumps({"events_exhaustive": True, "events": [
        {"sentence": "Russian forces shelled Kherson overnight.", "trigger": "shelled", "actor": "Russia", "target": "Kherson", "cameo_root": "19"},
        {"sentence": "The weather was mild on Sunday.", "trigger": "was", "actor": "nobody", "target": "none", "cameo_root": "04"}]}))
    result = CliRunner().invoke(app, ["eval", "events", "--gold", str(tmp_path), "--json", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    figures = json.loads((tmp_path / "m.json").read_text())
    assert figures["gold"] == 2 and figures["recall"] == 0.5 and figures["precision"] == 1.0
    (tmp_path / "a01.events.json").write_text(json.dumps({"events": [{"sentence": "Not in the text.", "trigger": "x", "cameo_root": "19"}]}))
    result = CliRunner().invoke(app, ["eval", "events", "--gold", str(tmp_path)])
    assert result.exit_code != 0 and "sentence not in the text" in result.output and "Traceback" not in result.output


def test_the_war_as_a_frame_is_no_event(code):
    """realnews-dev2's rules: bare frames without an actor ("since the start of the war") are not coded."""
    assert not any(e.action == "war" for e in code("Since the start of the war, the city has lost half of its people."))
