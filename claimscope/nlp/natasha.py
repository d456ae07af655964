"""East Slavic parsing with the natasha project's models (razdel segmentation; slovnet morphology,
dependency syntax and NER over navec embeddings, all shipped inside the ``natasha`` wheel) and
pymorphy3 lemmas, returned as spaCy ``Doc`` objects so that the rest of the pipeline reads one
kind of parse whatever the language.

natasha's models are trained on Russian news. Ukrainian and Belarusian have no parser with weights on
the registry, so their text goes through the same models (razdel and the character-level parts carry;
words navec does not know are read from their context), with lemmas from pymorphy3's Ukrainian
dictionary for Ukrainian and the lower-cased word for Belarusian, which has no pymorphy3 dictionary;
the lexicons of claimscope/data/be/ list word forms for that reason. realnews-ukbe-dev measures how far
this carries.

natasha's own package imports pymorphy2, whose analyser fails on Python 3.11; the model files are
read from the installed wheel without importing it, and pymorphy3 gives the lemmas. Nothing is
downloaded.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span

from ..resources.lexicons import language_cues, language_event_nouns, language_event_verbs, language_function_words
from .parsers import ModelMissing

PACKAGES = "natasha==1.6.0 slovnet==0.6.0 navec==0.10.0 razdel==0.5.0 (with --no-deps) and pymorphy3==2.0.6 pymorphy3-dicts-ru pymorphy3-dicts-uk"
# The pymorphy3 dictionary each language's lemmas come from (None: the lower-cased word).
MORPHOLOGY = {"ru": "ru", "uk": "uk", "be": None}
NER_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
# UD part of speech -> the OpenCorpora tags pymorphy3 may give that word (to pick the right lemma).
POS_TAGS = {"NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "VERB": {"VERB", "INFN", "GRND", "PRTF", "PRTS"}, "AUX": {"VERB", "INFN"},
            "ADJ": {"ADJF", "ADJS", "COMP", "PRTF", "PRTS"}, "ADV": {"ADVB", "COMP", "PRED"}, "PRON": {"NPRO", "ADJF"},
            "DET": {"ADJF", "NPRO"}, "NUM": {"NUMR", "ADJF"}, "ADP": {"PREP"}, "CCONJ": {"CONJ"}, "SCONJ": {"CONJ"}, "PART": {"PRCL"}}


NAME_GRAMMEMES = {"Surn", "Name", "Patr", "Geox", "Orgn", "Trad", "Abbr"}
# pymorphy3 (OpenCorpora) tags -> UD, for the words a borrowed tagger misreads (see NatashaParser._dictionary_tags).
DICTIONARY_POS = {"NOUN": "NOUN", "VERB": "VERB", "INFN": "VERB", "GRND": "VERB", "ADJF": "ADJ", "ADJS": "ADJ", "NPRO": "PRON",
                  "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART", "ADVB": "ADV", "NUMR": "NUM"}
# Case endings of Belarusian nouns and adjectives (Беларуская граматыка, 1985), stripped from names where no dictionary
# gives their nominative (Лукашэнкі, Лукашэнка -> лукашэнк).
NAME_ENDINGS = {"be": re.compile(r"(ая|ай|ую|ой|ага|аму|ым|ім|ых|іх|ам|ом|ем|а|у|ы|і|е|ю|я)$")}
# Belarusian writes a word-initial у as ў after a vowel (удары, ... і ўдары): the lexicons list the у form.
INITIAL_FOLDS = {"be": lambda word: "у" + word[1:] if word.startswith("ў") else word, "ru": str, "uk": str}
CLOSED_CLASSES = ["PREP", "CONJ", "NPRO", "PRCL"]
APOSTROPHES = {"'", "’", "ʼ"}
VERB_FORMS = {"VERB": "Fin", "INFN": "Inf", "GRND": "Conv"}
CASES = {"nomn": "Nom", "gent": "Gen", "datv": "Dat", "accs": "Acc", "ablt": "Ins", "loct": "Loc", "voct": "Voc"}


class NatashaModelMissing(ModelMissing):
    """natasha's models or pymorphy3 (or its dictionary for the language) are not installed."""


def _model_dir() -> Path:
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise NatashaModelMissing(f"natasha's models are not installed: pip install {PACKAGES}")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


