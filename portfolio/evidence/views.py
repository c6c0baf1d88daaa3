"""Routes for the evidence feature: load, check access, act through services, commit once."""
