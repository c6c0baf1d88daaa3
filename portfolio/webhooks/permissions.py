"""Who may manage webhooks: programme leads and admins, who run every cohort."""

from __future__ import annotations

from ..access import is_manager


def can_manage_webhooks(user) -> bool:
    return is_manager(user)
