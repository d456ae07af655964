"""The command line (``claimscope``): the typer app and the terminal report."""
from .app import app, main

__all__ = ["app", "main"]
