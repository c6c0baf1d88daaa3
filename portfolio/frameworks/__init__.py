"""Frameworks feature."""
