"""Read-side queries for the credential pages (each a fixed number of statements)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..programmes.models import Cohort, CohortMembership
from .models import Credential


def _with_cohort():
    return joinedload(Credential.membership).joinedload(CohortMembership.cohort).options(
        joinedload(Cohort.year), joinedload(Cohort.pathway))


def credentials_of(user_id: int) -> list[Credential]:
    """The person's credentials, newest first, with the cohort each was issued for."""
    return list(db.session.scalars(
        select(Credential).options(_with_cohort()).where(Credential.user_id == user_id)
        .order_by(Credential.issued_at.desc(), Credential.id)))


def credential(credential_id: uuid.UUID | str) -> Credential | None:
    return db.session.scalar(select(Credential).options(_with_cohort())
                             .where(Credential.id == str(credential_id)))


def revoked() -> list[tuple[str, object, str | None]]:
    """(id, revoked_at, reason) of every revoked credential, oldest revocation first."""
    return list(db.session.execute(
        select(Credential.id, Credential.revoked_at, Credential.revocation_reason)
        .where(Credential.revoked_at.is_not(None))
        .order_by(Credential.revoked_at, Credential.id)))
