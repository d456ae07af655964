"""Ukrainian and Belarusian through the language-neutral core: routing, the borrowed parse (natasha's Russian models,
corrected by the language's dictionary), subjects by word order, registry names in each language's spelling, and the
lexicons' rows. Sentences written for these tests (not taken from realnews-ukbe-dev)."""
import pymorphy3
import pytest

from claimscope.analyzer import Analyzer
from claimscope.languages import resources
from claimscope.nlp.natasha import belarusian_parser
from claimscope.records import Article
from claimscope.resources.lexicons import language_cues, language_event_nouns, language_event_verbs, language_phrases


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def analyse(analyzer, text):
    return analyzer(Article(id="t", text=text))


def claims(analysis):
    return [(c.speaker_resolved, c.cue.text if c.cue else None, c.content.text) for c in analysis.claims]


def test_ukrainian_text_is_routed_to_the_ukrainian_pipeline(analyzer):
    analysis = analyse(analyzer, "Речник Кремля Дмитро Пєсков заявив, що Москва не бачить підстав для нових переговорів із Заходом.")
    assert analysis.language == "uk"
    assert any("persuasion techniques" in item for item in analysis.not_analysed)
    assert claims(analysis) == [("Dmitry Peskov", "заявив", "Москва не бачить підстав для нових переговорів із Заходом")]
    assert analysis.claims[0].actor.risk == "high"


def test_ukrainian_cue_after_its_content_takes_the_body_after_it(analyzer):
    analysis = analyse(analyzer, "Сили оборони відбили дві атаки біля Куп'янська та знищили три танки, повідомив Генштаб ЗСУ.")
    (speaker, cue, content), = claims(analysis)
    assert speaker == "General Staff of the Armed Forces of Ukraine" and cue == "повідомив"
    assert content.startswith("Сили оборони відбили дві атаки")


def test_ukrainian_about_this_line_attributes_the_sentence_before(analyzer):
    analysis = analyse(analyzer, "Росія готує новий наступ на півдні країни.\n\nПро це заявив президент України Володимир Зеленський у вечірньому зверненні.")
    assert [(s, c) for s, c, _ in claims(analysis)] == [("Volodymyr Zelensky", "заявив")]
    assert claims(analysis)[0][2].startswith("Росія готує новий наступ")


def test_ukrainian_reportative_particle_marks_the_outlets_distance(analyzer):
    analysis = analyse(analyzer, "Міністр оборони Білорусі Віктор Хренін заявив, що Україна нібито готує провокації на кордоні.")
    claim = analysis.claims[0]
    assert claim.speaker_resolved == "Viktor Khrenin" and claim.cue.text == "заявив"
    assert "нібито" in claim.hedges


def test_belarusian_text_is_routed_to_the_belarusian_pipeline(analyzer):
    analysis = analyse(analyzer, "Міністр абароны Беларусі Віктар Хрэнін заявіў, што армія не збіраецца ўдзельнічаць у вайне.")
    assert analysis.language == "be"
    assert claims(analysis) == [("Viktor Khrenin", "заявіў", "армія не збіраецца ўдзельнічаць у вайне")]


def test_belarusian_names_share_a_key_across_cases_without_a_dictionary():
    parser = belarusian_parser()
    nominative, genitive = parser("Лукашэнка"), parser("Лукашэнкі")
    assert parser.lemma("Лукашэнка", "PROPN") == parser.lemma("Лукашэнкі", "PROPN") == "лукашэнк"
    assert nominative[0].text == "Лукашэнка" and genitive[0].text == "Лукашэнкі"
    assert parser.lemma("заявіў", "VERB") == "заявіў"  # other words keep their form: the lexicons list forms


def test_ukrainian_lexicon_rows_are_the_dictionarys_lemmas():
    """A row the dictionary would never produce as a lemma could never match."""
    analyser = pymorphy3.MorphAnalyzer(lang="uk")
    for lemma in [*language_cues("uk"), *language_event_verbs("uk"), *language_event_nouns("uk")]:
        assert lemma in {p.normal_form for p in analyser.parse(lemma)}, lemma


@pytest.mark.parametrize("language", ["uk", "be"])
def test_each_language_brings_every_word_set_the_patterns_read(language):
    names = [n for n in dir(resources("ru")) if n.isupper()]
    missing = [n for n in names if not hasattr(resources(language), n)]
    assert missing == []
    assert language_cues(language) and language_phrases(language)
    assert {kind for _p, kind, _c in language_phrases(language)} >= {"according_to", "parenthetical", "relay", "impersonal", "particle"}


