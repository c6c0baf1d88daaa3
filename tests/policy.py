"""The declarative authorization policy: every route, who may use it, what others get.

Each feature lists its routes in `tests/<feature>/policy.py` as ROUTES (and may define
`setup(world)` to add the objects its URLs need). `tests/test_authorization_matrix.py` runs
every route for every role, and fails when a registered route has no entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Roles come from tests.factories.make_scenario(); "anonymous" is a client not signed in.
ROLES = (
    "anonymous", "author", "peer", "outsider", "developer", "other_developer",
    "other_candidate", "lead", "admin", "stranger",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
MANAGERS = frozenset({"lead", "admin"})
COHORT_A = frozenset({"author", "peer", "outsider", "developer"})

# Roles whose sign-in went stale, checked on every route as the role they must be treated as:
# "deactivated" signed in, then an admin deactivated the account (its old cookie, and one whose
# session token was never rotated); "removed" signed in as a candidate in the author's peer
# group, then was withdrawn from the cohort. Policy tables never name these roles.
TREATED_AS = {
    "deactivated": "anonymous",
    "deactivated_kept_token": "anonymous",
    "removed": "stranger",
}
MATRIX_ROLES = ROLES + tuple(TREATED_AS)

# Names nobody in a role may ever read, on any page, allowed or not: another cohort's people.
COHORT_A_NAMES = ("Aisha Author", "Pat Peer", "Olu Outsider", "Dev Eloper")
COHORT_B_NAMES = ("Cora Candidate", "Otto Developer")
FOREIGN_NAMES = {
    "anonymous": COHORT_A_NAMES + COHORT_B_NAMES,
    "stranger": COHORT_A_NAMES + COHORT_B_NAMES,
    "author": COHORT_B_NAMES,
    "peer": COHORT_B_NAMES,
    "outsider": COHORT_B_NAMES,
    "developer": COHORT_B_NAMES,
    "other_developer": COHORT_A_NAMES,
    "other_candidate": COHORT_A_NAMES,
}


@dataclass(frozen=True)
class Route:
    endpoint: str
    url: Callable  # world -> path
    allowed: frozenset
    method: str = "GET"
    # What a signed-in user outside `allowed` gets: 404 for objects that exist but are not
    # theirs, 403 for pages gated by a global role.
    denied_status: int = 404
    # When set, the exact status allowed roles get (e.g. 302 for a POST that redirects).
    allowed_status: int | None = None
    # What an anonymous client gets when not allowed: None means a redirect to sign in.
    anonymous_status: int | None = None
    data: Callable | None = None  # world -> form data for POST
    # Text that must not appear in the body for denied roles (e.g. an entry title).
    secret: Callable | None = None
    notes: str = field(default="", compare=False)


def always(path: str) -> Callable:
    return lambda world: path
