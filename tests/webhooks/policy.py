"""Authorization policy for the webhook pages: programme leads and admins only.

Webhooks are set up for the whole installation, like other lead pages: everyone else, from
any cohort (earlier and later ones included), gets a 403, and never sees an endpoint's address.
"""

from tests.policy import MANAGERS, Route

ADDRESS = "https://lms.example.org/portfolio-hooks"


def setup(world):
    from portfolio.extensions import db
    from portfolio.webhooks import services
    from portfolio.webhooks.models import SUBSCRIBABLE

    world.wh_endpoint = services.create_endpoint(world.lead, ADDRESS,
                                                 [str(event) for event in SUBSCRIBABLE])
    world.wh_delivery = services.send_test_event(world.lead, world.wh_endpoint)
    db.session.flush()


def _endpoint(tail=""):
    return lambda w: f"/webhooks/{w.wh_endpoint.id}{tail}"


def _address(world):
    return ADDRESS


ROUTES = [
    Route("webhooks.index", lambda w: "/webhooks/", MANAGERS, denied_status=403,
          secret=_address),
    # The answer to registering shows the new secret once (200), not a redirect.
    Route("webhooks.index", lambda w: "/webhooks/", MANAGERS, method="POST", denied_status=403,
          allowed_status=200,
          data=lambda w: {"url": "https://crm.example.org/in", "description": "CRM",
                          "events": ["signoff.recorded"]}),
    Route("webhooks.show", _endpoint(), MANAGERS, denied_status=403, secret=_address),
    Route("webhooks.send_test", _endpoint("/test"), MANAGERS, method="POST", denied_status=403,
          allowed_status=302, redirect_to=_endpoint()),
    Route("webhooks.disable", _endpoint("/disable"), MANAGERS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_endpoint()),
    Route("webhooks.enable", _endpoint("/enable"), MANAGERS, method="POST", denied_status=403,
          allowed_status=302, redirect_to=_endpoint()),
    Route("webhooks.delete", _endpoint("/delete"), MANAGERS, method="POST", denied_status=403,
          allowed_status=302, redirect_to="/webhooks/"),
    Route("webhooks.send_again", lambda w: f"/webhooks/deliveries/{w.wh_delivery.id}/resend",
          MANAGERS, method="POST", denied_status=403, allowed_status=302,
          redirect_to=_endpoint()),
]
