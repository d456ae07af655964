"""The actor/source registry: actors and outlets with country, role, actor code and source-risk
tier, matched from the names an article uses (aliases, transliterations, surnames, titles).

The packaged registry is ``data/registry.yaml``, with the spellings of its names in other languages from
``data/<code>/names.yaml``; users add entries (or override them by id) with ``--registry FILE``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Optional

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from .lexicons import DATA
from ..records import Actor

PACKAGED_REGISTRY = DATA / "registry.yaml"
TITLES = re.compile(
    r"^(?:the|then|former|acting|russian|ukrainian|belarusian|us|u s|american|president|presidential|prime minister|"
    r"foreign minister|defen[cs]e minister|minister|spokesman|spokeswoman|spokesperson|press secretary|"
    r"secretary|chancellor|general|gen|lieutenant|colonel|col|commander|mr|mrs|ms|dr|sir|mayor|governor|ambassador)\s+"
)


class RegistryError(ValueError):
    """A registry file that cannot be used, with the file and entry named."""


def normalise(name: str) -> str:
    """Lower-case ASCII words: accents, possessives and punctuation removed."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"['\u2019]s\b", "", name.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", name)).strip()


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when PyYAML has it: the registry loads ~10x faster


def load_registry_file(path: Path) -> list[Actor]:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError:
        raise RegistryError(f"registry {path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise RegistryError(f"registry {path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"registry {path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise RegistryError(f"registry {path}: expected a mapping with an 'actors' list")
    actors = []
    for number, entry in enumerate(data["actors"], start=1):
        try:
            actors.append(Actor.model_validate(entry))
        except ValidationError as exc:
            problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise RegistryError(f"registry {path}: actor #{number} is invalid ({problem})") from None
    return actors


@functools.cache
def language_names() -> dict[str, dict[str, tuple[str, ...]]]:
    """Language code -> actor id -> the spellings of its name in that language (data/<code>/names.yaml)."""
    return {path.parent.name: {ident: tuple(aliases) for ident, aliases in (yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}).items()}
            for path in sorted(DATA.glob("*/names.yaml"))}


def other_languages_names(language: Optional[str]) -> frozenset[str]:
    """The spellings the names files of the other languages bring: a language's speaker chain leaves them out, so that a
    Ukrainian "Генштаб" never names an actor in a Russian article."""
    names = language_names()
    own = {alias for aliases in names.get(language or "", {}).values() for alias in aliases}
    return frozenset(alias for code, by_actor in names.items() if code != language for aliases in by_actor.values() for alias in aliases) - own


def with_language_names(actors: list[Actor]) -> list[Actor]:
    """The actors with their names in each language's spelling added to their aliases."""
    names: dict[str, list[str]] = {}
    for by_actor in language_names().values():
        for ident, aliases in by_actor.items():
            names.setdefault(ident, []).extend(aliases)
    return [actor.model_copy(update={"aliases": list(dict.fromkeys([*actor.aliases, *names[actor.id]]))}) if actor.id in names else actor
            for actor in actors]


MATCH_CACHE = 50_000  # names remembered by Registry.match; the memory stays bounded over any corpus


class Registry:
    """Actors by id, looked up by any alias or web domain; fuzzy matching catches transliteration variants."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            self.actors[actor.id] = actor
        self.by_alias: dict[str, list[Actor]] = {}
        self.by_surname: dict[str, list[Actor]] = {}
        self.by_domain: dict[str, Actor] = {}
        for actor in self.actors.values():
            for alias in [actor.name, *actor.aliases]:
                key = normalise(alias)
                if key:
                    self.by_alias.setdefault(key, []).append(actor)
                if actor.kind == "person" and key and all(w[:1].isupper() for w in alias.split()):  # names, not role phrases
                    self.by_surname.setdefault(key.split()[-1], []).append(actor)
            for domain in actor.domains:
                self.by_domain[domain.lower().removeprefix("www.")] = actor
        self._matched: dict[tuple[str, Optional[date]], Optional[Actor]] = {}  # match() answers, kept while a corpus is analysed

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> "Registry":
        actors = load_registry_file(PACKAGED_REGISTRY)
        for path in extra:
            actors += load_registry_file(Path(path))
        return cls(with_language_names(actors))  # an entry that overrides a packaged one by id keeps its other spellings

    @staticmethod
    def _current(candidates: list[Actor], when: Optional[date]) -> list[Actor]:
        """Entries whose dated role covers ``when`` (undated entries always do)."""
        if when is None:
            return candidates
        return [a for a in candidates if (a.valid_from is None or a.valid_from <= when) and (a.valid_until is None or when <= a.valid_until)]

    def match(self, name: Optional[str], when: Optional[date] = None) -> Optional[Actor]:
        """The actor a name refers to, or None. ``when`` (the article's date) picks among dated roles."""
        if not name:
            return None
        key = (name, when)
        if key not in self._matched:
            if len(self._matched) >= MATCH_CACHE:
                self._matched.clear()
            self._matched[key] = self._match(name, when)
        return self._matched[key]

    def _match(self, name: str, when: Optional[date]) -> Optional[Actor]:
        full = normalise(name)
        exact = self._current(self.by_alias.get(full.removeprefix("the "), []), when)
        if exact:
            return exact[-1]
        key = full
        while True:  # titles and nationality words before a person's name: "Russian President Vladimir Putin"
            stripped = TITLES.sub("", key)
            if stripped == key:
                break
            key = stripped
        if not key:
            return None
        people = [a for a in self._current(self.by_alias.get(key, []), when) if a.kind == "person"]
        if people:
            return people[-1]
        if len(key) < 4:
            return None
        surname = key.split()[-1]
        candidates = {a.id: a for a in self._current(self.by_surname.get(surname, []), when)}
        if len(candidates) == 1 and (len(key.split()) == 1 or _same_person(key, next(iter(candidates.values())))):
            return next(iter(candidates.values()))
        best = process.extractOne(key, list(self.by_alias), scorer=fuzz.ratio, score_cutoff=90)
        if best:
            found = self._current(self.by_alias[best[0]], when)
            return found[-1] if found else None
        return None

    def media_named(self, name: str) -> Optional[Actor]:
        """The outlet whose name or alias, in any script, is exactly ``name`` (case aside): "ТАСС", "RIA Novosti"."""
        if not hasattr(self, "_media_names"):
            self._media_names = {alias.casefold(): actor for actor in self.actors.values() if actor.kind == "media"
                                 for alias in [actor.name, *actor.aliases]}
        return self._media_names.get(name.strip().casefold())

    def match_domain(self, domain: str) -> Optional[Actor]:
        """The outlet whose domain is ``domain`` or a parent of it (en.example.com -> example.com)."""
        return next((self.by_domain[d] for d in parent_domains(domain.lower().removeprefix("www.")) if d in self.by_domain), None)


def parent_domains(domain: str) -> Iterator[str]:
    """The domain and each parent of it with two labels or more, nearest first (en.example.com, example.com)."""
    parts = domain.split(".")
    for first in range(len(parts) - 1):
        yield ".".join(parts[first:])


def _same_person(key: str, actor: Actor) -> bool:
    """'John Smith' must not match registry 'Jane Smith': the first names (or initials) agree."""
    first = key.split()[0]
    for alias in [actor.name, *actor.aliases]:
        words = normalise(alias).split()
        if len(words) > 1 and (words[0] == first or words[0][0] == first[0] and len(first) == 1):
            return True
        if len(words) > 1 and fuzz.ratio(words[0], first) >= 80:
            return True
    return False


def cached_registry(extra: tuple[str, ...] = ()) -> Registry:
    """The packaged registry plus `extra` files, loaded once per process for each set of files."""
    return _loaded_registry(tuple(extra))


@functools.lru_cache(maxsize=8)
def _loaded_registry(extra: tuple[str, ...]) -> Registry:
    return Registry.load(extra)
