"""Typed records that cross layers: what ingest produces and what analysers add.

Every span carries character offsets into ``Article.text`` (end exclusive), so
any consumer can highlight it without re-tokenising.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, Field

SCHEMA_VERSION = "1.0"


class Article(BaseModel):
    """One input article as ingest found it, before any analysis."""

    id: str = Field(description="Stable id: the input path or URL, plus a line number for JSONL.")
    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    author: Optional[str] = None
    site: Optional[str] = None
    source: Optional[str] = Field(None, description="Outlet name as given by the input.")


class Span(BaseModel):
    start: int
    end: int
    text: str


class Sentence(Span):
    index: int
    paragraph: int
    voice: Literal["outlet", "reported", "mixed"] = "outlet"
    hedged: bool = False
    checkworthiness: Optional[float] = None


class Entity(Span):
    label: str


class Actor(BaseModel):
    """An entry of the actor/source registry."""

    id: str
    name: str
    kind: Literal["person", "organisation", "media", "document", "other"] = "person"
    country: Optional[str] = None
    role: Optional[str] = None
    affiliation: Optional[str] = None
    risk: Literal["high", "medium", "low", "unknown"] = "unknown"
    aliases: list[str] = Field(default_factory=list)
    note: Optional[str] = None


class Hedge(Span):
    kind: Literal["hedge", "modal", "distancing", "conditional", "scare_quote"]
    sentence: int


class Claim(BaseModel):
    """A reported statement: who (speaker) says (cue) what (content)."""

    id: str
    speaker: Optional[Span] = None
    speaker_resolved: Optional[str] = Field(None, description="Canonical name the speaker refers to.")
    actor: Optional[Actor] = None
    cue: Optional[Span] = None
    cue_class: str = "neutral"
    content: Span
    kind: Literal["direct", "indirect", "mixed", "according_to", "parenthetical", "quoted_phrase"]
    sentences: list[int] = Field(default_factory=list)
    hedges: list[str] = Field(default_factory=list)
    scare_quotes: list[str] = Field(default_factory=list)
    conditional: bool = False
    corroboration: Literal["corroborated", "uncorroborated"] = "uncorroborated"
    corroborating_speakers: list[str] = Field(default_factory=list)
    risk_flag: bool = False
    checkworthiness: Optional[float] = None


class Technique(Span):
    technique: str
    confidence: float
    voice: Literal["outlet", "quoted"] = "outlet"
    method: str = "model"


class Quantity(Span):
    value: float
    unit: str
    normalized_value: Optional[float] = None
    normalized_unit: Optional[str] = None


class DateMention(Span):
    value: str = Field(description="ISO date, or YYYY-MM / YYYY at coarser resolution.")
    resolution: Literal["day", "month", "year"]
    inferred: bool = Field(False, description="True when the year was not written and was inferred.")


class Weapon(Span):
    name: str
    designation: Optional[str] = None
    category: Optional[str] = None
    origin: Optional[str] = None


class Event(BaseModel):
    """Who did what to whom, where, when, with what; coded to CAMEO and PLOVER."""

    id: str
    sentence: int
    trigger: Span
    actor: Optional[str] = None
    action: str
    target: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = Field(None, description="When it happened, if the sentence says.")
    reported: Optional[str] = Field(None, description="Publication date (given or inferred): when it was reported.")
    negated: bool = False
    instruments: list[str] = Field(default_factory=list)
    cameo_code: str
    cameo_label: str
    quad_class: int
    goldstein: float
    plover: str
    claim_id: Optional[str] = Field(None, description="The claim this event is reported in; None when the outlet asserts it.")
    attributed_to: Optional[str] = None


class Verdict(BaseModel):
    sentence: str
    claims: int
    claims_high_risk_only: int
    claims_corroborated: int
    speakers: dict[str, int]
    high_risk_speakers: list[str]
    outlet_warnings: list[str]


class Analysis(BaseModel):
    """Everything claimscope reports on one article; the JSON output is this."""

    schema_version: str = SCHEMA_VERSION
    article: Article
    published_inferred: Optional[date] = None
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    hedges: list[Hedge] = Field(default_factory=list)
    techniques: list[Technique] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    weapons: list[Weapon] = Field(default_factory=list)
    verdict: Optional[Verdict] = None


class InputError(BaseModel):
    """An input that could not be analysed, and why; batch runs report and go on."""

    input: str
    reason: str
