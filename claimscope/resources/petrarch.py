"""Readers for the PETRARCH2 coding dictionaries (Open Event Data Alliance, MIT; data/petrarch/) and
the CAMEO -> PLOVER crosswalk (PLOVER manual draft 0.8, CC BY-SA 4.0; data/plover/).

* The verb dictionary (CAMEO.2.0.txt): synonym sets (&NAME with +phrases), verb blocks
  (``--- NAME [code] ---``, then the block's verbs with irregular forms and their own codes),
  and patterns (``- [nouns] * [nouns] (PREP noun) [code]``) that refine a verb's code by its
  subject, object and prepositional phrases.
* The actor dictionaries (Phoenix.*.actors.txt): names (``+`` for aliases, ``_`` joins words) with
  CAMEO actor codes and date ranges (``[RUSGOV >080508]``, ``[USRUKR <910824]``).
* The agents dictionary (Phoenix.agents.txt): generic agents ("soldiers" -> ~MIL) with
  substitution sets (``!PERSON!``).

These are knowledge files read by the project's own code, not a copy of PETRARCH.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from .lexicons import DATA

PETRARCH = DATA / "petrarch"
CROSSWALK = DATA / "plover" / "CAMEO2PLOVER-2021.txt"
CODE = re.compile(r"\[([^\]]*)\]")


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.strip().strip("_").lower().replace("_", " ").split())


def actor_words(phrase: str) -> tuple[str, ...]:
    """An actor name's words without dots, so that "U.S.", "US" and "U.S" (a sentence-final abbreviation) are one key."""
    return tuple(w for w in (w.replace(".", "") for w in _words(phrase)) if w)


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ss", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


# ---- verbs ----

@dataclass(frozen=True)
class Element:
    """One part of a pattern: a noun phrase (head last) or a prepositional phrase (preposition, then a noun phrase)."""

    preposition: Optional[str]
    phrases: tuple[tuple[str, ...], ...]  # alternatives (a synset gives several); empty for "(TO)"

    @functools.cached_property
    def heads(self) -> frozenset[str]:
        """The last words of the phrases: a noun phrase whose head is none of them cannot match."""
        return frozenset(self.modifiers_by_head)

    @functools.cached_property
    def modifiers_by_head(self) -> dict[str, tuple[frozenset[str], ...]]:
        """For each head word, the sets of words that must come with it (a synset element has hundreds of phrases)."""
        found: dict[str, list[frozenset[str]]] = {}
        for phrase in self.phrases:
            if phrase:
                found.setdefault(phrase[-1], []).append(frozenset(phrase[:-1]))
        return {head: tuple(sets) for head, sets in found.items()}


@dataclass
class Pattern:
    before: list[Element]
    after: list[Element]
    code: str
    size: int

    @functools.cached_property
    def prepositions(self) -> frozenset[str]:
        """The prepositions the pattern needs after the verb: a verb without one of them cannot match."""
        return frozenset(e.preposition for e in self.after if e.preposition)

    @functools.cached_property
    def object_heads(self) -> tuple[frozenset[str], ...]:
        """For each noun phrase the pattern needs after the verb, the head words it can end in."""
        return tuple(e.heads for e in self.after if e.preposition is None)


@dataclass
class VerbEntry:
    lemma: str
    particle: Optional[str]
    code: str  # the verb's own code, else its block's ("---": no event)
    patterns: list[Pattern] = field(default_factory=list)

    @functools.cached_property
    def _pattern_index(self) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
        """Pattern numbers without object or preposition; by a head word of their first object; by a preposition."""
        free: list[int] = []
        by_head: dict[str, list[int]] = {}
        by_preposition: dict[str, list[int]] = {}
        for number, pattern in enumerate(self.patterns):
            if pattern.object_heads:
                for word in pattern.object_heads[0]:
                    by_head.setdefault(word, []).append(number)
            elif pattern.prepositions:
                by_preposition.setdefault(min(pattern.prepositions), []).append(number)
            else:
                free.append(number)
        return tuple(free), {k: tuple(v) for k, v in by_head.items()}, {k: tuple(v) for k, v in by_preposition.items()}

    def candidates(self, object_heads: frozenset[str], prepositions: frozenset[str]) -> list[Pattern]:
        """The patterns that can apply to a verb with these object head words and prepositions, in the entry's
        order (most specific first): a verb has up to hundreds of patterns, most needing an object it lacks."""
        free, by_head, by_preposition = self._pattern_index
        numbers = set(free)
        for word in object_heads:
            numbers.update(by_head.get(word, ()))
        for preposition in prepositions:
            numbers.update(by_preposition.get(preposition, ()))
        return [self.patterns[number] for number in sorted(numbers)]


