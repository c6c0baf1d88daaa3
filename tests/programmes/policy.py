"""Authorization policy for programme routes.

Programme leads and admins manage every year and cohort (others get 403 from the role gate);
a cohort page is for managers and that cohort's members (404 for everyone else); a staged CSV
import is only ever visible to the lead who uploaded it.
"""

from tests.policy import (
    COHORT_A,
    EARLIER_COHORT,
    LATER_COHORT,
    SIGNED_IN,
    Route,
    always,
    each,
)

MANAGERS_ONLY = frozenset({"lead", "admin"})
COHORT_VIEWERS = MANAGERS_ONLY | COHORT_A
UPLOADER = frozenset({"lead"})
# "My cohort" goes straight to the one cohort someone is in; the author (in cohort A and the
# later cohort) and anyone in none get the page listing them.
MY_COHORT = {
    **each({"peer", "outsider", "developer"}, 302, lambda w: _cohort(w)),
    **each({"other_developer", "other_candidate"}, 302,
           lambda w: f"/programme/cohorts/{w.other_cohort.id}"),
    **each(EARLIER_COHORT, 302, lambda w: f"/programme/cohorts/{w.earlier_cohort.id}"),
    **each(LATER_COHORT, 302, lambda w: f"/programme/cohorts/{w.later_cohort.id}"),
}


def setup(world):
    from datetime import date

    from portfolio.programmes.models import MemberImport, Specialism
    from tests.factories import add_member, make_cohort, make_peer_group, make_year

    world.prog_import = MemberImport(
        cohort_id=world.cohort.id, created_by_id=world.lead.id, filename="people.csv",
        file_digest="0" * 64,
        rows=[{"line": 2, "email": "new.coach@example.test", "name": "New Coach",
               "role": "candidate", "specialism": "", "developer_email": "", "extra": False}])
    from portfolio.extensions import db

    db.session.add(world.prog_import)
    world.prog_specialism = db.session.query(Specialism).order_by(Specialism.id).first()
    # Destructive routes act on an archived cohort, so each role meets the same object.
    archived_year = make_year("2001-2002", status="archived", starts_on=date(2001, 9, 1))
    world.prog_archived = make_cohort(year=archived_year, framework=world.framework,
                                      name="Old pilot")
    members = [add_member(world.prog_archived) for _ in range(2)]
    world.prog_archived_group = make_peer_group(world.prog_archived, members, "Old circle")
    db.session.flush()


def _cohort(world):
    return f"/programme/cohorts/{world.cohort.id}"


def _member(world):
    return f"{_cohort(world)}/members/{world.author_membership.id}"


def _group(world):
    return f"{_cohort(world)}/peer-groups/{world.peer_group.id}"


def _import(world):
    return f"{_cohort(world)}/import/{world.prog_import.id}"


def _year(world):
    return f"/programme/years/{world.year.id}"


def _manager_route(endpoint, url, method="GET", **extra):
    return Route(endpoint, url, MANAGERS_ONLY, method=method, denied_status=403, **extra)


def _get_and_post(endpoint, url, **extra):
    """The form page, and its POST with no data (the form again with its errors: 200)."""
    return [_manager_route(endpoint, url, **extra),
            _manager_route(endpoint, url, "POST", allowed_status=200, **extra)]


ROUTES = [
    _manager_route("programmes.overview", always("/programme/")),
    *_get_and_post("programmes.new_year", always("/programme/years/new")),
    *_get_and_post("programmes.edit_year", lambda w: _year(w) + "/edit"),
    _manager_route("programmes.year_status", lambda w: _year(w) + "/status", "POST",
                   allowed_status=302, redirect_to="/programme/",
                   data=lambda w: {"status": "planning"}),
    _manager_route("programmes.confirm_year_status", lambda w: _year(w) + "/status/closed",
                   secret=lambda w: f"Close {w.year.label}?"),
    *_get_and_post("programmes.new_cohort", lambda w: _year(w) + "/cohorts/new"),
    Route("programmes.cohort", _cohort, COHORT_VIEWERS, secret=lambda w: "Aisha Author"),
    Route("programmes.cohort", lambda w: f"/programme/cohorts/{w.other_cohort.id}",
          MANAGERS_ONLY | {"other_developer", "other_candidate"},
          secret=lambda w: "Cora Candidate"),
    *_get_and_post("programmes.edit_cohort", lambda w: _cohort(w) + "/edit"),
    Route("programmes.my_cohort", always("/programme/my-cohort"), SIGNED_IN, outcomes=MY_COHORT),
    *_get_and_post("programmes.start_next_year", lambda w: _cohort(w) + "/rollover"),
    _manager_route("programmes.lists", always("/programme/lists")),
    _manager_route("programmes.add_list_item", always("/programme/lists/specialisms/new"),
                   "POST", allowed_status=200),
    *_get_and_post("programmes.edit_list_item",
                   lambda w: f"/programme/lists/specialisms/{w.prog_specialism.id}"),
    *_get_and_post("programmes.invite", lambda w: _cohort(w) + "/invite"),
    *_get_and_post("programmes.import_upload", lambda w: _cohort(w) + "/import"),
    Route("programmes.import_preview", _import, UPLOADER,
          secret=lambda w: "new.coach@example.test", notes="a staged file is visible only to the lead who uploaded it"),
    Route("programmes.import_confirm", lambda w: _import(w) + "/confirm", UPLOADER,
          method="POST", allowed_status=302, redirect_to=_cohort),
    _manager_route("programmes.import_template", always("/programme/import-template.csv")),
    *_get_and_post("programmes.member", _member, secret=lambda w: w.author.email),
    _manager_route("programmes.resend_invitation", lambda w: _member(w) + "/resend-invitation",
                   "POST", allowed_status=302, redirect_to=_member),
    *_get_and_post("programmes.new_peer_group", lambda w: _cohort(w) + "/peer-groups/new"),
    *_get_and_post("programmes.edit_peer_group", _group),
    _manager_route("programmes.delete_peer_group",
                   lambda w: f"/programme/cohorts/{w.prog_archived.id}/peer-groups/"
                             f"{w.prog_archived_group.id}/delete", "POST", allowed_status=302,
                   redirect_to=lambda w: f"/programme/cohorts/{w.prog_archived.id}"),
]
