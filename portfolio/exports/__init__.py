"""Exports feature."""
