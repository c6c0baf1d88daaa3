"""Evidence rules: uploads, links, details, deletion, attaching to entries.

Every function takes the acting user, raises DomainError with a message for the coach, and
only flushes. A refused upload leaves nothing behind: no row and no file.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select

from .. import storage
from ..audit.services import record
from ..database import lock_for_decision
from ..entries.models import Entry
from ..entries.permissions import can_edit_entry
from ..errors import DomainError, is_out_of_space
from ..extensions import db
from . import filenames, filetypes, images, queries
from .models import EntryEvidence, Evidence
from .permissions import can_manage_evidence, can_upload_evidence

MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 5000


@dataclass
class UploadOutcome:
    evidence: Evidence
    reused: bool  # the same file was already in the library


def upload_file(actor, upload, *, title: str | None = None,
                description: str = "") -> UploadOutcome:
    """Store one uploaded file (a werkzeug FileStorage) as evidence, or reuse an identical one."""
    _require_uploader(actor)
    raw_name = upload.filename
    if not (raw_name or "").strip():
        raise DomainError("Choose a file to upload.", field="files")
    try:
        name = filenames.check_filename(raw_name)
        return _store(actor, upload.stream, name, title, description)
    except DomainError as error:
        # Several files may go up at once: say which one each message is about.
        label = f"“{filenames.display_name(raw_name)}”"
        raise DomainError(f"{label}: {error.message}", field="files") from error


@dataclass
class UploadResult:
    filename: str
    outcome: UploadOutcome | None = None
    error: str | None = None


def upload_files(actor, uploads, entry: Entry | None = None) -> list[UploadResult]:
    """Store several files, each on its own: one refused file does not stop the others.

    With `entry`, each stored (or reused) file is also attached to its working copy.
    """
    if entry is not None:
        _require_editable(actor, entry)
    _require_uploader(actor)
    results = []
    for upload in uploads:
        result = UploadResult(filenames.display_name(upload.filename or ""))
        try:
            result.outcome = upload_file(actor, upload)
        except DomainError as error:
            result.error = error.message
        else:
            if entry is not None:
                attach(actor, entry, result.outcome.evidence)
        results.append(result)
    return results


def _store(actor, stream, name: str, title, description) -> UploadOutcome:
    config = current_app.config
    used = queries.bytes_used(actor.id)
    _check_quota(used, 1, config["UPLOAD_MAX_CANDIDATE_BYTES"])
    try:
        staged = storage.stage(stream, config["UPLOAD_MAX_FILE_BYTES"])
    except storage.TooLarge as error:
        raise DomainError(f"The file is larger than {human_size(config['UPLOAD_MAX_FILE_BYTES'])}, "
                          "the limit for one file. Share large videos as a link instead "
                          "(for example an unlisted video).") from error
    except OSError as error:
        _refuse_if_out_of_space(error)
        raise
    try:
        return _accept(actor, staged, name, title, description)
    except BaseException as error:
        storage.discard(staged)
        _refuse_if_out_of_space(error)
        raise


def _refuse_if_out_of_space(error: BaseException) -> None:
    """A full disk is the server's problem, not the file's: say so, keep nothing."""
    if is_out_of_space(error):
        raise DomainError("The server has run out of space to store files, so this file was not "
                          "saved. Try again later, and tell your programme lead if it "
                          "keeps happening.") from error


def _accept(actor, staged, name, title, description) -> UploadOutcome:
    config = current_app.config
    if staged.size == 0:
        raise DomainError("The file is empty (0 bytes). Check you chose the right file.")
    filetype = filetypes.sniff(staged.path)
    filetype = filetypes.type_for_name(filetype, filenames.extension_of(name))
    _check_extension(filetype, name)
    existing = queries.find_duplicate(actor.id, staged.sha256)
    if existing is not None:
        storage.discard(staged)
        return UploadOutcome(existing, reused=True)
    facts = None
    if filetype.category == "image":
        facts = images.reencode(staged, filetype, config["UPLOAD_MAX_IMAGE_PIXELS"])
    # One person's uploads take turns from here to the commit, so two files arriving at once
    # cannot both fit the space that only one of them fits (nor the same file be kept twice).
    lock_for_decision(actor)
    existing = queries.find_duplicate(actor.id, staged.sha256)
    if existing is not None:
        storage.discard(staged)
        return UploadOutcome(existing, reused=True)
    _check_quota(queries.bytes_used(actor.id), staged.size, config["UPLOAD_MAX_CANDIDATE_BYTES"])
    evidence = Evidence(
        owner_id=actor.id, kind="file", title=_title(title or filenames.title_from(name)),
        description=_description(description), original_filename=name,
        storage_key=staged.key, media_type=filetype.media_type, category=filetype.category,
        size_bytes=staged.size, sha256=staged.sha256, width=facts.width if facts else None,
        height=facts.height if facts else None, has_thumbnail=".thumb" in staged.variants)
    db.session.add(evidence)
    db.session.flush()
    storage.keep_after_commit(staged)
    record("evidence.uploaded", actor=actor, target=evidence, type=filetype.key,
           bytes=staged.size)
    return UploadOutcome(evidence, reused=False)


def _check_extension(filetype: filetypes.FileType, name: str) -> None:
    extension = filenames.extension_of(name)
    if extension in filetype.extensions:
        return
    article = "an" if filetype.label[0] in "AEIOU" else "a"
    problem = f"its name ends in {extension}" if extension else "its name has no extension"
    raise DomainError(f"The file is {article} {filetype.label}, but {problem}. Rename it to end "
                      f"in {filetype.extension}, then upload it again.")


def _check_quota(used: int, adding: int, quota: int) -> None:
    if used + adding > quota:
        raise DomainError(f"Your evidence library is full: you have used {human_size(used)} of "
                          f"your {human_size(quota)}. Delete evidence you no longer need, or "
                          "share large videos as links.")


def add_link(actor, *, title: str, url: str, description: str = "") -> Evidence:
    """Add link evidence (an https address, e.g. a competition video)."""
    _require_uploader(actor)
    evidence = Evidence(owner_id=actor.id, kind="link", title=_title(title),
                        description=_description(description), url=clean_https_url(url))
    db.session.add(evidence)
    db.session.flush()
    return evidence


def clean_https_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise DomainError("Enter the web address of the evidence.", field="url")
    if len(url) > 2000 or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise DomainError("Enter a web address without spaces, up to 2,000 characters.",
                          field="url")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as error:
        raise DomainError("Enter a full web address starting with https://", field="url") \
            from error
    if parts.scheme.lower() != "https" or not hostname:
        raise DomainError("Enter a full web address starting with https:// (secure links only).",
                          field="url")
    if parts.username or parts.password:
        raise DomainError("Enter the address without a user name or password in it.",
                          field="url")
    return url


def update_details(actor, evidence: Evidence, *, title: str, description: str) -> None:
    _require_manager(actor, evidence)
    evidence.title = _title(title)
    evidence.description = _description(description)
    db.session.flush()


def delete_evidence(actor, evidence: Evidence) -> None:
    """Delete evidence and, after the commit, its file; refused once a review refers to it."""
    _require_manager(actor, evidence)
    # Locked before the check: a review sent at the same moment either committed already (and
    # is seen) or waits until this deletion is done (and finds the item gone).
    if lock_for_decision(evidence, deleting=True) is None:
        return  # deleted a moment ago by another request: what was asked is done
    blockers = queries.reviewed_versions_listing(evidence)
    if blockers:
        raise DomainError(deletion_refusal(blockers))
    record("evidence.deleted", actor=actor, target=evidence, kind=evidence.kind,
           bytes=evidence.size_bytes)
    if evidence.storage_key:
        storage.delete_after_commit(evidence.storage_key)
    db.session.delete(evidence)
    db.session.flush()


def delete_for_withdrawn_consent(evidence: Evidence, *, reason: str) -> None:
    """Delete evidence whose consent was withdrawn, reviewed or not (the grace period is over):
    a parent's withdrawal outranks keeping the reviewed record complete."""
    record("evidence.deleted", target=evidence, kind=evidence.kind, bytes=evidence.size_bytes,
           reason=reason)
    if evidence.storage_key:
        storage.delete_after_commit(evidence.storage_key)
    db.session.delete(evidence)
    db.session.flush()


