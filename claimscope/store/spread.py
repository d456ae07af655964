"""How a claim travels across outlets: each stored claim's presentation, and per cluster its origin,
the outlets and languages in order of appearance, the relay chain, independent corroboration and
whether the claim was laundered.

Presentation is what the reader of one article sees of the claim's source:
- ``attributed``: the speaker is named ("the ministry said");
- ``relayed``: the speaker is given through an intermediary ("TASS quoted the ministry as saying");
- ``vague``: the source is unnamed or generic ("reports say", "according to media", "sources");
- ``outlet_voice``: the outlet asserts the content in its own voice, and the sentence joined a cluster
  whose other members attribute it (EUvsDisinfo's "laundering" reads these).

A cluster is **laundered** when its origin (the earliest member that names a source) rests on a
high-risk source and a member in another outlet presents it as vague or in the outlet's voice: the
reader there no longer sees whose claim it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any, Optional

from ..records import Actor, Analysis, Claim

# Head words of a source that names no one: reports, media, sources (English and Russian).
GENERIC_SOURCES = {"report", "reports", "media", "source", "sources", "press", "outlets", "reportedly", "rumours", "rumors",
                   "сми", "источник", "источники", "источников", "источника", "сообщения", "сообщениям", "данным", "данные", "слухи"}
STATE_SECTORS = {"GOV", "MIL", "SPY", "COP", "JUD", "LEG"}
MIN_ASSERTION_WORDS = 6  # shorter outlet sentences (section labels, datelines) are never matched to a claim


def presentation_of(claim: Claim) -> str:
    """attributed, relayed or vague: how an article presents one of its claims (outlet_voice rows come from clustering)."""
    words = set(re.findall(r"\w+", (claim.speaker.text if claim.speaker else "").lower()))
    if claim.speaker_status in {"unnamed", "none"} or (words and words <= GENERIC_SOURCES | {"the", "some", "several", "many", "other", "according", "to", "by", "in"}):
        return "vague"
    if claim.via:
        return "relayed"
    return "attributed"


def source_group(actor: Optional[Actor], speaker: Optional[str]) -> Optional[str]:
    """Whose side a source is on, for counting independent corroboration: a state body or official, or a high-risk
    (state) outlet, stands for its country's state ("state:Russia"); any other registry entry for its affiliation
    or itself; an entity the registry does not know for its own name."""
    if actor is None:
        return speaker
    sector = (actor.code or "")[3:6]
    if actor.country and (sector in STATE_SECTORS or (actor.kind == "media" and actor.risk == "high")):
        return f"state:{actor.country}"
    return actor.affiliation or actor.name


def outlet_sentences(analysis: Analysis) -> list[tuple[int, int, str]]:
    """The sentences an article asserts in its own voice (no claim or other attribution in them), long enough to carry a claim."""
    reported = {k for claim in [*analysis.claims, *analysis.other_attributions] for k in claim.sentences}
    return [(s.start, s.end, s.text) for s in analysis.sentences
            if s.voice == "outlet" and s.index not in reported and len(re.findall(r"\w+", s.text)) >= MIN_ASSERTION_WORDS]


def cluster_spread(members: Iterable[Any]) -> dict[str, Any]:
    """The spread columns of one cluster from its members (rows with article_id, published, outlet, language,
    presentation, speaker_resolved, via, actor_risk, outlet_risk, source_group, id), in order of appearance."""
    ordered = sorted(members, key=lambda m: (m.published or date.max, m.article_id, m.id))
    if not ordered:
        return {}
    named = [m for m in ordered if m.presentation in {"attributed", "relayed"}]
    origin = named[0] if named else ordered[0]
    outlets = list(dict.fromkeys(m.outlet or "unknown outlet" for m in ordered))
    languages = list(dict.fromkeys(m.language or "en" for m in ordered))
    chain = []
    for m in ordered:
        if m.presentation == "relayed" and m.via:
            link = {"outlet": m.outlet, "cites": m.via, "speaker": m.speaker_resolved, "published": m.published.isoformat() if m.published else None}
            if link not in chain:
                chain.append(link)
    origin_group = origin.source_group or origin.speaker_resolved
    independent = {m.source_group or m.speaker_resolved for m in named} - {origin_group, None}
    high_risk_origin = origin.actor_risk == "high" or (origin.presentation != "attributed" and origin.outlet_risk == "high")
    unsourced_elsewhere = [m for m in ordered if m.presentation in {"vague", "outlet_voice"} and m.outlet != origin.outlet]
    return {
        "origin_article_id": origin.article_id,
        "origin_speaker": origin.speaker_resolved if origin.presentation in {"attributed", "relayed"} else None,
        "origin_outlet": origin.outlet,
        "first_seen": min((m.published for m in ordered if m.published), default=None),
        "laundered": bool(high_risk_origin and unsourced_elsewhere),
        "spread": {"outlets": outlets, "languages": languages, "relay_chain": chain,
                   "independent_corroboration": len(independent), "independent_sources": sorted(independent),
                   "presentations": {p: sum(m.presentation == p for m in ordered) for p in ("attributed", "relayed", "vague", "outlet_voice")}},
    }
