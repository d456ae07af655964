"""Corroboration and risk per claim, and the article's one-sentence verdict with its counts."""
from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from ..document import Document
from ..pipeline import component
from ..records import Claim, Verdict

WARNING_PATTERN = re.compile(
    r"information war|propaganda|disinformation|not (?:be )?authentic|fake|cannot be (?:independently )?verified|"
    r"could not (?:be )?(?:independently )?verif|unverified|misinformation|information operation",
    re.I,
)
SAME_CLAIM_SCORE = 70


def _independent(a: Claim, b: Claim) -> bool:
    """b is an independent source for a: another speaker, not of the same affiliation or high risk."""
    if a.speaker_resolved == b.speaker_resolved:
        return False
    if b.actor is not None and (b.actor.risk == "high" or (a.actor and b.actor.affiliation and b.actor.affiliation == a.actor.affiliation)):
        return False
    return True


@component("verdict")
def verdict(document: Document) -> None:
    analysis = document.analysis
    claims = [c for c in analysis.claims if c.speaker_resolved]
    for claim in claims:
        supporters = [
            other.speaker_resolved
            for other in claims
            if other is not claim and _independent(claim, other)
            and fuzz.token_sort_ratio(claim.content.text, other.content.text) >= SAME_CLAIM_SCORE
        ]
        claim.corroborating_speakers = sorted(set(supporters))
        claim.corroboration = "corroborated" if supporters else "uncorroborated"
        claim.risk_flag = bool(claim.actor and claim.actor.risk == "high" and not supporters)

    speakers = Counter(c.speaker_resolved for c in claims)
    high = sorted({c.speaker_resolved for c in claims if c.actor and c.actor.risk == "high"})
    flagged = sum(c.risk_flag for c in claims)
    corroborated = sum(c.corroboration == "corroborated" for c in claims)
    warnings = [s.text for s in analysis.sentences if s.voice == "outlet" and WARNING_PATTERN.search(s.text)]
    if not claims:
        sentence = "No attributed claims were found; everything in the text is the outlet's own assertion."
    else:
        who = ", ".join(f"{name} ({_describe(claims, name)}, {speakers[name]})" for name in high) or "none"
        sentence = (
            f"{flagged} of {len(claims)} attributed claims rest only on high-risk sources ({who}) "
            f"and {corroborated} {'is' if corroborated == 1 else 'are'} corroborated by an independent source in the text"
        )
        if warnings:
            sentence += f"; the outlet itself warns that such reports may not be reliable (\u201c{warnings[0]}\u201d)"
        sentence += "."
    analysis.verdict = Verdict(
        sentence=sentence,
        claims=len(claims),
        claims_high_risk_only=flagged,
        claims_corroborated=corroborated,
        speakers=dict(speakers),
        high_risk_speakers=high,
        outlet_warnings=warnings,
    )


def _describe(claims: list[Claim], name: str) -> str:
    actor = next(c.actor for c in claims if c.speaker_resolved == name and c.actor)
    return " ".join(part for part in (actor.country, actor.role) if part) or actor.kind
