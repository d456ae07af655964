"""Russian parsing with the natasha project's models (razdel segmentation; slovnet morphology,
dependency syntax and NER over navec embeddings, all shipped inside the ``natasha`` wheel) and
pymorphy3 lemmas, returned as spaCy ``Doc`` objects so that the rest of the pipeline reads one
kind of parse whatever the language.

natasha's own package imports pymorphy2, whose analyser fails on Python 3.11; the model files are
read from the installed wheel without importing it, and pymorphy3 gives the lemmas. Nothing is
downloaded.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import spacy
from spacy.tokens import Doc

from ...nlp.parsers import ModelMissing

NAME = "natasha_ru"
PACKAGES = "natasha==1.6.0 slovnet==0.6.0 navec==0.10.0 razdel==0.5.0 (with --no-deps) and pymorphy3==2.0.6 pymorphy3-dicts-ru"
NER_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
# UD part of speech -> the OpenCorpora tags pymorphy3 may give that word (to pick the right lemma).
POS_TAGS = {"NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "VERB": {"VERB", "INFN", "GRND", "PRTF", "PRTS"}, "AUX": {"VERB", "INFN"},
            "ADJ": {"ADJF", "ADJS", "COMP", "PRTF", "PRTS"}, "ADV": {"ADVB", "COMP", "PRED"}, "PRON": {"NPRO", "ADJF"},
            "DET": {"ADJF", "NPRO"}, "NUM": {"NUMR", "ADJF"}, "ADP": {"PREP"}, "CCONJ": {"CONJ"}, "SCONJ": {"CONJ"}, "PART": {"PRCL"}}


NAME_GRAMMEMES = {"Surn", "Name", "Patr", "Geox", "Orgn", "Trad", "Abbr"}


class RussianModelMissing(ModelMissing):
    """natasha's models or pymorphy3 are not installed."""


def _model_dir() -> Path:
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise RussianModelMissing(f"the Russian pipeline needs natasha's models: pip install {PACKAGES}")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


class RussianParser:
    """A spaCy-like parser (``pipe``, ``make_doc``, ``vocab``) for Russian text, with ``base_form`` for names."""

    def __init__(self):
        try:
            import pymorphy3
            from navec import Navec
            from razdel import sentenize, tokenize
            from slovnet import NER, Morph, Syntax
        except ImportError as exc:
            raise RussianModelMissing(f"the Russian pipeline needs {exc.name}: pip install {PACKAGES}") from None
        data = _model_dir()
        navec = Navec.load(str(data / "emb" / "navec_news_v1_1B_250K_300d_100q.tar"))
        self.morph = Morph.load(str(data / "model" / "slovnet_morph_news_v1.tar"), batch_size=16).navec(navec)
        self.syntax = Syntax.load(str(data / "model" / "slovnet_syntax_news_v1.tar"), batch_size=16).navec(navec)
        self.ner = NER.load(str(data / "model" / "slovnet_ner_news_v1.tar"), batch_size=16).navec(navec)
        self.analyser = pymorphy3.MorphAnalyzer()
        self.sentenize, self.tokenize = sentenize, tokenize
        self.vocab = spacy.blank("ru").vocab
        self.pipe_names = ["razdel", "slovnet_morph", "slovnet_syntax", "slovnet_ner"]

    @functools.lru_cache(maxsize=200_000)
    def lemma(self, word: str, pos: str = "") -> str:
        """The dictionary form of a word (pymorphy3), the parse agreeing with the UD part of speech first."""
        parses = self.analyser.parse(word)
        if pos == "PROPN":  # a name: its parse as a name before a common noun of the same form (Песков is not песок)
            named = [p for p in parses if NAME_GRAMMEMES & set(p.tag.grammemes)]
            if named:
                return named[0].normal_form
        wanted = POS_TAGS.get(pos, set())
        best = next((p for p in parses if p.tag.POS in wanted), parses[0] if parses else None)
        if best is None:
            return word.lower()
        if pos == "VERB" and best.tag.POS in {"GRND", "PRTF", "PRTS"}:
            return best.normal_form  # pymorphy3 already gives the infinitive for participles
        return best.normal_form

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
            if token.i in agreeing and token.morph.get("Case") and token.morph.get("Case") != ["Nom"]:
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

    def make_doc(self, text: str) -> Doc:
        words, spaces = self._words(text, [(0, len(text))])[:2]
        return Doc(self.vocab, words=words, spaces=spaces)

    def _words(self, text: str, sentences: list[tuple[int, int]]):
        """Tokens of the text (whitespace runs kept as space tokens where spaCy needs them)."""
        words, spaces, starts, sentence_of = [], [], [], []
        position = 0
        for number, (start, end) in enumerate(sentences):
            for token in self.tokenize(text[start:end]):
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
        lemmas = [self.lemma(w, p) if p != "SPACE" else w for w, p in zip(words, pos)]
        doc = Doc(self.vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, heads=heads, deps=deps, lemmas=lemmas,
                  sent_starts=sent_starts)
        entities = []
        for span in self.ner(text).spans:
            entity = doc.char_span(span.start, span.stop, label=NER_LABELS.get(span.type, span.type), alignment_mode="contract")
            if entity is not None and len(entity):
                entities.append(entity)
        doc.ents = spacy.util.filter_spans(entities)
        return doc


@functools.lru_cache(maxsize=1)
def russian_parser() -> RussianParser:
    return RussianParser()
