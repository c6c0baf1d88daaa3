"""A candidate's showcase with one of each kind of item, for the showcase tests."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.reviews.models import Signoff
from portfolio.showcases import services
from tests.evidence.builders import image_bytes, store
from tests.factories import competency, make_entry, make_link_evidence


def make_signoff(s, entry, code="VP1"):
    version = entry.versions[-1]
    signoff = Signoff(role="coach_developer", decision="signed_off", candidate_id=entry.owner_id,
                      reviewer_id=s.developer.id, competency_id=competency(s.framework, code).id,
                      competency_code=code, entry_id=entry.id, entry_version_id=version.id,
                      version_number=version.number, content_hash=version.content_hash,
                      feedback="Clear plan, well run.")
    db.session.add(signoff)
    db.session.flush()
    return signoff


def full_showcase(s, owner=None, title="My coaching year", **sharing):
    """Heading, entry version, image evidence, link evidence and a sign-off; committed."""
    owner = owner or s.author
    showcase = services.create_showcase(owner, title=title,
                                        introduction="Welcome to **my year**.")
    entry = make_entry(owner, cohort=s.cohort, privacy="peers", title="Block starts session")
    photo = store(owner, "starts.jpg", image_bytes("JPEG"), title="Start position photo")
    clip = make_link_evidence(owner, title="Relay clip")
    signoff = make_signoff(s, entry)
    services.add_heading(showcase, owner, heading="Sprints", expected_lock=None)
    services.add_entry_version(showcase, owner, entry_id=entry.id, note="My best session.",
                               expected_lock=None)
    services.add_evidence(showcase, owner, evidence_id=photo.id, expected_lock=None)
    services.add_evidence(showcase, owner, evidence_id=clip.id, expected_lock=None)
    services.add_signoff(showcase, owner, signoff_id=signoff.id, expected_lock=None)
    if sharing:
        services.update_showcase(showcase, owner, title=showcase.title,
                                 introduction=showcase.introduction, expected_lock=None,
                                 shared_with_developers=sharing.get("developers", False),
                                 shared_with_peers=sharing.get("peers", False))
    db.session.commit()
    showcase.entry, showcase.photo, showcase.clip, showcase.signoff = entry, photo, clip, signoff
    return showcase
