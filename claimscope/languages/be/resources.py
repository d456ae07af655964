"""Belarusian words and patterns the language-neutral analysers read. natasha's Russian models parse Belarusian text into
Universal Dependencies labels; pymorphy3 has no Belarusian dictionary, so a token's lemma is its lower-cased form and
the sets here (and the lexicons in claimscope/data/be/) list the forms news writing uses, official orthography and
taraškievica. Each set is the Belarusian counterpart of the same set in claimscope.languages.ru.resources (Беларуская
граматыка, 1985-86; general newsroom usage)."""
from __future__ import annotations

import re

QUOTE_FRAMING_WORDS = {"свой", "свая", "сваё", "свае", "свайго", "сваёй", "сваіх", "сваім", "сваімі", "сваю", "яго", "яе", "іх",
                       "званы", "званая", "званае", "званыя", "званага", "званай", "званых", "званую"}
QUOTE_FRAMING_PHRASES = ("тое што ён", "тое што яна", "тое што яны", "як ён назваў", "як яна назвала", "як яны назвалі")
QUOTED_NAMES = True  # names of outlets and companies in quotation marks («Белсат»)

PLACE_PREPOSITIONS = {"у", "ў", "в", "на", "пад", "каля", "уздоўж", "над", "побач"}
PLACE_WORDS = {"мяжа", "мяжы", "мяжу", "тэрыторыя", "тэрыторыі", "фронт", "вобласць", "вобласці", "раён", "раёне", "рэгіён",
               "горад", "горадзе", "вёска", "вёсцы", "зона", "зоне", "кірунак", "кірунку"}

DATE_LANGUAGE = "be"
MONTH_GENITIVES = ("студзеня", "лютага", "сакавіка", "красавіка", "траўня", "мая", "чэрвеня", "ліпеня", "жніўня", "верасня",
                   "кастрычніка", "лістапада", "снежня")
DATE_PATTERN = re.compile(r"(?<![\w-])(\d{1,2})\s+(" + "|".join(MONTH_GENITIVES) + r")(?:\s+(\d{4})(?:\s*(?:года|г\.))?)?(?![\w-])", re.I)
MONTHS = set(MONTH_GENITIVES)
WEEKDAYS: list[str] = []
DATE_PREFIXES = re.compile(r"^(у|ў|з|да|на)\s+", re.I)

SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
PERSON_PRONOUNS = {"ён", "яна", "яго", "яе"}
GROUP_PRONOUNS = {"яны", "яно", "іх"}
PERSON_DESCRIPTIONS = {"палітык", "прэзідэнт", "міністр", "кіраўнік", "дыпламат", "лідар", "прэм'ер", "прадстаўнік", "прадстаўніца",
                       "прэс-сакратар", "чыноўнік", "пасол", "генерал", "камандуючы", "спікер", "эксперт", "аналітык", "дыктатар",
                       "канцлер", "дэпутат", "дарадца", "памочнік", "вайсковец"}
BODY_DESCRIPTIONS = {"ведамства", "ведамстве", "міністэрства", "міністэрстве", "служба", "штаб", "упраўленне", "агенцтва",
                     "канцылярыя", "бок", "улада", "улады", "урад", "камандаванне"}
NAME_SKIP_WORDS = {"у", "ў", "в", "на"}
LETTER_FOLDS = {"’": "'", "ʼ": "'"}

NEGATION_WORDS = {"не", "ні"}
TARGET_PREPOSITIONS = {"па", "на", "супраць"}

PARSER = "natasha_be"
NAME_SCRIPT = re.compile("[а-яіўё]", re.I)

# The parse comes from another language's models (natasha's Russian ones): its heads are unreliable, so the
# attribution patterns find subjects by word order (claimscope.analysers.ud_attribution).
# Whether a word's case can be trusted (it comes from natasha's Russian tagger: its cases of Belarusian words are guesses).
CASE_FROM_DICTIONARY = False
BORROWED_PARSE = True

# Attribution patterns over the UD parse (claimscope.analysers.ud_attribution); forms, not lemmas.
RELATIVE_PRONOUNS = {"які", "якая", "якое", "якія", "якога", "якой", "якому", "якім", "якімі", "якіх", "якую", "што", "хто"}  # "у якім адзначыў": a relative clause, its subject the antecedent
INTERROGATIVES = {"што", "хто", "як", "чаму", "навошта", "калі", "дзе", "які", "якія", "чым"}  # a sentence they open and "?" ends is a question
TOPIC_PREPOSITIONS = {"адносна", "наконт", "датычна"}  # "a statement regarding X": the topic, not the content
THAT_WORDS = {"што"}
ABOUT_PREPOSITIONS = {"пра", "аб"}
ABOUT_THAT = {"тое", "тым"}
ABOUT_THIS = {"гэта", "гэтым"}
AS_WORDS = {"як"}
IN_PREPOSITIONS = {"у", "ў", "в"}
STATEMENT_VERBS = {form: ({"заявай", "зваротам"}, {"з", "са"}) for form in ("выступіў", "выступіла", "выступілі")} | \
                  {form: ({"заяву"}, set()) for form in ("зрабіў", "зрабіла", "зрабілі")}
STATEMENT_CUE = "заявіў"
NOMINAL_CUES = {"заява", "заявы", "заяву", "сцвярджэнне", "абвінавачванне", "абвінавачванні", "папярэджанне", "заклік", "патрабаванне",
                "абяцанне"}
RELAY_VERBS = {"паведамляе", "паведамляюць", "перадае", "перадаюць", "піша", "пішуць", "паведаміла", "паведаміў", "паведамілі"}
MEDIA_RELAY_VERBS = {"паведаміла", "паведаміў", "паведамілі"}
MEDIA_WORDS = {"смі", "выданне", "агенцтва", "газета", "тэлеканал", "канал", "партал", "сайт", "часопіс", "радыё"}
EARLIER = {"раней"}
ANSWER_VERBS = {"адказаў", "адказала", "адказалі", "адказвае", "адказваў"}
OUTLET_VOICE_VERBS = {"нагадаем", "адзначым", "дададзім", "падкрэслім"}
POSSESSIVE_PRONOUNS = {"яго", "яе", "іх"}
DEMONSTRATIVES = {"такую", "гэтую", "гэту", "адпаведную", "падобную", "такой", "гэтай", "адпаведнай", "падобнай"}
WORDS_BEFORE_CUE = {"таксама", "ж", "жа", "яшчэ", "тады", "потым", "у", "ў", "сваю", "чаргу"}
WORDS_AFTER_CUE = {"таксама", "зноў", "раней", "сёння", "учора", "ўчора"}
COORDINATORS = {"але", "а", "і", "ды", "таксама"}
