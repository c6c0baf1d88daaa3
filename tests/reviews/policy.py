"""Authorization policy for the reviews routes (comments, sign-off, requests, dashboard, audit).

Action routes answer 404 to anyone who may not take the action, even when they can read the
entry ("exists but not yours"); pages gated by a global role answer 403.
"""

from tests.policy import (
    CROSS_COHORT_CANDIDATES,
    CROSS_COHORT_DEVELOPERS,
    MANAGERS,
    Route,
    created,
)

ENTRY_AUDIENCE = frozenset({"author", "peer", "developer", "lead", "admin"})  # a "peers" entry
REQUEST_VIEWERS = frozenset({"author", "developer", "lead", "admin"})
REVIEWERS = frozenset({"developer"})
# Any coach developer has a dashboard (of their own cohorts); any candidate has progress.
DASHBOARD_USERS = frozenset({"developer", "other_developer", "lead", "admin"}) \
    | CROSS_COHORT_DEVELOPERS
CANDIDATES = frozenset({"author", "peer", "outsider", "other_candidate"}) | CROSS_COHORT_CANDIDATES


def setup(world):
    from portfolio.extensions import db
    from portfolio.reviews import services
    from tests.factories import competency, make_entry

    vp1, vp2 = competency(world.framework, "VP1"), competency(world.framework, "VP2")
    world.rv_vp1, world.rv_vp2 = vp1, vp2

    def entry(title):
        return make_entry(world.author, cohort=world.cohort, privacy="peers", title=title,
                          competencies=[vp1, vp2])

    world.rv_entry = entry("Hurdle rhythm under fatigue")
    world.rv_unsubmitted = entry("Relay changeovers")
    started_entry, to_start_entry = entry("Bend running drills"), entry("Warm-up design")
    db.session.flush()
    world.rv_request = services.submit_for_review(world.rv_entry, world.author, [vp1.id])
    world.rv_started = services.submit_for_review(started_entry, world.author, [vp1.id])
    services.start_review(world.rv_started, world.developer)
    world.rv_to_start = services.submit_for_review(to_start_entry, world.author, [vp1.id])
    world.rv_comment = services.add_comment(world.rv_entry, world.peer, "Lovely cue work.")
    world.rv_signoff = services.peer_signoff(world.rv_entry, world.peer, vp2.id,
                                             "Clear evidence of planning.")
    world.rv_notification = _notification(world.author)
    world.rv_pdf_request = _request_with_pdf(world, entry, vp1)


def _request_with_pdf(world, entry, competency):
    """A request whose version lists a PDF (the review page previews it in a frame)."""
    from portfolio.evidence import services as evidence_services
    from portfolio.evidence.models import EntryEvidence
    from portfolio.extensions import db
    from portfolio.reviews import services
    from tests.evidence.builders import pdf_bytes, upload
    from tests.factories import add_version

    pdf = evidence_services.upload_file(world.author, upload("plan.pdf", pdf_bytes()),
                                        title="Policy session plan").evidence
    world.rv_pdf = pdf
    with_pdf = entry("Sprint session plan")
    db.session.add(EntryEvidence(entry_id=with_pdf.id, evidence_id=pdf.id, position=0))
    add_version(with_pdf)
    return services.submit_for_review(with_pdf, world.author, [competency.id])


def _notification(user):
    from portfolio.extensions import db
    from portfolio.notifications.models import Notification

    item = Notification(user_id=user.id, kind="comment", message="Someone commented.",
                        link="/reviews/progress")
    db.session.add(item)
    db.session.flush()
    return item


def _entry(world, tail=""):
    return f"/reviews/entries/{world.rv_entry.id}{tail}"


def _comment(world, tail):
    return f"/reviews/comments/{world.rv_comment.id}{tail}"


def _progress(world, tail=""):
    return f"/reviews/cohorts/{world.cohort.id}/candidates/{world.author.id}{tail}"


def _entry_page(world):
    return f"/portfolio/entries/{world.rv_entry.id}"


def _own_progress(cohort, person):
    return lambda w: f"/reviews/cohorts/{getattr(w, cohort).id}/candidates/{getattr(w, person).id}"


MY_PROGRESS = {role: (302, _own_progress(cohort, role)) for role, cohort in (
    ("author", "later_cohort"), ("peer", "cohort"), ("outsider", "cohort"),
    ("other_candidate", "other_cohort"), ("earlier_candidate", "earlier_cohort"),
    ("later_candidate", "later_cohort"))}


def _title(world):
    return world.rv_entry.title


