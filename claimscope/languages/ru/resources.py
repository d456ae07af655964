"""Russian words and patterns the language-neutral analysers read (natasha's parse: Universal Dependencies labels)."""
from __future__ import annotations

import re

# A short quotation right after these words is the outlet's scare quote: the reflexive and personal possessives and
# "так называемый" ('свою «мирную инициативу»', 'так называемый «референдум»').
QUOTE_FRAMING_WORDS = {"свой", "своя", "свое", "своё", "свои", "своего", "своей", "своих", "своим", "своими", "свою", "своему", "своем", "своём",
                       "его", "ее", "её", "их", "называемый", "называемая", "называемое", "называемые", "называемого", "называемой",
                       "называемых", "называемым", "называемыми", "называемую", "называемом"}
QUOTE_FRAMING_PHRASES = ("то что он", "то что она", "то что они", "как он назвал", "как она назвала", "как они назвали")
# Russian writes the names of outlets, companies and parties in quotation marks (телеканал «Россия 1», агентство «БелТА»):
# a quotation that starts with a capital letter is a name, not a mark.
QUOTED_NAMES = True

# Where an event happened: an oblique nominal with one of these prepositions (UD "obl" with a "case" child).
PLACE_PREPOSITIONS = {"в", "во", "на", "у", "под", "около", "вдоль", "над", "близ", "возле", "вблизи"}
PLACE_WORDS = {"граница", "территория", "фронт", "область", "район", "регион", "город", "село", "поселок", "посёлок", "деревня",
               "округ", "зона", "направление"}

# Dates: the calendar date expressions of Russian news, read by dateparser in Russian.
DATE_LANGUAGE = "ru"
MONTH_GENITIVES = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
DATE_PATTERN = re.compile(r"(?<![\w-])(\d{1,2})\s+(" + "|".join(MONTH_GENITIVES) + r")(?:\s+(\d{4})(?:\s*(?:года|г\.))?)?(?![\w-])", re.I)
MONTHS = set(MONTH_GENITIVES)
WEEKDAYS: list[str] = []
DATE_PREFIXES = re.compile(r"^(в|во|с|до|к|на)\s+", re.I)

# The speaker chain (claimscope.analysers.lemma_speakers): pronouns that refer back to a person or to a body, and the
# head nouns of descriptions that do ("Политик рассказал", "В ведомстве заявили").
SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
PERSON_PRONOUNS = {"он", "она", "его", "ее", "её"}
GROUP_PRONOUNS = {"они", "оно", "их"}
PERSON_DESCRIPTIONS = {"политик", "президент", "министр", "глава", "дипломат", "лидер", "премьер", "премьер-министр", "представитель",
                       "пресс-секретарь", "чиновник", "губернатор", "мэр", "посол", "генерал", "командующий", "руководитель", "спикер",
                       "собеседник", "эксперт", "аналитик", "лидер", "диктатор", "канцлер", "депутат", "сенатор", "советник", "помощник"}
BODY_DESCRIPTIONS = {"ведомство", "министерство", "служба", "штаб", "управление", "агентство", "канцелярия", "сторона", "власть", "правительство"}
# Words a name's lemma key leaves out: "в МИД" and "МИД" are one body.
NAME_SKIP_WORDS = {"в", "во", "на", "у"}
# Lemmas are compared with this letter folded ("ё" is optional in Russian writing).
LETTER_FOLDS = {"ё": "е"}

# Events (claimscope.analysers.lexicon_events): negation, and the prepositions that mark an oblique target
# ("удар по Киеву", "нападение на Польшу", "санкции против России").
NEGATION_WORDS = {"не"}
TARGET_PREPOSITIONS = {"по", "на", "против"}

# Parsing: the parser that reads this language (claimscope.nlp.parsers), and the script of the registry's names in it.
PARSER = "natasha_ru"
NAME_SCRIPT = re.compile("[а-яё]", re.I)

# The parse comes from another language's models (natasha's Russian ones): its heads are unreliable, so the
# attribution patterns find subjects by word order (claimscope.analysers.ud_attribution).
# Whether a word's case can be trusted (it comes from pymorphy3's Russian dictionary).
CASE_FROM_DICTIONARY = True
BORROWED_PARSE = False

# Attribution patterns over the UD parse (claimscope.analysers.ud_attribution): the function words and the small closed
# classes of Russian reporting (Русская грамматика 1980 on изъяснительные придаточные; general newsroom usage).
RELATIVE_PRONOUNS = {"который", "которая", "которое", "которые", "которого", "которой", "которому", "которым", "котором", "которых", "которую", "что", "кто"}  # "в котором отметил": a relative clause, its subject the antecedent
INTERROGATIVES = {"что", "кто", "как", "почему", "зачем", "когда", "где", "какой", "какие", "чем"}  # a sentence they open and "?" ends is a question
TOPIC_PREPOSITIONS = {"относительно", "касательно", "насчет", "насчёт"}  # "a statement regarding X": the topic, not the content
THAT_WORDS = {"что"}                                    # "заявил, что ..."
ABOUT_PREPOSITIONS = {"о", "об", "обо"}                 # "заявил о ..."
ABOUT_THAT = {"том"}                                    # "заявил о том, что ..."
ABOUT_THIS = {"этом"}                                   # "<statement>. Об этом заявил X."
AS_WORDS = {"как"}                                      # "как утверждается"
IN_PREPOSITIONS = {"в", "во"}                           # "В МИД заявили": the body as the source
# "выступил с заявлением", "сделал заявление": a verb whose statement noun (with the preposition, or as its object) is the report
STATEMENT_VERBS = {"выступить": ({"заявление", "обращение"}, {"с", "со"}), "сделать": ({"заявление"}, set())}
STATEMENT_CUE = "заявить"                               # the cue row a statement noun reads as
NOMINAL_CUES = {"заявление", "слово", "утверждение", "обвинение", "предупреждение", "призыв", "требование", "обещание"}
RELAY_VERBS = {"сообщать", "передавать", "писать", "информировать", "сообщить"}  # "..., сообщает РИА Новости"
MEDIA_RELAY_VERBS = {"сообщить"}                        # a relay only with an outlet as its subject
MEDIA_WORDS = {"сми", "издание", "агентство", "газета", "телеканал", "канал", "портал", "сайт", "журнал", "радио"}
EARLIER = {"ранее", "прежде"}                           # "ранее сообщалось": earlier media reports
ANSWER_VERBS = {"ответить", "отвечать"}
OUTLET_VOICE_VERBS = {"напомним", "отметим", "добавим", "подчеркнем", "подчеркнём"}  # "Напомним, ...": the outlet speaks
POSSESSIVE_PRONOUNS = {"его", "ее", "её", "их"}         # "по его словам"
DEMONSTRATIVES = {"такой", "этот", "данный", "подобный"}  # "С таким заявлением выступил X"
WORDS_BEFORE_CUE = {"также", "же", "еще", "ещё", "тогда", "потом", "в", "свою", "очередь"}  # "..., — в свою очередь заявил X"
WORDS_AFTER_CUE = {"также", "вновь", "снова", "ранее", "сегодня", "вчера"}  # skipped before the content starts
COORDINATORS = {"но", "а", "и", "также"}                # ", но отметил, что": the next cue's clause
