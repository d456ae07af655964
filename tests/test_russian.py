"""The Russian pipeline: language routing, attribution conventions of Russian news, speakers resolved to
the registry's canonical actors across cases, hedges with their owner, and events. Sentences written for
these tests (not taken from the dev set)."""
import json

import pytest
from typer.testing import CliRunner

from claimscope.nlp.natasha import russian_parser
from claimscope.resources.lexicons import language_cues, language_event_nouns, language_event_verbs
from claimscope.analyzer import Analyzer
from claimscope.cli import app
from claimscope.records import Article


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def analyse(analyzer, text, title=None):
    body = f"{title}\n\n{text}" if title else text
    return analyzer(Article(id="t", text=body, title=title))


def only_claim(analysis):
    assert len(analysis.claims) == 1, [(c.cue.text if c.cue else None, c.content.text) for c in analysis.claims]
    return analysis.claims[0]


def test_russian_text_is_routed_to_the_russian_pipeline(analyzer):
    analysis = analyse(analyzer, "Официальный представитель МИД России Мария Захарова заявила, что Запад продолжает поставки оружия Киеву.")
    assert analysis.language == "ru"
    assert any("persuasion techniques" in item for item in analysis.not_analysed)
    claim = only_claim(analysis)
    assert claim.speaker_resolved == "Maria Zakharova" and claim.actor.risk == "high"
    assert claim.cue.text == "заявила" and claim.content.text == "Запад продолжает поставки оружия Киеву"


def test_post_posed_quote_with_dash(analyzer):
    claim = only_claim(analyse(analyzer, "«Мы не допустим эскалации на границе», — сказал Лавров журналистам в Москве."))
    assert claim.speaker_resolved == "Sergey Lavrov" and claim.kind == "direct"
    assert claim.content.text == "Мы не допустим эскалации на границе"


def test_a_declined_name_resolves_to_one_actor(analyzer):
    claim = only_claim(analyse(analyzer, "По словам Пескова, новые переговоры пока не планируются."))
    assert claim.speaker.text == "Пескова" and claim.speaker_resolved == "Dmitry Peskov"
    assert claim.content.text == "новые переговоры пока не планируются"


def test_a_trailing_report_verb_names_the_relay(analyzer):
    claim = only_claim(analyse(analyzer, "Российские подразделения заняли позиции у реки, заявили в Минобороны России, сообщает ТАСС."))
    assert claim.speaker_resolved == "Russian Defence Ministry"
    assert claim.via == ["TASS"]
    assert claim.content.text == "Российские подразделения заняли позиции у реки"


def test_about_this_takes_the_statement_before(analyzer):
    analysis = analyse(analyzer, "Над областью был сбит беспилотник. Об этом сообщил губернатор региона Александр Богомаз.")
    claim = only_claim(analysis)
    assert claim.content.text == "Над областью был сбит беспилотник"
    assert claim.speaker_resolved == "Александр Богомаз" and len(claim.sentences) == 2


def test_withheld_speech_and_beliefs_are_not_claims(analyzer):
    analysis = analyse(analyzer, "Министерство не сообщило о потерях. Эксперты считают, что наступление продолжится.")
    assert analysis.claims == []
    assert [a.cue.text for a in analysis.other_attributions] == ["считают"]


def test_distancing_cue_and_outlet_particle_are_outlet_hedges(analyzer):
    claim = only_claim(analyse(analyzer, "Минобороны Украины утверждает, что российская армия якобы потеряла сотни танков."))
    assert claim.cue_class == "distancing"
    assert set(claim.hedges) == {"утверждает", "якобы"}


def test_a_particle_inside_the_speakers_quote_is_the_speakers(analyzer):
    analysis = analyse(analyzer, "«Эти так называемые доказательства ничего не стоят», — сказал Песков.")
    claim = only_claim(analysis)
    assert claim.hedges == [] and claim.speaker_hedges == ["так называемые"]
    assert all(h.owner == "speaker" for h in analysis.hedges)


def test_pronoun_speaker_is_the_person_before(analyzer):
    analysis = analyse(analyzer, "Лукашенко провел совещание с военными. Он заявил, что армия готова к любому развитию событий.")
    claim = only_claim(analysis)
    assert claim.speaker.text == "Он" and claim.speaker_resolved == "Alexander Lukashenko"


def test_reportative_particle_without_a_verb_is_a_doubted_claim_of_the_running_speaker(analyzer):
    analysis = analyse(analyzer, "Зеленский заявил, что фронт стабилен. Якобы резервы уже переброшены на восток.")
    second = analysis.claims[1]
    assert second.cue.text == "Якобы" and second.speaker_resolved == "Volodymyr Zelensky"
    assert second.hedges == ["Якобы"]


