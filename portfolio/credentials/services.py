"""Issue a credential when a programme completion is recorded, revoke it with the completion,
withdraw it when its holder is erased, and check a credential someone presents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..database import utcnow
from ..extensions import db
from . import documents, keys, signing
from .models import Credential

WITHDRAWN_REASON = "Withdrawn at the holder's request."


def issue_for_completion(completion, actor=None, **_) -> Credential:
    """Receiver of reviews' `programme_completed`: sign and keep the completion's credential."""
    membership = completion.membership
    credential_id = str(uuid.uuid4())
    issued_at = utcnow().replace(microsecond=0)
    unsigned = documents.unsigned_credential(credential_id, membership.user, membership.cohort,
                                             issued_at)
    document = signing.sign(unsigned, keys.signing_key(), keys.verification_method_id(),
                            documents.utc_timestamp(issued_at))
    credential = Credential(id=credential_id, completion_id=completion.id,
                            user_id=membership.user_id, membership_id=membership.id,
                            issued_at=issued_at, document=document)
    db.session.add(credential)
    db.session.flush()
    return credential


def revoke_for_completion(completion, actor=None, revocation=None, **_) -> None:
    """Receiver of reviews' `completion_revoked`: the credential is revoked with the reason."""
    credential = db.session.scalar(select(Credential).where(
        Credential.completion_id == completion.id))
    if credential is None or credential.revoked_at is not None:
        return
    credential.revoked_at = revocation.created_at if revocation is not None else utcnow()
    credential.revocation_reason = revocation.reason if revocation is not None else ""
    db.session.flush()


def withdraw_for_erasure(user_id: int) -> int:
    """Revoke the person's credentials and strip their name and address hash; return how many."""
    credentials = db.session.scalars(select(Credential).where(Credential.user_id == user_id))
    count = 0
    for credential in credentials:
        credential.document = documents.without_personal_fields(credential.document)
        if credential.revoked_at is None:
            credential.revoked_at = utcnow()
        credential.revocation_reason = WITHDRAWN_REASON
        count += 1
    db.session.flush()
    return count


def issuer_keys() -> dict:
    return {keys.verification_method_id(): keys.public_key()}


@dataclass(frozen=True)
class Verdict:
    """What a verifier concludes about a credential: valid, revoked, or not valid (and why)."""

    state: str  # "valid" | "revoked" | "invalid"
    document: dict | None = None
    problem: str = ""
    revoked_at: datetime | None = None
    reason: str = ""

    @property
    def holder(self) -> str:
        return documents.holder_name(self.document or {})

    @property
    def achievement(self) -> str:
        subject = (self.document or {}).get("credentialSubject")
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        name = achievement.get("name") if isinstance(achievement, dict) else None
        return name if isinstance(name, str) else ""

    @property
    def issuer(self) -> str:
        issuer = (self.document or {}).get("issuer")
        name = issuer.get("name") if isinstance(issuer, dict) else None
        return name if isinstance(name, str) else ""

    @property
    def valid_from(self) -> datetime | None:
        value = (self.document or {}).get("validFrom")
        try:
            return datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None


def check(document) -> Verdict:
    """Verify the signature against the published key, then the revocation status on record."""
    result = signing.verify(document, issuer_keys())
    if not result:
        return Verdict("invalid", document if isinstance(document, dict) else None,
                       result.problem)
    credential_id = _uuid_of(document.get("id"))
    credential = db.session.get(Credential, credential_id) if credential_id else None
    if credential is None:
        return Verdict("invalid", document, "This federation has no record of the credential.")
    if credential.revoked_at is not None:
        return Verdict("revoked", document, revoked_at=credential.revoked_at,
                       reason=credential.revocation_reason or "")
    return Verdict("valid", document)


def verdict_for(credential: Credential) -> Verdict:
    """The public page's verdict on a credential on record: revoked ones say so first (an
    erased holder's document no longer carries a signature that matches)."""
    if credential.revoked_at is not None:
        return Verdict("revoked", credential.document, revoked_at=credential.revoked_at,
                       reason=credential.revocation_reason or "")
    return check(credential.document)


def _uuid_of(identifier) -> str | None:
    if not isinstance(identifier, str) or not identifier.startswith("urn:uuid:"):
        return None
    try:
        return str(uuid.UUID(identifier.removeprefix("urn:uuid:")))
    except ValueError:
        return None