def test_language_names_extend_actors_the_registry_holds():
    from claimscope.resources.registry import Registry, language_names

    registry = Registry.load()
    for by_actor in language_names().values():
        assert set(by_actor) <= set(registry.actors)  # a spelling never creates an actor of its own
    assert "Зеленський" in registry.actors["zelensky"].aliases and "Зяленскі" in registry.actors["zelensky"].aliases
    assert registry.match("Volodymyr Zelensky").id == "zelensky"  # the English matching is untouched


@pytest.mark.parametrize("language", ["ru", "uk", "be"])
def test_event_verbs_take_their_english_equivalents_codes(language):
    """A row without object words codes as PETRARCH2 (or the supplement) codes its English verb: the same root."""
    from claimscope.engines.event_coder import verb_supplement
    from claimscope.resources.petrarch import verb_dictionary

    checked = 0
    for lemma, (english, code, needs) in language_event_verbs(language).items():
        assert code.isdigit() and 3 <= len(code) <= 4, lemma
        reference = verb_supplement().get(english)
        if reference is None:
            defaults = [e.code for e in verb_dictionary().get(english, []) if e.particle is None and e.code != "---"]
            reference = defaults[0] if defaults else None
        if reference is not None and not needs:
            checked += 1
            assert reference[:2] == code[:2], (lemma, english, code, reference)
    assert checked >= 30


def test_eval_realnews_scores_a_folder_with_another_sets_scorer(tmp_path):
    """realnews-ukbe-dev shares realnews-ru-dev's schema and has no score.py of its own."""
    from typer.testing import CliRunner

    from claimscope.cli import app

    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "01-uk-test.txt").write_text("Речник Кремля Дмитро Пєсков заявив, що Москва не бачить підстав для переговорів.\n", encoding="utf-8")
    scorer = tmp_path / "score.py"
    scorer.write_text("import json, pathlib, sys\npred = json.loads(next(pathlib.Path(sys.argv[2]).glob('*.json')).read_text())\n"
                      "print('scored', pred['language'], len(pred['claims']))\n", encoding="utf-8")
    missing = CliRunner().invoke(app, ["eval", "realnews", "--gold", str(gold)])
    assert missing.exit_code == 1 and "score.py" in missing.stderr
    result = CliRunner().invoke(app, ["eval", "realnews", "--gold", str(gold), "--scorer", str(scorer), "--pred", str(tmp_path / "pred")])
    assert result.exit_code == 0, result.output
    import json

    prediction = json.loads((tmp_path / "pred" / "01-uk-test.json").read_text(encoding="utf-8"))
    assert prediction["language"] == "uk" and prediction["claims"][0]["speaker_resolved"] == "Dmitry Peskov"


def test_a_particle_right_before_the_cue_is_the_outlets_distance_from_the_report(analyzer):
    analysis = analyse(analyzer, "Прес-секретар Кремля Дмитро Пєсков нібито заявив, що Київ відмовився від переговорів.")
    claim = analysis.claims[0]
    assert claim.cue.text == "заявив" and claim.hedges == ["нібито"]
    assert any(h.text == "нібито" and h.owner == "outlet" for h in analysis.hedges)


def test_an_outlets_source_line_attributes_the_uncued_statement_before_it(analyzer):
    analysis = analyse(analyzer, "Російські війська готують новий наступ на Запоріжжя.\n\nПро це повідомляє видання з посиланням на Генштаб ЗСУ.")
    assert [(s, c) for s, c, _ in claims(analysis)] == [("General Staff of the Armed Forces of Ukraine", "з посиланням на")]
    assert claims(analysis)[0][2].startswith("Російські війська готують новий наступ")


def test_a_person_the_registry_does_not_know_keeps_a_surname_that_is_also_a_word(analyzer):
    """"Білий" is also the adjective "white": the Russian tagger leaves it out of the name, the dictionary reads it as one."""
    analysis = analyse(analyzer, "Речник обласної адміністрації Іван Білий заявив, що Київ готовий до переговорів.")
    assert claims(analysis) == [("Іван Білий", "заявив", "Київ готовий до переговорів")]


def test_one_languages_spellings_never_name_an_actor_in_another(analyzer):
    """Ukrainian news writes a bare "Генштаб" for Ukraine's General Staff; a Russian article's "Генштаб" is not that."""
    analysis = analyse(analyzer, "Генштаб сообщил, что наступление продолжается.")
    assert analysis.language == "ru" and analysis.claims[0].speaker_resolved != "General Staff of the Armed Forces of Ukraine"


