"""Routes for the notifications feature: load, check access, act through services, commit once."""
