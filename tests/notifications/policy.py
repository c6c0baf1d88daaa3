"""Authorization policy for notifications: everyone signed in has their own; others' are 404.

The notification itself is made by tests/reviews/policy.py (world.rv_notification, the
author's).
"""

from tests.policy import SIGNED_IN, Route, always

OWNER = frozenset({"author"})

ROUTES = [
    Route("notifications.index", always("/notifications/"), SIGNED_IN),
    Route("notifications.open_notification",
          lambda w: f"/notifications/{w.rv_notification.id}/open", OWNER, method="POST",
          allowed_status=302, redirect_to=lambda w: w.rv_notification.link),
    Route("notifications.mark_read", lambda w: f"/notifications/{w.rv_notification.id}/read",
          OWNER, method="POST", allowed_status=302, redirect_to="/notifications/"),
    Route("notifications.mark_all_read", always("/notifications/read-all"), SIGNED_IN,
          method="POST", allowed_status=302, redirect_to="/notifications/"),
]
