"""Who may read and manage external feedback.

A request and its feedback belong to the cohort the candidate asked in: they are read by the
candidate, that cohort's coach developers of the candidate (and programme leads and admins, who
manage every cohort), and the candidate's peer group there only when the candidate shares it.
A coach developer or candidate of an earlier or later cohort is admitted by neither.
"""

from __future__ import annotations

from ..programmes.access import relations_to
from .models import FeedbackRequest

ALWAYS = {"manager", "developer"}


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_requester(user, request: FeedbackRequest) -> bool:
    return _signed_in(user) and request.candidate_id == user.id


def can_read_feedback(user, request: FeedbackRequest) -> bool:
    if not _signed_in(user):
        return False
    if is_requester(user, request):
        return True
    audience = ALWAYS | ({"peer"} if request.shared_with_peers else set())
    return bool(audience & relations_to(user, request.candidate_id, request.cohort_id))


def can_manage_request(user, request: FeedbackRequest) -> bool:
    """Withdraw it while unused, share it with the peer group: the candidate alone."""
    return is_requester(user, request)
