"""Evidence is authorised against its own portfolio, identically on every channel."""

import pytest
from sqlalchemy import select

from portfolio.entries.models import EntryVersion
from portfolio.errors import DomainError
from portfolio.evidence import services
from portfolio.evidence.models import EntryEvidence, Evidence
from portfolio.evidence.permissions import can_view_evidence, visible_evidence_filter
from portfolio.extensions import db
from tests.evidence.builders import entry_with, image_bytes, store
from tests.factories import add_version, make_entry, make_scenario, sign_in

TIERS = ("private", "peers", "developers", "cohort")
# viewer -> tiers whose evidence they may open (the author opens all their own)
EXPECTED = {
    "author": set(TIERS),
    "peer": {"peers", "cohort"},
    "outsider": {"cohort"},
    "developer": {"peers", "developers", "cohort"},
    "other_developer": set(),
    "other_candidate": set(),
    "lead": {"peers", "developers", "cohort"},
    "admin": {"peers", "developers", "cohort"},
    "stranger": set(),
}
CHANNELS = ("/evidence/{id}", "/evidence/{id}/file", "/evidence/{id}/download",
            "/evidence/{id}/thumbnail")


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    s.by_tier = {}
    for shade, tier in enumerate(TIERS):
        photo = store(s.author, f"{tier}.png", image_bytes("PNG", color=(shade * 60, 10, 10)))
        entry_with(s.author, [photo], cohort=s.cohort, privacy=tier, title=f"{tier} entry")
        s.by_tier[tier] = photo
    return s


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_each_role_opens_exactly_the_evidence_its_tier_promises(app, world, viewer):
    client = sign_in(app.test_client(), getattr(world, viewer))
    for tier, photo in world.by_tier.items():
        allowed = tier in EXPECTED[viewer]
        for channel in CHANNELS:
            response = client.get(channel.format(id=photo.id))
            assert response.status_code == (200 if allowed else 404), (viewer, tier, channel)


def test_anonymous_is_sent_to_sign_in_on_every_channel(app, world):
    client = app.test_client()
    for channel in CHANNELS:
        response = client.get(channel.format(id=world.by_tier["cohort"].id))
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_sql_filter_agrees_with_the_predicate(app, world, viewer):
    user = getattr(world, viewer)
    by_predicate = {e.id for e in db.session.scalars(select(Evidence)) if can_view_evidence(user, e)}
    by_sql = set(db.session.scalars(select(Evidence.id).where(visible_evidence_filter(user))))
    expected = {world.by_tier[tier].id for tier in EXPECTED[viewer]}
    assert by_predicate == by_sql == expected


def test_unattached_evidence_is_for_its_owner_only(app, world):
    loose = store(world.author, "loose.pdf")
    for viewer in ("peer", "developer", "lead", "admin"):
        assert not can_view_evidence(getattr(world, viewer), loose)
    assert can_view_evidence(world.author, loose)


def test_evidence_of_an_unsaved_draft_is_not_shared(app, world):
    draft_photo = store(world.author, "draft.pdf")
    make_entry(world.author, cohort=world.cohort, privacy="cohort", evidence=[draft_photo],
               published=False)
    db.session.commit()
    assert not can_view_evidence(world.peer, draft_photo)


def test_only_the_latest_saved_version_counts(app, world):
    photo = world.by_tier["cohort"]
    entry = db.session.scalars(select(EntryEvidence.entry).where(
        EntryEvidence.evidence_id == photo.id)).first() if False else None
    link = db.session.scalar(select(EntryEvidence).where(EntryEvidence.evidence_id == photo.id))
    entry = link.entry
    db.session.delete(link)
    add_version(entry, note="removed the photo")
    db.session.commit()
    assert not can_view_evidence(world.peer, photo)
    assert can_view_evidence(world.author, photo)
    # Attaching again changes only the working copy until the next save.
    services.attach(world.author, entry, photo)
    db.session.commit()
    assert not can_view_evidence(world.peer, photo)
    add_version(entry)
    db.session.commit()
    assert can_view_evidence(world.peer, photo)


def test_withdrawn_peer_loses_access_at_once(app, world):
    photo = world.by_tier["peers"]
    assert can_view_evidence(world.peer, photo)
    world.peer_membership.status = "withdrawn"
    db.session.commit()
    client = sign_in(app.test_client(), world.peer)
    assert client.get(f"/evidence/{photo.id}/file").status_code == 404


def test_smuggled_evidence_id_gives_no_access(app, world):
    """The peer points their own cohort-wide entry at the author's private evidence."""
    secret = world.by_tier["private"]
    smuggler = make_entry(world.peer, cohort=world.cohort, privacy="cohort", published=False)
    db.session.add(EntryEvidence(entry_id=smuggler.id, evidence_id=secret.id))
    version = add_version(smuggler)
    db.session.commit()
    assert secret.id in version.content["evidence_ids"]
    for viewer in ("peer", "outsider", "developer", "lead"):
        user = getattr(world, viewer)
        assert not can_view_evidence(user, secret), viewer
        client = sign_in(app.test_client(), user)
        for channel in CHANNELS:
            assert client.get(channel.format(id=secret.id)).status_code == 404, (viewer, channel)


def test_attaching_someone_elses_evidence_is_refused(app, world, client, login):
    secret = world.by_tier["private"]
    mine = make_entry(world.peer, cohort=world.cohort, privacy="cohort")
    db.session.commit()
    with pytest.raises(DomainError, match="your own library"):
        services.attach(world.peer, mine, secret)
    login(world.peer)
    response = client.post(f"/evidence/entry/{mine.id}/attach", data={"evidence_id": secret.id})
    assert response.status_code == 404
    assert db.session.scalar(select(EntryEvidence).where(
        EntryEvidence.entry_id == mine.id)) is None


def test_string_ids_in_a_version_are_understood(app, world):
    """Versions written by other code may hold ids as strings; access must not depend on it."""
    photo = store(world.author, "string.pdf")
    entry = make_entry(world.author, cohort=world.cohort, privacy="cohort", published=False)
    content = {"evidence_ids": [str(photo.id)], "sections": {}}
    db.session.add(EntryVersion(entry_id=entry.id, number=1, title="t", content=content,
                                content_hash="x" * 64))
    entry.latest_version_number = 1
    entry.status = "published"
    db.session.commit()
    assert can_view_evidence(world.outsider, photo)