def _code(text: str) -> str:
    """'[042:043]' -> '042', '[:173]' -> '173', '[---]' -> '---'."""
    match = CODE.search(text)
    if not match:
        return ""
    parts = [p.strip() for p in match.group(1).split(":")]
    return next((p for p in parts if p), "---")


def _split_elements(text: str) -> list[str]:
    """Pattern tokens, keeping {...} and (...) groups whole."""
    tokens, depth, current = [], 0, ""
    for ch in text:
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        if ch.isspace() and depth == 0:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += ch
    if current:
        tokens.append(current)
    return tokens


def _noun(token: str, synsets: dict[str, list[tuple[str, ...]]]) -> Optional[tuple[tuple[str, ...], ...]]:
    token = token.strip()
    if token.startswith("{") and token.endswith("}"):
        inner = token[1:-1].split()
        if any(w.startswith("&") for w in inner):  # {NEW &WEAPON}: the synset gives the head
            heads = [synsets.get(w[1:].rstrip("_").upper(), []) for w in inner if w.startswith("&")]
            rest = tuple(w.lower() for w in inner if not w.startswith("&"))
            return tuple(rest + h for h in heads[0]) if heads and heads[0] else None
        return (_words(" ".join(inner)),)
    if token.startswith("&"):
        found = synsets.get(token[1:].rstrip("_").upper())
        return tuple(found) if found else None
    if token in {"$", "+", "%", "^", "-"} or not re.match(r"^[A-Za-z0-9'-]", token):
        return None
    return (_words(token),)


def _element(token: str, synsets) -> Optional[Element]:
    if token.startswith("(") and token.endswith(")"):
        inner = _split_elements(token[1:-1])
        if not inner:
            return None
        preposition = inner[0].lower().strip("_")
        if len(inner) == 1:
            return Element(preposition, ())
        phrases = _noun(" ".join(inner[1:]) if not inner[1].startswith(("{", "&")) else inner[1], synsets)
        return Element(preposition, phrases) if phrases else None
    phrases = _noun(token, synsets)
    return Element(None, phrases) if phrases else None


def _pattern(line: str, synsets) -> Optional[Pattern]:
    body = line[1:].split("#")[0]
    code = _code(body)
    if not code:
        return None
    body = CODE.sub("", body)
    tokens = _split_elements(body)
    if "*" not in tokens:
        return None
    star = tokens.index("*")
    before = [e for e in (_element(t, synsets) for t in tokens[:star]) if e is not None]
    after = [e for e in (_element(t, synsets) for t in tokens[star + 1 :]) if e is not None]
    if len(before) + len(after) < len([t for t in tokens if t not in {"*", "$", "+", "%", "^"}]):
        return None  # a part we cannot read (an undefined synset): skip the pattern rather than over-match
    return Pattern(before, after, code, len(before) + len(after))


def _verb_forms(line: str) -> tuple[str, Optional[str]]:
    """'ACCUSE [112]' -> ('accuse', None); '+BEEF_UP' -> ('beef', 'up'); 'WIRE_+TAP {...}' -> ('tap', None)."""
    head = line.split("{")[0].split("[")[0].split("#")[0].strip()
    words = head.split("_")
    marked = next((k for k, w in enumerate(words) if w.startswith("+")), 0)
    lemma = words[marked].lstrip("+").lower()
    particle = words[marked + 1].lower() if marked + 1 < len(words) and words[marked + 1] else None
    return lemma, particle


@functools.cache
def verb_dictionary() -> dict[str, list[VerbEntry]]:
    """lemma -> entries (a lemma may head several multi-word verbs)."""
    return _verb_file()[1]


@functools.cache
def synsets() -> dict[str, list[tuple[str, ...]]]:
    """The verb dictionary's synonym sets: name (upper case, "WEAPON") -> phrases (lower-case words, plurals added)."""
    return _verb_file()[0]


