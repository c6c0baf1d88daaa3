"""The lead's pages: register an endpoint (secret shown once), deliveries, test, send again."""

from __future__ import annotations

import re

from sqlalchemy import select

from portfolio.extensions import db
from portfolio.webhooks import delivery
from portfolio.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.factories import make_scenario
from tests.webhooks.builders import endpoint_for


def test_a_lead_registers_an_endpoint_and_sees_the_secret_once(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    assert client.get("/webhooks/").status_code == 200
    answer = client.post("/webhooks/", data={
        "url": "https://lms.example.org/hooks", "description": "Federation LMS",
        "events": ["programme.completed", "signoff.recorded"]})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "shown only this once" in text
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.event_types == ["programme.completed", "signoff.recorded"]
    assert endpoint.secret in text
    for page in ("/webhooks/", f"/webhooks/{endpoint.id}"):
        shown = client.get(page).get_data(as_text=True)
        assert "https://lms.example.org/hooks" in shown and endpoint.secret not in shown


def test_the_same_registration_sent_again_registers_nothing_more(app, client, login):
    """A reload of the page that showed the secret sends the form again: no second endpoint,
    no second secret, and the lead is told where the first one is."""
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    form_key = re.search(r'name="submission_key"[^>]*value="([^"]+)"',
                         client.get("/webhooks/").get_data(as_text=True)).group(1)
    sent = {"url": "https://lms.example.org/hooks", "events": ["programme.completed"],
            "submission_key": form_key}
    assert "shown only this once" in client.post("/webhooks/", data=sent).get_data(as_text=True)
    again = client.post("/webhooks/", data=sent)
    text = again.get_data(as_text=True)
    assert again.status_code == 400 and "registered its endpoint already" in text
    assert "shown only this once" not in text
    assert len(db.session.scalars(select(WebhookEndpoint)).all()) == 1
    # A fresh form (the page opened again) registers a second endpoint as asked.
    sent["submission_key"] = "another-form"
    assert client.post("/webhooks/", data=sent).status_code == 200
    assert len(db.session.scalars(select(WebhookEndpoint)).all()) == 2


def test_a_bad_address_comes_back_with_the_message_and_the_form_kept(app, client, login):
    s = make_scenario()
    db.session.commit()
    login(s.lead)
    answer = client.post("/webhooks/", data={"url": "http://lms.example.org/hooks",
                                             "description": "Kept words", "events": []})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Choose at least one event to send." in text and "Kept words" in text
    answer = client.post("/webhooks/", data={"url": "http://lms.example.org/hooks",
                                             "events": ["signoff.recorded"]})
    assert answer.status_code == 400 and "must start with https://" in answer.get_data(
        as_text=True)
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_the_endpoint_page_lists_deliveries_with_status_code_attempts_and_next_try(
        app, client, login, listener):
    s = make_scenario()
    endpoint = endpoint_for(s.lead, listener.url())
    login(s.lead)
    listener.planned[:] = [500]
    assert client.post(f"/webhooks/{endpoint.id}/test").status_code == 302
    delivery.deliver_due()
    text = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "webhook.test" in text and "Waiting" in text and "500" in text
    assert "The endpoint answered 500." in text
    row = db.session.scalar(select(WebhookDelivery))
    delivery.deliver_due(include_waiting=True)
    db.session.expire_all()
    assert row.status == DeliveryStatus.DELIVERED
    page = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Delivered" in page and "Send again" in page
    assert client.post(f"/webhooks/deliveries/{row.id}/resend").status_code == 302
    assert len(db.session.scalars(select(WebhookDelivery)).all()) == 2


def test_switching_off_and_on_and_removing(app, client, login):
    s = make_scenario()
    endpoint = endpoint_for(s.lead, "https://lms.example.org/hooks")
    login(s.admin)
    client.post(f"/webhooks/{endpoint.id}/disable")
    db.session.expire_all()
    assert not endpoint.active
    page = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Switched off by a programme lead." in page and "Send a test event" not in page
    client.post(f"/webhooks/{endpoint.id}/test")
    assert db.session.scalar(select(WebhookDelivery)) is None  # refused: it is off
    client.post(f"/webhooks/{endpoint.id}/enable")
    db.session.expire_all()
    assert endpoint.active
    assert client.post(f"/webhooks/{endpoint.id}/delete").headers["Location"] == "/webhooks/"
    db.session.expire_all()
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_people_without_the_lead_role_are_turned_away(app, client, login):
    s = make_scenario()
    endpoint = endpoint_for(s.lead, "https://lms.example.org/hooks")
    assert client.get("/webhooks/").status_code == 302  # sign in first
    for person in (s.author, s.developer, s.stranger):
        login(person)
        for path in ("/webhooks/", f"/webhooks/{endpoint.id}"):
            answer = client.get(path)
            assert answer.status_code == 403, (person.display_name, path)
            assert "lms.example.org" not in answer.get_data(as_text=True)
        assert client.post(f"/webhooks/{endpoint.id}/delete").status_code == 403
    assert db.session.get(WebhookEndpoint, endpoint.id) is not None


def test_the_deliveries_page_uses_a_fixed_number_of_statements(app, client, login, listener):
    from sqlalchemy import event

    s = make_scenario()
    endpoint = endpoint_for(s.lead, listener.url())
    login(s.lead)

    def statements_for(path):
        seen = []
        listener_fn = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener_fn)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener_fn)
        return len([sql for sql in seen if re.match(r"\s*SELECT", sql, re.I)])

    client.post(f"/webhooks/{endpoint.id}/test")
    few = statements_for(f"/webhooks/{endpoint.id}"), statements_for("/webhooks/")
    for _ in range(12):
        client.post(f"/webhooks/{endpoint.id}/test")
    endpoint_for(s.lead, listener.url("/second"))
    many = statements_for(f"/webhooks/{endpoint.id}"), statements_for("/webhooks/")
    assert many == few
