"""The reviews blueprint and the template helpers its pages and others' use."""

from flask import Blueprint

from .links import entry_path
from .queries import entry_review_states
from .status import request_label

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.app_template_global("reviews_entry_url")
def _entry_url(entry_id: int, anchor: str | None = None) -> str:
    return entry_path(entry_id, anchor)


@bp.app_template_global("entry_review_states")
def _entry_review_states(entries) -> dict:
    """entry id -> its review state, for a page of entries (two statements however many)."""
    return entry_review_states(entry.id for entry in entries)


@bp.app_template_global("request_label")
def _request_label(review_request, decisions=None):
    return request_label(review_request.status, decisions)
