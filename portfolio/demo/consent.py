"""Demo consent: Jordan's block-start diagram stands in for a photo of his under-17 group, so it
is marked as showing athletes under 18, with a parent's consent for wider sharing. Sam (his
coach developer) and his peer group see it with the consent badge; the lead's consent report
lists it; no secret link or outside export carries it.

Runs after the evidence seeder. Idempotent and flush-only: it does nothing when Jordan already
has a consent record. Everything goes through the consent services.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select

from ..auth.models import User
from ..consent import services
from ..consent.models import ConsentRecord
from ..database import utcnow
from ..evidence.models import Evidence
from ..extensions import db

JORDAN = "coach1@example.org"
TITLE = "Block start set-up, lane 4"


def seed(users: dict[str, User]) -> bool:
    jordan = users.get(JORDAN)
    if jordan is None or db.session.scalar(select(exists().where(
            ConsentRecord.owner_id == jordan.id))):
        return False
    photo = db.session.scalar(select(Evidence).where(
        Evidence.owner_id == jordan.id, Evidence.title == TITLE, Evidence.deleted_at.is_(None)))
    if photo is None:
        return False
    consent = services.flag_evidence(jordan, photo)
    services.record_consent(jordan, consent, given_by="Sam Patel", relationship="parent",
                            given_on=(utcnow() - timedelta(days=20)).date(), scope="wider")
    db.session.flush()
    return True
