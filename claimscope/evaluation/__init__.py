"""Scorers implementing published metrics, and writers for benchmark formats."""
