"""Authorization policy for the landing page and health checks."""

from tests.policy import (
    CROSS_COHORT_CANDIDATES,
    CROSS_COHORT_DEVELOPERS,
    EVERYONE,
    MANAGERS,
    SIGNED_IN,
    Route,
    always,
    each,
)

# Home sends each person to the page their role starts from; someone with no role and no
# cohort (the stranger) gets the home page itself.
HOME_PAGES = {
    **each({"author", "peer", "outsider", "other_candidate"} | CROSS_COHORT_CANDIDATES, 302,
           "/portfolio/"),
    **each({"developer", "other_developer"} | CROSS_COHORT_DEVELOPERS, 302,
           "/reviews/dashboard"),
    **each(MANAGERS, 302, "/programme/"),
}

ROUTES = [
    Route("main.index", always("/"), EVERYONE, allowed_status=302, redirect_to="/home",
          outcomes={"anonymous": (302, "/account/login")}),
    Route("main.home", always("/home"), SIGNED_IN, outcomes=HOME_PAGES),
    Route("main.healthz", always("/healthz"), EVERYONE),
    Route("main.readyz", always("/readyz"), EVERYONE),
]
