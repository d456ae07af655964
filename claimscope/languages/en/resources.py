"""English words and patterns the language-neutral analysers read."""
from __future__ import annotations

import calendar
import re

# A short quotation right after these words is the outlet's scare quote ('its "peace memorandum"', 'the so-called
# "referendum"', 'what it called "provocations"'), not a speaker's partial quotation.
QUOTE_FRAMING_WORDS = {"its", "their", "his", "her", "our", "so-called"}
QUOTE_FRAMING_PHRASES = ("what it", "what he", "what she", "what they")
QUOTED_NAMES = False  # English writes names without quotation marks

# Where an event happened: a place phrase after one of these prepositions (dependency "prep" / "pobj").
PLACE_PREPOSITIONS = {"along", "on", "at", "in", "near", "across", "into", "over", "outside", "around"}
PLACE_WORDS = {"border", "borders", "territory", "front", "frontier", "region", "area", "areas", "village", "town", "city", "oblast", "district"}

# Dates: spaCy's DATE entities, read by dateparser in English.
DATE_LANGUAGE = "en"
DATE_PATTERN = None  # the parser's entities give the dates
MONTHS = {m.lower() for m in calendar.month_name if m} | {m.lower() for m in calendar.month_abbr if m}
WEEKDAYS = [d.lower() for d in calendar.day_name]
DATE_PREFIXES = re.compile(r"^(on|in|since|by|from|until|the)\s+", re.I)
