"""Two workers delivering at once send each delivery exactly once (threads behind a barrier;
on PostgreSQL the claim reads FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.webhooks import services
from portfolio.webhooks.models import DeliveryStatus, WebhookDelivery
from portfolio.webhooks.worker import deliver_webhooks_once
from tests.factories import make_scenario
from tests.live import together
from tests.webhooks.builders import endpoint_for, verify


def test_two_workers_at_once_send_each_delivery_once(app, listener):
    s = make_scenario()
    endpoint = endpoint_for(s.lead, listener.url())
    for _ in range(30):
        services.send_test_event(s.lead, endpoint)
    db.session.commit()

    reports = together(2, lambda n: deliver_webhooks_once(app))

    assert all(report is not None and not isinstance(report, Exception) for report in reports), \
        reports
    assert sum(report.delivered for report in reports) == 30
    sent = Counter(item.headers["Portfolio-Delivery"] for item in listener.received)
    assert len(sent) == 30 and set(sent.values()) == {1}, sent
    assert all(verify(endpoint.secret, item) for item in listener.received)
    db.session.expire_all()
    rows = db.session.scalars(select(WebhookDelivery)).all()
    assert {row.status for row in rows} == {DeliveryStatus.DELIVERED}
    assert {row.attempts for row in rows} == {1}
