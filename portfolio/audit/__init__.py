"""Append-only audit log shared by every feature."""
