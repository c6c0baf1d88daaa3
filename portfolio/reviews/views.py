"""Routes for the reviews feature: load, check access, act through services, commit once."""
