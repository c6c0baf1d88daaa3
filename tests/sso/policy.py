"""Authorization policy for single sign-on (see tests/policy.py).

The matrix's app configures no provider, so both routes answer 404 to everyone, signed in or
not: a deployment without SSO shows no trace of it. With a provider, the routes are the sign-in
door itself (open to anyone, like the password form); tests/sso shows what they do then.
"""

from __future__ import annotations

from tests.policy import Route

NOBODY = frozenset()

ROUTES = [
    Route("sso.login", lambda w: "/sso/login", NOBODY, method="POST", anonymous_status=404),
    Route("sso.callback", lambda w: "/sso/callback?code=abc&state=xyz", NOBODY,
          anonymous_status=404),
]
