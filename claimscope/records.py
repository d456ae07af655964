"""Typed records that cross layers: what ingest produces and what analysers add.

Every span carries character offsets into ``Article.text`` (end exclusive), so
any consumer can highlight it without re-tokenising.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, Field

SCHEMA_VERSION = "2.1"


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


Risk = Literal["high", "medium", "low", "unknown"]


class Actor(BaseModel):
    """An entry of the actor/source registry."""

    id: str
    name: str
    kind: Literal["person", "organisation", "media", "document", "other"] = "person"
    country: Optional[str] = None
    role: Optional[str] = None
    affiliation: Optional[str] = None
    risk: Risk = "unknown"
    aliases: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list, description="Web domains of an outlet (media entries).")
    code: Optional[str] = Field(None, description="CAMEO-style actor code: ISO-3 country plus sector (RUSGOV, UKRMIL) or IGO/NGO/MED codes.")
    valid_from: Optional[date] = Field(None, description="First day the role holds (for dated roles such as a head of state).")
    valid_until: Optional[date] = None
    note: Optional[str] = None


class OutletRating(BaseModel):
    """How the outlet that published the article is rated, and by which list."""

    name: Optional[str] = Field(None, description="The outlet as given (name, domain or URL).")
    label: str = Field(description="The outlet as reported: registry name and/or domain.")
    domain: Optional[str] = None
    risk: Risk = Field("unknown", description="high: rated fake/unreliable/conspiracy or a state outlet of a state running information operations; unknown when no list rates it.")
    category: Optional[str] = Field(None, description="CRED-1 category (fake, conspiracy, unreliable, rumor, satire, mixed, reliable).")
    credibility: Optional[float] = Field(None, description="CRED-1 credibility score, 0-1.")
    actor: Optional[Actor] = Field(None, description="The registry entry of the outlet, if any.")
    rated_by: list[str] = Field(default_factory=list, description="The lists that rate it: 'CRED-1', 'claimscope registry'.")
    description: str = Field(description="One plain phrase: how the outlet is rated and by which list ('rated unreliable (credibility 0.11) by CRED-1 and ...').")
    inferred: bool = Field(False, description="True when no outlet was given and it was read from the text's dateline ('MOSCOW, May 3 /TASS/', 'KYIV (Reuters) -').")


class SourceRating(BaseModel):
    """One source a claim rests on (its speaker, a relay, the outlet) and how it is rated."""

    role: Literal["speaker", "relay", "outlet"]
    name: str
    risk: Risk
    rated_by: Optional[str] = None


class Hedge(Span):
    """A sign of epistemic status and whose it is: the outlet's (it keeps its distance) or the speaker's (their own modality or words)."""

    kind: Literal["hedge", "modal", "distancing", "conditional", "scare_quote", "partial_quote"] = Field(
        description="hedge: epistemic adverb/adjective ('allegedly', 'likely'); modal ('may'); conditional ('if'); distancing: a distancing cue "
        "('claimed') or an evaluative frame ('false claims', 'without evidence'); scare_quote: the outlet's quotation marks around a term; "
        "partial_quote: a quotation of the speaker's own words.")
    owner: Literal["outlet", "speaker"] = Field("outlet", description="Whose doubt it is: the outlet's, or the speaker's own.")
    sentence: int


class Claim(BaseModel):
    """A reported statement: who (speaker) says (cue) what (content)."""

    id: str
    speaker: Optional[Span] = Field(None, description="The words that name the source (a name, a pronoun, a description).")
    speaker_resolved: Optional[str] = Field(None, description="Canonical name of the entity the speaker refers to; null when unresolved.")
    speaker_status: Literal["resolved", "unnamed", "unresolved", "implicit", "none"] = Field(
        "none", description="resolved: speaker_resolved names the entity; unnamed: an unnamed source the text describes ('a senior official'), "
        "speaker_resolved is that description; unresolved: the words name no entity the article or registry knows; "
        "implicit: no source in the text, taken from the running attribution (\"It is emphasized that ...\"); none: no source at all.")
    actor: Optional[Actor] = None
    cue: Optional[Span] = None
    cue_class: str = "neutral"
    via: list[str] = Field(default_factory=list, description="Sources that relay the speaker's claim, canonical names, nearest the speaker first ('Tass quoted the statement as saying').")
    via_spans: list[Span] = Field(default_factory=list, description="The words that name each relay.")
    content: Span = Field(description="What is claimed. start/end cover it whole; when the claim's own speaker or cue interrupts it "
                        "('\"A,\" she said. \"B.\"'), text is its pieces (content_parts) joined by a space, without the interruption.")
    content_parts: list[Span] = Field(default_factory=list, description="The content's pieces when the claim's own speaker, cue or relay interrupts it; "
                                      "empty when the content is one piece.")
    kind: Literal["direct", "indirect", "mixed", "according_to", "parenthetical", "quoted_phrase", "nominal", "nested"]
    headline: bool = Field(False, description="Made in the headline, marked by punctuation or a headline verb.")
    sentences: list[int] = Field(default_factory=list)
    hedges: list[str] = Field(default_factory=list, description="The outlet's hedges and distancing on this claim (see Analysis.hedges for kinds).")
    speaker_hedges: list[str] = Field(default_factory=list, description="The speaker's own hedges, modals and conditions inside the content.")
    scare_quotes: list[str] = Field(default_factory=list, description="The outlet's scare quotes inside the content.")
    conditional: bool = False
    corroboration: Literal["corroborated", "uncorroborated"] = "uncorroborated"
    corroborating_speakers: list[str] = Field(default_factory=list)
    rests_on: list[SourceRating] = Field(default_factory=list, description="The sources the claim rests on, with their ratings.")
    risk_flag: bool = Field(False, description="True when the claim rests only on high-risk sources and nothing independent in the text corroborates it.")
    checkworthiness: Optional[float] = None

    def content_ranges(self) -> list[tuple[int, int]]:
        """Character ranges of what is claimed: its pieces, or the whole content span."""
        return [(p.start, p.end) for p in self.content_parts] or [(self.content.start, self.content.end)]


class Technique(Span):
    technique: str
    confidence: float
    threshold: Optional[float] = Field(None, description="The confidence this technique's spans need to be shown by default: the lowest at which "
                                       "its spans reach precision 0.6 on PTC dev (scripts/calibrate_techniques.py); above 1 when none does.")
    voice: Literal["outlet", "quoted"] = "outlet"
    method: str = "model"


class Quantity(Span):
    value: float
    unit: str
    normalized_value: Optional[float] = None
    normalized_unit: Optional[str] = None


class DateMention(Span):
    value: str = Field(description="ISO date, or YYYY-MM / YYYY at coarser resolution; --MM-DD / --MM when the text gives no year to read it by.")
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
    actor: Optional[str] = Field(None, description="Who did it (the source actor), by name.")
    actor_code: Optional[str] = Field(None, description="Source actor code: ISO-3 country (RUS), or IGO/NGO/MED..., from the registry and PETRARCH2's actor dictionaries.")
    actor_sector: Optional[str] = Field(None, description="Source sector: GOV, MIL, REB, SPY, MED, COP... (or the IGO's sub-code).")
    action: str
    target: Optional[str] = None
    target_code: Optional[str] = None
    target_sector: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = Field(None, description="When it happened, if the sentence says.")
    reported: Optional[str] = Field(None, description="Publication date (given or inferred): when it was reported.")
    negated: bool = Field(False, description="The text says it did not happen ('troops did not attack'): never exported as that event.")
    mode: Literal["observed", "hypothetical", "negated", "alleged"] = Field(
        "observed", description="observed: presented as having happened (by the outlet, or inside a claim: see claim_id); hypothetical: planned, "
        "conditional or future; negated: the text says it did not happen, or that there is no evidence of it; alleged: the outlet presents it as "
        "unsupported ('the alleged build-up', 'allegedly attacked'). Only observed events are in Analysis.events.")
    nominal: bool = Field(False, description="Reported by a noun ('a drone attack') rather than a verb.")
    instruments: list[str] = Field(default_factory=list)
    cameo_code: str
    cameo_label: str
    quad_class: int
    goldstein: float
    plover: str
    plover_mode: Optional[str] = None
    claim_id: Optional[str] = Field(None, description="The claim this event is reported in (claimed by its speaker, not observed); None when the outlet asserts it.")
    attributed_to: Optional[str] = Field(None, description="The speaker who claims it.")


class Verdict(BaseModel):
    sentence: str
    outlet: Optional[OutletRating] = None
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
    language: Optional[str] = Field(None, description="ISO 639-1 code of the language the article was analysed in.")
    outlet: Optional[OutletRating] = None
    published_inferred: Optional[date] = None
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    other_attributions: list[Claim] = Field(default_factory=list, description="Attributions that are not claims of their own: beliefs and perceptions ('officials believe'), and attributions nested inside another speaker's words.")
    hedges: list[Hedge] = Field(default_factory=list)
    techniques: list[Technique] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list, description="Events presented as having happened, by the outlet or inside a claim (claim_id).")
    unrealised_events: list[Event] = Field(default_factory=list, description="Events the text mentions but does not present as having happened: "
                                           "negated, hypothetical (planned, conditional, future) or alleged without support (mode says which).")
    quantities: list[Quantity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    weapons: list[Weapon] = Field(default_factory=list)
    verdict: Optional[Verdict] = None
    not_analysed: list[str] = Field(default_factory=list, description="Analyses this article did not get, and why (e.g. persuasion techniques on a Russian article: the models are trained on English text).")

    def claim_sentence(self, claim: Claim) -> str:
        """The sentence(s) that carry a claim, as one string (its content when they are not known)."""
        chosen = [self.sentences[k] for k in claim.sentences if 0 <= k < len(self.sentences)]
        if not chosen:
            return claim.content.text
        return self.article.text[min(s.start for s in chosen): max(s.end for s in chosen)].strip()


class InputError(BaseModel):
    """An input that could not be analysed, and why; batch runs report and go on."""

    input: str
    reason: str
