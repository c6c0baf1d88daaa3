"""Entries feature."""
