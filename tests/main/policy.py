"""Authorization policy for the landing page and health checks."""

from tests.policy import EVERYONE, SIGNED_IN, Route, always

ROUTES = [
    Route("main.index", always("/"), EVERYONE, allowed_status=302),
    Route("main.home", always("/home"), SIGNED_IN),
    Route("main.healthz", always("/healthz"), EVERYONE),
    Route("main.readyz", always("/readyz"), EVERYONE),
]
