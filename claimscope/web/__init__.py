"""The web UI and REST API over a store."""
from .app import create_app

__all__ = ["create_app"]
