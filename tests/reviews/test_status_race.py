"""The entry's stored review status agrees with its reviews when two of them land at once.

The status (submitted, returned, signed off) is worked out from every request and sign-off of
the entry, then stored. Two reviews of one entry working it out at the same moment each missed
the other's rows (PostgreSQL), and the one that wrote last stored a status that was already
out of date. Now the entry row is locked first, so the second waits and reads both.
"""

from __future__ import annotations

from sqlalchemy import select

from portfolio.entries.models import Entry
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import ReviewRequest, Signoff
from portfolio.reviews.services import common
from portfolio.reviews.services.common import entry_review_status
from tests.races import overlap_after
from tests.reviews.builders import decide, scenario_with_entry, submit


def test_a_revocation_and_a_review_landing_together_leave_the_status_right(app, monkeypatch):
    s = scenario_with_entry()
    first = submit(s, ("VP1",))
    decide(s, first, {"VP1": ("signed_off", "Clear cues.")})
    second = submit(s, ("VP2",))
    signoff = db.session.scalar(select(Signoff).where(Signoff.review_request_id == first.id))
    entry_id, second_id, developer_id = s.entry.id, second.id, s.developer.id
    vp2 = s.competencies["VP2"].id

    def review_the_second():
        from portfolio.auth.models import User
        request = db.session.get(ReviewRequest, second_id)
        services.complete_review(request, db.session.get(User, developer_id),
                                 [services.Decision(vp2, "signed_off", "Good plan.")], "",
                                 request.lock_version)

    overlap = overlap_after(monkeypatch, common, "entry_review_status", app, review_the_second)

    services.revoke_signoff(signoff, s.lead, "Signed off against the wrong version.")
    db.session.commit()

    assert overlap.finish()[0] == "done"
    db.session.expire_all()
    entry = db.session.get(Entry, entry_id)
    assert db.session.get(ReviewRequest, second_id).status == "completed"
    assert entry.review_status == entry_review_status(entry)
