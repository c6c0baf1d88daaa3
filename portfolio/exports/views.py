"""Routes for the exports feature: load, check access, act through services, commit once."""
