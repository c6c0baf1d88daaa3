"""Panel pages as people use them: the candidate sees the outcome and reasons, never notes;
an external assessor invited by link reaches their panel and nothing else."""

from __future__ import annotations

from sqlalchemy import select

from portfolio.auth.models import User
from portfolio.extensions import db
from portfolio.panels import services
from portfolio.panels.models import OutcomeOption
from tests.factories import make_scenario
from tests.panels.builders import make_panel, open_window

NOTE = "Worried about the athlete welfare plan"


def _decided(s, **options):
    panel = make_panel(s, **options)
    open_window(panel)
    services.save_note(panel, s.developer, NOTE, None)
    option = db.session.scalar(select(OutcomeOption).where(OutcomeOption.label == "Not yet"))
    services.record_outcome(panel, s.lead, option.id, "Show **two** more observed sessions.",
                            None)
    db.session.commit()
    return panel


def test_the_candidate_sees_outcome_and_reasons_but_never_the_notes(app, client, login):
    s = make_scenario()
    panel = _decided(s)
    login(s.author)
    for path in (f"/panels/{panel.id}", "/portfolio/", "/panels/"):
        page = client.get(path).get_data(as_text=True)
        assert NOTE not in page, path
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "Outcome: Not yet" in page and "<strong>two</strong>" in page
    home = client.get("/portfolio/").get_data(as_text=True)
    assert "Not yet" in home and f"/panels/{panel.id}" in home
    login(s.developer)
    assert NOTE in client.get(f"/panels/{panel.id}").get_data(as_text=True)


def test_an_external_assessor_is_invited_and_reaches_only_their_panel(app, client, login):
    s = make_scenario()
    panel = _decided(s, external_email="Assessor@Example.org")
    other = make_panel(s, candidates=[s.peer])
    db.session.commit()
    external = db.session.scalar(select(User).where(User.email == "assessor@example.org"))
    assert external is not None and not external.has_password  # set up through the link
    login(external)
    assert client.get("/home").headers["Location"].endswith("/panels/")
    assert NOTE in client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert client.get(f"/panels/{other.id}").status_code == 404
    assert "Aisha Author" not in client.get("/exports/").get_data(as_text=True)
    for path in (f"/portfolio/candidates/{s.author.id}", "/reviews/",
                 f"/reviews/cohorts/{s.cohort.id}/candidates/{s.author.id}"):
        assert client.get(path).status_code in (403, 404), path


def test_panel_members_open_the_submitted_showcase_files_and_no_one_else_does(app, client,
                                                                            login):
    from portfolio.showcases import services as showcase_services
    from tests.exports.builders import make_file_evidence
    from tests.panels.builders import make_showcase

    s = make_scenario()
    showcase = make_showcase(s.author, s.cohort)
    plan = make_file_evidence(s.author, "Relay plan.pdf", b"%PDF-1.4 relay plan")
    showcase_services.add_evidence(showcase, s.author, evidence_id=plan.id,
                                   expected_lock=None)
    panel = make_panel(s)
    services.submit_showcase(panel, s.author, showcase)
    open_window(panel)
    db.session.commit()
    [item] = [item for item in panel.showcase.items if item.evidence_id == plan.id]
    address = f"/showcases/{panel.showcase.id}/files/{item.id}"
    login(s.developer)  # on the panel
    page = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert address in page
    response = client.get(address)
    assert response.status_code == 200 and response.data == b"%PDF-1.4 relay plan"
    login(s.peer)  # in the cohort, not on the panel
    assert client.get(address).status_code == 404
