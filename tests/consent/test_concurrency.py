"""Two tabs at once, against a live server: consent is flagged and recorded once, the loser is
told with their own text kept, and two withdrawals queue one deletion."""

from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.consent import services
from portfolio.consent.models import ConsentRecord
from portfolio.extensions import db
from tests.consent.builders import shared_photo
from tests.factories import make_scenario
from tests.live import together


def _events(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def _no_errors(answers):
    problems = [a if isinstance(a, Exception) else (a.status, a.text[:300])
                for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert not problems, problems


def test_two_tabs_flag_and_record_at_once_keep_one_record(live_site):
    s = make_scenario()
    photo, _ = shared_photo(s.author, s.cohort)
    db.session.commit()
    path = f"/consent/evidence/{photo.id}"
    tabs = [live_site.browser_for(s.author) for _ in range(2)]

    flags = together(2, lambda n: tabs[n].post(f"{path}/flag", {}))
    _no_errors(flags)
    assert [a.status for a in flags] == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ConsentRecord.id))) == 1

    names = ["Maria Parent", "Joe Carer"]
    answers = together(2, lambda n: tabs[n].post(path, {
        "given_by": names[n], "relationship": "parent", "given_on": "2026-11-20",
        "scope": "wider"}))
    _no_errors(answers)
    assert sorted(a.status for a in answers) == [302, 409], [(a.status, a.text[:200])
                                                            for a in answers]
    db.session.expire_all()
    kept = db.session.scalar(select(ConsentRecord))
    loser = next(n for n, a in enumerate(answers) if a.status == 409)
    assert kept.given_by_name == names[1 - loser]
    assert "already recorded" in answers[loser].text
    assert _events("consent.recorded") == 1


def test_two_tabs_withdrawing_at_once_queue_one_deletion(live_site):
    s = make_scenario()
    photo, _ = shared_photo(s.author, s.cohort)
    consent = services.flag_evidence(s.author, photo)
    services.record_consent(s.author, consent, given_by="Maria Parent", relationship="parent",
                            given_on=consent.flagged_at.date(), scope="wider")
    db.session.commit()
    path, consent_id = f"/consent/evidence/{photo.id}/withdraw", consent.id
    tabs = [live_site.browser_for(s.author) for _ in range(2)]
    answers = together(2, lambda n: tabs[n].post(path, {}))
    _no_errors(answers)
    assert [a.status for a in answers] == [302, 302]
    db.session.expire_all()
    assert _events("consent.withdrawn") == 1
    assert db.session.get(ConsentRecord, consent_id).withdrawn_at is not None
