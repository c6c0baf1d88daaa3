"""Who may ask for a sign-off code, watch it, and sign with it. Pure predicates.

A code carries no authority: whoever opens it signs with their own account, so signing reuses
the review rules (a coach developer of the entry's cohort who may read the entry, never the
candidate), and an earlier or later cohort's coach developer gets the same 404 as a stranger.
"""

from __future__ import annotations

from ..reviews.permissions import can_peer_signoff, can_review_request, can_submit_for_review


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_ask_for_quick_sign(user, entry) -> bool:
    return _signed_in(user) and can_submit_for_review(user, entry)


def can_watch_code(user, code) -> bool:
    """The candidate who made the code follows its outcome."""
    return _signed_in(user) and code.candidate_id == user.id


def can_sign_with_code(user, code) -> bool:
    return _signed_in(user) and (can_review_request(user, code.review_request)
                                 or can_peer_sign_with_code(user, code))


def can_peer_sign_with_code(user, code) -> bool:
    """A peer of the candidate's group signs when the code's request carries an observation
    whose template lets peers observe (the peer's sign-offs count as peer sign-offs)."""
    observation = code.review_request.observation
    return (_signed_in(user) and observation is not None
            and observation.template.peers_may_record and can_peer_signoff(user, code.entry))
