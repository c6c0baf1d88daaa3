"""A chair's double click or two tabs: outcomes sent together are recorded once, live."""

from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from portfolio.panels.models import OutcomeOption, PanelOutcome
from tests.factories import make_scenario
from tests.live import together
from tests.panels.builders import make_panel, open_window


def test_five_outcomes_sent_at_once_record_one_and_the_rest_are_told(live_site):
    s = make_scenario()
    panel = make_panel(s)
    open_window(panel)
    option = db.session.scalar(select(OutcomeOption).where(OutcomeOption.label == "Not yet"))
    db.session.commit()
    path = f"/panels/{panel.id}/outcome"
    browsers = [live_site.browser_for(s.lead) for _ in range(5)]
    data = {"outcome-option": str(option.id), "outcome-reasons": "Two more observations."}

    answers = together(5, lambda n: browsers[n].post(path, data))

    problems = [a if isinstance(a, Exception) else (a.status, a.text[:300])
                for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert not problems, problems
    assert sorted(a.status for a in answers) == [302, 409, 409, 409, 409], \
        [(a.status, a.text[:200]) for a in answers]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PanelOutcome.id))) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "panel.outcome_recorded")) == 1
    for answer in answers:
        if answer.status == 409:
            assert "already recorded" in answer.text and "Two more observations." in answer.text
