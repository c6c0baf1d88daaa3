"""Who may record consent and read the consent report."""

from __future__ import annotations

from ..access import is_manager
from ..evidence.models import Evidence
from ..evidence.permissions import can_manage_evidence


def can_record_consent(user, evidence: Evidence) -> bool:
    """The owner, while they may still change their evidence."""
    return can_manage_evidence(user, evidence) and evidence.deleted_at is None


def can_read_consent_report(user) -> bool:
    return is_manager(user)
