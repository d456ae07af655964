"""Source registry: actors and outlets with country, role and source-risk tier; matching
speakers (aliases, transliterations, surnames) to registry entries."""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Optional

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from ..document import Document
from ..lexicons import DATA
from ..pipeline import component
from ..records import Actor

PACKAGED_REGISTRY = DATA / "registry.yaml"


class RegistryError(ValueError):
    """A registry file that cannot be used, with the file and entry named."""


def _normalise(name: str) -> str:
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"['\u2019]s\b", "", name.lower())
    return re.sub(r"[^a-z0-9 ]+", " ", name).strip()


def load_registry_file(path: Path) -> list[Actor]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
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


class Registry:
    """Actors by id, looked up by any alias; fuzzy matching catches transliteration variants."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            self.actors[actor.id] = actor
        self.by_alias: dict[str, Actor] = {}
        self.by_surname: dict[str, list[Actor]] = {}
        for actor in self.actors.values():
            for alias in [actor.name, *actor.aliases]:
                key = _normalise(alias)
                self.by_alias[key] = actor
                if actor.kind == "person":
                    self.by_surname.setdefault(key.split()[-1], []).append(actor)

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> "Registry":
        actors = load_registry_file(PACKAGED_REGISTRY)
        for path in extra:
            actors += load_registry_file(Path(path))
        return cls(actors)

    def match(self, name: Optional[str]) -> Optional[Actor]:
        if not name:
            return None
        key = _normalise(name)
        key = re.sub(r"^(the|president|minister|spokesman|spokeswoman|mr|mrs|ms|dr) ", "", key)
        if not key:
            return None
        if key in self.by_alias:
            return self.by_alias[key]
        surname = key.split()[-1]
        candidates = {a.id: a for a in self.by_surname.get(surname, [])}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        best = process.extractOne(key, list(self.by_alias), scorer=fuzz.ratio, score_cutoff=88)
        return self.by_alias[best[0]] if best else None


@functools.lru_cache(maxsize=8)
def cached_registry(extra: tuple[str, ...] = ()) -> Registry:
    return Registry.load(extra)


@component("sources")
def sources(document: Document) -> None:
    """Attach the registry actor to each claim's speaker and to the article's outlet."""
    config = document.scratch.get("config")
    registry = cached_registry(tuple(config.registries) if config else ())
    document.scratch["registry"] = registry
    for claim in document.analysis.claims:
        actor = registry.match(claim.speaker_resolved) or (registry.match(claim.speaker.text) if claim.speaker else None)
        if actor is not None:
            claim.actor = actor
            if actor.kind == "person":
                claim.speaker_resolved = actor.name
    article = document.article
    document.scratch["outlet"] = registry.match(article.source) or registry.match(article.site)
