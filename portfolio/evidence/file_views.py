"""Evidence files, thumbnails and downloads: the same access rule as the evidence page.

Files are sent from disk in chunks with HTTP range support (video and audio seek in the page).
Only re-encoded images and type-checked video and audio are shown inline; everything else is
an attachment. Every file response forbids sniffing and runs sandboxed with no permissions, so
even a file that slipped past the checks could not run script in our origin.
"""

import logging

from flask import abort
from flask_login import current_user, login_required

from .. import storage
from ..consent.models import consent_withdrawn
from ..database import get_or_404
from ..downloads import send_download
from .blueprint import bp
from .models import Evidence
from .permissions import can_view_evidence

log = logging.getLogger(__name__)
FILE_CSP = "default-src 'none'; sandbox"
INLINE_CATEGORIES = ("image", "video", "audio")


def _viewable_file(evidence_id) -> Evidence:
    evidence = get_or_404(Evidence, evidence_id,
                          visible=lambda e: can_view_evidence(current_user, e))
    if not evidence.is_file or consent_withdrawn(evidence):  # withdrawn: nobody, owner too
        abort(404)
    return evidence


@bp.route("/<int:evidence_id>/file")
@login_required
def file(evidence_id):
    """The file itself: inline for images, video and audio (for <img>, <video>, <audio>)."""
    evidence = _viewable_file(evidence_id)
    inline = evidence.category in INLINE_CATEGORIES
    return _send(evidence, "", "inline" if inline else "attachment")


@bp.route("/<int:evidence_id>/download")
@login_required
def download(evidence_id):
    """The file as a download, whatever its type."""
    return _send(_viewable_file(evidence_id), "", "attachment")


@bp.route("/<int:evidence_id>/thumbnail")
@login_required
def thumbnail(evidence_id):
    evidence = _viewable_file(evidence_id)
    if not evidence.has_thumbnail:
        abort(404)
    return _send(evidence, ".thumb", "inline")


def _send(evidence: Evidence, variant: str, disposition: str):
    path = storage.stored_file(evidence.storage_key, variant)
    if path is None:
        # The row says the file exists: the user gets a 404, the operator needs to know.
        log.error("evidence file missing on disk: evidence_id=%s path=%s", evidence.id,
                  storage.expected_path(evidence.storage_key, variant))
        abort(404)
    media_type = "image/jpeg" if variant == ".thumb" else evidence.media_type
    name = evidence.original_filename or "evidence"
    if variant == ".thumb":
        name = f"thumbnail-{evidence.id}.jpg"
    # Personal data (often of minors): private, never kept in shared caches or on a shared device.
    response = send_download(path, name, media_type, inline=disposition == "inline",
                             default_name="evidence", conditional=True, etag=True,
                             last_modified=evidence.created_at, max_age=None)
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
