"""Ingest: articles from text, HTML, JSONL, RSS/Atom feeds, folders and stdin (claimscope.ingest.readers)."""
from .readers import ARTICLE_TYPES, DEFAULT_MAX_BYTES, IngestError, Skipped, article_from_text, count_articles, parse_date, read_inputs

__all__ = ["ARTICLE_TYPES", "DEFAULT_MAX_BYTES", "IngestError", "Skipped", "article_from_text", "count_articles", "parse_date", "read_inputs"]
