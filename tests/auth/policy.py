"""Authorization policy for account routes."""

from tests.policy import EVERYONE, SIGNED_IN, Route, always, each

# Someone already signed in is sent on to their home page.
GO_HOME = each(SIGNED_IN, 302, "/home")

ROUTES = [
    Route("auth.login", always("/account/login"), EVERYONE, outcomes=GO_HOME),
    # Empty credentials: the form again with its errors, as a 400.
    Route("auth.login", always("/account/login"), EVERYONE, method="POST",
          allowed_status=400, outcomes=GO_HOME, data=lambda w: {"email": "", "password": ""}),
    Route("auth.logout", always("/account/logout"), SIGNED_IN, method="POST",
          allowed_status=302, redirect_to="/account/login"),
    Route("auth.change_password", always("/account/password"), SIGNED_IN),
    Route("auth.change_password", always("/account/password"), SIGNED_IN, method="POST",
          allowed_status=200, notes="no data: the form again with its errors"),
    Route("auth.settings", always("/account/settings"), SIGNED_IN),
    Route("auth.settings", always("/account/settings"), SIGNED_IN, method="POST",
          allowed_status=302, redirect_to="/account/settings"),
    Route("auth.forgot_password", always("/account/forgot-password"), EVERYONE),
    Route("auth.forgot_password", always("/account/forgot-password"), EVERYONE, method="POST",
          allowed_status=200, data=lambda w: {"email": "nobody@example.test"}),
    # A bad token is a 404 for everyone; the token itself is the credential.
    Route("auth.reset_password", always("/account/reset/not-a-token"), frozenset(),
          anonymous_status=404, notes="the token itself is the credential"),
    Route("auth.reset_password", always("/account/reset/not-a-token"), frozenset(),
          method="POST", anonymous_status=404),
    Route("auth.accept_invitation", always("/account/invitation/not-a-token"), frozenset(),
          anonymous_status=404),
    Route("auth.accept_invitation", always("/account/invitation/not-a-token"), frozenset(),
          method="POST", anonymous_status=404),
]
