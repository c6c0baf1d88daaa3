"""The declarative authorization policy: every route, who may use it, what others get.

Each feature lists its routes in `tests/<feature>/policy.py` as ROUTES (and may define
`setup(world)` to add the objects its URLs need). `tests/test_authorization_matrix.py` runs
every route for every role, and fails when a registered route has no entry here. Each row pins
what its allowed roles get exactly: the status, and for a redirect where it goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Roles come from tests.factories.make_scenario(); "anonymous" is a client not signed in.
# The cross-cohort roles (added by the matrix's world) share a cohort with the author, just not
# cohort A, where the author's entries live: "earlier_*" are the coach developer and a fellow
# candidate (same peer group, now completed) of a closed earlier cohort where the author
# deferred; "later_*" are a coach developer and a fellow candidate (same peer group) of a
# later cohort the author was carried into. For cohort A's objects each must get exactly what
# a stranger gets; a table names them only where their global role admits them (any candidate,
# any coach developer) or where the rule is the person's, not cohort A's (the author's goals
# are read in the author's current cohorts, and the later cohort is one).
CROSS_COHORT_DEVELOPERS = frozenset({"earlier_developer", "later_developer"})
CROSS_COHORT_CANDIDATES = frozenset({"earlier_candidate", "later_candidate"})
CROSS_COHORT = CROSS_COHORT_DEVELOPERS | CROSS_COHORT_CANDIDATES
LATER_COHORT = frozenset({"later_developer", "later_candidate"})
EARLIER_COHORT = frozenset({"earlier_developer", "earlier_candidate"})
ROLES = (
    "anonymous", "author", "peer", "outsider", "developer", "other_developer",
    "other_candidate", "lead", "admin", "stranger", *sorted(CROSS_COHORT),
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
EARLIER_NAMES = ("Eve Earlierdev", "Ezra Earliercand")
LATER_NAMES = ("Lars Laterdev", "Lena Latercand")
CROSS_NAMES = EARLIER_NAMES + LATER_NAMES
# The author is the one person the cross-cohort roles share a cohort with.
NOT_THE_AUTHOR = tuple(name for name in COHORT_A_NAMES if name != "Aisha Author")
FOREIGN_NAMES = {
    "anonymous": COHORT_A_NAMES + COHORT_B_NAMES + CROSS_NAMES,
    "stranger": COHORT_A_NAMES + COHORT_B_NAMES + CROSS_NAMES,
    "author": COHORT_B_NAMES,
    "peer": COHORT_B_NAMES + CROSS_NAMES,
    "outsider": COHORT_B_NAMES + CROSS_NAMES,
    "developer": COHORT_B_NAMES + CROSS_NAMES,
    "other_developer": COHORT_A_NAMES + CROSS_NAMES,
    "other_candidate": COHORT_A_NAMES + CROSS_NAMES,
    "earlier_developer": NOT_THE_AUTHOR + COHORT_B_NAMES + LATER_NAMES,
    "earlier_candidate": NOT_THE_AUTHOR + COHORT_B_NAMES + LATER_NAMES,
    "later_developer": NOT_THE_AUTHOR + COHORT_B_NAMES + EARLIER_NAMES,
    "later_candidate": NOT_THE_AUTHOR + COHORT_B_NAMES + EARLIER_NAMES,
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
    # The exact status allowed roles get. A GET defaults to 200; a POST must say (302 after a
    # save, 200 when the form comes back with an error, 400/409/422 for a refused write).
    allowed_status: int | None = None
    # Where a redirecting route sends allowed roles: a path with its query, world -> path, or
    # for an object the request creates (its id unknown before), a pattern the path must match.
    redirect_to: Callable | str | re.Pattern | None = None
    # What an anonymous client gets when not allowed: None means a redirect to sign in.
    anonymous_status: int | None = None
    data: Callable | None = None  # world -> form data for POST
    # Text that must not appear in the body for denied roles (e.g. an entry title).
    secret: Callable | None = None
    # Roles that may use the route (it is a page about a person they relate to) but must not
    # see `secret` on it (e.g. a cross-cohort reader of the author's overview).
    hidden_from: frozenset = frozenset()
    # Allowed roles whose outcome differs from the row's: role -> (status, redirect or None).
    outcomes: Mapping = field(default_factory=dict, compare=False)
    notes: str = field(default="", compare=False)

    def expected_for(self, role: str) -> tuple[int | None, Callable | str | None]:
        """The (status, redirect target) an allowed role gets."""
        if role in self.outcomes:
            return self.outcomes[role]
        status = self.allowed_status
        if status is None and self.method == "GET":
            status = 200
        return status, self.redirect_to


def always(path: str) -> Callable:
    return lambda world: path


def created(pattern: str) -> re.Pattern:
    """A redirect to a page of something the request creates: `/admin/users/<id>`."""
    return re.compile(re.escape(pattern).replace(re.escape("<id>"), r"[1-9][0-9]*"))


def each(roles, status: int, redirect: Callable | str | None = None) -> dict:
    """The same outcome for each of `roles` (for Route.outcomes)."""
    return {role: (status, redirect) for role in roles}
