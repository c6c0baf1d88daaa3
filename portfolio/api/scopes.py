"""The API's resources and the scopes a token may hold for each."""

from __future__ import annotations

# resource -> what it serves; an "entries" token may also write (create a draft).
RESOURCES = {
    "years": "Programme years",
    "cohorts": "Cohorts and memberships",
    "frameworks": "Frameworks with competencies",
    "progress": "Progress and completion per candidate",
    "reviews": "Review requests",
    "signoffs": "Sign-offs",
    "entries": "Your own entries",
    "evidence": "Evidence details",
}
WRITABLE = frozenset({"entries"})
# A client system reads as the lead who registered it: a lead has no entries or evidence of
# their own, so those resources are for personal tokens only.
CLIENT_RESOURCES = ("years", "cohorts", "frameworks", "progress", "reviews", "signoffs")
ACCESS_LEVELS = ("read", "write")


def scopes_for(access: str, resources) -> list[str]:
    """Scope strings for a token: `read:<resource>`, plus `write:` where it means something."""
    scopes = [f"read:{name}" for name in RESOURCES if name in resources]
    if access == "write":
        scopes += [f"write:{name}" for name in RESOURCES if name in resources and name in WRITABLE]
    return scopes


def grants(scopes, resource: str, access: str) -> bool:
    return f"{access}:{resource}" in scopes
