"""Who may comment, sign off, review and see progress. Pure predicates over the membership facts.

Loaders use these as their `visible=` test, so anyone who may not act on an object gets a 404
("exists but not yours"); the services enforce the same rules again with a clear message.
"""

from __future__ import annotations

from datetime import timedelta

from ..access import is_manager
from ..database import utcnow
from ..entries.permissions import can_view_entry, entry_relations, is_author
from ..programmes.access import current_memberships, is_developer_in

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_coach_developer(user) -> bool:
    """A coach developer in at least one cohort (withdrawn memberships do not count)."""
    return _signed_in(user) and bool(current_memberships(user.id, "coach_developer"))


def is_candidate(user) -> bool:
    """A candidate in at least one cohort (withdrawn memberships do not count)."""
    return _signed_in(user) and bool(current_memberships(user.id, "candidate"))


def can_use_dashboard(user) -> bool:
    return _signed_in(user) and (is_manager(user) or is_coach_developer(user))


# --- comments ---------------------------------------------------------------------------

def can_comment(user, entry) -> bool:
    """Exactly the entry's audience may read and write its comments."""
    return _signed_in(user) and can_view_entry(user, entry)


def can_give_peer_feedback(user, entry) -> bool:
    return can_comment(user, entry) and not is_author(user, entry)


def can_edit_comment(user, comment, now=None) -> bool:
    """The comment's author, within 15 minutes of posting, while they can still see the entry."""
    if not _signed_in(user) or comment.author_id != user.id or comment.removed_at is not None:
        return False
    return (now or utcnow()) - comment.created_at <= COMMENT_EDIT_WINDOW \
        and can_view_entry(user, comment.entry)


def can_remove_comment(user, comment) -> bool:
    """Authors remove their own comments; programme leads and admins moderate."""
    if not _signed_in(user) or comment.removed_at is not None:
        return False
    if not can_view_entry(user, comment.entry):
        return False
    return comment.author_id == user.id or is_manager(user)


# --- sign-off and review ----------------------------------------------------------------

def can_peer_signoff(user, entry) -> bool:
    """A candidate in the author's peer group of the entry's cohort, never the author."""
    if not _signed_in(user) or is_author(user, entry) or entry.is_private:
        return False
    return can_view_entry(user, entry) and "peer" in entry_relations(user, entry)


def can_submit_for_review(user, entry) -> bool:
    return is_author(user, entry)


def can_view_request(user, review_request) -> bool:
    """The candidate; the cohort's coach developers, programme leads and admins while the
    entry is still shared with them (an author who makes it private takes it back)."""
    if not _signed_in(user):
        return False
    if review_request.candidate_id == user.id:
        return True
    return (is_manager(user) or is_developer_in(user, review_request.cohort_id)) \
        and can_view_entry(user, review_request.entry)


def can_review_request(user, review_request) -> bool:
    """Only a coach developer of the request's cohort, and never on their own work."""
    return (_signed_in(user) and review_request.candidate_id != user.id
            and is_developer_in(user, review_request.cohort_id)
            and can_view_entry(user, review_request.entry))


def can_withdraw_request(user, review_request) -> bool:
    return _signed_in(user) and review_request.candidate_id == user.id


# --- progress, completion and audit -----------------------------------------------------

def can_view_progress(user, membership) -> bool:
    """The candidate, the cohort's coach developers, programme leads and admins."""
    if not _signed_in(user) or membership is None or not membership.is_candidate:
        return False
    return (membership.user_id == user.id or is_manager(user)
            or is_developer_in(user, membership.cohort_id))


def can_record_completion(user, membership) -> bool:
    return is_manager(user) and membership is not None and membership.is_candidate
