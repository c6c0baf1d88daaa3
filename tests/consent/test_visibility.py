"""Who sees evidence showing athletes under 18, on every channel: the evidence page, its file
and thumbnail, lists and search (the SQL filter), showcases and their secret links, and a
lead's cohort archive. Only the candidate, the cohort's coach developers and (with wider
consent, where the entry is shared with them) the peer group."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from portfolio.consent import services
from portfolio.evidence.models import Evidence
from portfolio.evidence.permissions import can_view_evidence, visible_evidence_filter
from portfolio.extensions import db
from portfolio.showcases import links
from portfolio.showcases import services as showcase_services
from tests.consent.builders import GIVEN_ON, consented, shared_photo
from tests.factories import make_scenario
from tests.policy_world import add_cross_cohort_actors

EVERYONE = ("author", "developer", "peer", "outsider", "other_developer", "other_candidate",
            "lead", "admin", "stranger", "earlier_developer", "earlier_candidate",
            "later_developer", "later_candidate")


def _world():
    s = make_scenario()
    add_cross_cohort_actors(s)
    db.session.commit()
    return s


def _readers(s, photo) -> set[str]:
    """Who may open the photo, asked both ways: the predicate and the SQL filter agree."""
    allowed = set()
    for role in EVERYONE:
        user = getattr(s, role)
        one = can_view_evidence(user, photo)
        listed = db.session.scalar(select(Evidence.id).where(
            Evidence.id == photo.id, visible_evidence_filter(user))) is not None
        assert one == listed, role
        if one:
            allowed.add(role)
    return allowed


def test_unflagged_evidence_follows_its_entry_as_before(app):
    s = _world()
    photo, _ = shared_photo(s.author, s.cohort, privacy="cohort")
    assert _readers(s, photo) == {"author", "developer", "peer", "outsider", "lead", "admin"}


def test_flagged_without_consent_is_for_the_candidate_alone(app):
    s = _world()
    photo, _ = shared_photo(s.author, s.cohort, privacy="cohort")
    services.flag_evidence(s.author, photo)
    assert _readers(s, photo) == {"author"}


@pytest.mark.parametrize(("scope", "privacy", "readers"), [
    # Wider consent: the peer group too, where the entry is shared with peers; never the rest of
    # the cohort, leads, admins or another cohort's coach developers.
    ("wider", "cohort", {"author", "developer", "peer"}),
    ("wider", "peers", {"author", "developer", "peer"}),
    # The entry is not shared with peers: the peer does not see it, whatever the consent.
    ("wider", "developers", {"author", "developer"}),
    # Programme assessment only: the cohort's coach developers.
    ("assessment", "cohort", {"author", "developer"}),
])
def test_consented_evidence_stays_inside_the_cohort(app, scope, privacy, readers):
    s = _world()
    photo, _ = shared_photo(s.author, s.cohort, privacy=privacy)
    consented(s.author, photo, scope=scope)
    assert _readers(s, photo) == readers


def test_pages_files_and_thumbnails_answer_as_the_rule_says(app, client, login):
    s = _world()
    photo, _ = shared_photo(s.author, s.cohort, privacy="cohort")
    consented(s.author, photo, scope="wider")
    db.session.commit()
    paths = [f"/evidence/{photo.id}{tail}" for tail in ("", "/file", "/download", "/thumbnail")]
    for role, status in (("author", 200), ("developer", 200), ("peer", 200), ("outsider", 404),
                         ("lead", 404), ("admin", 404), ("earlier_developer", 404),
                         ("later_developer", 404), ("other_developer", 404)):
        login(getattr(s, role))
        for path in paths:
            assert client.get(path).status_code == status, (role, path)


def test_the_badge_shows_wherever_the_evidence_is_listed(app, client, login):
    s = _world()
    photo, _ = shared_photo(s.author, s.cohort)
    services.flag_evidence(s.author, photo)
    db.session.commit()
    login(s.author)
    assert "Under 18: consent needed" in client.get("/evidence/").get_data(as_text=True)
    consent = services.record_consent(s.author, services.flag_evidence(s.author, photo),
                                      given_by="Maria Parent", relationship="parent",
                                      given_on=GIVEN_ON,
                                      scope="wider")
    db.session.commit()
    assert consent.is_given
    login(s.developer)
    page = client.get(f"/evidence/{photo.id}").get_data(as_text=True)
    assert "Under 18: consent given" in page


def test_no_showcase_secret_link_or_export_carries_it(app, client):
    s = _world()
    photo, _ = shared_photo(s.author, s.cohort, title="Under-11 sprint start photo")
    consented(s.author, photo, scope="wider")
    showcase = showcase_services.create_showcase(s.author, title="My year")
    item = showcase_services.add_evidence(showcase, s.author, evidence_id=photo.id,
                                          expected_lock=None)
    _, token = links.create_link(showcase, s.author, label="For my club")
    db.session.commit()
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "stays inside the cohort" in page
    assert "relay.png" not in page
    for kind in ("files", "thumbnails"):
        assert client.get(f"/s/{token}/{kind}/{item.id}").status_code == 404
    answer = client.get(f"/s/{token}/showcase.zip")
    assert answer.status_code == 200
    with zipfile.ZipFile(io.BytesIO(answer.get_data())) as zipped:
        assert not [name for name in zipped.namelist() if name.startswith("files/")]


def test_a_leads_cohort_archive_leaves_it_out(app):
    from portfolio.exports import jobs
    from portfolio.exports import services as export_services
    from portfolio.exports.worker import run_job

    s = _world()
    photo, _ = shared_photo(s.author, s.cohort, title="Under-15 hurdles photo",
                            privacy="developers")
    consented(s.author, photo, scope="wider")
    job = export_services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    job_id = jobs.claim("test-worker")
    assert run_job(job_id, "test-worker") == "done"
    db.session.expire_all()
    with zipfile.ZipFile(jobs.result_file(db.session.get(type(job), job_id))) as zipped:
        names = zipped.namelist()
    assert names and not [name for name in names if name.endswith("relay.png")]
