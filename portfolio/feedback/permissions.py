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


def can_read_feedback(user, request: FeedbackRequest, relations: set[str] | None = None) -> bool:
    """`relations`: the viewer's relations to the candidate in the request's cohort, when the
    caller has them already."""
    if not _signed_in(user):
        return False
    if is_requester(user, request):
        return True
    audience = ALWAYS | ({"peer"} if request.shared_with_peers else set())
    if relations is None:
        relations = relations_to(user, request.candidate_id, request.cohort_id)
    return bool(audience & relations)


def readable_feedback(user, requests: list[FeedbackRequest]) -> list[FeedbackRequest]:
    """The requests the viewer may read, asking their relations once per cohort."""
    by_cohort: dict[tuple[int, int | None], set[str]] = {}
    readable = []
    for request in requests:
        key = (request.candidate_id, request.cohort_id)
        if key not in by_cohort and not is_requester(user, request) and _signed_in(user):
            by_cohort[key] = relations_to(user, request.candidate_id, request.cohort_id)
        if can_read_feedback(user, request, by_cohort.get(key, set())):
            readable.append(request)
    return readable


def can_manage_request(user, request: FeedbackRequest) -> bool:
    """Withdraw it while unused, share it with the peer group: the candidate alone."""
    return is_requester(user, request)
