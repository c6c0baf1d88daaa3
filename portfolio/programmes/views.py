"""Routes for the programmes feature: load, check access, act through services, commit once."""
