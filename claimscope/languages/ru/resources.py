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
