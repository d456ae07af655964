"""Event export in GDELT-like columns (GDELT 2.0 event table names where one exists), with PLOVER fields.

Negated events ("troops did not attack") are not exported: a row is an event that happened or is
claimed to have happened. Claimed events carry the claim and its speaker (AttributedTo, ClaimID).
"""
from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TextIO

from ..records import Analysis

COLUMNS = [
    "GlobalEventID", "Day", "Actor1Name", "Actor1Code", "Actor1CountryCode", "Actor1Type1Code", "Actor2Name", "Actor2Code",
    "Actor2CountryCode", "Actor2Type1Code", "EventCode", "EventRootCode", "QuadClass", "GoldsteinScale", "PLOVER", "PLOVERMode",
    "Mode", "IsClaimed", "ActionGeo", "Instruments", "AttributedTo", "ClaimID", "DateAdded", "SOURCEURL", "Sentence",
]


def event_rows(analyses: Sequence[Analysis]):
    for analysis in analyses:
        article = analysis.article
        for event in analysis.events:
            if event.negated:
                continue
            day = (event.date or event.reported or "").replace("-", "")
            yield {
                "GlobalEventID": f"{article.id}#{event.id}",
                "Day": day,
                "Actor1Name": event.actor or "",
                "Actor1Code": (event.actor_code or "") + (event.actor_sector or "") if event.actor_code else "",
                "Actor1CountryCode": event.actor_code if event.actor_code and event.actor_code not in {"---", "IGO", "NGO"} else "",
                "Actor1Type1Code": event.actor_sector or "",
                "Actor2Name": event.target or "",
                "Actor2Code": (event.target_code or "") + (event.target_sector or "") if event.target_code else "",
                "Actor2CountryCode": event.target_code if event.target_code and event.target_code not in {"---", "IGO", "NGO"} else "",
                "Actor2Type1Code": event.target_sector or "",
                "EventCode": event.cameo_code,
                "EventRootCode": event.cameo_code[:2],
                "QuadClass": event.quad_class,
                "GoldsteinScale": event.goldstein,
                "PLOVER": event.plover,
                "PLOVERMode": event.plover_mode or "",
                "Mode": event.mode,
                "IsClaimed": int(event.claim_id is not None),
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


TABLES = ("articles", "claims", "events", "clusters")


def write_tables(store, folder, format: str = "parquet", batch_size: int = 2000) -> dict[str, int]:
    """Write the store's articles, claims, events and clusters into ``folder`` as Parquet (for pandas, DuckDB or
    Spark) or CSV files, streaming in batches so a large store never sits in memory. Returns rows per table.
    A cluster's ``spread`` (outlets and languages in order, relay chain, corroboration) is written as JSON text."""
    import csv
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    schemas = {
        "articles": pa.schema([("id", pa.int64()), ("input", pa.string()), ("url", pa.string()), ("title", pa.string()), ("source", pa.string()),
                               ("site", pa.string()), ("published", pa.date32()), ("language", pa.string()), ("outlet_risk", pa.string()),
                               ("outlet_rating", pa.string()), ("verdict", pa.string()), ("duplicate_of", pa.int64()),
                               ("content_hash", pa.string()), ("ingested_at", pa.timestamp("us", tz="UTC")), ("text", pa.string())]),
        "claims": pa.schema([("id", pa.int64()), ("article_id", pa.int64()), ("claim_key", pa.string()), ("speaker", pa.string()),
                             ("speaker_resolved", pa.string()), ("actor_id", pa.string()), ("actor_risk", pa.string()), ("cue", pa.string()),
                             ("cue_class", pa.string()), ("kind", pa.string()), ("content", pa.string()), ("hedges", pa.string()),
                             ("risk_flag", pa.bool_()), ("checkworthiness", pa.float64()), ("published", pa.date32()), ("outlet", pa.string()),
                             ("outlet_risk", pa.string()), ("via", pa.string()), ("cluster_id", pa.int64()), ("presentation", pa.string()),
                             ("sentence", pa.string()), ("language", pa.string())]),
        "events": pa.schema([("article_id", pa.int64())] + [(c, pa.float64() if c == "GoldsteinScale" else pa.int64() if c in {"QuadClass", "IsClaimed"}
                                                               else pa.string()) for c in COLUMNS]),
        "clusters": pa.schema([("id", pa.int64()), ("label", pa.string()), ("speaker", pa.string()), ("size", pa.int64()),
                               ("origin_article_id", pa.int64()), ("origin_speaker", pa.string()), ("origin_outlet", pa.string()),
                               ("first_seen", pa.date32()), ("last_seen", pa.date32()), ("laundered", pa.bool_()), ("spread", pa.string())]),
    }

    def event_batches():
        for rows in store.iter_rows("articles", ["id", "analysis"], batch_size):
            out = []
            for row in rows:
                analysis = Analysis.model_validate(row["analysis"])
                out += [{"article_id": row["id"], **event} for event in event_rows([analysis])]
            yield out

    sources = {
        "articles": store.iter_rows("articles", [n for n in schemas["articles"].names], batch_size),
        "claims": store.iter_rows("claims", [n for n in schemas["claims"].names], batch_size),
        "events": event_batches(),
        "clusters": store.iter_rows("clusters", [n for n in schemas["clusters"].names], batch_size),
    }
    counts = {}
    for name in TABLES:
        counts[name] = 0
        if format == "csv":
            with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=schemas[name].names)
                writer.writeheader()
                for rows in sources[name]:
                    writer.writerows(_flat(row) for row in rows)
                    counts[name] += len(rows)
            continue
        with pq.ParquetWriter(folder / f"{name}.parquet", schemas[name]) as writer:
            for rows in sources[name]:
                if rows:
                    writer.write_table(pa.Table.from_pylist([_flat(row) for row in rows], schema=schemas[name]))
                    counts[name] += len(rows)
    return counts


def _flat(row: dict) -> dict:
    """JSON values (a cluster's spread) as JSON text, for a Parquet string column or a CSV cell."""
    return {key: json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (dict, list)) else value for key, value in row.items()}
