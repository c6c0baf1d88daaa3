"""One code used from two phones at the same moment: exactly one decision is recorded.

The requests really overlap: the threaded live server and one signed-in browser per thread,
released together by a barrier. The code is spent by one conditional UPDATE (unused and
unexpired), so the database decides the winner; the other request gets the same 404 as any
spent code. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from portfolio.quicksign.models import QuickSignCode
from portfolio.reviews.models import Signoff
from tests.factories import make_scenario
from tests.live import together
from tests.quicksign.builders import shown_code, signed_off_form

POSTS = 2


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_two_overlapping_uses_of_one_code_sign_off_once(app, live_site):
    s = make_scenario()
    _, code, raw = shown_code(s)
    second = make_scenario_developer(s)
    db.session.commit()
    browsers = [live_site.browser_for(s.developer), live_site.browser_for(second)]
    form = signed_off_form(s)
    db.session.rollback()  # hold no transaction while the server works
    answers = together(POSTS, lambda n: browsers[n].post(f"/q/{raw}", form))
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert sorted(a.status for a in answers) == [302, 404], [a.status for a in answers]
    db.session.expire_all()
    assert count(Signoff) == 2  # VP1 and RP1, once
    assert len({signoff.reviewer_id for signoff in db.session.scalars(select(Signoff))}) == 1
    assert count(AuditEvent, AuditEvent.action == "quicksign.used") == 1
    assert db.session.get(QuickSignCode, code.id).used_at is not None


def make_scenario_developer(s):
    """A second coach developer of cohort A, on another phone."""
    from tests.factories import add_member, make_user

    other = make_user(name="Dana Developer")
    add_member(s.cohort, other, role="coach_developer")
    return other