class NatashaParser:
    """A spaCy-like parser (``pipe``, ``make_doc``, ``vocab``) for East Slavic text, with ``base_form`` for names."""

    def __init__(self, language: str = "ru"):
        try:
            import pymorphy3
            from navec import Navec
            from razdel import sentenize, tokenize
            from slovnet import NER, Morph, Syntax
        except ImportError as exc:
            raise NatashaModelMissing(f"the {language} parser needs {exc.name}: pip install {PACKAGES}") from None
        data = _model_dir()
        navec = Navec.load(str(data / "emb" / "navec_news_v1_1B_250K_300d_100q.tar"))
        self.morph = Morph.load(str(data / "model" / "slovnet_morph_news_v1.tar"), batch_size=16).navec(navec)
        self.syntax = Syntax.load(str(data / "model" / "slovnet_syntax_news_v1.tar"), batch_size=16).navec(navec)
        self.ner = NER.load(str(data / "model" / "slovnet_ner_news_v1.tar"), batch_size=16).navec(navec)
        dictionary = MORPHOLOGY[language]
        try:
            self.analyser = pymorphy3.MorphAnalyzer(lang=dictionary) if dictionary else None
        except ValueError:  # the dictionary package is missing
            raise NatashaModelMissing(f"the {language} parser needs pymorphy3-dicts-{dictionary}: pip install {PACKAGES}") from None
        self.sentenize, self.tokenize = sentenize, tokenize
        self.language = language
        # Belarusian has no dictionary: the forms its cue and event lexicons list are its known verbs
        self.known_verbs = set(language_cues(language)) | set(language_event_verbs(language)) if dictionary is None else set()
        self.function_words = language_function_words(language)
        self.known_nouns = set(language_event_nouns(language)) if dictionary is None else set()
        try:
            self.vocab = spacy.blank(language).vocab
        except ImportError:  # spaCy has no Belarusian language class: the multi-language one
            self.vocab = spacy.blank("xx").vocab
        self.pipe_names = ["razdel", "slovnet_morph", "slovnet_syntax", "slovnet_ner"]

    @functools.lru_cache(maxsize=200_000)
    def lemma(self, word: str, pos: str = "") -> str:
        """The dictionary form of a word (pymorphy3), the parse agreeing with the UD part of speech first."""
        if self.analyser is None:  # no dictionary: a name without its case ending, so that its cases share a key
            ending = NAME_ENDINGS.get(self.language)
            form = INITIAL_FOLDS[self.language](word.lower())
            name = pos == "PROPN" or word[:1].isupper() and pos not in {"VERB", "ADP", "CCONJ", "SCONJ", "PART", "PRON", "DET", "ADV", "NUM"}
            return ending.sub("", form) if name and ending is not None and len(form) > 4 else form
        parses = self.analyser.parse(word)
        if pos == "PROPN":  # a name: its parse as a name before a common noun of the same form (Песков is not песок)
            named = [p for p in parses if NAME_GRAMMEMES & set(p.tag.grammemes)]
            if named:
                return named[0].normal_form
        wanted = POS_TAGS.get(pos, set()) | ({"ADJF"} if pos == "VERB" and self.language == "uk" else set())  # its participles
        best = next((p for p in parses if p.tag.POS in wanted), parses[0] if parses else None)
        if best is None:
            return word.lower()
        return best.normal_form.replace("’", "'").replace("ʼ", "'")  # one apostrophe, as the lexicons write it

    def base_form(self, span) -> str:
        """A name in the nominative case, as a reader would write it: the head and the words agreeing with it
        inflected, the rest as written ("Центра общественных связей ФСБ" -> "Центр общественных связей ФСБ")."""
        root = span.root
        agreeing = {root.i} | {c.i for c in root.children if c.dep_ in {"amod", "flat:name", "appos", "flat"} and c.i in range(span.start, span.end)}
        if root.ent_type_ == "PERSON":
            agreeing |= {t.i for t in span if t.ent_type_ == "PERSON"}
        words = []
        for token in span:
            word = token.text
            if self.analyser is not None and token.i in agreeing and token.morph.get("Case") and token.morph.get("Case") != ["Nom"]:
                parses = [p for p in self.analyser.parse(word) if p.tag.case and p.tag.case != "nomn"]
                if token.pos_ == "PROPN":
                    parses = [p for p in parses if {"Surn", "Name", "Patr", "Geox", "Orgn"} & set(p.tag.grammemes)] or parses
                number = "plur" if token.morph.get("Number") == ["Plur"] else "sing"
                for parse in parses:
                    inflected = parse.inflect({"nomn", number}) or parse.inflect({"nomn"})
                    if inflected is not None:
                        word = inflected.word
                        word = word[:1].upper() + word[1:] if token.text[:1].isupper() else word
                        if token.text.isupper():
                            word = word.upper()
                        break
            words.append(word + token.whitespace_)
        return "".join(words).strip()

    def _dictionary_tags(self, words: list[str], pos: list[str], morphs: list[str]) -> None:
        """The Russian tagger guesses the part of speech and case of words navec does not know, and most Ukrainian and
        Belarusian words are such: the language's dictionary (pymorphy3) corrects them where it knows the word, and a
        Belarusian word in the language's verb lexicons is a finite verb, and its closed classes are listed
        (claimscope/data/be/function_words.tsv)."""
        for index, word in enumerate(words):
            if pos[index] == "SPACE" or not word[:1].isalpha():  # (the tagger may call even a word punctuation)
                continue
            if self.analyser is None:
                form = INITIAL_FOLDS[self.language](word.lower())
                if form in self.function_words:
                    pos[index], morphs[index] = self.function_words[form], ""
                elif form in self.known_verbs:
                    pos[index], morphs[index] = "VERB", "VerbForm=Fin"
                elif form in self.known_nouns:
                    pos[index] = "NOUN"
                elif pos[index] in {"PUNCT", "X"}:  # a word the tagger could not place (or called punctuation): a name if capitalised
                    pos[index] = "PROPN" if word[:1].isupper() else "X"
                continue
            parses = [p for p in self.analyser.parse(word) if p.is_known]
            if not parses:
                continue
            # a closed-class reading first (про, на, що are prepositions and conjunctions far more often than anything else)
            best = min(parses, key=lambda p: CLOSED_CLASSES.index(p.tag.POS) if p.tag.POS in CLOSED_CLASSES else len(CLOSED_CLASSES))
            # of the readings with that part of speech, the nominative (a name is then left as written)
            best = next((p for p in parses if p.tag.POS == best.tag.POS and p.tag.case == "nomn"), best)
            if best.tag.POS in DICTIONARY_POS:
                participle = best.tag.POS == "ADJF" and "pssv" in best.tag.grammemes  # "знищені": a verb's form, as UD has it
                pos[index] = "PROPN" if best.tag.POS == "NOUN" and NAME_GRAMMEMES & set(best.tag.grammemes) else \
                    "SCONJ" if best.tag.POS == "CONJ" and "subord" in best.tag.grammemes else "VERB" if participle else DICTIONARY_POS[best.tag.POS]
                features = {"VerbForm": "Part" if participle else VERB_FORMS.get(best.tag.POS)}
                if best.tag.case:
                    features["Case"] = CASES.get(best.tag.case)
                if best.tag.number:
                    features["Number"] = "Plur" if best.tag.number == "plur" else "Sing"
                if best.tag.tense:
                    features["Tense"] = {"past": "Past", "pres": "Pres", "futr": "Fut"}.get(best.tag.tense)
                if best.tag.person:
                    features["Person"] = {"1per": "1", "2per": "2", "3per": "3"}.get(best.tag.person)
                morphs[index] = "|".join(f"{k}={v}" for k, v in sorted(features.items()) if v)

    def make_doc(self, text: str) -> Doc:
        words, spaces = self._words(text, [(0, len(text))])[:2]
        return Doc(self.vocab, words=words, spaces=spaces)

    def _words(self, text: str, sentences: list[tuple[int, int]]):
        """Tokens of the text (whitespace runs kept as space tokens where spaCy needs them)."""
        words, spaces, starts, sentence_of = [], [], [], []
        position = 0
        for number, (start, end) in enumerate(sentences):
            for token in self._tokens(text[start:end]):
                begin = start + token.start
                gap = text[position:begin]
                if gap == " " and words:
                    spaces[-1] = True
                elif gap:  # other whitespace is a token of its own, as in spaCy
                    words.append(gap)
                    spaces.append(False)
                    starts.append(position)
                    sentence_of.append(-1)
                words.append(token.text)
                spaces.append(False)
                starts.append(begin)
                sentence_of.append(number)
                position = begin + len(token.text)
        if position < len(text):
            words.append(text[position:])
            spaces.append(False)
            starts.append(position)
            sentence_of.append(-1)
        return words, spaces, starts, sentence_of

    def _tokens(self, text: str):
        """razdel's tokens; in Ukrainian and Belarusian a word's apostrophe stays inside it (п'ятниця, прем’єр,
        перамір'е), where razdel, made for Russian, cuts it out."""
        from razdel.substring import Substring

        pending = []
        for token in self.tokenize(text):
            if self.language != "ru" and len(pending) >= 2 and pending[-1].text in APOSTROPHES and pending[-1].start == pending[-2].stop \
                    and token.start == pending[-1].stop and pending[-2].text[-1:].isalpha() and token.text[:1].isalpha():
                apostrophe, before = pending.pop(), pending.pop()
                token = Substring(before.start, token.stop, before.text + apostrophe.text + token.text)
            pending.append(token)
        return pending

    def __call__(self, text: str) -> Doc:
        return next(self.pipe([text]))

    def pipe(self, texts, batch_size: int = 64):
        for text in texts:
            yield self._parse(text)

    def _parse(self, text: str) -> Doc:
        sentences = [(s.start, s.stop) for s in self.sentenize(text) if text[s.start:s.stop].strip()]
        words, spaces, starts, sentence_of = self._words(text, sentences)
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        by_sentence: list[list[int]] = [[] for _ in sentences]
        for index, number in enumerate(sentence_of):
            if number >= 0:
                by_sentence[number].append(index)
        token_lists = [[words[i] for i in indices] for indices in by_sentence]
        pos, morphs, heads, deps = ["SPACE"] * len(words), [""] * len(words), list(range(len(words))), ["dep"] * len(words)
        sent_starts = [False] * len(words)
        for indices, morph, syntax in zip(by_sentence, self.morph.map(token_lists), self.syntax.map(token_lists)):
            if not indices:
                continue
            sent_starts[indices[0]] = True
            root = None
            for index, morph_token, syntax_token in zip(indices, morph.tokens, syntax.tokens):
                pos[index] = morph_token.pos
                morphs[index] = "|".join(f"{k}={v}" for k, v in sorted(morph_token.feats.items()))
                head = int(syntax_token.head_id)
                heads[index] = indices[head - 1] if 0 < head <= len(indices) else index
                deps[index] = "ROOT" if heads[index] == index else syntax_token.rel
            for index in indices:  # one root per sentence: a second root is attached to the first, as parataxis
                if heads[index] == index:
                    if root is None:
                        root = index
                    else:
                        heads[index], deps[index] = root, "parataxis"
            if root is None:
                root = indices[0]
                heads[root], deps[root] = root, "ROOT"
            for index in indices:  # slovnet's heads may form a cycle: a token that never reaches the root hangs from it
                seen, node = set(), index
                while heads[node] != node and node not in seen:
                    seen.add(node)
                    node = heads[node]
                if node != root:
                    heads[index], deps[index] = root, "dep"
        for index, number in enumerate(sentence_of):
            if number < 0:  # whitespace belongs to the sentence before it
                heads[index] = index - 1 if index else index
                deps[index] = "dep" if index else "ROOT"
                sent_starts[index] = index == 0
        if self.language != "ru":
            self._dictionary_tags(words, pos, morphs)
        lemmas = [self.lemma(w, p) if p != "SPACE" else w for w, p in zip(words, pos)]
        doc = Doc(self.vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, heads=heads, deps=deps, lemmas=lemmas,
                  sent_starts=sent_starts)
        entities = []
        for span in self.ner(text).spans:
            entity = doc.char_span(span.start, span.stop, label=NER_LABELS.get(span.type, span.type), alignment_mode="contract")
            if entity is not None and len(entity) and self.language != "ru":
                # the Russian tagger on another language takes the common words before a name into it and leaves names
                # out: the span from its first proper noun on, and none without one
                names = [t.i for t in entity if t.pos_ == "PROPN"]
                start, end = names[0] if names else entity.start, entity.end
                while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper():
                    start -= 1  # with the capitalised names next to it that the tagger left out (Іван | Білий)
                while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
                    end += 1
                entity = doc[start:end] if names else None
                if entity is not None:
                    entity = Span(doc, entity.start, entity.end, label=NER_LABELS.get(span.type, span.type))
            if entity is not None and len(entity):
                entities.append(entity)
        doc.ents = spacy.util.filter_spans(entities)
        return doc


@functools.cache
def russian_parser() -> NatashaParser:
    return NatashaParser("ru")


@functools.cache
def ukrainian_parser() -> NatashaParser:
    return NatashaParser("uk")


@functools.cache
def belarusian_parser() -> NatashaParser:
    return NatashaParser("be")
