"""Normalisation: dates resolved against the publication date (or inferred from the text),
quantities converted to metric, weapon systems recognised from a lexicon."""
from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Optional

import dateparser

from ..document import Document
from ..languages import resources
from ..resources.lexicons import rows, weapons
from ..pipeline import component
from ..records import DateMention, Quantity, Weapon

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
ORDINALS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
    "sixteenth seventeenth eighteenth nineteenth twentieth".split(), start=1)}
ORDINALS.update({"twenty-fifth": 25, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
                 "seventy-fifth": 75, "eightieth": 80, "ninetieth": 90, "hundredth": 100})
ANNIVERSARY = re.compile(r"\b(\d+(?:st|nd|rd|th)|" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r") anniversary of ([^.,;:!?]+)", re.I)

# unit word -> (canonical unit, metric unit, factor)
UNITS = {
    "mile": ("mi", "km", 1.609344), "miles": ("mi", "km", 1.609344),
    "km": ("km", "km", 1.0), "kilometre": ("km", "km", 1.0), "kilometres": ("km", "km", 1.0),
    "kilometer": ("km", "km", 1.0), "kilometers": ("km", "km", 1.0),
    "metre": ("m", "m", 1.0), "metres": ("m", "m", 1.0), "meter": ("m", "m", 1.0), "meters": ("m", "m", 1.0),
    "foot": ("ft", "m", 0.3048), "feet": ("ft", "m", 0.3048),
    "ton": ("t", "t", 1.0), "tons": ("t", "t", 1.0), "tonne": ("t", "t", 1.0), "tonnes": ("t", "t", 1.0),
    "kg": ("kg", "kg", 1.0), "kilograms": ("kg", "kg", 1.0), "pounds": ("lb", "kg", 0.45359237),
    "lb": ("lb", "kg", 0.45359237), "nautical": ("nmi", "km", 1.852),
}
QUANTITY = re.compile(r"\b(\d[\d,]*(?:\.\d+)?)\s*(?:-\s*)?(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\b", re.I)


def _date_spans(document: Document) -> list[tuple[int, int]]:
    """Where the text gives dates: the language's date pattern, or else the parser's DATE entities, with adjacent ones
    ('Wednesday', '3 July') merged."""
    pattern = resources(document.language).DATE_PATTERN
    if pattern is not None:
        return [(m.start(), m.end()) for m in pattern.finditer(document.text)]
    spans: list[list[int]] = []
    for ent in document.doc.ents:
        if ent.label_ != "DATE":
            continue
        if spans and document.text[spans[-1][1] : ent.start_char].strip(" ,") == "":
            spans[-1][1] = ent.end_char
        else:
            spans.append([ent.start_char, ent.end_char])
    return [(s, e) for s, e in spans]


@functools.cache
def _anniversaries() -> list[tuple[re.Pattern, int]]:
    return [(re.compile(r[0], re.I), int(r[1])) for r in rows("anniversaries.tsv")]


def anniversary_years(text: str) -> list[int]:
    """Years given by "Nth anniversary of <event>" for the commemorated events in data/anniversaries.tsv;
    an event phrase that names its own year ("the 1986 disaster") gives that year plus N."""
    years = []
    for match in ANNIVERSARY.finditer(text):
        ordinal = match.group(1).lower()
        count = int(re.sub(r"\D", "", ordinal)) if ordinal[0].isdigit() else ORDINALS[ordinal]
        subject = match.group(2)
        written = YEAR.search(subject)
        if written:
            years.append(int(written.group(1)) + count)
            continue
        for pattern, year in _anniversaries():
            if pattern.search(subject):
                years.append(year + count)
                break
    return years


def _resolution(text: str, months: set[str]) -> Optional[str]:
    words = re.findall(r"[^\W\d_]+|\d+", text.lower())
    has_month = any(w in months for w in words)
    has_day = any(w.isdigit() and len(w) <= 2 for w in words)
    if has_month and has_day:
        return "day"
    if has_month:
        return "month"
    if YEAR.search(text):
        return "year"
    return None


