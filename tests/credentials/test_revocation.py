"""Revoking a completion revokes its credential; completing again issues a new one."""

from __future__ import annotations

from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.credentials.models import Credential
from portfolio.extensions import db
from portfolio.reviews import services
from portfolio.reviews.models import ProgrammeCompletion, ProgrammeCompletionRevocation
from tests.credentials.builders import completed_candidate, ready_candidate
from tests.factories import make_user
from tests.live import together


def _progress_url(s):
    return f"/reviews/cohorts/{s.cohort.id}/candidates/{s.candidate.id}"


def test_a_lead_revokes_a_completion_and_its_credential_from_the_progress_page(
        app, client, login):
    s = completed_candidate()
    login(s.lead)
    page = client.get(_progress_url(s)).get_data(as_text=True)
    assert "Completed on" in page and "by Lee Lead" in page and "Revoke completion" in page
    refused = client.post(_progress_url(s) + "/completion/revoke", data={"reason": "  "})
    assert refused.status_code == 400
    assert "Give the reason for revoking this completion." in refused.get_data(as_text=True)
    response = client.post(_progress_url(s) + "/completion/revoke",
                           data={"reason": "Recorded before the final panel."},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Programme completion revoked for Hana Holder." in text
    assert "Completion revoked." in text and "Recorded before the final panel." in text
    assert "Record programme completion" in text  # it can be recorded again
    db.session.expire_all()
    assert s.membership.status == "active" and s.membership.completed_at is None
    assert s.credential.revoked_at is not None
    assert s.credential.revocation_reason == "Recorded before the final panel."
    assert db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == "programme.completion_revoked")).count("Recorded before") == 0
    listed = client.get("/credentials/revocations").get_json()["revokedCredentials"]
    assert [item["id"] for item in listed] == [f"urn:uuid:{s.credential.id}"]
    assert listed[0]["revocationReason"] == "Recorded before the final panel."
    public = client.get(f"/credentials/{s.credential.id}").get_data(as_text=True)
    assert "Revoked on" in public and "Recorded before the final panel." in public
    assert "Signature valid" not in public


def test_completing_again_after_a_revocation_issues_a_new_credential(app, client):
    s = completed_candidate()
    services.revoke_completion(s.completion, s.lead, "Wrong candidate selected.")
    db.session.commit()
    again = services.record_completion(s.membership, s.lead, "Panel confirmed.")
    db.session.commit()
    assert (s.completion.number, again.number) == (1, 2)
    credentials = db.session.scalars(select(Credential).order_by(Credential.issued_at)).all()
    assert len(credentials) == 2 and credentials[0].id == s.credential.id
    new = db.session.scalar(select(Credential).where(Credential.completion_id == again.id))
    assert new.revoked_at is None and new.id != s.credential.id
    assert "Signature valid" in client.get(f"/credentials/{new.id}").get_data(as_text=True)
    assert "Revoked on" in client.get(f"/credentials/{s.credential.id}").get_data(as_text=True)
    assert s.membership.status == "completed"


def test_only_leads_and_admins_revoke_and_only_once(app):
    import pytest

    from portfolio.errors import DomainError

    s = completed_candidate()
    with pytest.raises(DomainError, match="Only a programme lead or admin"):
        services.revoke_completion(s.completion, s.developer, "Mine")
    services.revoke_completion(s.completion, s.lead, "First")
    with pytest.raises(services.AlreadyRecorded, match="already been revoked"):
        services.revoke_completion(s.completion, s.lead, "Second")


def test_a_revocation_cannot_be_changed_or_deleted_by_the_database(app):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    s = completed_candidate()
    services.revoke_completion(s.completion, s.lead, "Recorded in error.")
    db.session.commit()
    for statement in ("UPDATE programme_completion_revocations SET reason = 'forged'",
                      "DELETE FROM programme_completion_revocations",
                      "UPDATE programme_completions SET note = 'forged'"):
        with pytest.raises(DatabaseError), db.engine.begin() as connection:
            connection.execute(text(statement))


def _race(actions):
    """Send each (browser, path, data) at once from its own thread; return the answers."""
    answers = together(len(actions), lambda n: actions[n][0].post(actions[n][1], actions[n][2]))
    assert not any(isinstance(answer, Exception) for answer in answers), answers
    return answers


