"""The worker's housekeeping: every feature's registered periodic task runs with the worker,
without anyone remembering a cron line, and one failing task does not stop the others."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portfolio.consent import services as consent_services
from portfolio.database import utcnow
from portfolio.evidence import resumable
from portfolio.evidence.models import Evidence
from portfolio.evidence.resumable import UploadSession
from portfolio.exports.worker import run_housekeeping, run_worker
from portfolio.extensions import db
from portfolio.registry import registry_of
from tests.consent.builders import consented, shared_photo
from tests.factories import make_scenario


def _due_work(s):
    """A photo whose consent was withdrawn 31 days ago, and an unfinished upload past expiry."""
    photo, _ = shared_photo(s.author, s.cohort)
    consent = consented(s.author, photo)
    consent_services.withdraw_consent(s.author, consent, now=utcnow() - timedelta(days=31))
    upload = resumable.start(s.author, filename="plan.pdf", size=10, sha256="0" * 64)
    upload.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    return photo.id


def test_the_features_register_their_periodic_tasks(app):
    names = [item.name for item in registry_of(app).housekeeping]
    assert names == sorted(set(names), key=names.index)  # none twice
    assert {"consent purge", "expired unfinished uploads"} <= set(names)


def test_the_worker_purges_withdrawn_consent_and_expired_uploads(app):
    s = make_scenario()
    photo_id = _due_work(s)
    run_worker(app, once=True)
    db.session.expire_all()
    assert db.session.get(Evidence, photo_id) is None
    assert db.session.scalar(select(func.count()).select_from(UploadSession)) == 0


def test_one_failing_task_is_rolled_back_and_the_others_still_run(app):
    s = make_scenario()
    photo_id = _due_work(s)
    registry = registry_of(app)

    def broken() -> int:
        raise RuntimeError("disk unavailable")

    registry.add_housekeeping("broken", broken)
    registry.housekeeping.insert(0, registry.housekeeping.pop())  # it runs first
    try:
        done = run_housekeeping(app)
    finally:
        registry.housekeeping[:] = [item for item in registry.housekeeping
                                    if item.name != "broken"]
    assert done["broken"] is None
    assert done["consent purge"] == 1 and done["expired unfinished uploads"] == 1
    db.session.expire_all()
    assert db.session.get(Evidence, photo_id) is None


def test_the_first_pass_cleans_up_even_just_after_the_machine_started(app, monkeypatch):
    # time.monotonic() counts from boot on Linux: a worker started in a machine's first ten
    # minutes used to skip its first clean-up, and with `once` it never ran at all.
    from portfolio.exports import worker

    s = make_scenario()
    photo_id = _due_work(s)
    monkeypatch.setattr(worker.time, "monotonic", lambda: 5.0)
    run_worker(app, once=True)
    db.session.expire_all()
    assert db.session.get(Evidence, photo_id) is None
