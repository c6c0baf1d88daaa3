"""Sent-once keys: a form a phone's outbox sends again (a retry after a lost answer, a second
tab) makes one record, answered with the first one's page; a key is one person's only."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from portfolio.entries.models import Entry
from portfolio.extensions import db
from portfolio.observations.models import Observation
from portfolio.offline import services
from portfolio.offline.models import SentOnceKey
from tests.entries.builders import form_fields
from tests.factories import make_scenario, sign_in
from tests.observations.builders import default_template, form_data


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("raw, expected", [
    ("6f1c1f9e-1d9a-4f57-9c1e-2b0f1c6a7e11", "6f1c1f9e-1d9a-4f57-9c1e-2b0f1c6a7e11"),
    ("6F1C1F9E-1D9A-4F57-9C1E-2B0F1C6A7E11", "6f1c1f9e-1d9a-4f57-9c1e-2b0f1c6a7e11"),
    ("", None), ("not-a-key", None), ("x" * 5000, None), (None, None),
])
def test_only_a_well_formed_uuid_is_a_key(raw, expected):
    assert services.key_from({services.FIELD: raw} if raw is not None else {}) == expected


def test_a_key_creates_once_and_remembers_where_the_result_is(app):
    s = make_scenario()
    key = str(uuid.uuid4())
    made = []
    value = services.create_once(s.author, key, "note", lambda: made.append(1) or "first",
                                 lambda result: f"/somewhere/{result}")
    assert value == "first"
    db.session.commit()
    assert services.earlier_result(s.author, key) == "/somewhere/first"
    with pytest.raises(services.AlreadySent):
        services.create_once(s.author, key, "note", lambda: made.append(2), str)
    db.session.rollback()
    assert made == [1]


def test_a_key_is_one_persons_only(app):
    s = make_scenario()
    key = str(uuid.uuid4())
    services.create_once(s.author, key, "note", lambda: "mine", lambda r: "/mine")
    db.session.commit()
    assert services.earlier_result(s.peer, key) is None
    # The same key from another person is their own key, not a replay of the first.
    services.create_once(s.peer, key, "note", lambda: "theirs", lambda r: "/theirs")
    db.session.commit()
    assert services.earlier_result(s.peer, key) == "/theirs"


def test_a_refused_create_leaves_the_key_unspent(app):
    s = make_scenario()
    key = str(uuid.uuid4())

    def refuse():
        raise services.DomainError("No.")

    with pytest.raises(services.DomainError):
        services.create_once(s.author, key, "note", refuse, str)
    db.session.rollback()
    assert services.earlier_result(s.author, key) is None


def test_no_key_creates_as_before(app):
    s = make_scenario()
    assert services.create_once(s.author, None, "note", lambda: 7, str) == 7
    assert count(SentOnceKey) == 0


def test_an_observation_sent_twice_is_recorded_once(app, client):
    s = make_scenario()
    template = default_template(s.framework)
    db.session.commit()
    sign_in(client, s.developer)
    path = f"/observations/new/{s.cohort.id}/{s.author.id}"
    data = form_data(template, idempotency_key=str(uuid.uuid4()))
    first = client.post(path, data=data)
    second = client.post(path, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Observation) == 1
    # A new form (a new key) is a new observation.
    assert client.post(path, data=form_data(template, idempotency_key=str(uuid.uuid4()))) \
        .status_code == 302
    assert count(Observation) == 2


def test_a_refused_observation_can_be_corrected_and_sent_with_the_same_key(app, client):
    s = make_scenario()
    template = default_template(s.framework)
    db.session.commit()
    sign_in(client, s.developer)
    path = f"/observations/new/{s.cohort.id}/{s.author.id}"
    key = str(uuid.uuid4())
    refused = client.post(path, data=form_data(template, observed_on="", idempotency_key=key))
    assert refused.status_code == 400 and count(Observation) == 0
    assert client.post(path, data=form_data(template, idempotency_key=key)).status_code == 302
    assert count(Observation) == 1


def test_a_new_entry_sent_twice_is_created_once(app, client):
    s = make_scenario()
    db.session.commit()
    sign_in(client, s.author)
    data = form_fields(owner=s.author, action="save", idempotency_key=str(uuid.uuid4()))
    first = client.post("/portfolio/entries/new?model=what_so_what", data=data)
    second = client.post("/portfolio/entries/new?model=what_so_what", data=data)
    assert first.status_code == second.status_code == 302
    [entry] = db.session.scalars(select(Entry).where(Entry.owner_id == s.author.id)).all()
    assert first.headers["Location"].endswith(f"/portfolio/entries/{entry.id}")
    assert second.headers["Location"] == f"/portfolio/entries/{entry.id}"
    assert entry.latest_version_number == 1


def test_another_persons_key_never_opens_their_entry(app, client):
    s = make_scenario()
    db.session.commit()
    key = str(uuid.uuid4())
    sign_in(client, s.author)
    client.post("/portfolio/entries/new?model=what_so_what",
                data=form_fields(owner=s.author, idempotency_key=key))
    other = app.test_client()
    sign_in(other, s.peer)
    answer = other.post("/portfolio/entries/new?model=what_so_what",
                        data=form_fields(owner=s.peer, idempotency_key=key))
    [mine] = db.session.scalars(select(Entry).where(Entry.owner_id == s.author.id)).all()
    assert answer.status_code == 302 and f"/entries/{mine.id}" not in answer.headers["Location"]
    assert count(Entry) == 2


def test_an_entry_kept_at_sign_in_and_sent_by_the_outbox_is_one_entry(app):
    import re

    from tests.entries.test_never_lose import end_sessions_of, sign_in_with_password

    s = make_scenario()
    db.session.commit()
    client = app.test_client()
    sign_in_with_password(client, s.author)
    page = client.get("/portfolio/entries/new?model=what_so_what").get_data(as_text=True)
    owner = re.search(r'name="owner"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="owner"', page)
    end_sessions_of(s.author)
    data = form_fields(owner=s.author, owner_token=owner.group(1), action="draft",
                       idempotency_key=str(uuid.uuid4()))
    # The session ended: the server keeps the entry for sign-in, the phone keeps it too.
    assert "/account/login" in client.post("/portfolio/entries/new?model=what_so_what",
                                           data=data).headers["Location"]
    sign_in_with_password(client, s.author)
    kept = client.get("/portfolio/entries/new?model=what_so_what")
    [entry] = db.session.scalars(select(Entry).where(Entry.owner_id == s.author.id)).all()
    # ...then the phone's outbox sends it: the same entry, not a second one.
    again = client.post("/portfolio/entries/new?model=what_so_what", data=data)
    assert again.status_code == 302 and kept.headers["Location"] == again.headers["Location"]
    assert count(Entry) == 1 and entry.id