def deletion_refusal(blockers) -> str:
    version = blockers[0]
    others = len(blockers) - 1
    more = f" (and {others} other saved version{'s' if others != 1 else ''})" if others else ""
    return (f"This evidence cannot be deleted because version {version.number} of "
            f"“{version.entry.display_title}”{more} was submitted for review or signed off "
            "with it. Reviewed versions keep their evidence so the record stays complete.")


def attach(actor, entry: Entry, evidence: Evidence) -> bool:
    """Attach evidence to the entry's working copy; False if it was attached already."""
    _require_editable(actor, entry)
    if evidence.owner_id != entry.owner_id:
        raise DomainError("Only evidence from your own library can be attached.",
                          field="evidence_id")
    already = db.session.scalar(select(EntryEvidence).where(
        EntryEvidence.entry_id == entry.id, EntryEvidence.evidence_id == evidence.id))
    if already is not None:
        return False
    position = db.session.scalar(select(func.coalesce(func.max(EntryEvidence.position), -1))
                                 .where(EntryEvidence.entry_id == entry.id)) + 1
    db.session.add(EntryEvidence(entry_id=entry.id, evidence_id=evidence.id, position=position))
    db.session.flush()
    return True


def detach(actor, entry: Entry, evidence: Evidence) -> None:
    """Remove evidence from the entry's working copy (saved versions keep what they listed)."""
    _require_editable(actor, entry)
    link = db.session.scalar(select(EntryEvidence).where(
        EntryEvidence.entry_id == entry.id, EntryEvidence.evidence_id == evidence.id))
    if link is not None:
        db.session.delete(link)
        db.session.flush()


def _require_uploader(actor) -> None:
    if not can_upload_evidence(actor):
        raise DomainError("Only candidates on a current programme can add evidence.")


def _require_manager(actor, evidence: Evidence) -> None:
    if not can_manage_evidence(actor, evidence):
        raise DomainError("You can only change your own evidence while your programme is open.")


def _require_editable(actor, entry: Entry) -> None:
    if not can_edit_entry(actor, entry):
        raise DomainError("Only the author can change this entry's evidence, and not once its "
                          "programme year is archived.")


def _title(value: str) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise DomainError("Enter a title.", field="title")
    if len(title) > MAX_TITLE_CHARS:
        raise DomainError(f"Title must be {MAX_TITLE_CHARS} characters or fewer.", field="title")
    return title


def _description(value: str) -> str:
    description = (value or "").strip()
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise DomainError(f"Description must be {MAX_DESCRIPTION_CHARS:,} characters or fewer.",
                          field="description")
    return description


def human_size(size: int) -> str:
    """1536 -> '1.5 KB'; sizes in binary units with plain names."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}".replace(".0 ", " ")
        value /= 1024
    return f"{size} bytes"
