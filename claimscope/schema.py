"""The published JSON Schema of claimscope's JSON output, versioned with SCHEMA_VERSION."""
from __future__ import annotations

import json

from .resources.lexicons import DATA
from .records import SCHEMA_VERSION, Analysis

SCHEMA_FILE = DATA / "analysis.schema.json"


def generate() -> dict:
    """The schema as the record types define it (scripts/write_schema.py writes it to SCHEMA_FILE)."""
    schema = Analysis.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://github.com/claimscope/claimscope/schema/analysis-{SCHEMA_VERSION}.json"
    schema["title"] = f"claimscope analysis, schema version {SCHEMA_VERSION}"
    return schema


def published() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
