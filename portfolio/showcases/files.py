"""Sending the file of one of a showcase's evidence items, with the evidence pages' headers.

A showcase lends its readers only the files of its own items: the route has already found the
item inside the showcase it was asked through (queries.evidence_item), so no other evidence id
can be reached this way."""

from __future__ import annotations

import logging

from flask import abort

from .. import storage
from ..downloads import send_download
from ..evidence.file_views import FILE_CSP, INLINE_CATEGORIES
from .models import ShowcaseItem

log = logging.getLogger(__name__)
VARIANTS = {"file": "", "thumbnail": ".thumb"}
# The address part for each variant: /files/<item id>, /thumbnails/<item id>.
PATHS = {"file": "files", "thumbnail": "thumbnails"}
VARIANT_OF = {path: variant for variant, path in PATHS.items()}


def send_item_file(item: ShowcaseItem, variant: str):
    evidence = item.evidence
    if variant == "thumbnail" and not evidence.has_thumbnail:
        abort(404)
    suffix = VARIANTS[variant]
    path = storage.stored_file(evidence.storage_key, suffix)
    if path is None:
        log.error("evidence file missing on disk: evidence_id=%s path=%s", evidence.id,
                  storage.expected_path(evidence.storage_key, suffix))
        abort(404)
    thumbnail = variant == "thumbnail"
    inline = thumbnail or evidence.category in INLINE_CATEGORIES
    response = send_download(
        path, f"thumbnail-{item.id}.jpg" if thumbnail else (evidence.original_filename or
                                                           "evidence"),
        "image/jpeg" if thumbnail else evidence.media_type, inline=inline,
        default_name="evidence", conditional=True, etag=True,
        last_modified=evidence.created_at, max_age=None)
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
