"""The reviews panel on the entry page: sign-offs with their versions ("changed since"),
comments and peer feedback, the peer sign-off form and the submit-for-review form."""

from __future__ import annotations

from dataclasses import dataclass

from ..access import is_manager
from ..entries.permissions import is_author
from ..errors import ReadOnlyError
from ..programmes.access import is_developer_in
from . import queries
from .forms import (
    ActionForm,
    CommentForm,
    PeerFeedbackForm,
    PeerSignoffForm,
    ReplyForm,
    SubmitForReviewForm,
    competency_choices,
)
from .links import diff_path, version_path
from .models import Decision, Signoff, SignoffRole
from .permissions import (
    can_comment,
    can_edit_comment,
    can_give_peer_feedback,
    can_peer_signoff,
    can_remove_comment,
)
from .services.common import assert_entry_writable, latest_version
from .status import Tally, tally


@dataclass
class SignoffView:
    signoff: Signoff
    changed_since: bool
    diff_url: str | None
    version_url: str | None


def build_entry_panel(entry, version, viewer) -> dict | None:
    """Context for templates/reviews/_entry_panel.html, or None for people who may not see it."""
    if not can_comment(viewer, entry):
        return None
    # The page usually shows the latest version already: no second read of it.
    shown_is_latest = version is not None and version.number == entry.latest_version_number
    latest = version if shown_is_latest else latest_version(entry)
    read_only_reason = _read_only_reason(entry)
    sees_reviews = _sees_review_details(viewer, entry)
    signoffs = _signoff_views(entry, viewer, sees_reviews)
    context = {
        "entry": entry,
        "latest": latest,
        "read_only_reason": read_only_reason,
        "threads": queries.comment_threads(entry.id),
        "signoffs": signoffs,
        "request_decisions": _request_decisions(signoffs),
        "requests": queries.entry_requests(entry.id) if sees_reviews else [],
        "is_author": is_author(viewer, entry),
        "sees_reviews": sees_reviews,
        "can_edit_comment": lambda comment: can_edit_comment(viewer, comment),
        "can_remove_comment": lambda comment: can_remove_comment(viewer, comment),
        "action_form": ActionForm(),
        "comment_form": None, "reply_form": None, "feedback_form": None,
        "peer_form": None, "submit_form": None, "open_request": None,
    }
    if read_only_reason is None and latest is not None:
        _add_forms(context, entry, latest, viewer)
    return context


def _read_only_reason(entry) -> str | None:
    try:
        assert_entry_writable(entry)
    except ReadOnlyError as error:
        return error.message
    return None


def _sees_review_details(viewer, entry) -> bool:
    """Review requests and 'Not yet' feedback stay between candidate and coach developers."""
    return is_author(viewer, entry) or is_manager(viewer) or (
        entry.cohort_id is not None and is_developer_in(viewer, entry.cohort_id))


def _signoff_views(entry, viewer, sees_reviews: bool) -> list[SignoffView]:
    views = []
    for signoff in queries.entry_signoffs(entry.id):
        if signoff.decision != Decision.SIGNED_OFF and not sees_reviews:
            continue
        changed = signoff.version_number < entry.latest_version_number
        views.append(SignoffView(
            signoff, changed,
            diff_path(entry.id, signoff.version_number, entry.latest_version_number)
            if changed else None,
            version_path(entry.id, signoff.version_number)))
    return views


def _request_decisions(signoffs: list[SignoffView]) -> dict[int, Tally]:
    """What each finished review of the entry came to, for its status tag."""
    by_request: dict[int, list[Signoff]] = {}
    for view in signoffs:
        if view.signoff.review_request_id is not None:
            by_request.setdefault(view.signoff.review_request_id, []).append(view.signoff)
    return {request_id: tally(items) for request_id, items in by_request.items()}


def _add_forms(context, entry, latest, viewer) -> None:
    context["comment_form"] = CommentForm(prefix="comment", formdata=None)
    context["reply_form"] = ReplyForm(prefix="reply", formdata=None)
    if can_give_peer_feedback(viewer, entry):
        context["feedback_form"] = PeerFeedbackForm(prefix="feedback", formdata=None)
    claimed = queries.competencies_by_id(latest.competency_ids)
    if can_peer_signoff(viewer, entry):
        already = {view.signoff.competency_id for view in context["signoffs"]
                   if view.signoff.role == SignoffRole.PEER
                   and view.signoff.reviewer_id == viewer.id
                   and view.signoff.entry_version_id == latest.id}
        choices = competency_choices(c for c in claimed.values() if c.id not in already)
        if choices:
            form = PeerSignoffForm(prefix="peer", formdata=None)
            form.competency.choices = choices
            context["peer_form"] = form
        context["peer_done"] = not choices and bool(claimed)
    if context["is_author"]:
        context["open_request"] = next((r for r in context["requests"] if r.is_open), None)
        reviewed = {view.signoff.competency_id for view in context["signoffs"]
                    if view.signoff.role == SignoffRole.COACH_DEVELOPER
                    and view.signoff.entry_version_id == latest.id}
        unreviewed = [c for c in claimed.values() if c.id not in reviewed]
        context["latest_reviewed"] = bool(claimed) and not unreviewed
        if context["open_request"] is None and not entry.is_private and unreviewed:
            form = SubmitForReviewForm(prefix="review", formdata=None)
            form.competencies.choices = competency_choices(unreviewed)
            context["submit_form"] = form
        context["claimed"] = claimed