def _candidate_years(text: str, published: Optional[date]) -> list[int]:
    """Years the article could be from: anniversaries first, then the years it mentions."""
    found = anniversary_years(text) + sorted({int(y) for y in YEAR.findall(text)}, reverse=True)
    return [published.year] if published else found


def resolve_date(text: str, published: Optional[date], years: list[int], language: Optional[str] = "en") -> Optional[tuple[str, str, bool]]:
    """(value, resolution, inferred) for a date expression in ``language``, or None if it is not a calendar date. A day
    or month without a year, in an article that gives no year to read it by, stays without one ("--08-13", ISO 8601's
    form for a date of unknown year): it is never given the current year."""
    words = resources(language)
    resolution = _resolution(text, words.MONTHS)
    if resolution is None:
        return None
    written_year = YEAR.search(text)
    inferred = written_year is None
    settings = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    weekdays = words.WEEKDAYS
    weekday = next((d for d in weekdays if d in text.lower()), None)
    cleaned = re.sub(r"\b(" + "|".join(weekdays) + r")\b,?", "", text, flags=re.I).strip(" ,") if weekdays else text.strip(" ,")
    cleaned = words.DATE_PREFIXES.sub("", cleaned)
    yearless = not written_year and not published and not years
    candidates = [cleaned] if written_year or not years else [f"{cleaned} {y}" for y in years]
    parsed = None
    for candidate in candidates:
        value = dateparser.parse(candidate, languages=[words.DATE_LANGUAGE], settings=settings)
        if value is None:
            continue
        if weekday and resolution == "day" and weekdays[value.weekday()] != weekday and not yearless:
            continue
        parsed = value
        break
    if parsed is None:
        return None
    if yearless and resolution in {"day", "month"}:
        return {"day": parsed.strftime("--%m-%d"), "month": parsed.strftime("--%m")}[resolution], resolution, False
    value = {"day": parsed.strftime("%Y-%m-%d"), "month": parsed.strftime("%Y-%m"), "year": parsed.strftime("%Y")}[resolution]
    return value, resolution, inferred and not published


@component("normalise", requires=["doc", "entities"], assigns=["dates", "quantities", "weapons", "published_inferred"])
def normalise(document: Document, settings: dict) -> None:
    analysis = document.analysis
    published = document.article.published
    years = _candidate_years(document.text, published)
    for start, end in _date_spans(document):
        span = document.span(start, end)
        resolved = resolve_date(span.text, published, years, document.language)
        if resolved:
            value, resolution, inferred = resolved
            analysis.dates.append(DateMention(**span.model_dump(), value=value, resolution=resolution, inferred=inferred))
    if published is None:
        days = sorted(d.value for d in analysis.dates if d.resolution == "day" and not d.value.startswith("--"))
        analysis.published_inferred = date.fromisoformat(days[-1]) if days else None

    for match in QUANTITY.finditer(document.text):
        value = float(match.group(1).replace(",", ""))
        unit, metric, factor = UNITS[match.group(2).lower()]
        span = document.span(match.start(), match.end())
        analysis.quantities.append(
            Quantity(**span.model_dump(), value=value, unit=unit, normalized_value=round(value * factor, 1), normalized_unit=metric)
        )

    taken: list[tuple[int, int]] = []
    names = sorted(((n, w) for w in weapons() for n in w.names), key=lambda p: len(p[0]), reverse=True)
    for name, entry in names:
        flags = 0 if name[0].isupper() else re.I
        for match in re.finditer(r"\b" + re.escape(name) + r"\b", document.text, flags):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            analysis.weapons.append(
                Weapon(
                    **document.span(match.start(), match.end()).model_dump(),
                    name=entry.names[0],
                    designation=None if entry.designation == "-" else entry.designation,
                    category=entry.category,
                    origin=None if entry.origin == "-" else entry.origin,
                )
            )
    analysis.weapons.sort(key=lambda w: w.start)
