"""Ukrainian words and patterns the language-neutral analysers read (natasha's Russian models parse Ukrainian text into
Universal Dependencies labels; lemmas come from pymorphy3's Ukrainian dictionary). Each set is the Ukrainian counterpart
of the same set in claimscope.languages.ru.resources (Граматика сучасної української літературної мови; general
newsroom usage)."""
from __future__ import annotations

import re

# Scare quotes: a short quotation right after a possessive or "так званий" is the outlet's ('свою «мирну ініціативу»').
QUOTE_FRAMING_WORDS = {"свій", "своя", "своє", "свої", "свого", "своєї", "своїх", "своїм", "своїми", "свою", "своєму", "своєю",
                       "його", "її", "їх", "їхній", "їхня", "їхнє", "їхні", "званий", "звана", "зване", "звані", "званого", "званої",
                       "званих", "званим", "званими", "звану", "званому"}
QUOTE_FRAMING_PHRASES = ("те що він", "те що вона", "те що вони", "як він назвав", "як вона назвала", "як вони назвали")
# Ukrainian writes the names of outlets and companies in quotation marks (телеканал «Україна 24», «Главком»).
QUOTED_NAMES = True

PLACE_PREPOSITIONS = {"в", "у", "на", "під", "біля", "поблизу", "вздовж", "уздовж", "над", "поруч"}
PLACE_WORDS = {"кордон", "територія", "фронт", "область", "район", "регіон", "місто", "село", "селище", "округ", "зона",
               "напрямок", "напрям"}

# Dates: dateparser reads Ukrainian; the pattern finds "22 грудня 2023 року".
DATE_LANGUAGE = "uk"
MONTH_GENITIVES = ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
                   "листопада", "грудня")
DATE_PATTERN = re.compile(r"(?<![\w-])(\d{1,2})\s+(" + "|".join(MONTH_GENITIVES) + r")(?:\s+(\d{4})(?:\s*(?:року|р\.))?)?(?![\w-])", re.I)
MONTHS = set(MONTH_GENITIVES)
WEEKDAYS: list[str] = []
DATE_PREFIXES = re.compile(r"^(в|у|з|із|до|на)\s+", re.I)

# The speaker chain: pronouns that refer back to a person or to a body, and the head nouns of descriptions.
SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
PERSON_PRONOUNS = {"він", "вона", "його", "її"}
GROUP_PRONOUNS = {"вони", "воно", "їх"}
PERSON_DESCRIPTIONS = {"політик", "президент", "міністр", "глава", "голова", "дипломат", "лідер", "прем'єр", "прем'єр-міністр",
                       "представник", "речник", "речниця", "прессекретар", "прес-секретар", "чиновник", "посадовець", "губернатор",
                       "мер", "посол", "генерал", "командувач", "керівник", "спікер", "співрозмовник", "експерт", "аналітик",
                       "диктатор", "канцлер", "депутат", "сенатор", "радник", "помічник", "очільник"}
BODY_DESCRIPTIONS = {"відомство", "міністерство", "служба", "штаб", "управління", "агентство", "канцелярія", "сторона", "влада",
                     "уряд", "командування"}
NAME_SKIP_WORDS = {"в", "у", "на"}
LETTER_FOLDS = {"’": "'", "ʼ": "'"}  # the apostrophe is written three ways (прем'єр, прем’єр, премʼєр)

NEGATION_WORDS = {"не", "ні"}
TARGET_PREPOSITIONS = {"по", "на", "проти"}

PARSER = "natasha_uk"
NAME_SCRIPT = re.compile("[а-яіїєґ]", re.I)

# The parse comes from another language's models (natasha's Russian ones): its heads are unreliable, so the
# attribution patterns find subjects by word order (claimscope.analysers.ud_attribution).
# Whether a word's case can be trusted (it comes from pymorphy3's Ukrainian dictionary).
CASE_FROM_DICTIONARY = True
BORROWED_PARSE = True

# Attribution patterns over the UD parse (claimscope.analysers.ud_attribution).
RELATIVE_PRONOUNS = {"який", "яка", "яке", "які", "якого", "якої", "якому", "якій", "яким", "якими", "яких", "яку", "що", "хто"}  # "у якому зазначив": a relative clause, its subject the antecedent
INTERROGATIVES = {"що", "хто", "як", "чому", "навіщо", "коли", "де", "який", "які", "чим"}  # a sentence they open and "?" ends is a question
TOPIC_PREPOSITIONS = {"щодо", "стосовно", "відносно"}  # "a statement regarding X": the topic, not the content
THAT_WORDS = {"що"}                                     # "заявив, що ..."
ABOUT_PREPOSITIONS = {"про"}                            # "заявив про ..."
ABOUT_THAT = {"те"}                                     # "заявив про те, що ..."
ABOUT_THIS = {"це"}                                     # "<statement>. Про це заявив X."
AS_WORDS = {"як"}                                       # "як стверджується"
IN_PREPOSITIONS = {"в", "у"}                            # "У МЗС заявили": the body as the source
# "виступив із заявою", "зробив заяву": a verb whose statement noun (with the preposition, or as its object) is the report
STATEMENT_VERBS = {"виступити": ({"заява", "звернення"}, {"з", "із", "зі"}), "зробити": ({"заява"}, set())}
STATEMENT_CUE = "заявити"
NOMINAL_CUES = {"заява", "слово", "твердження", "звинувачення", "попередження", "заклик", "вимога", "обіцянка"}
RELAY_VERBS = {"повідомляти", "передавати", "писати", "інформувати", "повідомити"}  # "..., пише LIGA.net"
MEDIA_RELAY_VERBS = {"повідомити"}
MEDIA_WORDS = {"змі", "видання", "агентство", "газета", "телеканал", "канал", "портал", "сайт", "журнал", "радіо"}
EARLIER = {"раніше"}                                    # "раніше повідомлялося"
ANSWER_VERBS = {"відповісти", "відповідати"}
OUTLET_VOICE_VERBS = {"нагадаємо", "зазначимо", "додамо", "підкреслимо", "наголосимо"}
POSSESSIVE_PRONOUNS = {"його", "її", "їх", "їхніми"}
DEMONSTRATIVES = {"такий", "цей", "даний", "подібний", "відповідний"}
WORDS_BEFORE_CUE = {"також", "ж", "же", "ще", "тоді", "потім", "у", "в", "свою", "чергу"}
WORDS_AFTER_CUE = {"також", "знову", "раніше", "сьогодні", "вчора", "учора"}
COORDINATORS = {"але", "а", "і", "й", "та", "також"}