def test_headline_punctuation_attributions(analyzer):
    colon = analyse(analyzer, "Глава Офиса президента выступил на форуме.", title="Зеленский: Украина получит новые системы ПВО")
    headline = next(c for c in colon.claims if c.headline)
    assert headline.speaker_resolved == "Volodymyr Zelensky" and headline.cue.text == ":"
    dash = analyse(analyzer, "Подробности не сообщаются.", title="Удар по складу был нанесен ракетами - Минобороны России")
    headline = next(c for c in dash.claims if c.headline)
    assert headline.speaker_resolved == "Russian Defence Ministry" and headline.content.text == "Удар по складу был нанесен ракетами"


def test_nested_report_is_not_a_claim_of_its_own(analyzer):
    analysis = analyse(analyzer, "Лукашенко заявил, что Путин рассказал ему о планах операции.")
    claim = only_claim(analysis)
    assert claim.cue.text == "заявил" and "рассказал" in claim.content.text
    assert any(a.kind == "nested" for a in analysis.other_attributions)


def test_events_are_coded_through_the_lexicons(analyzer):
    analysis = analyse(analyzer, "Российские войска обстреляли Харьков. СБУ задержала агента, сообщили в ведомстве. "
                                 "Захарова обвинила Киев в срыве переговоров.")
    codes = {e.cameo_code: e for e in analysis.events}
    assert "194" in codes and codes["194"].plover == "FIGHT" and codes["194"].actor_code == "RUS" and codes["194"].actor_sector == "MIL"
    assert "173" in codes
    accusation = codes["112"]
    assert accusation.actor == "Maria Zakharova" and accusation.actor_code == "RUS"


def test_denunciation_in_a_statement_is_an_event_of_its_speaker(analyzer):
    analysis = analyse(analyzer, "Песков назвал эти сообщения ложью и провокацией.")
    event = next(e for e in analysis.events if e.cameo_code == "111")
    assert event.actor == "Dmitry Peskov"


def test_unknown_names_are_given_in_the_nominative(analyzer):
    doc = analyzer.pipeline("ru").nlp("Заявление сделал помощник губернатора Александра Богомаза.")
    span = next(e for e in doc.ents if e.label_ == "PERSON")
    assert russian_parser().base_form(span) == "Александр Богомаз"


def test_russian_lexicons_are_well_formed():
    assert language_cues("ru")["заявить"].cue_class == "neutral" and language_cues("ru")["утверждать"].cue_class == "distancing"
    for lemma, (_english, code, _needs) in language_event_verbs("ru").items():
        assert code.isdigit() and 3 <= len(code) <= 4, lemma
    for lemma, (_english, code) in language_event_nouns("ru").items():
        assert code.isdigit(), lemma


