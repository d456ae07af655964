"""The store: analyses of many articles in SQLite or PostgreSQL, their claims, and claim clusters."""
from .database import Store, StoreError, content_hash, hamming, simhash
from .integrity import Violation, check, repair
from .runs import add_result, ingest_items, unstored

__all__ = ["Store", "StoreError", "Violation", "add_result", "check", "content_hash", "hamming", "ingest_items", "repair", "simhash", "unstored"]
