"""Routes for the frameworks feature: load, check access, act through services, commit once."""
