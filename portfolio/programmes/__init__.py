"""Programmes feature."""
