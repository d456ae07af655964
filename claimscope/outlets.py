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
from .records import Actor, OutletRating, Risk
from .registry import Registry

CRED1_FILE = DATA / "cred1.csv"
CRED1 = "CRED-1"
REGISTRY = "claimscope registry"
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


def _cred1_lookup(domain: str) -> Optional[tuple[str, str, float]]:
    """(listed domain, category, score) for the domain or the nearest parent domain CRED-1 lists."""
    table = cred1()
    parts = domain.split(".")
    for first in range(len(parts) - 1):
        candidate = ".".join(parts[first:])
        if candidate in table:
            return (candidate, *table[candidate])
    return None


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
        actor = registry.match_domain(domain)
    for name in (source, site):
        if actor is None and name and not domain_of(name):
            found = registry.match(name)
            actor = found if found is not None and found.kind == "media" else None
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
        rated_by.append(REGISTRY)
        where = f"{actor.country}, " if actor.country else ""
        parts.append(f"listed in the {REGISTRY} as {actor.role or actor.kind} ({where}{actor.risk} risk)")
        if RANK[actor.risk] > RANK[risk]:
            risk = actor.risk
    name = actor.name if actor is not None else source.strip() if source and not domain_of(source) else None
    label = name or domain or given.strip()
    if domain and name and domain not in label.lower():
        label = f"{label} ({domain})"
    description = " and ".join(parts) if parts else f"not rated by {CRED1} or the {REGISTRY} (unknown)"
    return OutletRating(name=given.strip(), label=label, domain=domain, risk=risk, category=category, credibility=credibility,
                        actor=actor, rated_by=rated_by, description=description)
