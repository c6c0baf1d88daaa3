"""Routes for the entries feature: load, check access, act through services, commit once."""
