"""Outlet ratings: how the outlet that published an article is rated, and by which list.

Two lists are read. CRED-1 (data/cred1.csv, Alexander Loth, CC BY 4.0, built from
OpenSources.co and Iffy.news) rates 2,674 web domains with a category and a credibility
score; the actor registry names outlets (state news agencies and broadcasters, international
agencies) with their affiliation and a risk tier. An outlet neither list knows is "unknown",
never "reliable": CRED-1 lists mostly outlets with credibility problems.
"""
from __future__ import annotations

import csv
import functools
import re
from typing import Optional
from urllib.parse import urlsplit

from .lexicons import DATA
from ..records import Actor, OutletRating, Risk
from .registry import Registry, parent_domains

CRED1_FILE = DATA / "cred1.csv"
OWNERS_FILE = DATA / "outlet_owners.tsv"
CRED1 = "CRED-1"
REGISTRY = "claimscope registry"
OWNERS = "outlet ownership"
# CRED-1 category -> risk tier. fake, conspiracy, unreliable and rumor outlets regularly fail
# basic accuracy; mixed and satire outlets are not to be taken at their word; reliable is low risk.
CATEGORY_RISK: dict[str, Risk] = {
    "fake": "high", "conspiracy": "high", "unreliable": "high", "rumor": "high",
    "mixed": "medium", "satire": "medium", "reliable": "low",
}
RANK = {"unknown": 0, "low": 1, "medium": 2, "high": 3}
DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")


@functools.cache
def cred1() -> dict[str, tuple[str, float]]:
    """domain -> (category, credibility score)."""
    with open(CRED1_FILE, encoding="utf-8", newline="") as handle:
        return {row["domain"].lower(): (row["category"], float(row["credibility_score"])) for row in csv.DictReader(handle)}


@functools.cache
def owned_outlets() -> tuple[dict[str, Actor], dict[str, Actor]]:
    """Outlets rated by who owns them (data/outlet_owners.tsv), as media actors: by domain, and by name or alias (casefolded)."""
    by_domain: dict[str, Actor] = {}
    by_name: dict[str, Actor] = {}
    with open(OWNERS_FILE, encoding="utf-8", newline="") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            domain, name, aliases, country, owner, risk, source = line.rstrip("\n").split("\t")
            actor = Actor(id=f"owned:{domain}", name=name, kind="media", country=country, role=f"outlet owned by {owner}", affiliation=owner,
                          risk=risk, aliases=[a for a in aliases.split("|") if a], domains=[domain], note=f"ownership: {source}")
            by_domain[domain] = actor
            for alias in [name, *actor.aliases]:
                by_name[alias.casefold()] = actor
    return by_domain, by_name


def domain_of(value: Optional[str]) -> Optional[str]:
    """The web domain in a URL or a bare domain name ("https://www.tass.com/x" -> "tass.com"), else None."""
    if not value:
        return None
    value = value.strip().lower()
    if "://" in value:
        host = urlsplit(value).hostname or ""
    elif " " not in value and "." in value:
        host = value.split("/")[0].split(":")[0]
    else:
        return None
    host = host.removeprefix("www.")
    return host if DOMAIN.match(host) else None


def _owned_domain(domain: str) -> Optional[Actor]:
    by_domain = owned_outlets()[0]
    return next((by_domain[d] for d in parent_domains(domain) if d in by_domain), None)


def _cred1_lookup(domain: str) -> Optional[tuple[str, str, float]]:
    """(listed domain, category, score) for the domain or the nearest parent domain CRED-1 lists."""
    table = cred1()
    return next(((d, *table[d]) for d in parent_domains(domain) if d in table), None)


def rate_outlet(registry: Registry, source: Optional[str] = None, url: Optional[str] = None, site: Optional[str] = None) -> Optional[OutletRating]:
    """Rate the outlet given by name, domain or URL (``source`` first, then the article's URL, then its site name)."""
    given = next((v for v in (source, url, site) if v and v.strip()), None)
    if given is None:
        return None
    domain = domain_of(source)
    named = source is not None and domain is None and registry.match(source) is not None
    if domain is None and not named:  # an outlet given by a registry name keeps its own domains
        domain = domain_of(url) or domain_of(site)
    actor: Optional[Actor] = None
    if domain:
        actor = registry.match_domain(domain) or _owned_domain(domain)
    for name in (source, site):
        if actor is None and name and not domain_of(name):
            found = registry.match(name)
            actor = found if found is not None and found.kind == "media" else owned_outlets()[1].get(name.strip().casefold())
    if domain is None and actor is not None and actor.domains:
        domain = actor.domains[0]
    listed = _cred1_lookup(domain) if domain else None
    rated_by, parts = [], []
    risk: Risk = "unknown"
    category = credibility = None
    if listed:
        _listed_domain, category, credibility = listed
        risk = CATEGORY_RISK.get(category, "unknown")
        rated_by.append(CRED1)
        parts.append(f"rated {category} (credibility {credibility:.2f}) by {CRED1}")
    if actor is not None:
        listing = OWNERS if actor.id.startswith("owned:") else REGISTRY
        rated_by.append(listing)
        where = f"{actor.country}, " if actor.country else ""
        parts.append(f"listed in the {listing} as {actor.role or actor.kind} ({where}{actor.risk} risk{'; ' + actor.note if listing == OWNERS else ''})")
        if RANK[actor.risk] > RANK[risk]:
            risk = actor.risk
    name = actor.name if actor is not None else source.strip() if source and not domain_of(source) else None
    label = name or domain or given.strip()
    if domain and name and domain not in label.lower():
        label = f"{label} ({domain})"
    description = " and ".join(parts) if parts else f"unrated: neither {CRED1}, the {REGISTRY} nor the {OWNERS} list rates it"
    return OutletRating(name=given.strip(), label=label, domain=domain, risk=risk, category=category, credibility=credibility,
                        actor=actor, rated_by=rated_by, description=description)


# A news agency's signature in a story's dateline: "MOSCOW, January 8. /TASS/.", "KYIV (Reuters) -",
# "МОСКВА, 3 мая - РИА Новости." (agencies sign the copy they write; reprints keep the signature).
SIGNATURES = [
    re.compile(r"/([^\W\d_][\w.\- ]{1,30})/"),
    re.compile(r"^[^\n(]{0,60}\(([^\W\d_][\w.\- ]{1,30})\)\s*[-\u2013\u2014]"),
    re.compile(r"^[^\W\d_][^\n]{0,40}?\d{1,2}(?:\s+[^\W\d_]+\.?)?\s+[-\u2013\u2014]\s+([^\W\d_][^\n.,:]{1,30})[.:]"),
]
DATELINE_LINES = 3  # the first lines of the body (after the headline) that may hold the dateline


def outlet_from_dateline(registry: Registry, text: str) -> Optional[OutletRating]:
    """The outlet whose agency signature opens the story, rated, when the registry knows it as media; else None."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][: DATELINE_LINES + 1]
    for line in lines:
        for pattern in SIGNATURES:
            for match in pattern.finditer(line[:200]):
                actor = registry.media_named(match.group(1)) or owned_outlets()[1].get(match.group(1).strip().casefold())
                if actor is not None:
                    rating = rate_outlet(registry, actor.name)
                    return rating.model_copy(update={"inferred": True, "description": rating.description + " (outlet read from the dateline)"})
    return None