ROUTES = [
    # Comments and peer feedback: exactly the entry's audience.
    Route("reviews.add_comment", lambda w: _entry(w, "/comments"), ENTRY_AUDIENCE,
          method="POST", allowed_status=302, redirect_to=_entry_page, data=lambda w: {"comment-body": "Nice work."}),
    Route("reviews.reply", lambda w: _comment(w, "/replies"), ENTRY_AUDIENCE, method="POST",
          allowed_status=302, redirect_to=_entry_page, data=lambda w: {"reply-body": "Thanks!"}),
    Route("reviews.add_feedback", lambda w: _entry(w, "/feedback"),
          ENTRY_AUDIENCE - {"author"}, method="POST", allowed_status=302, redirect_to=_entry_page,
          data=lambda w: {"feedback-what_worked": "The cue.", "feedback-what_to_try": "Film it."}),
    Route("reviews.edit_comment", lambda w: _comment(w, "/edit"), frozenset({"peer"}),
          secret=lambda w: "Lovely cue work."),
    Route("reviews.edit_comment", lambda w: _comment(w, "/edit"), frozenset({"peer"}),
          method="POST", allowed_status=302, redirect_to=_entry_page,
          data=lambda w: {"body": "Lovely cue work!"}),
    Route("reviews.remove_comment", lambda w: _comment(w, "/remove"),
          frozenset({"peer"}) | MANAGERS, method="POST", allowed_status=302,
          redirect_to=_entry_page),
    # Peer sign-off: only the author's peer group (not the author, not the whole cohort).
    Route("reviews.peer_signoff", lambda w: _entry(w, "/peer-signoffs"), frozenset({"peer"}),
          method="POST", allowed_status=302, redirect_to=_entry_page,
          data=lambda w: {"peer-competency": str(w.rv_vp1.id), "peer-note": "Convincing."}),
    # Review requests: the author submits and withdraws; the cohort's coach developers review.
    Route("reviews.submit_for_review",
          lambda w: f"/reviews/entries/{w.rv_unsubmitted.id}/review-requests",
          frozenset({"author"}), method="POST", allowed_status=302,
          redirect_to=created("/reviews/requests/<id>"),
          data=lambda w: {"review-competencies": [str(w.rv_vp1.id)], "review-message": ""}),
    Route("reviews.submit_page",
          lambda w: f"/reviews/entries/{w.rv_unsubmitted.id}/review-requests/new",
          frozenset({"author"})),
    Route("reviews.request_detail", lambda w: f"/reviews/requests/{w.rv_request.id}",
          REQUEST_VIEWERS, secret=_title),
    # A PDF of the submitted version, inline for the review page's frame: the request's viewers.
    Route("reviews.evidence_preview",
          lambda w: f"/reviews/requests/{w.rv_pdf_request.id}/evidence/{w.rv_pdf.id}/preview",
          REQUEST_VIEWERS),
    Route("reviews.withdraw", lambda w: f"/reviews/requests/{w.rv_request.id}/withdraw",
          frozenset({"author"}), method="POST", allowed_status=302,
          redirect_to=lambda w: f"/reviews/requests/{w.rv_request.id}"),
    Route("reviews.start", lambda w: f"/reviews/requests/{w.rv_to_start.id}/start", REVIEWERS,
          method="POST", allowed_status=302,
          redirect_to=lambda w: f"/reviews/requests/{w.rv_to_start.id}"),
    Route("reviews.decide", lambda w: f"/reviews/requests/{w.rv_started.id}/decision",
          REVIEWERS, method="POST", allowed_status=302,
          redirect_to=lambda w: f"/reviews/requests/{w.rv_started.id}",
          data=lambda w: {f"decision_{w.rv_vp1.id}": "signed_off",
                          f"feedback_{w.rv_vp1.id}": "Clear.", "overall_feedback": "",
                          "action": "complete"}),
    # Revocation, completion and the audit log: programme leads and admins.
    Route("reviews.revoke", lambda w: f"/reviews/signoffs/{w.rv_signoff.id}/revoke", MANAGERS,
          denied_status=403, secret=lambda w: "Clear evidence of planning."),
    Route("reviews.revoke", lambda w: f"/reviews/signoffs/{w.rv_signoff.id}/revoke", MANAGERS,
          method="POST", denied_status=403, allowed_status=302, redirect_to=_progress,
          data=lambda w: {"reason": "Wrong peer group."}),
    Route("reviews.candidate_progress_page", _progress,
          frozenset({"author", "developer"}) | MANAGERS, secret=lambda w: "Aisha Author"),
    Route("reviews.record_completion", lambda w: _progress(w, "/completion"), MANAGERS,
          method="POST", denied_status=403, allowed_status=302, redirect_to=_progress),
    # A candidate's own progress page in their current cohort (the author's: the later one).
    Route("reviews.my_progress", lambda w: "/reviews/progress", CANDIDATES, allowed_status=302,
          outcomes=MY_PROGRESS),
    Route("reviews.cohort_audit", lambda w: f"/reviews/cohorts/{w.cohort.id}/audit", MANAGERS,
          denied_status=403, secret=lambda w: "Aisha Author"),
    Route("reviews.cohort_audit_csv", lambda w: f"/reviews/cohorts/{w.cohort.id}/audit.csv",
          MANAGERS, denied_status=403, secret=lambda w: "Aisha Author"),
    # The dashboard and queue: coach developers (their cohorts) and managers (all cohorts).
    Route("reviews.dashboard", lambda w: "/reviews/dashboard", DASHBOARD_USERS,
          denied_status=403),
    Route("reviews.queue", lambda w: "/reviews/requests", DASHBOARD_USERS, denied_status=403),
]
