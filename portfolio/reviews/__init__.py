"""Reviews feature."""