def _settled(answers, url):
    """Each answer is the progress page again (done, or told it was already done)."""
    return all(answer.status == 302 and answer.location.endswith(url) for answer in answers)


def test_revoke_and_record_at_once_never_fail_and_leave_consistent_rows(app, live_site):
    s = completed_candidate()
    other_lead = make_user(name="Lou Lead", lead=True)
    db.session.commit()
    url = _progress_url(s)
    for round_number in range(3):
        answers = _race([
            (live_site.browser_for(s.lead), url + "/completion/revoke",
             {"reason": f"Round {round_number}"}),
            (live_site.browser_for(other_lead), url + "/completion", {"note": "Again"}),
            (live_site.browser_for(other_lead), url + "/completion/revoke",
             {"reason": f"Twice {round_number}"}),
        ])
        assert _settled(answers, url), [(a.status, a.location, a.text[:300]) for a in answers]
        db.session.expire_all()
        completions = db.session.scalars(select(ProgrammeCompletion).where(
            ProgrammeCompletion.membership_id == s.membership.id)
            .order_by(ProgrammeCompletion.number)).all()
        assert [c.number for c in completions] == list(range(1, len(completions) + 1))
        standing = [c for c in completions if c.revocation is None]
        assert len(standing) <= 1
        # One credential per completion, revoked exactly when its completion is.
        for completion in completions:
            credential = db.session.scalar(select(Credential).where(
                Credential.completion_id == completion.id))
            assert credential is not None
            assert (credential.revoked_at is None) == (completion.revocation is None)
        assert s.membership.status == ("completed" if standing else "active")
        if not standing:  # put a completion back for the next round
            services.record_completion(s.membership, s.lead)
            db.session.commit()
    assert db.session.scalar(select(func.count(ProgrammeCompletionRevocation.id))) >= 1


def test_two_leads_recording_at_once_make_one_completion_and_one_credential(app, live_site):
    s = ready_candidate()
    other_lead = make_user(name="Lou Lead", lead=True)
    db.session.commit()
    url = _progress_url(s) + "/completion"
    answers = _race([(live_site.browser_for(lead), url, {"note": "Done"})
                     for lead in (s.lead, other_lead, s.lead)])
    assert _settled(answers, _progress_url(s)), [(a.status, a.location) for a in answers]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ProgrammeCompletion.id))) == 1
    assert db.session.scalar(select(func.count(Credential.id))) == 1


def test_a_revocation_landing_while_a_completion_is_recorded_leaves_consistent_rows(
        make_app, monkeypatch):
    """The lead recording reads the candidate's status, then looks for a completion that
    stands. Another lead's revocation committed between those two reads used to go unseen on
    SQLite (each read saw its own moment): a new completion stood with the candidate "active".
    Now the recording holds the write lock from its first read, so the revocation waits."""
    import threading

    import pytest

    from portfolio.auth.models import User
    from portfolio.reviews.services import completion as completion_services

    recording, revoking = make_app(), make_app()
    with recording.app_context():
        s = completed_candidate()
        other_lead = make_user(name="Lou Lead", lead=True)
        db.session.commit()
        completion_id, lead_id, membership_id = s.completion.id, other_lead.id, s.membership.id
        revoked = []

        def revoke():
            with revoking.app_context():
                services.revoke_completion(db.session.get(ProgrammeCompletion, completion_id),
                                           db.session.get(User, lead_id), "Wrong candidate.")
                db.session.commit()
                revoked.append(True)

        other = threading.Thread(target=revoke)
        looked_up = completion_services.current_completion_id

        def revoke_in_between(membership):
            other.start()
            other.join(2)  # held back while this transaction decides (or done, if unlocked)
            return looked_up(membership)

        monkeypatch.setattr(completion_services, "current_completion_id", revoke_in_between)
        with pytest.raises(services.AlreadyRecorded):
            services.record_completion(s.membership, s.lead, "Again")
        db.session.rollback()
        other.join(30)
        assert revoked == [True]
        db.session.expire_all()
        completions = db.session.scalars(select(ProgrammeCompletion).where(
            ProgrammeCompletion.membership_id == membership_id)).all()
        assert [(c.number, c.revocation is not None) for c in completions] == [(1, True)]
        assert s.membership.status == "active"
