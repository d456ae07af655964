"""Loaders for the data files under ``claimscope/data`` (each file notes its sources)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

DATA = Path(__file__).resolve().parents[1] / "data"


def lower_in_place(text: str) -> str:
    """The text in lower case, every character keeping its length ("İ" lower-cases to two), so that a lexicon phrase
    found in it is found at the same offsets in the text."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def fold_letters(text: str, folds: dict[str, str]) -> str:
    """The text with each of a language's letter variants written one way (LETTER_FOLDS: "ё" as "е", "’" as "'")."""
    for letter, plain in folds.items():
        text = text.replace(letter, plain)
    return text


def rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file, without comments and blank lines."""
    with open(DATA / name, encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Cue:
    lemma: str
    cue_class: str
    nominal: bool


@functools.cache
def cues() -> dict[str, Cue]:
    return {r[0]: Cue(r[0], r[1], r[2] == "y") for r in rows("cues.tsv")}


@functools.cache
def hedges() -> dict[tuple[str, ...], str]:
    return {tuple(r[0].split()): r[1] for r in rows("hedges.tsv")}


@functools.cache
def epithets() -> dict[str, str]:
    return {r[0]: r[1] for r in rows("epithets.tsv")}


@dataclass(frozen=True)
class WeaponEntry:
    names: tuple[str, ...]
    designation: str
    category: str
    origin: str


@functools.cache
def weapons() -> list[WeaponEntry]:
    return [WeaponEntry(tuple(r[0].split("|")), r[1], r[2], r[3]) for r in rows("weapons.tsv")]


@functools.cache
def weapon_words() -> frozenset[str]:
    """Lower-cased single words naming weapon systems (spaCy's NER often calls them PERSON)."""
    return frozenset(n.lower() for w in weapons() for name in w.names for n in name.split() if n[0].isupper())


@dataclass(frozen=True)
class CameoCode:
    code: str
    label: str
    goldstein: float
    plover: str

    @property
    def quad_class(self) -> int:
        root = int(self.code[:2])
        return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


@functools.cache
def cameo() -> dict[str, CameoCode]:
    return {r[0]: CameoCode(r[0], r[1], float(r[2]), r[3]) for r in rows("cameo.tsv")[1:]}


def cameo_entry(code: str) -> CameoCode:
    """The entry for a CAMEO code, or for its most specific listed prefix (labels and Goldstein values of the parent)."""
    table = cameo()
    for length in range(len(code), 1, -1):
        if code[:length] in table:
            found = table[code[:length]]
            return found if length == len(code) else CameoCode(code, found.label, found.goldstein, found.plover)
    return CameoCode(code, "unknown CAMEO code", 0.0, "OTHER")





# ---- a language's own lexicons (claimscope/data/<language>/), each row translating an English one ----

@dataclass(frozen=True)
class TranslatedCue:
    """A reporting verb of another language: its cue class, the English cue it translates, and the CAMEO code when the
    speech act is an event itself (accusing, denying, warning)."""

    lemma: str
    cue_class: str
    english: str
    code: Optional[str]


def _language_rows(language: str, name: str) -> list[list[str]]:
    return rows(f"{language}/{name}")


def _dash(value: str) -> Optional[str]:
    return None if value == "-" else value


@functools.cache
def language_cues(language: str) -> dict[str, TranslatedCue]:
    return {r[0]: TranslatedCue(r[0], r[1], r[2], _dash(r[3])) for r in _language_rows(language, "cues.tsv")}


@functools.cache
def language_phrases(language: str) -> list[tuple[str, str, str]]:
    """(phrase, kind, cue class), longest first, so that "как утверждается" wins over "утверждается"."""
    return sorted(((r[0], r[1], r[2]) for r in _language_rows(language, "phrases.tsv")), key=lambda r: -len(r[0]))


@functools.cache
def language_hedges(language: str) -> list[tuple[str, str]]:
    """(phrase, kind), longest first."""
    return sorted(((r[0], r[1]) for r in _language_rows(language, "hedges.tsv")), key=lambda r: -len(r[0]))


@functools.cache
def language_event_verbs(language: str) -> dict[str, tuple[str, str, frozenset[str]]]:
    """lemma -> (English verb, CAMEO code, words one of which the object must hold; empty: any object)."""
    return {r[0]: (r[1], r[2], frozenset() if r[3] == "-" else frozenset(r[3].split("|"))) for r in _language_rows(language, "event_verbs.tsv")}


@functools.cache
def language_event_nouns(language: str) -> dict[str, tuple[str, str]]:
    """lemma -> (English noun, CAMEO code)."""
    return {r[0]: (r[1], r[2]) for r in _language_rows(language, "event_nouns.tsv")}


@functools.cache
def language_actor_words(language: str) -> dict[str, tuple[Optional[str], Optional[str]]]:
    """lemma -> (CAMEO country code, sector code) of the words that make up actor phrases."""
    return {r[0]: (_dash(r[1]), _dash(r[2])) for r in _language_rows(language, "actor_codes.tsv")}


@functools.cache
def language_evaluations(language: str) -> list[tuple[str, str]]:
    """(lemma or phrase, CAMEO code) of the evaluative words that make a statement a speech-act event."""
    return [(r[0], r[1]) for r in _language_rows(language, "evaluations.tsv")]


@functools.cache
def language_function_words(language: str) -> dict[str, str]:
    """form -> UD part of speech of the closed-class words of a language whose parse is borrowed (empty if none listed)."""
    if not (DATA / language / "function_words.tsv").exists():
        return {}
    return {r[0]: r[1] for r in _language_rows(language, "function_words.tsv")}
