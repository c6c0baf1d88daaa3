"""Resumable uploads (the tus 1.0 core protocol): a large file arrives in pieces.

A session row records who is sending what (declared size and sha256, file name) and how many
bytes have arrived; the bytes go to a partial file under the instance folder, written at their
offset straight from the request stream, so memory stays flat whatever the size. Two pieces
sent for the same offset at once are settled by the database: a conditional UPDATE lets one
request claim the session; the other is told the offset moved (409). When the last byte
arrives the whole file is checked against the declared sha256 and handed to the same path a
form upload takes (services.upload_files: limits, type sniffing, image re-encoding, hashing).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import BigInteger, ForeignKey, Integer, String, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from .. import storage
from ..database import UTCDateTime, utcnow
from ..errors import DomainError
from ..extensions import db
from . import filenames, queries, services

READ_BYTES = 64 * 1024
SESSION_HOURS = 24  # an unfinished upload is kept this long after its last piece
CLAIM_STALE_SECONDS = 300  # a claim this old belongs to a worker that died mid-piece
MAX_OPEN_SESSIONS = 5  # per person: partial files take disk space
_HEX64 = frozenset("0123456789abcdef")


class UploadSession(db.Model):
    """One resumable upload in progress (the row goes when the upload completes or expires)."""

    __tablename__ = "upload_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)  # the URL's id: unguessable
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                                 index=True)
    filename: Mapped[str] = mapped_column(String(255))
    declared_size: Mapped[int] = mapped_column(BigInteger)
    declared_sha256: Mapped[str] = mapped_column(String(64))
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    claim: Mapped[str | None] = mapped_column(String(32))  # set while one request writes
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pieces: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OffsetConflict(Exception):
    """The piece does not start where the upload stands, or another piece is being written."""


class ChunkChecksumMismatch(Exception):
    """The piece's Upload-Checksum did not match its bytes (tus: 460); nothing was kept."""


def partial_folder() -> Path:
    return Path(current_app.instance_path) / "partial-uploads"


def partial_path(session: UploadSession) -> Path:
    return partial_folder() / f"{session.token}.part"


def start(actor, *, filename: str, size: int, sha256: str, entry=None) -> UploadSession:
    """Open an upload session after checking what can be checked before any byte arrives."""
    if entry is not None:
        services._require_editable(actor, entry)
    services._require_uploader(actor)
    name = filenames.check_filename(filename)
    sha256 = (sha256 or "").strip().lower()
    if len(sha256) != 64 or not set(sha256) <= _HEX64:
        raise DomainError("The upload did not say the file's SHA-256 checksum.")
    config = current_app.config
    if size <= 0:
        raise DomainError("The file is empty (0 bytes). Check you chose the right file.")
    if size > config["UPLOAD_MAX_FILE_BYTES"]:
        raise DomainError(f"The file is larger than "
                          f"{services.human_size(config['UPLOAD_MAX_FILE_BYTES'])}, the limit for "
                          "one file. Share large videos as a link instead.")
    services._check_quota(queries.bytes_used(actor.id), size, config["UPLOAD_MAX_CANDIDATE_BYTES"])
    if _open_sessions(actor.id) >= MAX_OPEN_SESSIONS:
        raise DomainError("You have too many unfinished uploads. Let them finish, or wait a day "
                          "for them to be cleared, then try again.")
    session = UploadSession(token=secrets.token_urlsafe(32), owner_id=actor.id,
                            entry_id=entry.id if entry is not None else None, filename=name,
                            declared_size=size, declared_sha256=sha256, received=0,
                            expires_at=utcnow() + timedelta(hours=SESSION_HOURS))
    db.session.add(session)
    db.session.flush()
    path = partial_path(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)
    return session


def _open_sessions(owner_id: int) -> int:
    return db.session.scalar(select(func.count(UploadSession.id)).where(
        UploadSession.owner_id == owner_id, UploadSession.expires_at > utcnow()))


def find(actor, token: str) -> UploadSession | None:
    """The actor's own live session with this token (another person's is None, like a missing one)."""
    if not actor or not actor.is_authenticated or not token or len(token) > 43:
        return None
    return db.session.scalar(select(UploadSession).where(
        UploadSession.token == token, UploadSession.owner_id == actor.id,
        UploadSession.expires_at > utcnow()))


