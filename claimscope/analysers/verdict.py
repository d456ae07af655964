"""Corroboration and risk per claim, and the article's one-sentence verdict with its counts.

A claim rests on a chain of sources: its speaker, the relays it came through ("Tass quoted
the statement as saying") and the outlet that published the article. It is flagged when it
rests only on high-risk sources (a high-risk speaker; or, when the speaker is not rated, a
high-risk relay or outlet) and no independent source in the text says the same.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from rapidfuzz import fuzz

from ..document import Document
from ..resources.outlets import REGISTRY
from ..pipeline import component
from ..records import Claim, OutletRating, SourceRating, Verdict
from ..resources.registry import Registry

WARNING_PATTERN = re.compile(
    r"information war|propaganda|disinformation|not (?:be )?authentic|fake|cannot be (?:independently )?verified|"
    r"could not (?:be )?(?:independently )?verif|unverified|misinformation|information operation|without (?:providing |citing |offering )?(?:any )?evidence",
    re.I,
)


def _independent(a: Claim, b: Claim) -> bool:
    """b is an independent source for a: another speaker, not of the same affiliation, not high risk."""
    if a.speaker_resolved == b.speaker_resolved:
        return False
    if b.actor is not None and (b.actor.risk == "high" or (a.actor and b.actor.affiliation and b.actor.affiliation == a.actor.affiliation)):
        return False
    return True


def rests_on(claim: Claim, registry: Optional[Registry], outlet: Optional[OutletRating], when=None) -> list[SourceRating]:
    chain: list[SourceRating] = []
    if claim.actor is not None:
        chain.append(SourceRating(role="speaker", name=claim.actor.name, risk=claim.actor.risk, rated_by=REGISTRY))
    elif claim.speaker_resolved:
        chain.append(SourceRating(role="speaker", name=claim.speaker_resolved, risk="unknown"))
    for relay in claim.via:
        actor = registry.match(relay, when) if registry is not None else None
        chain.append(SourceRating(role="relay", name=actor.name if actor else relay, risk=actor.risk if actor else "unknown", rated_by=REGISTRY if actor else None))
    if outlet is not None:
        chain.append(SourceRating(role="outlet", name=outlet.label, risk=outlet.risk, rated_by=", ".join(outlet.rated_by) or None))
    return chain


def high_risk_only(chain: list[SourceRating]) -> bool:
    speaker = next((s for s in chain if s.role == "speaker"), None)
    if speaker is not None and speaker.risk != "unknown":
        return speaker.risk == "high"
    return any(s.risk == "high" for s in chain if s.role != "speaker")


@component("verdict", requires=["claims", "hedges", "registry", "outlet"], assigns=["verdict"], settings={"same_claim_score": 70})
def verdict(document: Document, settings: dict) -> None:
    analysis = document.analysis
    when = analysis.article.published or analysis.published_inferred
    claims = [c for c in analysis.claims if c.speaker_resolved]
    for claim in analysis.claims:
        claim.rests_on = rests_on(claim, document.registry, document.outlet, when)
    for claim in claims:
        supporters = [
            other.speaker_resolved
            for other in claims
            if other is not claim and _independent(claim, other)
            and fuzz.token_sort_ratio(claim.content.text, other.content.text) >= settings["same_claim_score"]
        ]
        claim.corroborating_speakers = sorted(set(supporters))
        claim.corroboration = "corroborated" if supporters else "uncorroborated"
        claim.risk_flag = not supporters and high_risk_only(claim.rests_on)

    speakers = Counter(c.speaker_resolved for c in claims)
    high = sorted({c.speaker_resolved for c in claims if c.actor and c.actor.risk == "high"})
    flagged = sum(c.risk_flag for c in claims)
    corroborated = sum(c.corroboration == "corroborated" for c in claims)
    warnings = [s.text for s in analysis.sentences if s.voice == "outlet" and WARNING_PATTERN.search(s.text)]
    outlet = document.outlet
    if not claims:
        sentence = "No attributed claims were found; everything in the text is the outlet's own assertion"
    else:
        sentence = (
            f"{flagged} of {len(claims)} attributed claims rest only on high-risk sources "
            f"and {corroborated} {'is' if corroborated == 1 else 'are'} corroborated by an independent source in the text"
        )
        if high:
            who = "; ".join(f"{name}, {_describe(claims, name)} ({speakers[name]} claim{'s' if speakers[name] > 1 else ''})" for name in high)
            sentence += f"; high-risk speakers: {who}"
    sentence += f"; the outlet, {outlet.label}, is {outlet.description}" if outlet is not None else "; the outlet is not known (give it with --source)"
    if warnings:
        sentence += f"; the outlet itself warns that such reports may not be reliable (\u201c{warnings[0]}\u201d)"
    sentence += "."
    analysis.verdict = Verdict(
        sentence=sentence,
        outlet=outlet,
        claims=len(claims),
        claims_high_risk_only=flagged,
        claims_corroborated=corroborated,
        speakers=dict(speakers),
        high_risk_speakers=high,
        outlet_warnings=warnings,
    )


def _describe(claims: list[Claim], name: str) -> str:
    actor = next(c.actor for c in claims if c.speaker_resolved == name and c.actor)
    return f"{actor.role or actor.kind} of {actor.country}" if actor.country else actor.role or actor.kind