@functools.cache
def _verb_file() -> tuple[dict[str, list[tuple[str, ...]]], dict[str, list[VerbEntry]]]:
    synsets: dict[str, list[tuple[str, ...]]] = {}
    verbs: dict[str, list[VerbEntry]] = {}
    current_synset: Optional[str] = None
    block_code = "---"
    block: list[VerbEntry] = []
    in_verbs = False
    for raw in (PETRARCH / "CAMEO.2.0.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if "VERB PATTERNS" in line:
            in_verbs = True
            continue
        if not line or line.startswith("#"):
            continue
        if not in_verbs:
            if line.startswith("&"):
                current_synset = line[1:].split("#")[0].strip()
                synsets[current_synset.rstrip("_").upper()] = []
            elif line.startswith("+") and current_synset is not None:
                phrase = line[1:].split("#")[0].strip()
                words = _words(phrase)
                if words:
                    entries = synsets[current_synset.rstrip("_").upper()]
                    entries.append(words)
                    if not phrase.endswith("_") and not current_synset.endswith("_"):
                        entries.append(words[:-1] + (_plural(words[-1]),))
            continue
        if line.startswith("---"):
            block_code = _code(line) or "---"
            block = []
            continue
        if line.startswith("~"):
            continue
        if line.startswith("-"):
            pattern = _pattern(line, synsets)
            if pattern is not None:
                for entry in block:
                    entry.patterns.append(pattern)
            continue
        lemma, particle = _verb_forms(line)
        if not lemma or not re.match(r"^[a-z]", lemma):
            continue
        entry = VerbEntry(lemma, particle, _code(line) or block_code)
        block.append(entry)
        verbs.setdefault(lemma, []).append(entry)
        irregular = re.search(r"\{([^}]*)\}", line)
        if irregular:
            for form in irregular.group(1).split():
                form_lemma, _ = _verb_forms(form)
                if form_lemma and form_lemma != lemma:
                    verbs.setdefault(form_lemma, []).append(entry)
    for entries in verbs.values():
        for entry in entries:
            entry.patterns.sort(key=lambda p: -p.size)  # most specific first (stable: the file's order among equals)
    return synsets, verbs


# ---- actors and agents ----

@dataclass(frozen=True)
class ActorCode:
    code: str
    start: Optional[date]
    end: Optional[date]


def _date(text: str) -> Optional[date]:
    text = text.strip()
    if len(text) == 6:
        year = int(text[:2])
        text = f"{1900 + year if year > 30 else 2000 + year}{text[2:]}"
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _actor_code(text: str) -> Optional[ActorCode]:
    """'RUSGOV >080508' -> code valid from 2008-05-08; 'USRUKR <910824' -> until; 'X 630101-930922' -> range."""
    parts = text.split()
    if not parts:
        return None
    code = parts[0].lstrip("~")
    if len(parts) == 1:
        return ActorCode(code, None, None)
    span = parts[1]
    if span.startswith(">"):
        return ActorCode(code, _date(span[1:]), None)
    if span.startswith("<"):
        return ActorCode(code, None, _date(span[1:]))
    if "-" in span:
        first, last = span.split("-", 1)
        return ActorCode(code, _date(first), _date(last))
    return ActorCode(code, None, None)


ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
# The actor files parsed (scripts/compile_petrarch.py): reading them takes ~0.5 s, a third of the cold start beyond
# spaCy's own. Used only while the hashes it records match the files; otherwise the files are parsed.
COMPILED_ACTORS = PETRARCH / "actors.compiled.json"


@functools.cache
def actor_dictionary() -> dict[tuple[str, ...], list[ActorCode]]:
    """Phrase (lower-case words) -> dated codes, from the country, international and non-state actor files."""
    return _compiled_actors() or parse_actor_files()


def _actor_file_hashes() -> dict[str, str]:
    return {name: hashlib.sha256((PETRARCH / name).read_bytes()).hexdigest() for name in ACTOR_FILES}


def write_compiled_actors(path=COMPILED_ACTORS) -> int:
    """Store parse_actor_files() with the hashes of the files it read; returns the number of phrases."""
    phrases = parse_actor_files()
    codes: dict[ActorCode, int] = {}
    rows = [[" ".join(words), [codes.setdefault(c, len(codes)) for c in found]] for words, found in phrases.items()]
    table = [[c.code, c.start.isoformat() if c.start else None, c.end.isoformat() if c.end else None] for c in codes]
    path.write_text(json.dumps({"sources": _actor_file_hashes(), "codes": table, "phrases": rows}, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(rows)


def _compiled_actors() -> Optional[dict[tuple[str, ...], list[ActorCode]]]:
    try:
        data = json.loads(COMPILED_ACTORS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("sources") != _actor_file_hashes():
        return None
    day = lambda text: date.fromisoformat(text) if text else None  # noqa: E731
    codes = [ActorCode(code, day(start), day(end)) for code, start, end in data["codes"]]
    return {tuple(words.split(" ")): [codes[k] for k in found] for words, found in data["phrases"]}


def parse_actor_files() -> dict[tuple[str, ...], list[ActorCode]]:
    """The actor files read line by line (see the module's docstring for their format)."""
    phrases: dict[tuple[str, ...], list[ActorCode]] = {}
    parsed: dict[str, Optional[ActorCode]] = {}  # code texts repeat (40 % of 37k): parse each once

    def code_in(line: str) -> Optional[ActorCode]:
        found = CODE.search(line)
        if not found:
            return None
        text = found.group(1)
        if text not in parsed:
            parsed[text] = _actor_code(text)
        return parsed[text]

    for name in ACTOR_FILES:
        names: list[tuple[str, ...]] = []
        codes: list[ActorCode] = []

        def flush():
            for words in names:
                phrases.setdefault(words, []).extend(codes)

        for raw in (PETRARCH / name).read_text(encoding="utf-8", errors="replace").splitlines():
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            found = code_in(line)
            if line.startswith(("\t", " ")):
                if found:
                    codes.append(found)
                continue
            if not line.startswith("+"):
                flush()
                names, codes = [], []
            words = actor_words(CODE.sub("", line[1:] if line.startswith("+") else line))
            if words:
                names.append(words)
            if found:
                codes.append(found)
        flush()
    return phrases


def current_code(codes: list[ActorCode], when: Optional[date]) -> Optional[str]:
    """The code in force on ``when`` (undated codes count as current); without a date, the undated or latest one."""
    if not codes:
        return None
    if when is not None:
        dated = [c for c in codes if (c.start or c.end) and (c.start is None or c.start <= when) and (c.end is None or when <= c.end)]
        if dated:
            return dated[-1].code
    undated = [c for c in codes if c.start is None and c.end is None]
    if undated:
        return undated[-1].code
    open_ended = [c for c in codes if c.end is None]
    return (open_ended or codes)[-1].code


@functools.cache
def agent_dictionary() -> dict[tuple[str, ...], str]:
    """Generic agents: phrase -> sector code ('soldier' -> 'MIL', 'police' -> 'COP')."""
    substitutions: dict[str, list[str]] = {}
    agents: dict[tuple[str, ...], str] = {}
    for raw in (PETRARCH / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            key, values = line.split("=", 1)
            substitutions[key.strip()] = [v.strip().lower() for v in values.split(",")]
            continue
        match = CODE.search(line)
        if not match:
            continue
        code = match.group(1).strip().lstrip("~").split()[0]
        phrase = CODE.sub("", line).strip()
        variants = [phrase]
        if "!" in phrase:  # a substitution set's name (!PERSON!) is in the phrase
            for key, values in substitutions.items():
                if key in phrase:
                    variants = [v.replace(key, "_" + value) for v in variants for value in values]
        for variant in variants:
            words = _words(variant.replace("!", ""))
            if words:
                agents[words] = code
                if not variant.endswith("_"):
                    agents[words[:-1] + (_plural(words[-1]),)] = code
    return agents


# ---- PLOVER ----

# The crosswalk uses the 2021 draft names; the PLOVER gold standard records (and most users) use the
# established ones: REQUEST is DEMAND, ACCUSE is INVESTIGATE (CAMEO 09) or DISAPPROVE (11), and
# conventional military force (CAMEO 19, military mass violence) is FIGHT, apart from ASSAULT.
@functools.cache
def plover_table() -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER event type, mode) in the gold standard's vocabulary."""
    table: dict[str, tuple[str, str]] = {"01": ("OTHER", ""), "02": ("DEMAND", "")}
    for raw in CROSSWALK.read_text(encoding="utf-8").splitlines():
        line = raw.split("#")[0].strip()
        match = re.match(r"^(\d+):\s*([A-Z_]+)\s*,?\s*([^,]*)", line)
        if not match:
            continue
        code, event, mode = match.group(1), match.group(2), match.group(3).strip()
        if event == "REQUEST":
            event = "DEMAND"
        elif event == "ACCUSE":
            event = "INVESTIGATE" if code.startswith("09") else "DISAPPROVE"
        elif event == "ASSAULT" and (code.startswith("19") or code in {"20", "200"}):
            event = "FIGHT"
        table.setdefault(code, (event, mode))
    return table


def plover_of(cameo: str) -> tuple[str, str]:
    """PLOVER type and mode for a CAMEO code, from its most specific listed prefix."""
    table = plover_table()
    for length in range(len(cameo), 1, -1):
        if cameo[:length] in table:
            return table[cameo[:length]]
    return "OTHER", ""
