"""The store: analyses of many articles in SQLite or PostgreSQL, their claims, and claim clusters."""
from .database import Store, StoreError, content_hash, hamming, simhash
from .integrity import Violation, check, repair

__all__ = ["Store", "StoreError", "Violation", "check", "content_hash", "hamming", "repair", "simhash"]