def claim(session: UploadSession, offset: int) -> str:
    """Take the session for one piece at `offset`, or raise OffsetConflict (the view commits).

    The conditional UPDATE is the lock: of two requests for the same offset exactly one
    matches the row; a claim left by a dead worker goes stale after CLAIM_STALE_SECONDS.
    """
    mark = secrets.token_hex(16)
    now = utcnow()
    stale = now - timedelta(seconds=CLAIM_STALE_SECONDS)
    taken = db.session.execute(
        update(UploadSession)
        .where(UploadSession.id == session.id, UploadSession.received == offset,
               (UploadSession.claim.is_(None)) | (UploadSession.claimed_at < stale))
        .values(claim=mark, claimed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise OffsetConflict()
    return mark


def write_piece(session: UploadSession, mark: str, offset: int, stream,
                checksum: bytes | None = None) -> int:
    """Write the request body at `offset` and record how far it got (the view commits).

    A connection that drops mid-piece keeps what arrived (the client resumes from there); a
    piece whose checksum does not match keeps nothing. The claim is released, except when the
    file is complete: the claim holder then finishes the upload, so it is stored only once.
    """
    digest = hashlib.sha256()
    written = 0
    limit = session.declared_size - offset
    matched = True
    try:
        with partial_path(session).open("r+b") as out:
            out.seek(offset)
            while written < limit and (block := stream.read(min(READ_BYTES, limit - written))):
                out.write(block)
                digest.update(block)
                written += len(block)
            out.flush()
            os.fsync(out.fileno())
        matched = checksum is None or digest.digest() == checksum
    finally:
        received = offset + (written if matched else 0)
        done = received == session.declared_size
        db.session.execute(
            update(UploadSession).where(UploadSession.id == session.id,
                                        UploadSession.claim == mark)
            .values(received=received, pieces=UploadSession.pieces + 1,
                    claim=mark if done else None, claimed_at=utcnow() if done else None,
                    expires_at=utcnow() + timedelta(hours=SESSION_HOURS))
            .execution_options(synchronize_session=False))
    if not matched:
        raise ChunkChecksumMismatch()
    return received


def finish(actor, session: UploadSession, entry=None) -> services.UploadResult:
    """Verify the assembled file and store it as evidence like a form upload (flushes only).

    Accepted or refused, the session row goes and its partial file is deleted after the commit.
    """
    path = partial_path(session)
    result = services.UploadResult(filenames.display_name(session.filename))
    try:
        if _sha256_of(path, session.declared_size) != session.declared_sha256:
            raise DomainError("The file that arrived does not match the file you chose (its "
                              "checksum differs), so it was not kept. Upload it again.")
        with path.open("rb") as stream:
            upload = FileStorage(stream=_Limited(stream, session.declared_size),
                                 filename=session.filename)
            [result] = services.upload_files(actor, [upload], entry=entry)
    except DomainError as error:
        result.error = error.message
    _forget(session)
    return result


def _forget(session: UploadSession) -> None:
    storage.delete_paths_after_commit([partial_path(session)])
    db.session.delete(session)
    db.session.flush()


def _sha256_of(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        reader = _Limited(stream, size)
        while block := reader.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


class _Limited:
    """The first `size` bytes of a file: bytes past the declared end never count."""

    def __init__(self, stream, size: int):
        self.stream, self.left = stream, size

    def read(self, count: int = -1) -> bytes:
        count = self.left if count is None or count < 0 else min(count, self.left)
        block = self.stream.read(count)
        self.left -= len(block)
        return block


def cancel(session: UploadSession) -> None:
    """Forget an unfinished upload and its partial file (tus termination)."""
    _forget(session)


def remove_expired(now: datetime | None = None) -> int:
    """Delete sessions past their expiry; their partial files go after the commit."""
    now = now or utcnow()
    tokens = list(db.session.scalars(select(UploadSession.token)
                                     .where(UploadSession.expires_at <= now)))
    db.session.execute(delete(UploadSession).where(UploadSession.expires_at <= now)
                       .execution_options(synchronize_session=False))
    storage.delete_paths_after_commit([partial_folder() / f"{token}.part" for token in tokens])
    return len(tokens)


def erase_for(user_id: int) -> int:
    """An erased person's unfinished uploads go; their partial files after the commit."""
    tokens = list(db.session.scalars(select(UploadSession.token)
                                     .where(UploadSession.owner_id == user_id)))
    db.session.execute(delete(UploadSession).where(UploadSession.owner_id == user_id)
                       .execution_options(synchronize_session=False))
    storage.delete_paths_after_commit([partial_folder() / f"{token}.part" for token in tokens])
    return len(tokens)


def personal_sessions(user_id: int, rows) -> list:
    """Their unfinished uploads, never the URL token; `rows` is the download's row reader."""
    return rows(select(UploadSession).where(UploadSession.owner_id == user_id),
                exclude={"token", "claim"})