def test_an_apostrophe_stays_inside_its_word():
    """razdel, made for Russian, cuts "прем'єр" in three; Ukrainian and Belarusian write the apostrophe inside words."""
    from claimscope.nlp.natasha import ukrainian_parser

    doc = ukrainian_parser()("Прем’єр-міністр заявив у п'ятницю, що перемир'я можливе.")
    assert [t.text for t in doc][:4] == ["Прем’єр-міністр", "заявив", "у", "п'ятницю"]
    assert "перемир'я" in [t.lemma_ for t in doc]


def test_belarusian_initial_u_short_reads_as_u(analyzer):
    """"ўдакладніла" after a vowel is the lexicon's "удакладніла"."""
    analysis = analyse(analyzer, "Прэс-сакратар Ганна Іванова ўдакладніла, што сустрэча не планавалася.")
    assert analysis.language == "be" and [c.cue.text for c in analysis.claims] == ["ўдакладніла"]


def test_a_capitalised_description_refers_back_rather_than_naming(analyzer):
    """The borrowed tagger calls a sentence's first word a name; "Прэзідэнт" is the description of the president named."""
    analysis = analyse(analyzer, "Аляксандр Лукашэнка заявіў, што сітуацыя стабільная. Прэзідэнт дадаў, што армія гатовая да ўсяго.")
    assert [c.speaker_resolved for c in analysis.claims] == ["Alexander Lukashenko", "Alexander Lukashenko"]


def test_a_first_person_verb_inside_a_quotation_is_the_speakers_not_a_cue(analyzer):
    analysis = analyse(analyzer, "Прем'єр-міністр Денис Шмигаль провів нараду.\n\n"
                                 "\"Ми чекаємо на нові поставки. Ще раз просимо партнерів пришвидшитися\", – додав прем'єр.")
    assert [c.cue.text for c in analysis.claims] == ["додав"]
    assert analysis.claims[0].content.text.startswith("Ми чекаємо на нові поставки")


def test_where_cases_are_unknown_a_noun_after_the_verb_is_its_object(analyzer):
    """Belarusian has no dictionary to say which noun is nominative: after the cue comes its content, unless the content
    came first ("..., паведаміў X") or "Пра гэта" points back."""
    analysis = analyse(analyzer, "Мінабароны Беларусі абвергла паведамленні пра новыя вучэнні каля мяжы з Польшчай.")
    claim = analysis.claims[0]
    assert claim.speaker_resolved == "Belarusian Defence Ministry" and claim.cue.text == "абвергла"
    assert "вучэнні каля мяжы" in claim.content.text and "Мінабароны" not in claim.content.text


@pytest.mark.parametrize("text", ["Речник заявив, що переговори тривають.\nПро це повідомляє Deutsche Welle.",
                                  "Представитель заявил, что переговоры продолжаются. Об этом сообщает Deutsche Welle."])
def test_an_outlet_in_latin_letters_after_about_this_relays_the_statement(analyzer, text):
    """The region's institutions write their names in Cyrillic; a foreign outlet keeps its own."""
    assert [c.via for c in analyse(analyzer, text).claims] == [["Deutsche Welle"]]


def test_a_pronoun_with_no_person_before_it_refers_to_the_body_that_spoke(analyzer):
    analysis = analyse(analyzer, "Генштаб ЗСУ повідомив, що вночі сили оборони збили двадцять ударних дронів.\n\n"
                                 "За його відомостями, ще чотири дрони впали на відкритій місцевості.")
    assert [speaker for speaker, *_ in claims(analysis)] == ["General Staff of the Armed Forces of Ukraine"] * 2


def test_a_description_refers_to_the_person_it_fits(analyzer):
    analysis = analyse(analyzer, "Президент України Володимир Зеленський заявив, що Київ не вестиме переговорів під тиском.\n\n"
                                 "Білоруський диктатор Олександр Лукашенко відповів, що Мінськ не бере участі у війні.\n\n"
                                 "Український лідер наголосив, що ракети летять з білоруської території.\n\n"
                                 "Диктатор заявив, що Білорусь нікому не загрожує.")
    # the nationality picks the Ukrainian, not the last person named; "Диктатор" is whom that word described before
    assert [speaker for speaker, *_ in claims(analysis)] == ["Volodymyr Zelensky", "Alexander Lukashenko", "Volodymyr Zelensky", "Alexander Lukashenko"]
