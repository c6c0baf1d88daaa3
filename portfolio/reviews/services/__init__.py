"""The rules of peer learning and sign-off. Every function takes the acting user, raises
DomainError with a message for people, and only flushes: the view commits once."""

from .comments import (
    add_comment,
    add_peer_feedback,
    edit_comment,
    remove_comment,
)
from .completion import (
    completion_revoked,
    programme_completed,
    record_completion,
    revoke_completion,
)
from .requests import (
    AlreadyRecorded,
    Decision,
    complete_review,
    start_review,
    submit_for_review,
    withdraw_request,
)
from .signoffs import peer_signoff, revoke_signoff

__all__ = [
    "AlreadyRecorded", "Decision", "add_comment", "add_peer_feedback", "complete_review",
    "completion_revoked", "edit_comment", "peer_signoff", "programme_completed",
    "record_completion", "remove_comment", "revoke_completion", "revoke_signoff",
    "start_review", "submit_for_review", "withdraw_request",
]
