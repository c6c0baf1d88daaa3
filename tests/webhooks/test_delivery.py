"""Events reach a local listener signed, are retried with back-off, and never sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portfolio.database import utcnow
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.programmes.membership import MembershipChanges, update_membership
from portfolio.reviews import services as reviews
from portfolio.webhooks import delivery, services
from portfolio.webhooks.models import DeliveryStatus, EventType, WebhookDelivery
from tests.credentials.builders import ready_candidate
from tests.webhooks.builders import endpoint_for, verify


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_completion_reaches_the_listener_signed_with_names_and_no_private_text(
        app, listener):
    s = ready_candidate("Hana Holder")
    endpoint = endpoint_for(s.lead, listener.url())
    completion = reviews.record_completion(s.membership, s.lead, "Private note: passed well.")
    db.session.commit()

    report = delivery.deliver_due()

    assert report.delivered >= 1
    received = [item for item in listener.received
                if item.headers["Portfolio-Event"] == "programme.completed"]
    assert len(received) == 1
    got = received[0]
    assert verify(endpoint.secret, got)
    assert not verify("whsec_wrong", got)
    body = got.json
    assert body["type"] == "programme.completed" and len(body["id"]) == 36
    assert body["created_at"].endswith("Z")
    assert body["data"]["completion_id"] == completion.id
    assert body["data"]["candidate_id"] == s.candidate.id
    assert body["data"]["candidate_name"] == "Hana Holder"
    assert body["data"]["cohort_name"] == s.cohort.label
    assert b"Private note" not in got.body
    assert got.headers["Portfolio-Event-Id"] == body["id"]
    row = next(item for item in deliveries() if item.event_type == EventType.PROGRAMME_COMPLETED)
    assert row.status == DeliveryStatus.DELIVERED and row.attempts == 1
    assert row.response_code == 200 and row.response_excerpt == "ok"


def test_one_byte_changed_fails_the_signature_check(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    delivery.deliver_due()
    got = listener.received[0]
    header = got.headers["Portfolio-Signature"]
    assert delivery.verify_signature(endpoint.secret, header, got.body)
    tampered = got.body.replace(b"true", b"trUe")
    assert tampered != got.body
    assert not delivery.verify_signature(endpoint.secret, header, tampered)
    # A replay long after the timestamp is refused by the receiver's check too.
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert not delivery.verify_signature(endpoint.secret, header, got.body,
                                         now=timestamp + 3600)


def test_a_500_is_retried_with_growing_back_off_then_delivered(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    listener.planned[:] = [500, 503]
    services.send_test_event(s.lead, endpoint)
    db.session.commit()

    first = delivery.deliver_due()
    row, = deliveries()
    assert first.failed == 1 and row.status == DeliveryStatus.PENDING
    assert row.attempts == 1 and row.response_code == 500
    wait = row.next_attempt_at - row.last_attempt_at
    assert timedelta(seconds=29) < wait <= timedelta(seconds=31)

    assert delivery.deliver_due().failed == 0  # not due yet: nothing is sent
    assert len(listener.received) == 1

    _make_due(row)
    delivery.deliver_due()
    row, = deliveries()
    assert row.attempts == 2 and row.status == DeliveryStatus.PENDING
    assert timedelta(seconds=59) < row.next_attempt_at - row.last_attempt_at \
        <= timedelta(seconds=61)

    _make_due(row)
    assert delivery.deliver_due().delivered == 1
    row, = deliveries()
    assert row.status == DeliveryStatus.DELIVERED and row.attempts == 3
    assert len(listener.received) == 3
    assert len({item.json["id"] for item in listener.received}) == 1  # the same event
    assert row.endpoint.consecutive_failures == 0


def _make_due(row) -> None:
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_back_off_doubles_up_to_a_cap():
    delays = [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 30)]
    assert delays == [30, 60, 120, 3600, 3600]


def test_a_delivery_gives_up_after_the_last_attempt(make_app, listener):
    app = make_app(WEBHOOKS_ALLOW_LOCAL_HTTP=True, WEBHOOKS_MAX_ATTEMPTS=2)
    with app.app_context():
        s = ready_candidate()
        endpoint = endpoint_for(s.lead, listener.url())
        listener.planned[:] = [500, 500]
        services.send_test_event(s.lead, endpoint)
        db.session.commit()
        delivery.deliver_due()
        delivery.deliver_due(include_waiting=True)
        row, = deliveries()
        assert row.status == DeliveryStatus.FAILED and row.attempts == 2
        assert delivery.deliver_due(include_waiting=True).failed == 0
        assert len(listener.received) == 2


def test_an_endpoint_failing_again_and_again_is_switched_off(make_app, listener):
    app = make_app(WEBHOOKS_ALLOW_LOCAL_HTTP=True, WEBHOOKS_DISABLE_AFTER=3)
    with app.app_context():
        s = ready_candidate()
        endpoint = endpoint_for(s.lead, listener.url())
        listener.planned[:] = [500] * 10
        for _ in range(3):
            services.send_test_event(s.lead, endpoint)
        db.session.commit()
        delivery.deliver_due()
        db.session.expire_all()
        assert not endpoint.active and "3 failed attempts" in endpoint.disabled_reason
        # Its events wait: nothing more is sent until a lead switches it back on.
        with pytest.raises(DomainError):
            services.send_test_event(s.lead, endpoint)
        db.session.rollback()
        assert delivery.deliver_due(include_waiting=True).failed == 0
        assert len(listener.received) == 3
        services.set_active(s.lead, endpoint, True)
        db.session.commit()
        listener.planned[:] = []
        assert delivery.deliver_due(include_waiting=True).delivered == 3


def test_redirects_are_not_followed(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    listener.planned[:] = [(302, {"Location": listener.url("/elsewhere")}, b"")]
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    delivery.deliver_due()
    row, = deliveries()
    assert [item.path for item in listener.received] == ["/hooks"]
    assert row.response_code == 302 and row.status == DeliveryStatus.PENDING
    assert "Redirects are not followed" in row.last_error


def test_only_a_short_excerpt_of_the_answer_is_kept(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    listener.planned[:] = [(200, {}, b"x" * 100_000)]
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    delivery.deliver_due()
    row, = deliveries()
    assert row.status == DeliveryStatus.DELIVERED and len(row.response_excerpt) == 200


def test_an_endpoint_that_does_not_answer_is_a_failed_attempt(app):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, "http://127.0.0.1:9/hooks")  # discard port: refused
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    assert delivery.deliver_due().failed == 1
    row, = deliveries()
    assert row.response_code is None and row.last_error and row.attempts == 1


def test_a_rolled_back_change_queues_nothing(app, listener):
    s = ready_candidate()
    endpoint_for(s.lead, listener.url())
    reviews.record_completion(s.membership, s.lead)
    db.session.rollback()
    assert deliveries() == []
    # A refused change (the service raises) queues nothing either.
    with pytest.raises(DomainError):
        update_membership(s.lead, s.membership, MembershipChanges(
            role="candidate", status="nonsense", developer_id=None))
    db.session.rollback()
    assert deliveries() == []
    reviews.record_completion(s.membership, s.lead)
    db.session.commit()
    assert {row.event_type for row in deliveries()} == {
        EventType.PROGRAMME_COMPLETED, EventType.MEMBERSHIP_CHANGED}


def test_sign_offs_membership_changes_and_revocations_are_queued(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url(), events=[EventType.SIGNOFF_RECORDED])
    other = endpoint_for(s.lead, listener.url("/other"),
                         events=[EventType.MEMBERSHIP_CHANGED, EventType.COMPLETION_REVOKED])
    competency = s.cohort.framework.competencies[0]
    entry = s.entry
    from tests.factories import make_entry
    entry = make_entry(s.candidate, cohort=s.cohort, title="Second review",
                       competencies=[competency])
    db.session.flush()
    request = reviews.submit_for_review(entry, s.candidate, [competency.id], "Again please.")
    reviews.complete_review(request, s.developer,
                            [reviews.Decision(competency.id, "signed_off", "Good.")], "",
                            request.lock_version)
    completion = reviews.record_completion(s.membership, s.lead)
    reviews.revoke_completion(completion, s.lead, "Recorded by mistake.")
    db.session.commit()
    rows = deliveries()
    assert [row.event_type for row in rows if row.endpoint_id == endpoint.id] == [
        EventType.SIGNOFF_RECORDED]
    assert [row.event_type for row in rows if row.endpoint_id == other.id] == [
        EventType.MEMBERSHIP_CHANGED, EventType.MEMBERSHIP_CHANGED,
        EventType.COMPLETION_REVOKED]
    changed = [row.data for row in rows if row.event_type == EventType.MEMBERSHIP_CHANGED]
    assert [(item["previous_status"], item["status"]) for item in changed] == [
        ("active", "completed"), ("completed", "active")]
    delivery.deliver_due()
    signoff = next(item.json for item in listener.received if item.path == "/hooks")
    assert signoff["data"]["competency_code"] == competency.code
    assert signoff["data"]["decision"] == "signed_off"
    assert signoff["data"]["reviewer_name"] == s.developer.display_name
    assert b"Good." not in b"".join(item.body for item in listener.received)


def test_send_again_queues_the_same_event_as_a_new_delivery(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    delivery.deliver_due()
    first, = deliveries()
    services.send_again(s.lead, first)
    db.session.commit()
    delivery.deliver_due()
    assert len(deliveries()) == 2
    assert [item.json["id"] for item in listener.received] == [first.event_id] * 2
    assert len({item.headers["Portfolio-Delivery"] for item in listener.received}) == 2


@pytest.mark.parametrize("url", [
    "http://lms.example.org/hooks", "ftp://127.0.0.1/x", "https://", "not a url",
    "https://user:secret@lms.example.org/hooks", "http://127.0.0.1.example.org/x",
    "https://10.0.0.1/hooks", "https://169.254.169.254/latest", "https://[fd00::1]/x"])
def test_addresses_that_are_refused(app, url):
    s = ready_candidate()
    with pytest.raises(DomainError) as refused:
        services.create_endpoint(s.lead, url, [EventType.SIGNOFF_RECORDED])
    assert refused.value.field == "url"


def test_plain_http_to_this_machine_needs_the_setting(make_app):
    app = make_app()
    with app.app_context():
        s = ready_candidate()
        with pytest.raises(DomainError, match="https://"):
            services.create_endpoint(s.lead, "http://127.0.0.1:8000/hooks",
                                     [EventType.SIGNOFF_RECORDED])
        endpoint = services.create_endpoint(s.lead, "https://lms.example.org/hooks",
                                            [EventType.SIGNOFF_RECORDED])
        assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40


def test_only_leads_and_admins_manage_endpoints(app):
    s = ready_candidate()
    for person in (s.candidate, s.developer):
        with pytest.raises(DomainError):
            services.create_endpoint(person, "https://lms.example.org/hooks",
                                     [EventType.SIGNOFF_RECORDED])
    assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 0


def test_old_finished_deliveries_are_pruned(app, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    delivery.deliver_due()
    assert delivery.prune_finished() == 0
    assert delivery.prune_finished(now=utcnow() + timedelta(days=31)) == 1


def test_the_deliver_command_sends_what_is_due(app, runner, listener):
    s = ready_candidate()
    endpoint = endpoint_for(s.lead, listener.url())
    listener.planned[:] = [500]
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    first = runner.invoke(args=["webhooks", "deliver"])
    assert first.exit_code == 0 and "0 delivered, 1 failed" in first.output
    assert "0 delivered, 0 failed" in runner.invoke(args=["webhooks", "deliver"]).output
    assert "1 delivered" in runner.invoke(args=["webhooks", "deliver", "--all"]).output


def test_a_name_that_resolves_to_a_private_address_is_never_connected_to(app, monkeypatch):
    import socket

    s = ready_candidate()
    endpoint = endpoint_for(s.lead, "https://lms.example.org/hooks")
    services.send_test_event(s.lead, endpoint)
    db.session.commit()
    looked_up = []

    def resolves_inside(host, port, *args, **kwargs):
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    def no_connection(*args, **kwargs):
        raise AssertionError("connected to a private address")

    monkeypatch.setattr(socket, "getaddrinfo", resolves_inside)
    monkeypatch.setattr(socket, "create_connection", no_connection)
    assert delivery.deliver_due().failed == 1
    row, = deliveries()
    assert looked_up == ["lms.example.org"]
    assert row.response_code is None and "private or reserved" in row.last_error


def test_the_webhook_loop_prunes_on_its_first_pass_even_just_after_boot(app, monkeypatch):
    # time.monotonic() counts from boot on Linux; starting from 0 skipped the first prune.
    import threading

    from portfolio.webhooks import worker

    pruned = []
    monkeypatch.setattr(worker.time, "monotonic", lambda: 5.0)
    monkeypatch.setattr(worker, "_prune", lambda application: pruned.append(application))
    worker.run_webhook_worker(app, stop=threading.Event(), once=True)
    assert pruned == [app]
