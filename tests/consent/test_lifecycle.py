"""Recording, withdrawing and purging consent: bad input is refused next to the field,
withdrawal hides the evidence from everyone at once, and the purge deletes it (file and row)
only once the grace period has passed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portfolio import storage
from portfolio.audit.models import AuditEvent
from portfolio.consent import services
from portfolio.consent.models import ConsentRecord
from portfolio.database import utcnow
from portfolio.errors import ConflictError, DomainError
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.consent.builders import GIVEN_ON, consented, shared_photo
from tests.factories import make_scenario


def _flagged():
    s = make_scenario()
    photo, _ = shared_photo(s.author, s.cohort)
    return s, photo, services.flag_evidence(s.author, photo)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"given_by": "   "}, "given_by", "Enter the name"),
    ({"given_by": "A" * 121}, "given_by", "120 characters or fewer"),
    ({"given_on": date(2026, 12, 2)}, "given_on", "cannot be in the future"),
    ({"given_on": date(1999, 12, 31)}, "given_on", "Enter the date"),
    ({"given_on": None}, "given_on", "Enter the date"),
    ({"scope": "everyone"}, "scope", "Choose what the consent covers"),
    ({"relationship": "coach"}, "relationship", "Choose how the person is related"),
])
def test_bad_input_is_refused_next_to_its_field(app, changes, field, words):
    s, _, consent = _flagged()
    values = {"given_by": "Maria Parent", "relationship": "parent", "given_on": GIVEN_ON,
              "scope": "wider"} | changes
    with pytest.raises(DomainError) as refused:
        services.record_consent(s.author, consent, today=date(2026, 12, 1), **values)
    assert refused.value.field == field and words in refused.value.message
    assert consent.given_on is None


def test_only_the_owner_records_and_consent_is_recorded_once(app):
    s, photo, consent = _flagged()
    with pytest.raises(DomainError):
        services.record_consent(s.developer, consent, given_by="X", relationship="parent",
                                given_on=GIVEN_ON, scope="wider")
    services.record_consent(s.author, consent, given_by="Maria Parent", relationship="parent",
                            given_on=GIVEN_ON, scope="assessment")
    with pytest.raises(ConflictError):
        services.record_consent(s.author, consent, given_by="Someone Else",
                                relationship="carer", given_on=GIVEN_ON, scope="wider")
    assert consent.given_by_name == "Maria Parent" and consent.scope == "assessment"
    assert services.flag_evidence(s.author, photo).id == consent.id  # flagging again: the same


def test_the_form_shows_errors_and_keeps_what_was_typed(app, client, login):
    s, photo, _ = _flagged()
    db.session.commit()
    login(s.author)
    assert "Record consent" in client.get(f"/consent/evidence/{photo.id}").get_data(as_text=True)
    answer = client.post(f"/consent/evidence/{photo.id}", data={
        "given_by": "Maria Parent", "relationship": "parent",
        "given_on": "2030-01-01", "scope": "wider"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "cannot be in the future" in text and 'value="Maria Parent"' in text
    answer = client.post(f"/consent/evidence/{photo.id}", data={
        "given_by": "Maria Parent", "relationship": "parent",
        "given_on": "2026-11-20", "scope": "wider"})
    assert answer.status_code == 302
    assert db.session.scalar(select(ConsentRecord.given_by_name)) == "Maria Parent"


def test_withdrawal_hides_it_from_everyone_at_once_and_purge_waits_for_the_grace(app, client,
                                                                                login):
    s = make_scenario()
    photo, _ = shared_photo(s.author, s.cohort)
    consent = consented(s.author, photo)
    key = photo.storage_key
    db.session.commit()
    login(s.developer)
    assert client.get(f"/evidence/{photo.id}/file").status_code == 200
    moment = utcnow()
    services.withdraw_consent(s.author, consent, now=moment)
    services.withdraw_consent(s.author, consent, now=moment + timedelta(days=3))  # second tab
    db.session.commit()
    assert consent.deletion_due_at == moment + timedelta(days=30)
    for role, path, status in (
            ("developer", "", 404), ("developer", "/file", 404), ("peer", "", 404),
            ("peer", "/thumbnail", 404),
            # The candidate still sees the page (it says when it goes), never the file.
            ("author", "", 200), ("author", "/file", 404), ("author", "/thumbnail", 404),
            ("author", "/download", 404)):
        login(getattr(s, role))
        assert client.get(f"/evidence/{photo.id}{path}").status_code == status, (role, path)
    login(s.author)
    assert "it will be deleted on" in client.get(f"/evidence/{photo.id}").get_data(as_text=True)

    assert services.purge_due(now=moment + timedelta(days=29)) == 0
    db.session.commit()
    assert db.session.get(Evidence, photo.id) is not None
    assert services.purge_due(now=moment + timedelta(days=30, seconds=1)) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Evidence, photo.id) is None
    assert storage.stored_file(key) is None
    kept = db.session.get(ConsentRecord, consent.id)
    assert kept.evidence_id is None and kept.deleted_at is not None and kept.status == "deleted"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"consent.flagged", "consent.recorded", "consent.withdrawn", "consent.purged",
            "evidence.deleted"} <= actions
    assert services.purge_due(now=moment + timedelta(days=40)) == 0  # nothing twice


def test_the_grace_period_comes_from_config(make_app, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_CONSENT_DELETION_GRACE_DAYS", "7")
    app = make_app()
    with app.app_context():
        s = make_scenario()
        photo, _ = shared_photo(s.author, s.cohort)
        consent = consented(s.author, photo)
        moment = utcnow()
        services.withdraw_consent(s.author, consent, now=moment)
        assert consent.deletion_due_at == moment + timedelta(days=7)


def test_flask_consent_purge_deletes_what_is_due(app):
    s = make_scenario()
    photo, _ = shared_photo(s.author, s.cohort)
    consent = consented(s.author, photo)
    services.withdraw_consent(s.author, consent, now=utcnow() - timedelta(days=31))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["consent", "purge"])
    assert result.exit_code == 0 and "Deleted 1 item " in result.output
    db.session.expire_all()
    assert db.session.get(Evidence, photo.id) is None
