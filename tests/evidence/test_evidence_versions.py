"""Evidence changes after a save: the offer to save a new version, and sign-offs keeping theirs."""

import io

import pytest

from portfolio.entries import services as entry_services
from portfolio.evidence import services
from portfolio.extensions import db
from portfolio.reviews.models import Signoff
from tests.evidence.builders import entry_with, pdf_bytes, store
from tests.factories import make_entry, make_scenario
from tests.reviews.builders import decide, scenario_with_entry, submit

OFFER = "Evidence changes not saved as a version yet"


@pytest.fixture
def world(app):
    s = make_scenario()
    s.plan = store(s.author, "plan.pdf", title="Session plan")
    s.entry = entry_with(s.author, [s.plan], cohort=s.cohort, privacy="peers")
    return s


def test_upload_and_attach_offers_to_save_a_new_version(client, login, world):
    login(world.author)
    response = client.post(f"/evidence/entry/{world.entry.id}/upload", data={
        "files": [(io.BytesIO(pdf_bytes("warm-up")), "warm-up.pdf")]},
        content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "“warm-up” uploaded." in page
    assert OFFER in page and "Attached since version 1: “warm-up”" in page
    assert f'action="/portfolio/entries/{world.entry.id}/save-version"' in page
    assert "Save as version 2 now" in page


def test_removing_evidence_is_listed_in_the_offer(client, login, world):
    login(world.author)
    client.post(f"/evidence/entry/{world.entry.id}/detach", data={"evidence_id": world.plan.id})
    page = client.get(f"/evidence/entry/{world.entry.id}/attach").get_data(as_text=True)
    assert "Removed since version 1: “Session plan”" in page and "Save as version 2 now" in page
    # Attaching it again leaves nothing to save, so nothing is offered.
    client.post(f"/evidence/entry/{world.entry.id}/attach", data={"evidence_id": world.plan.id})
    assert OFFER not in client.get(f"/evidence/entry/{world.entry.id}/attach").get_data(
        as_text=True)


def test_a_never_saved_draft_gets_no_offer(client, login, world):
    draft = make_entry(world.author, cohort=world.cohort, published=False)
    db.session.commit()
    login(world.author)
    client.post(f"/evidence/entry/{draft.id}/attach", data={"evidence_id": world.plan.id})
    page = client.get(f"/evidence/entry/{draft.id}/attach").get_data(as_text=True)
    assert "Session plan" in page and OFFER not in page


def test_saving_from_the_offer_makes_readers_see_the_new_evidence(client, login, world):
    video = store(world.author, "starts.mp4", title="Starts video")
    login(world.author)
    client.post(f"/evidence/entry/{world.entry.id}/attach", data={"evidence_id": video.id})
    client.post(f"/portfolio/entries/{world.entry.id}/save-version",
                data={"lock_version": world.entry.lock_version})
    login(world.peer)
    page = client.get(f"/portfolio/entries/{world.entry.id}").get_data(as_text=True)
    assert "Starts video" in page and "Session plan" in page
    assert client.get(f"/evidence/{video.id}").status_code == 200


def test_a_signoff_stays_bound_to_the_evidence_of_its_version(client, login, app):
    s = make_scenario_with_evidence()
    review_request = submit(s, codes=("VP1",))
    decide(s, review_request, {"VP1": ("signed_off", "Clear cues.")})
    signoff = db.session.query(Signoff).one()
    bound = (signoff.entry_version_id, signoff.version_number, signoff.content_hash)
    # Later the author attaches new evidence and saves, then removes the original and saves.
    video = store(s.author, "starts.mp4", title="Starts video")
    services.attach(s.author, s.entry, video)
    entry_services.save_version(s.entry, s.author)
    services.detach(s.author, s.entry, s.plan)
    entry_services.save_version(s.entry, s.author)
    db.session.commit()
    assert s.entry.latest_version_number == 4
    db.session.refresh(signoff)
    assert (signoff.entry_version_id, signoff.version_number, signoff.content_hash) == bound
    assert signoff.version_number == 2 and list(signoff.entry_version.evidence_ids) == [s.plan.id]
    assert signoff.entry_version.content_hash == signoff.content_hash
    # The signed-off version's page still lists exactly its evidence for the author.
    login(s.author)
    page = client.get(f"/portfolio/entries/{s.entry.id}/versions/2").get_data(as_text=True)
    assert "Session plan" in page and "Starts video" not in page
    # The reviewer's version page shows none of the later evidence.
    login(s.developer)
    page = client.get(f"/portfolio/entries/{s.entry.id}/versions/2").get_data(as_text=True)
    assert "Starts video" not in page
    assert "1 item of evidence in this version is no longer shared." in page


def test_the_review_page_lists_the_submitted_versions_evidence_only(client, login, app):
    s = make_scenario_with_evidence()
    review_request = submit(s, codes=("VP1",))
    video = store(s.author, "starts.mp4", title="Starts video")
    services.attach(s.author, s.entry, video)
    entry_services.save_version(s.entry, s.author)
    db.session.commit()
    login(s.developer)
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "Session plan" in page and "Starts video" not in page


def make_scenario_with_evidence():
    """The review scenario whose entry's version 2 lists one document, "Session plan"."""
    s = scenario_with_entry(privacy="peers", codes=("VP1",))
    s.plan = store(s.author, "plan.pdf", title="Session plan")
    services.attach(s.author, s.entry, s.plan)
    entry_services.save_version(s.entry, s.author)  # version 2 lists the plan
    db.session.commit()
    return s
