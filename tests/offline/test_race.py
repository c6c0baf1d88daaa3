"""Two identical sends at the same moment (the outbox of two tabs, a retry crossing the first
answer) against a live server: the unique (person, key) settles it, one record is made and both
answers lead to it. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from portfolio.entries.models import Entry
from portfolio.extensions import db
from portfolio.observations.models import Observation
from portfolio.offline.models import SentOnceKey
from tests.entries.builders import form_fields
from tests.factories import make_scenario
from tests.live import together
from tests.observations.builders import default_template, form_data

SENDS = 3


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _settled(answers) -> set[str]:
    problems = [a for a in answers if isinstance(a, Exception) or a.status != 302]
    assert not problems, [a if isinstance(a, Exception) else (a.status, a.text[:300])
                          for a in answers]
    return {a.location for a in answers}


def test_identical_observations_sent_at_once_make_one(app, live_site):
    s = make_scenario()
    template = default_template(s.framework)
    db.session.commit()
    browsers = [live_site.browser_for(s.developer) for _ in range(SENDS)]
    path = f"/observations/new/{s.cohort.id}/{s.author.id}"
    data = form_data(template, idempotency_key=str(uuid.uuid4()))
    db.session.rollback()  # hold no transaction while the server works

    answers = together(SENDS, lambda n: browsers[n].post(path, data))

    [observation] = db.session.scalars(select(Observation)).all()
    assert _settled(answers) == {f"/observations/{observation.id}"}
    assert count(SentOnceKey) == 1


def test_identical_new_entries_sent_at_once_make_one(app, live_site):
    s = make_scenario()
    db.session.commit()
    browsers = [live_site.browser_for(s.author) for _ in range(SENDS)]
    data = form_fields(owner=s.author, action="save", idempotency_key=str(uuid.uuid4()))
    db.session.rollback()

    answers = together(SENDS, lambda n: browsers[n].post(
        "/portfolio/entries/new?model=what_so_what", data))

    [entry] = db.session.scalars(select(Entry).where(Entry.owner_id == s.author.id)).all()
    assert _settled(answers) == {f"/portfolio/entries/{entry.id}"}
    assert entry.latest_version_number == 1
