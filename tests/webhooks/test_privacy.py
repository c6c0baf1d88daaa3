"""Events about a person are in their download and go with erasure; names are read at send."""

from __future__ import annotations

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.privacy.erasure import erase_person, erased_name
from portfolio.privacy.services import personal_data
from portfolio.reviews import services as reviews
from portfolio.webhooks import delivery
from portfolio.webhooks.models import WebhookDelivery
from tests.credentials.builders import ready_candidate
from tests.factories import make_user
from tests.webhooks.builders import endpoint_for


def test_erasure_deletes_the_events_about_the_person_and_later_sends_use_the_pseudonym(
        app, listener):
    s = ready_candidate("Hana Holder")
    admin = make_user(name="Ada Admin", admin=True)
    endpoint_for(s.lead, listener.url())
    reviews.record_completion(s.membership, s.lead)
    db.session.commit()
    about_her = db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.subject_user_id == s.candidate.id)).all()
    assert len(about_her) == 2  # completed, and the membership became "completed"
    download = personal_data(s.candidate)["webhook_deliveries"]
    assert {row["event_type"] for row in download} == {"programme.completed",
                                                       "membership.changed"}
    erase_person(admin, s.candidate)
    db.session.commit()
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    # An event that names her as someone else's reviewer would carry her pseudonym now.
    named = delivery._named({"reviewer_id": s.candidate.id})
    assert named["reviewer_name"] == erased_name(s.candidate.id)
    delivery.deliver_due()
    assert b"Hana Holder" not in b"".join(item.body for item in listener.received)
