"""Authorization policy for the in-person sign-off code routes.

The candidate asks for a code on their own entry and follows its outcome. The code carries no
authority: whoever opens /q/<code> must be signed in (anonymous -> sign in), and only a coach
developer of the entry's cohort may use it; the candidate, a stranger, another cohort's or an
earlier or later cohort's coach developer, and everyone with an expired, used or made-up code
get the same 404.
"""

from tests.policy import Route, created

TITLE = "Hurdles rhythm session"
AUTHOR = frozenset({"author"})
DEVELOPER = frozenset({"developer"})
NOBODY = frozenset()


def setup(world):
    from datetime import timedelta

    from portfolio.database import utcnow
    from portfolio.extensions import db
    from portfolio.quicksign import services
    from portfolio.reviews import services as reviews
    from tests.factories import competency, make_entry

    def entry(title):
        return make_entry(world.author, cohort=world.cohort, title=title,
                          competencies=[competency(world.framework, "VP1")])

    def ask(item):
        return services.ask_for_quick_sign(item, world.author,
                                           [competency(world.framework, "VP1").id])

    world.qs_vp1 = competency(world.framework, "VP1")
    world.qs_entry = entry(TITLE)
    world.qs_code, world.qs_raw = ask(world.qs_entry)
    used_code, world.qs_used_raw = ask(entry("Sprint drills with a used code"))
    services.sign_with_code(used_code, world.developer, [
        reviews.Decision(world.qs_vp1.id, "signed_off", "Seen at the track.")])
    expired, world.qs_expired_raw = ask(entry("Throws session with an expired code"))
    expired.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()


def _code(name, tail=""):
    return lambda w: f"/q/{getattr(w, name)}{tail}"


def _signed_off(w):
    return {"action": "complete", f"decision_{w.qs_vp1.id}": "signed_off",
            f"feedback_{w.qs_vp1.id}": "Clear rhythm cues."}


def _title(w):
    return TITLE


ROUTES = [
    Route("quicksign.ask", lambda w: f"/entries/{w.qs_entry.id}/quick-sign", AUTHOR),
    Route("quicksign.ask", lambda w: f"/entries/{w.qs_entry.id}/quick-sign", AUTHOR,
          method="POST", allowed_status=302,
          redirect_to=lambda w: created(f"/entries/{w.qs_entry.id}/quick-sign/<id>"),
          data=lambda w: {"quick-competencies": [str(w.qs_vp1.id)]}),
    Route("quicksign.shown",
          lambda w: f"/entries/{w.qs_entry.id}/quick-sign/{w.qs_code.id}", AUTHOR),
    Route("quicksign.sign", _code("qs_raw"), DEVELOPER, secret=_title),
    Route("quicksign.sign", _code("qs_raw"), DEVELOPER, method="POST", allowed_status=302,
          redirect_to=lambda w: f"/reviews/requests/{w.qs_code.review_request_id}", data=_signed_off,
          secret=_title),
    # Spent, expired and made-up codes: the same 404 for every signed-in person.
    Route("quicksign.sign", _code("qs_used_raw"), NOBODY),
    Route("quicksign.sign", _code("qs_used_raw"), NOBODY, method="POST", data=_signed_off),
    Route("quicksign.sign", _code("qs_expired_raw"), NOBODY),
    Route("quicksign.sign", _code("qs_expired_raw"), NOBODY, method="POST", data=_signed_off),
    Route("quicksign.sign", lambda w: "/q/not-a-real-code", NOBODY),
    # From an observation (tests/observations/policy.py, not reflected on yet): its candidate
    # only; the page says to write the reflection first.
    Route("quicksign.ask_observation", lambda w: f"/observations/{w.ob_obs.id}/quick-sign",
          AUTHOR),
]
