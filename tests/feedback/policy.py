"""Authorization policy for external feedback routes.

The author's feedback belongs to cohort A, where it was asked: the author, cohort A's coach
developer and the managers read it; the peer group only what the author shares. Cross-cohort
roles get nothing. Only the author asks (any candidate may open the form), withdraws and
shares. A live link opens the one session's form to anyone, signed in or not (an outsider, a
stranger); a used link answers "already used" (410) to everyone; expired, withdrawn, unknown and
malformed tokens answer the same 404 to everyone.
"""

from tests.policy import CROSS_COHORT_CANDIDATES, EVERYONE, SIGNED_IN, Route

AUTHOR = frozenset({"author"})
CANDIDATES = frozenset({"author", "peer", "outsider", "other_candidate"}) | CROSS_COHORT_CANDIDATES
READERS = frozenset({"author", "developer", "lead", "admin"})
SHARED_READERS = READERS | {"peer"}
NOBODY = frozenset()
ANSWER = "Policy answer: the relay drill flowed well"
SHARED_ANSWER = "Policy answer the peer group may read"
SESSION = "Policy session on relay changeovers"
HIDDEN_SESSION = "Policy session nobody may open"
MALFORMED = ("not-a-token", "A" * 42, "A" * 44, "%2e%2e", "A" * 42 + "!")


def setup(world):
    from datetime import date, timedelta

    from portfolio.database import utcnow
    from portfolio.feedback import services

    def ask(email, title=SESSION):
        request, token = services.ask_for_feedback(
            world.author, recipient_name="Hana Headcoach", recipient_email=email,
            relationship="head_coach", session_title=title, session_date=date(2026, 10, 3))
        # Asked while the author was in cohort A (they have since been carried into a later
        # cohort, where a request made today would belong).
        request.cohort_id = world.cohort.id
        return request, token

    answers = {"went_well": ANSWER, "could_be_better": "", "giver_role": "", "comments": ""}
    world.feedback_answered, world.feedback_used_token = ask("answered@club.example")
    services.give_feedback(world.feedback_answered, **answers)
    world.feedback_shared, _ = ask("shared@club.example")
    services.give_feedback(world.feedback_shared, **(answers | {"went_well": SHARED_ANSWER}))
    services.set_sharing(world.feedback_shared, world.author, with_peers=True)
    world.feedback_waiting, world.feedback_token = ask("waiting@club.example")
    expired, world.feedback_expired_token = ask("expired@club.example", HIDDEN_SESSION)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    withdrawn, world.feedback_withdrawn_token = ask("withdrawn@club.example", HIDDEN_SESSION)
    services.withdraw_request(withdrawn, world.author)


def _f(attribute, suffix=""):
    return lambda w: f"/feedback/{getattr(w, attribute).id}{suffix}"


def _token(attribute):
    return lambda w: f"/f/{getattr(w, attribute)}"


def _answer(w):
    return ANSWER


def _hidden(w):
    return HIDDEN_SESSION


GIVE = {"went_well": "Great", "could_be_better": "", "giver_role": "", "comments": ""}

ROUTES = [
    Route("feedback.index", lambda w: "/feedback/", SIGNED_IN),
    Route("feedback.ask", lambda w: "/feedback/ask", CANDIDATES, denied_status=403),
    Route("feedback.ask", lambda w: "/feedback/ask", CANDIDATES, method="POST",
          denied_status=403, allowed_status=200, data=lambda w: {"recipient_name": ""},
          notes="no name or address: the form answers with errors"),
    Route("feedback.show", _f("feedback_answered"), READERS, secret=_answer),
    Route("feedback.show", _f("feedback_shared"), SHARED_READERS,
          secret=lambda w: SHARED_ANSWER),
    Route("feedback.show", _f("feedback_waiting"), READERS),
    Route("feedback.withdraw", _f("feedback_waiting", "/withdraw"), AUTHOR, method="POST",
          allowed_status=302, redirect_to="/feedback/"),
    Route("feedback.sharing", _f("feedback_answered", "/sharing"), AUTHOR, method="POST",
          allowed_status=302, redirect_to=_f("feedback_answered"),
          data=lambda w: {"with_peers": "y"}),
    Route("feedback.person", lambda w: f"/feedback/people/{w.author.id}", SHARED_READERS,
          secret=_answer, hidden_from=frozenset({"peer"}),
          notes="the peer reads only the shared one, never the answer kept from them"),
    # What a link opens: anyone holding a live one, signed in or not, sees the one session.
    Route("feedback_links.give", _token("feedback_token"), EVERYONE),
    Route("feedback_links.give", _token("feedback_token"), EVERYONE, method="POST",
          allowed_status=200, data=lambda w: GIVE, notes="feedback given: the thank-you page"),
    Route("feedback_links.give", _token("feedback_used_token"), EVERYONE, allowed_status=410,
          secret=_answer, hidden_from=EVERYONE),
    Route("feedback_links.give", _token("feedback_used_token"), EVERYONE, method="POST",
          allowed_status=410, data=lambda w: GIVE, secret=_answer, hidden_from=EVERYONE),
    *[Route("feedback_links.give", _token(attribute), NOBODY, anonymous_status=404,
            secret=_hidden) for attribute in ("feedback_expired_token",
                                              "feedback_withdrawn_token")],
    Route("feedback_links.give", _token("feedback_expired_token"), NOBODY, method="POST",
          anonymous_status=404, data=lambda w: GIVE),
    *[Route("feedback_links.give", (lambda bad: lambda w: f"/f/{bad}")(bad), NOBODY,
            anonymous_status=404) for bad in (*MALFORMED, "A" * 43)],
]
