"""Event export in GDELT-like columns."""
from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TextIO

from .records import Analysis

COLUMNS = [
    "GlobalEventID", "Day", "Actor1Name", "Actor2Name", "EventCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "PLOVER", "IsNegated", "ActionGeo", "Instruments", "AttributedTo", "ClaimID",
    "DateAdded", "SOURCEURL", "Sentence",
]


def event_rows(analyses: Sequence[Analysis]):
    for analysis in analyses:
        article = analysis.article
        for event in analysis.events:
            day = (event.date or event.reported or "").replace("-", "")
            yield {
                "GlobalEventID": f"{article.id}#{event.id}",
                "Day": day,
                "Actor1Name": event.actor or "",
                "Actor2Name": event.target or "",
                "EventCode": event.cameo_code,
                "EventRootCode": event.cameo_code[:2],
                "QuadClass": event.quad_class,
                "GoldsteinScale": event.goldstein,
                "PLOVER": event.plover,
                "IsNegated": int(event.negated),
                "ActionGeo": event.place or "",
                "Instruments": ";".join(event.instruments),
                "AttributedTo": event.attributed_to or "",
                "ClaimID": event.claim_id or "",
                "DateAdded": (event.reported or "").replace("-", ""),
                "SOURCEURL": article.url or article.id,
                "Sentence": analysis.sentences[event.sentence].text,
            }


def write_events(analyses: Sequence[Analysis], handle: TextIO, format: str = "csv") -> None:
    if format == "jsonl":
        for row in event_rows(analyses):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(handle, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(event_rows(analyses))
