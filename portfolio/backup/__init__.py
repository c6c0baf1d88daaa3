"""Backups of the database and evidence files, with a checksum manifest, and restore."""
