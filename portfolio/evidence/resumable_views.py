"""Routes of resumable uploads (tus 1.0 core with creation, checksum, termination, expiration).

The script (static/js/upload.js) sends the form's CSRF token in the X-CSRFToken header, which
Flask-WTF checks on POST, PATCH and DELETE. A session is its owner's: anybody else gets 404.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC
from email.utils import format_datetime

import click
from flask import current_app, jsonify, make_response, request, url_for
from flask.cli import with_appcontext
from flask_login import current_user, login_required
from werkzeug.exceptions import ClientDisconnected, NotFound

from ..database import get_or_404
from ..entries.models import Entry
from ..entries.permissions import is_author
from ..errors import DomainError
from ..extensions import db
from . import resumable
from .blueprint import bp
from .views import _flash_stored, _library_only

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination,expiration"
DEFAULT_FROM_BYTES = 5 * 1024 * 1024  # smaller files go in one request, as before
DEFAULT_PIECE_BYTES = 2 * 1024 * 1024  # lost with a dropped connection at most: one piece
PIECE_STATUS_MISMATCH = 460  # tus checksum extension: the piece's checksum did not match


@bp.app_template_global("resumable_upload")
def resumable_upload() -> dict:
    """What the upload form's script needs: where to start, and from what size to use pieces."""
    config = current_app.config
    return {"url": url_for("evidence.start_upload"),
            "threshold": config.get("UPLOAD_RESUMABLE_FROM_BYTES", DEFAULT_FROM_BYTES),
            "piece": config.get("UPLOAD_PIECE_BYTES", DEFAULT_PIECE_BYTES)}


def _tus(response, status: int = 204, **headers):
    response = make_response(response, status)
    response.headers["Tus-Resumable"] = TUS_VERSION
    response.headers["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = str(value)
    return response


def _problem(message: str, status: int, **headers):
    return _tus(jsonify(error=message), status, **headers)


def _own_session_or_404(token: str) -> resumable.UploadSession:
    session = resumable.find(current_user, token)
    if session is None:
        raise NotFound()
    return session


def _version_refusal():
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _problem("This upload needs a newer page: reload it and try again.", 412,
                        Tus_Version=TUS_VERSION)
    return None


def _metadata(header: str) -> dict[str, str]:
    """tus Upload-Metadata: comma-separated `key base64(value)` pairs."""
    values = {}
    for pair in header.split(","):
        key, _, encoded = pair.strip().partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise ValueError(key) from error
    return values


def _header_int(name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit() or len(value) > 15:
        raise ValueError(name)
    return int(value)


def _piece_checksum() -> bytes | None:
    header = request.headers.get("Upload-Checksum")
    if header is None:
        return None
    algorithm, _, encoded = header.partition(" ")
    if algorithm != "sha256":
        raise ValueError("Upload-Checksum")
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise ValueError("Upload-Checksum") from error


@bp.route("/uploads", methods=["POST", "OPTIONS"], provide_automatic_options=False)
@login_required
def start_upload():
    if request.method == "OPTIONS":
        return _tus("", 204, Tus_Version=TUS_VERSION, Tus_Extension=TUS_EXTENSIONS,
                    Tus_Max_Size=current_app.config["UPLOAD_MAX_FILE_BYTES"],
                    Tus_Checksum_Algorithm="sha256")
    _library_only()
    if refusal := _version_refusal():
        return refusal
    try:
        size = _header_int("Upload-Length")
        metadata = _metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError as error:
        return _problem(f"The upload's {error} header is missing or malformed.", 400)
    if size > current_app.config["UPLOAD_MAX_FILE_BYTES"]:
        return _problem("The file is larger than the limit for one file. Share large videos "
                        "as a link instead.", 413)
    entry = None
    if metadata.get("entry"):
        entry = get_or_404(Entry, metadata["entry"], visible=lambda e: is_author(current_user, e))
    try:
        session = resumable.start(current_user, filename=metadata.get("filename", ""),
                                  size=size, sha256=metadata.get("sha256", ""), entry=entry)
    except DomainError as error:
        db.session.rollback()
        return _problem(error.message, 422)
    db.session.commit()
    return _tus("", 201, Location=url_for("evidence.upload_session", token=session.token),
                Upload_Expires=_http_date(session.expires_at), Upload_Offset=0)


def _http_date(moment) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@bp.route("/uploads/<token>", methods=["HEAD", "PATCH", "DELETE"])
@login_required
def upload_session(token):
    session = _own_session_or_404(token)
    if refusal := _version_refusal():
        return refusal
    if request.method == "HEAD":
        return _tus("", 200, Upload_Offset=session.received, Upload_Length=session.declared_size,
                    Upload_Expires=_http_date(session.expires_at))
    if request.method == "DELETE":
        resumable.cancel(session)
        db.session.commit()
        return _tus("", 204)
    return _receive_piece(session)


def _receive_piece(session: resumable.UploadSession):
    if request.mimetype != "application/offset+octet-stream":
        return _problem("A piece of an upload must be sent as application/offset+octet-stream.",
                        415)
    try:
        offset, checksum = _header_int("Upload-Offset"), _piece_checksum()
    except ValueError as error:
        return _problem(f"The upload's {error} header is missing or malformed.", 400)
    if offset != session.received:
        return _problem("That piece does not start where the upload stands.", 409,
                        Upload_Offset=session.received)
    try:
        mark = resumable.claim(session, offset)
    except resumable.OffsetConflict:
        db.session.rollback()
        return _problem("Another piece of this upload is being received; ask where it stands.",
                        409)
    db.session.commit()
    try:
        received = resumable.write_piece(session, mark, offset, request.stream, checksum)
    except resumable.ChunkChecksumMismatch:
        return _problem("That piece arrived damaged; send it again.", PIECE_STATUS_MISMATCH,
                        Upload_Offset=offset)
    except ClientDisconnected:
        return _problem("The connection dropped; the upload can resume.", 400)
    finally:
        db.session.commit()
    db.session.refresh(session)
    if received < session.declared_size:
        return _tus("", 204, Upload_Offset=received,
                    Upload_Expires=_http_date(session.expires_at))
    return _complete(session, received)


def _complete(session: resumable.UploadSession, received: int):
    entry = db.session.get(Entry, session.entry_id) if session.entry_id else None
    done_url = (url_for("evidence.attach_page", entry_id=entry.id) if entry is not None
                else url_for("evidence.library"))
    result = resumable.finish(current_user, session, entry)
    db.session.commit()
    if result.outcome is None:
        return _tus(jsonify(uploaded=[], errors=[result.error], redirect=None), 422,
                    Upload_Offset=received)
    _flash_stored([result])
    evidence = result.outcome.evidence
    return _tus(jsonify(uploaded=[{"id": evidence.id, "title": evidence.title,
                                   "reused": result.outcome.reused, "sha256": evidence.sha256}],
                        errors=[], redirect=done_url), 200, Upload_Offset=received)


@click.group("uploads")
def uploads_group():
    """Resumable uploads."""


@uploads_group.command("clean")
@with_appcontext
def clean_uploads():
    """Delete unfinished uploads past their expiry, with their partial files."""
    removed = resumable.remove_expired()
    db.session.commit()
    click.echo(f"Removed {removed} expired unfinished upload{'s' if removed != 1 else ''}.")
