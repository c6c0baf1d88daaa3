"""The Open Badges 3.0 OpenBadgeCredential issued for a programme completion."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from flask import current_app

from . import keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_TYPE = "1EdTechRevocationList"
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
WITHDRAWN_NAME = "Withdrawn at the holder's request"


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def utc_timestamp(moment: datetime) -> str:
    """XML Schema dateTime in UTC to the second, as VC 2.0 and Data Integrity write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """Open Badges IdentityHash: 'sha256$' + hex SHA-256 of the address followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def achievement_name(year, pathway) -> str:
    return f"Advanced Coach — {pathway.name} ({year.label})"


def achievement(year, pathway) -> dict:
    """The programme year's pathway as an Open Badges Achievement (also served at its id)."""
    return {
        "id": f"{base_url()}/credentials/achievements/{year.id}/{pathway.id}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": achievement_name(year, pathway),
        "description": ("Completion of the Advanced Coach programme, "
                        f"{pathway.name} pathway, programme year {year.label}."),
        "criteria": {"narrative": (
            "Every competency of the programme's framework was evidenced in the coach's "
            "portfolio and signed off by a coach developer (and by peers where the framework "
            "asks), and a programme lead recorded completion of the programme.")},
    }


def issuer_profile() -> dict:
    return {"id": keys.issuer_did(), "type": ["Profile"],
            "name": current_app.config["CREDENTIAL_ISSUER_NAME"], "url": base_url()}


def unsigned_credential(credential_id: str, user, cohort, issued_at: datetime) -> dict:
    """The credential before its proof: who, what, by whom, from when, and where its status is."""
    salt = secrets.token_hex(16)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": CREDENTIAL_TYPES,
        "issuer": issuer_profile(),
        "validFrom": utc_timestamp(issued_at),
        "name": achievement_name(cohort.year, cohort.pathway),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # The address is hashed with a salt (a reader who knows it can check it, nobody can
            # read it); the name is given as a plain identity so a verifier can show it.
            "identifier": [
                {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                 "identityHash": identity_hash(user.email, salt), "salt": salt},
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": user.display_name},
            ],
            "achievement": achievement(cohort.year, cohort.pathway),
        },
        "credentialStatus": {"id": f"{base_url()}/credentials/revocations",
                             "type": STATUS_TYPE},
    }


def holder_name(document: dict) -> str:
    """The holder's name as the credential states it ('' when it states none)."""
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    for item in identifiers if isinstance(identifiers, list) else []:
        if isinstance(item, dict) and item.get("identityType") == "name" \
                and not item.get("hashed") and isinstance(item.get("identityHash"), str):
            return item["identityHash"]
    return ""


def without_personal_fields(document: dict) -> dict:
    """The document as kept after the holder's erasure: no name, no address hash or salt."""
    subject = dict(document.get("credentialSubject") or {})
    subject["identifier"] = [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                              "identityHash": WITHDRAWN_NAME}]
    return {**document, "credentialSubject": subject}
