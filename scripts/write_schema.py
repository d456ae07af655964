"""Regenerate claimscope/data/analysis.schema.json after a change to claimscope/records.py.

Bump records.SCHEMA_VERSION when the change is not backwards compatible."""
import json

from claimscope.schema import SCHEMA_FILE, generate

SCHEMA_FILE.write_text(json.dumps(generate(), indent=2) + "\n", encoding="utf-8")
print(f"wrote {SCHEMA_FILE}")
