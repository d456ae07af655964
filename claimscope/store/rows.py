"""What the store's read queries return: typed rows, so that the REST API documents every response and the
pages read named fields."""
from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any, Optional

from pydantic import BaseModel, Field


class ArticleRow(BaseModel):
    """An article as listed: where it came from, when, and how its outlet is rated."""

    id: int
    input: str
    title: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = Field(None, description="The outlet as given, or read from the dateline.")
    published: Optional[date] = None
    duplicate_of: Optional[int] = Field(None, description="The article this one reprints (near-duplicate text).")
    verdict: Optional[str] = None
    outlet_risk: Optional[str] = None
    outlet_rating: Optional[str] = None
    language: Optional[str] = None


class StoredArticle(ArticleRow):
    """An article with its text and its whole analysis (the JSON of `claimscope analyze --format json`)."""

    text: str
    site: Optional[str] = None
    content_hash: str
    ingested_at: datetime
    analysis: dict[str, Any]


class ClaimRow(BaseModel):
    """A stored claim with its article's title, URL and outlet rating."""

    id: int
    article_id: int
    claim_key: str
    speaker: Optional[str] = None
    speaker_resolved: Optional[str] = None
    actor_id: Optional[str] = None
    actor_risk: Optional[str] = None
    cue: Optional[str] = None
    cue_class: Optional[str] = None
    kind: Optional[str] = None
    content: str
    hedges: Optional[str] = None
    risk_flag: bool
    checkworthiness: Optional[float] = None
    published: Optional[date] = None
    outlet: Optional[str] = None
    outlet_risk: Optional[str] = None
    via: Optional[str] = None
    language: Optional[str] = None
    cluster_id: Optional[int] = None
    presentation: Optional[str] = Field(None, description="attributed | relayed | vague | outlet_voice")
    sentence: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    outlet_rating: Optional[str] = None


class ArticleHit(BaseModel):
    id: int
    title: Optional[str] = None
    source: Optional[str] = None
    published: Optional[date] = None


class SearchResult(BaseModel):
    articles: list[ArticleHit]
    claims: list[ClaimRow]


class RelayLink(BaseModel):
    """One link of a relay chain: ``outlet`` cites ``cites`` for ``speaker``'s claim."""

    outlet: Optional[str] = None
    cites: Optional[str] = None
    speaker: Optional[str] = None
    published: Optional[str] = None


class FirstSighting(BaseModel):
    where: str = Field(description="'language / outlet'")
    first_seen: date


class ClusterSummary(BaseModel):
    """The same claim across articles: where it started, how it travelled, who corroborates it, whether it was laundered."""

    cluster_id: int
    label: str
    first_seen: Optional[date] = None
    claims: int
    origin_article_id: Optional[int] = None
    origin_speaker: Optional[str] = None
    origin_outlet: Optional[str] = None
    laundered: bool = False
    outlets: list[str] = Field(default_factory=list, description="In order of appearance.")
    languages: list[str] = Field(default_factory=list, description="In order of appearance.")
    relay_chain: list[RelayLink] = Field(default_factory=list)
    independent_corroboration: int = Field(0, description="Distinct sources not on the origin's side (a state's bodies and media are one side).")
    presentations: dict[str, int] = Field(default_factory=dict)
    speakers: list[str] = Field(default_factory=list)
    first_seen_by: list[FirstSighting] = Field(default_factory=list)


class ClusterMember(BaseModel):
    id: int
    article_id: int
    published: Optional[date] = None
    outlet: Optional[str] = None
    outlet_risk: Optional[str] = None
    presentation: Optional[str] = None
    speaker_resolved: Optional[str] = None
    actor_risk: Optional[str] = None
    via: Optional[str] = None
    sentence: Optional[str] = None
    content: str
    language: Optional[str] = None
    title: Optional[str] = None


class ClusterDetail(BaseModel):
    """One cluster with its members in order of appearance (the narrative page)."""

    cluster_id: int
    label: str
    size: int
    origin_article_id: Optional[int] = None
    origin_speaker: Optional[str] = None
    origin_outlet: Optional[str] = None
    first_seen: Optional[date] = None
    last_seen: Optional[date] = None
    laundered: bool = False
    outlets: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    relay_chain: list[RelayLink] = Field(default_factory=list)
    independent_corroboration: int = 0
    independent_sources: list[str] = Field(default_factory=list)
    members: list[ClusterMember] = Field(default_factory=list)


class TimelinePoint(BaseModel):
    date: Optional[dt.date] = None
    claims: int


class SpeakerCount(BaseModel):
    speaker: str
    claims: int