def test_analyze_cli_on_a_russian_article(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text("Песков: переговоров не будет\n\nПресс-секретарь Кремля Дмитрий Песков заявил, что переговоры с Киевом не планируются.\n")
    result = CliRunner().invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "ru"
    assert {c["speaker_resolved"] for c in data["claims"]} == {"Dmitry Peskov"}
    text = CliRunner().invoke(app, ["analyze", str(path), "--width", "160"])
    assert "Dmitry Peskov" in text.stdout and "переговоры с Киевом не планируются" in text.stdout


def test_html_report_and_web_page_show_russian_claims_with_canonical_speakers(tmp_path):
    from fastapi.testclient import TestClient

    from claimscope.store import Store
    from claimscope.web import create_app

    path = tmp_path / "ru.txt"
    path.write_text("Захарова: Запад затягивает конфликт\n\nОфициальный представитель МИД России Мария Захарова заявила, "
                    "что поставки оружия Киеву лишь затягивают конфликт.\n")
    html = CliRunner().invoke(app, ["analyze", str(path), "--format", "html"])
    assert html.exit_code == 0 and "Maria Zakharova" in html.stdout and "лишь затягивают конфликт" in html.stdout
    db = tmp_path / "ru.sqlite"
    assert CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    page = TestClient(create_app(Store(str(db), create=False))).get("/articles/1")
    assert page.status_code == 200 and "Maria Zakharova" in page.text and "поставки оружия Киеву" in page.text


def test_russian_articles_are_batched_and_results_keep_input_order(monkeypatch):
    from claimscope.pipeline import Pipeline

    analyzer = Analyzer()
    calls = []
    original = Pipeline.run_batch

    def counting(self, articles):
        calls.append(len(articles))
        return original(self, articles)

    monkeypatch.setattr(Pipeline, "run_batch", counting)
    russian = ["Песков заявил, что Кремль не планирует переговоры с Киевом.", "Захарова заявила, что Запад продолжает поставки оружия.",
               "Лавров заявил, что Москва готова обсуждать обмен пленными."]
    english = ["Zelensky said Ukraine will receive two more Patriot systems.", "The Kremlin said talks would not resume this month."]
    items = [Article(id=f"ru{k}", text=t) for k, t in enumerate(russian)] + [Article(id=f"en{k}", text=t) for k, t in enumerate(english)]
    mixed = [items[0], items[3], items[1], items[4], items[2]]
    results = list(analyzer.pipe(mixed))
    assert [r.article.id for r in results] == [a.id for a in mixed]
    assert [r.language for r in results] == ["ru", "en", "ru", "en", "ru"]
    assert calls == [3]  # the three Russian articles in one batch


def test_languages_are_routed_by_the_configs_languages_table(tmp_path):
    from claimscope.pipeline import Config

    assert Config.load().languages == {"ru": "ru", "uk": "uk", "be": "be"}
    custom = tmp_path / "custom.toml"
    custom.write_text('[languages]\nru = "ru"\nuk = "ru"\n', encoding="utf-8")
    assert Config.load(custom).languages == {"ru": "ru", "uk": "ru", "be": "be"}


def test_the_main_configuration_serves_its_own_language_with_the_users_settings():
    from claimscope.analyzer import Analyzer

    analyzer = Analyzer.from_options("ru", registries=["extra.tsv"], components={"verdict": {"same_claim_score": 80}})
    main = analyzer.configs["ru"]
    assert main is analyzer.config
    assert "extra.tsv" in main.registries and main.settings["verdict"]["same_claim_score"] == 80


def test_russian_events_have_place_and_date(analyzer):
    analysis = analyse(analyzer, "Минобороны России сообщило, что 12 августа 2024 года украинские войска обстреляли село на границе.")
    assert [d.value for d in analysis.dates] == ["2024-08-12"]
    shelling = next(e for e in analysis.events if e.action.startswith("обстрел"))
    assert shelling.date == "2024-08-12" and shelling.place == "границе"


def test_russian_scare_quotes_and_names_in_quotation_marks(analyzer):
    analysis = analyse(analyzer, "Телеканал «Россия 1» сообщил, что Зеленский объявил свою «мирную инициативу» провокацией. Так называемый «саммит мира» прошел в Швейцарии.")
    marks = {h.text: h.kind for h in analysis.hedges}
    assert marks.get("«мирную инициативу»") == "scare_quote" and marks.get("«саммит мира»") == "scare_quote"
    assert "«Россия 1»" not in marks  # an outlet's name in quotation marks, as Russian writes names
    voices = {s.voice for s in analysis.sentences}
    assert "outlet" in voices and voices & {"reported", "mixed"}  # the voice of each sentence, as in English


def test_a_person_the_text_names_is_the_speaker_and_the_referent_of_later_roles(analyzer):
    analysis = analyse(analyzer, "Посол Норвегии в Финляндии Ханс Ольсен сообщил, что посольство получило ноту. "
                                 "Дипломат подчеркнул, что ответ будет дан позже. Он отметил, что позиция неизменна.")
    assert [c.speaker_resolved for c in analysis.claims] == ["Ханс Ольсен"] * 3


def test_a_body_line_speaker_colon_quotation_is_a_claim(analyzer):
    analysis = analyse(analyzer, "Мэр города Андрей Смирнов: «Воды не будет до утра».")
    claim = only_claim(analysis)
    assert claim.speaker_resolved == "Андрей Смирнов" and claim.kind == "direct" and "Воды не будет до утра" in claim.content.text


def test_a_statement_noun_before_its_verb_points_back_to_the_claim_it_dates(analyzer):
    analysis = analyse(analyzer, "В министерстве обороны Норвегии сообщили, что учения завершены. "
                                 "С таким заявлением в ведомстве выступили в понедельник.")
    claim = only_claim(analysis)
    assert claim.cue.text == "сообщили" and "учения завершены" in claim.content.text


def test_a_quoted_answer_is_the_claim_of_the_one_asked(analyzer):
    analysis = analyse(analyzer, "Журналисты спросили Пескова, поедет ли Путин на саммит в Казахстан. «Решение пока не принято», — ответил он.")
    claim = next(c for c in analysis.claims if c.cue is not None and c.cue.text == "ответил")
    assert claim.content.text == "Решение пока не принято" and claim.speaker_resolved == "Dmitry Peskov"


def test_a_pronoun_refers_to_a_person_of_its_gender(analyzer):
    analysis = analyse(analyzer, "Мария Захарова заявила, что Москва ответит на новые санкции. "
                                 "Министр иностранных дел Сергей Лавров встретился с послом Китая. Он сказал, что переговоры прошли успешно. "
                                 "Она добавила, что ответ будет жестким.")
    speakers = {c.cue.text: c.speaker_resolved for c in analysis.claims if c.cue is not None}
    assert speakers["сказал"] == "Sergey Lavrov" and speakers["добавила"] == "Maria Zakharova"


def test_an_outlet_named_after_the_statement_relays_it(analyzer):
    analysis = analyse(analyzer, "Лукашенко заявил, что белорусская армия не будет участвовать в войне. Об этом сообщает БелТА.")
    claim = only_claim(analysis)
    assert claim.speaker_resolved == "Alexander Lukashenko" and claim.via == ["BelTA"]


def test_a_distancing_particle_right_before_the_cue_is_the_outlets(analyzer):
    analysis = analyse(analyzer, "Песков якобы заявил, что переговоры с Киевом не планируются.")
    claim = only_claim(analysis)
    assert claim.cue.text == "заявил" and claim.hedges == ["якобы"]
