"""Builders for export tests: sign-offs, review requests, stored evidence files, a seeded cohort."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from portfolio.database import utcnow
from portfolio.entries.models import EntryVersion
from portfolio.entries.versioning import content_hash
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from portfolio.reviews.models import ReviewRequest, ReviewRequestCompetency, Signoff
from portfolio.storage import final_path, new_key
from tests.factories import competency, make_entry, make_scenario


def add_signoff(entry, reviewer, code_competency, *, role="coach_developer",
                decision="signed_off", when: datetime | None = None) -> Signoff:
    """Insert a sign-off row directly (sign-offs are append-only: insert, never update)."""
    version = entry.versions[-1]
    signoff = Signoff(role=role, decision=decision, candidate_id=entry.owner_id,
                      reviewer_id=reviewer.id, competency_id=code_competency.id,
                      competency_code=code_competency.code, entry_id=entry.id,
                      entry_version_id=version.id, version_number=version.number,
                      content_hash=version.content_hash, created_at=when or utcnow())
    db.session.add(signoff)
    db.session.flush()
    return signoff


def add_request(entry, cohort, competencies, *, status="open", assigned_to=None,
                created_at=None, closed_at=None, closed_by=None, due_on=None) -> ReviewRequest:
    version = entry.versions[-1]
    request = ReviewRequest(
        entry_id=entry.id, entry_version_id=version.id, candidate_id=entry.owner_id,
        cohort_id=cohort.id, assigned_to_id=assigned_to.id if assigned_to else None,
        status=status, due_on=due_on or date(2030, 1, 1), created_at=created_at or utcnow(),
        closed_at=closed_at, closed_by_id=closed_by.id if closed_by else None)
    db.session.add(request)
    db.session.flush()
    for item in competencies:
        db.session.add(ReviewRequestCompetency(request_id=request.id, competency_id=item.id))
    db.session.flush()
    return request


def entry_saved_at(owner, when: datetime, **options):
    """A published entry whose first version was saved at `when` (versions are immutable)."""
    entry = make_entry(owner, published=False, **options)
    content = {"sections": dict(entry.sections or {}), "title": entry.title,
               "privacy": entry.privacy, "reflection_model": entry.reflection_model,
               "competency_ids": sorted(claim.competency_id for claim in entry.claims),
               "evidence_ids": []}
    version = EntryVersion(entry_id=entry.id, number=1, title=entry.title, content=content,
                           content_hash=content_hash(content), created_by_id=owner.id,
                           created_at=when)
    entry.latest_version_number, entry.status = 1, "published"
    db.session.add(version)
    db.session.flush()
    return entry


def make_file_evidence(owner, filename="session-plan.pdf", data=b"%PDF-1.4 plan",
                       title=None, media_type="application/pdf") -> Evidence:
    """File evidence whose bytes are really on disk where the storage layer keeps them."""
    key = new_key()
    path = final_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    evidence = Evidence(owner_id=owner.id, kind="file", title=title or filename,
                        original_filename=filename, storage_key=key, media_type=media_type,
                        category="document", size_bytes=len(data),
                        sha256=hashlib.sha256(data).hexdigest())
    db.session.add(evidence)
    db.session.flush()
    return evidence


def seeded_cohort():
    """The standard scenario plus entries, claims, a request and sign-offs with known states.

    author:   VP1 signed off (developer), VP2 awaiting review, RP1 claimed
    peer:     VP1 claimed, the rest not started
    outsider: nothing
    """
    s = make_scenario()
    vp1, vp2, rp1 = (competency(s.framework, code) for code in ("VP1", "VP2", "RP1"))
    s.vp1, s.vp2, s.rp1 = vp1, vp2, rp1
    s.plan = make_file_evidence(s.author, "Block start plan.pdf", b"%PDF-1.4 block starts")
    s.shared_entry = make_entry(s.author, cohort=s.cohort, privacy="developers",
                                title="Block starts with under-17s", competencies=[vp1],
                                evidence=[s.plan])
    s.review_entry = make_entry(s.author, cohort=s.cohort, privacy="peers",
                                title="Planning the indoor season", competencies=[vp2, rp1])
    s.private_entry = make_entry(s.author, cohort=s.cohort, privacy="private",
                                 title="My private worries", competencies=[rp1])
    s.peer_entry = make_entry(s.peer, cohort=s.cohort, privacy="cohort",
                              title="Hurdle drills", competencies=[vp1])
    s.signoff = add_signoff(s.shared_entry, s.developer, vp1,
                            when=utcnow() - timedelta(days=3))
    s.request = add_request(s.review_entry, s.cohort, [vp2], assigned_to=s.developer)
    return s

