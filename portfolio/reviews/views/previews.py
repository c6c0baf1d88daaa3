"""A submitted PDF, inline, for the frame on the review page."""

from __future__ import annotations

from flask import abort
from flask_login import current_user, login_required

from ... import storage
from ...database import get_or_404
from ...downloads import send_download
from ...evidence.models import Evidence
from ...evidence.permissions import can_view_evidence
from ..blueprint import bp
from ..permissions import can_view_request
from ..previews import PDF, PDF_PREVIEW_CSP, is_previewable_pdf
from .requests import request_for


@bp.route("/requests/<int:request_id>/evidence/<int:evidence_id>/preview")
@login_required
def evidence_preview(request_id, evidence_id):
    """The PDF, if the request's version lists it and the evidence rule lets this user open it."""
    review_request = request_for(request_id, can_view_request)
    listed = {str(item) for item in review_request.entry_version.evidence_ids or ()}
    if str(evidence_id) not in listed:
        abort(404)
    # Authorised against its own portfolio, exactly as the evidence file routes do.
    evidence = get_or_404(Evidence, evidence_id,
                          visible=lambda e: can_view_evidence(current_user, e))
    path = storage.stored_file(evidence.storage_key) if is_previewable_pdf(evidence) else None
    if path is None:
        abort(404)
    response = send_download(path, evidence.original_filename or "evidence.pdf", PDF, inline=True,
                             default_name="evidence", conditional=True, etag=True,
                             last_modified=evidence.created_at, max_age=None)
    headers = response.headers
    headers["Content-Security-Policy"] = PDF_PREVIEW_CSP
    headers["X-Frame-Options"] = "SAMEORIGIN"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
