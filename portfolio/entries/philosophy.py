"""The coaching philosophy statement: one per candidate, autosaved, saved as versions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..database import utcnow
from ..errors import ConflictError, DomainError, ReadOnlyError
from ..extensions import db
from .authoring import can_write_portfolio, writing_membership
from .models import PRIVACY_TIERS, PhilosophyStatement, PhilosophyVersion, PrivacyTier
from .services import UNCHANGED
from .versioning import content_hash
from .vocabulary import PHILOSOPHY_MAX_CHARS, is_wider, normalise_text

PROMPT = "What good coaching looks like for me, and why"
CONFLICT_MESSAGE = ("Your statement was changed somewhere else (another window or device) "
                    "after you opened it, so your changes were not saved over it.")


def statement_of(user_id: int) -> PhilosophyStatement | None:
    return db.session.scalar(select(PhilosophyStatement).where(
        PhilosophyStatement.owner_id == user_id))


def latest_statement_version(statement: PhilosophyStatement | None) -> PhilosophyVersion | None:
    if statement is None or not statement.latest_version_number:
        return None
    return statement_version(statement, statement.latest_version_number)


def statement_version(statement: PhilosophyStatement, number: int) -> PhilosophyVersion | None:
    return db.session.scalar(select(PhilosophyVersion).where(
        PhilosophyVersion.statement_id == statement.id, PhilosophyVersion.number == number))


def ensure_statement(actor) -> PhilosophyStatement:
    """The actor's statement, created empty on first write."""
    _assert_can_write(actor)
    statement = statement_of(actor.id)
    if statement is None:
        statement = PhilosophyStatement(owner_id=actor.id, body="",
                                        privacy=PrivacyTier.DEVELOPERS)
        db.session.add(statement)
        _flush()
    return statement


def update_statement(actor, *, body=UNCHANGED, privacy=UNCHANGED,
                     expected_lock: int | None = None, deliberate: bool = True
                     ) -> PhilosophyStatement:
    """Write the working copy. Autosave (not deliberate) never widens the audience."""
    statement = ensure_statement(actor)
    if expected_lock is not None and expected_lock != statement.lock_version:
        # A repeat of what is already there (a reload racing its own autosave) is no conflict.
        if body is UNCHANGED or normalise_text(body) != statement.body or (
                privacy is not UNCHANGED and privacy != statement.privacy):
            raise ConflictError(CONFLICT_MESSAGE)
        return statement
    if body is not UNCHANGED:
        body = normalise_text(body)
        if len(body) > PHILOSOPHY_MAX_CHARS:
            raise DomainError(f"Your statement can be up to {PHILOSOPHY_MAX_CHARS:,} "
                              "characters.", "body")
        statement.body = body
    if privacy is not UNCHANGED:
        if privacy not in PRIVACY_TIERS:
            raise DomainError("Choose who can see your statement.", "privacy")
        if deliberate or not is_wider(privacy, statement.privacy):
            statement.privacy = privacy
    statement.autosaved_at = utcnow()
    _flush()
    return statement


def save_statement(actor, *, body, privacy, expected_lock: int | None = None
                   ) -> PhilosophyVersion | None:
    """Apply the changes and save a new version; None when the text has not changed."""
    statement = update_statement(actor, body=body, privacy=privacy, expected_lock=expected_lock)
    if not statement.body.strip():
        raise DomainError("Write your statement before saving it.", "body")
    latest = latest_statement_version(statement)
    if latest is not None and latest.body == statement.body:
        return None
    return _snapshot(statement)


def restore_statement(actor, number: int) -> PhilosophyVersion:
    """Bring back an earlier version's text as a new version."""
    statement = ensure_statement(actor)
    old = statement_version(statement, number)
    if old is None:
        raise DomainError("That version does not exist.")
    if old.body == statement.body:
        raise DomainError(f"Version {number} is already what your statement says.")
    latest = latest_statement_version(statement)
    if statement.body.strip() and latest.body != statement.body:
        _snapshot(statement)  # keep the unsaved draft as a version before replacing it
    statement.body = old.body
    return _snapshot(statement)


def _snapshot(statement: PhilosophyStatement) -> PhilosophyVersion:
    number = statement.latest_version_number + 1
    version = PhilosophyVersion(statement_id=statement.id, number=number, body=statement.body,
                                content_hash=content_hash({"body": statement.body}))
    db.session.add(version)
    statement.latest_version_number = number
    _flush()
    return version


def _assert_can_write(actor) -> None:
    if can_write_portfolio(actor):
        return
    if writing_membership(actor) is not None:
        raise ReadOnlyError("Your programme year is archived, so your statement can no longer "
                            "be changed.")
    raise DomainError("Only candidates in a cohort can write a coaching philosophy statement.")


def _flush() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise ConflictError(CONFLICT_MESSAGE) from error
