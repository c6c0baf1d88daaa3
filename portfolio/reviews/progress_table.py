"""The stored progress facts: one row per candidate and competency code with anything to show.

A row says whether the candidate claims the code on a saved entry, whether an open review
request asks about it, and how many valid coach developer and peer sign-offs it has. Rows are
keyed by code, not by framework, because every fact already matches competencies by code (a
sign-off stays valid in a later framework version that keeps the code); the state each
framework shows is these facts judged by that version's rule, which costs no query. So a
membership change or a framework rollover changes no row, and only claims, review requests,
sign-offs and revocations do.

Every flush that touches those facts notes the candidates concerned, and the transaction
recomputes their rows from the facts just before it commits (`refresh_progress`), so the table
never disagrees with the facts it was committed with. On PostgreSQL the refresh first locks
the candidates' user rows, so of two transactions changing one candidate's facts at once the
second recomputes after the first has committed and sees both. `flask progress rebuild`
recomputes every row; the tests compare that with the incremental rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import click
from flask.cli import with_appcontext
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    bindparam,
    delete,
    distinct,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..auth.models import User
from ..database import UTCDateTime, built_once, read_rows, utcnow
from ..entries.models import Entry, EntryCompetency, EntryStatus
from ..extensions import db
from ..frameworks.models import Competency
from .models import (
    OPEN_STATUSES,
    Decision,
    ReviewRequest,
    ReviewRequestCompetency,
    Signoff,
    SignoffRevocation,
    SignoffRole,
)

BATCH = 500


class CompetencyProgressRow(db.Model):
    """Derived: rebuilt from claims, requests and sign-offs; never edited by hand."""

    __tablename__ = "competency_progress"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              primary_key=True)
    competency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    claimed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    awaiting_review: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    developer_signoffs: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    peer_signoffs: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


@dataclass(frozen=True)
class Facts:
    """What one row holds, as recomputed from the sign-offs, claims and requests."""

    claimed: bool = False
    awaiting_review: bool = False
    developer_signoffs: int = 0
    peer_signoffs: int = 0


# --- recomputing from the facts -------------------------------------------------------------

def valid_signoff_counts(candidate_ids: list[int], session=None
                         ) -> dict[tuple[int, str, str], int]:
    """(candidate, competency code, role) -> unrevoked 'signed off' decisions that count.

    Peer sign-offs count once per peer, so one friend cannot meet a two-peer rule alone;
    coach developer sign-offs count once per entry, so re-reviewing one piece of work (a
    later version) does not count as new evidence.
    """
    if not candidate_ids:
        return {}
    rows = (session or db.session).execute(
        select(Signoff.candidate_id, Signoff.competency_code, Signoff.role,
               func.count(distinct(Signoff.reviewer_id)), func.count(distinct(Signoff.entry_id)))
        .outerjoin(SignoffRevocation, SignoffRevocation.signoff_id == Signoff.id)
        .where(Signoff.candidate_id.in_(candidate_ids), Signoff.decision == Decision.SIGNED_OFF,
               SignoffRevocation.id.is_(None))
        .group_by(Signoff.candidate_id, Signoff.competency_code, Signoff.role)
    )
    return {(candidate, code, role): (peers if role == SignoffRole.PEER else entries)
            for candidate, code, role, peers, entries in rows}


def claimed_pairs(candidate_ids: list[int], session=None) -> set[tuple[int, str]]:
    """(candidate, code) claimed on a saved (published) entry."""
    if not candidate_ids:
        return set()
    return set(map(tuple, (session or db.session).execute(
        select(Entry.owner_id, Competency.code).distinct()
        .join(EntryCompetency, EntryCompetency.entry_id == Entry.id)
        .join(Competency, Competency.id == EntryCompetency.competency_id)
        .where(Entry.owner_id.in_(candidate_ids),
                                       Entry.status == EntryStatus.PUBLISHED))))


def awaiting_pairs(candidate_ids: list[int], session=None) -> set[tuple[int, str]]:
    """(candidate, code) asked about in an open review request."""
    if not candidate_ids:
        return set()
    return set(map(tuple, (session or db.session).execute(
        select(ReviewRequest.candidate_id, Competency.code).distinct()
        .join(ReviewRequestCompetency, ReviewRequestCompetency.request_id == ReviewRequest.id)
        .join(Competency, Competency.id == ReviewRequestCompetency.competency_id)
        .where(ReviewRequest.candidate_id.in_(candidate_ids),
               ReviewRequest.status.in_(OPEN_STATUSES)))))


def computed_facts(candidate_ids: list[int], session=None) -> dict[tuple[int, str], Facts]:
    """(candidate, code) -> facts recomputed from scratch (three statements)."""
    counts = valid_signoff_counts(candidate_ids, session)
    claimed = claimed_pairs(candidate_ids, session)
    awaiting = awaiting_pairs(candidate_ids, session)
    keys = claimed | awaiting | {(candidate, code) for candidate, code, _ in counts}
    return {(candidate, code): Facts(
        claimed=(candidate, code) in claimed, awaiting_review=(candidate, code) in awaiting,
        developer_signoffs=counts.get((candidate, code, SignoffRole.COACH_DEVELOPER), 0),
        peer_signoffs=counts.get((candidate, code, SignoffRole.PEER), 0))
        for candidate, code in keys}


def stored_facts(candidate_ids: list[int] | None = None) -> dict[tuple[int, str], Facts]:
    """(candidate, code) -> facts as the table holds them (every candidate when None).

    Most rows of a page repeat a few distinct facts ("claimed, nothing signed"), so each
    distinct one is made once and shared (Facts is frozen)."""
    if candidate_ids is not None and not candidate_ids:
        return {}
    statement = _stored_facts_statement(candidate_ids is not None)
    rows = read_rows(
        statement, {"ids": list(candidate_ids)} if candidate_ids is not None else {}).all()
    made: dict[tuple, Facts] = {}
    facts = {}
    for candidate, code, *fact in rows:
        key = (bool(fact[0]), bool(fact[1]), fact[2], fact[3])
        shared = made.get(key)
        if shared is None:
            shared = made[key] = Facts(*key)
        facts[candidate, code] = shared
    return facts


@built_once
def _stored_facts_statement(some: bool):
    """The progress rows of the candidates in the expanding `ids`, or of everyone."""
    table = CompetencyProgressRow
    statement = select(table.candidate_id, table.competency_code, table.claimed,
                       table.awaiting_review, table.developer_signoffs, table.peer_signoffs)
    if some:
        statement = statement.where(table.candidate_id.in_(bindparam("ids", expanding=True)))
    return statement


# --- writing the rows -----------------------------------------------------------------------

def refresh_progress(candidate_ids: Iterable[int], session=None) -> None:
    """Recompute these candidates' rows from the facts, inside the current transaction."""
    session = session or db.session()
    ids = sorted({int(candidate) for candidate in candidate_ids if candidate is not None})
    for start in range(0, len(ids), BATCH):
        _refresh_batch(ids[start:start + BATCH], session)


def _refresh_batch(ids: list[int], session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Serialise refreshes of one candidate: the second waits for the first to commit and
        # then (READ COMMITTED) reads the facts both transactions wrote. NO KEY UPDATE leaves
        # rows that merely reference the user (a new entry, a sign-off) free to be inserted.
        session.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id)
                        .with_for_update(key_share=True))
    facts = computed_facts(ids, session)
    table = CompetencyProgressRow.__table__
    session.execute(delete(table).where(table.c.candidate_id.in_(ids)))
    now = utcnow()
    rows = [{"candidate_id": candidate, "competency_code": code, "claimed": fact.claimed,
             "awaiting_review": fact.awaiting_review,
             "developer_signoffs": fact.developer_signoffs,
             "peer_signoffs": fact.peer_signoffs, "updated_at": now}
            for (candidate, code), fact in sorted(facts.items())]
    if rows:
        session.execute(table.insert(), rows)


def rebuild_progress() -> int:
    """Recompute every candidate's rows (and drop rows of people with no facts left)."""
    table = CompetencyProgressRow.__table__
    candidates = set(db.session.scalars(select(Signoff.candidate_id).distinct()))
    candidates |= set(db.session.scalars(select(ReviewRequest.candidate_id).distinct()))
    candidates |= set(db.session.scalars(
        select(Entry.owner_id).distinct().join(EntryCompetency,
                                               EntryCompetency.entry_id == Entry.id)))
    stale = set(db.session.scalars(select(table.c.candidate_id).distinct())) - candidates
    if stale:
        db.session.execute(delete(table).where(table.c.candidate_id.in_(sorted(stale))))
    refresh_progress(candidates)
    _pending(db.session()).clear()
    return len(candidates)


# --- noting which candidates a flush touched ------------------------------------------------

PENDING = "progress_pending"
DONE = "progress_refreshed"


def _pending(session: Session) -> set[int]:
    return session.info.setdefault(PENDING, set())


def _done(session: Session) -> set[int]:
    return session.info.setdefault(DONE, set())


def mark_progress_stale(candidate_ids: Iterable[int]) -> None:
    """Note candidates whose facts a bulk UPDATE or DELETE changed (the ORM cannot see those)."""
    _pending(db.session()).update(candidate for candidate in candidate_ids
                                  if candidate is not None)


def refresh_pending_progress() -> None:
    """Bring the rows of candidates changed earlier in this transaction up to date."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.flush()
    _refresh_noted(session)


def _refresh_noted(session: Session) -> None:
    pending = session.info.get(PENDING)
    indirect = session.info.pop(INDIRECT, None)
    if indirect:
        pending = _pending(session)
        pending.update(_resolve(indirect, session))
    if not pending:
        return
    ids = set(pending)
    pending.clear()
    refresh_progress(ids, session)
    _done(session).update(ids)


INDIRECT = "progress_indirect"


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_flush(session: Session, _flush_context) -> None:
    direct: set[int] = set()
    indirect = session.info.setdefault(INDIRECT, {"requests": set(), "entries": set(),
                                                  "signoffs": set(), "competencies": set()})
    added_or_gone = list(session.new) + list(session.deleted)
    for obj in added_or_gone:
        _note(obj, direct, indirect, always=True)
    for obj in session.dirty:
        _note(obj, direct, indirect, always=False)
    if direct:
        _pending(session).update(direct)
    if not any(indirect.values()):
        session.info.pop(INDIRECT, None)


def _note(obj, direct: set[int], indirect: dict, always: bool) -> None:
    if isinstance(obj, Signoff):
        direct.add(obj.candidate_id)
    elif isinstance(obj, SignoffRevocation):
        indirect["signoffs"].add(obj.signoff_id)
    elif isinstance(obj, ReviewRequest):
        if always or _changed(obj, "status", "candidate_id", "competencies"):
            direct.add(obj.candidate_id)
            direct.update(inspect(obj).attrs.candidate_id.history.deleted or ())
    elif isinstance(obj, ReviewRequestCompetency):
        indirect["requests"].add(obj.request_id)
    elif isinstance(obj, Entry):
        if always or _changed(obj, "status", "owner_id", "claims"):
            direct.add(obj.owner_id)
            direct.update(inspect(obj).attrs.owner_id.history.deleted or ())
    elif isinstance(obj, EntryCompetency):
        indirect["entries"].add(obj.entry_id)
    elif isinstance(obj, Competency) and not always and _changed(obj, "code"):
        indirect["competencies"].add(obj.id)


def _resolve(indirect: dict, session: Session) -> set[int]:
    """Candidates behind the requests, entries, sign-offs and competencies a flush changed."""
    ids: set[int] = set()
    requests = [i for i in indirect["requests"] if i is not None]
    entries = [i for i in indirect["entries"] if i is not None]
    signoffs = [i for i in indirect["signoffs"] if i is not None]
    competencies = [i for i in indirect["competencies"] if i is not None]
    if requests:
        ids.update(session.scalars(select(ReviewRequest.candidate_id)
                                      .where(ReviewRequest.id.in_(requests))))
    if entries:
        ids.update(session.scalars(select(Entry.owner_id).where(Entry.id.in_(entries))))
    if signoffs:
        ids.update(session.scalars(select(Signoff.candidate_id)
                                      .where(Signoff.id.in_(signoffs))))
    if competencies:
        ids.update(session.scalars(
            select(Entry.owner_id).join(EntryCompetency, EntryCompetency.entry_id == Entry.id)
            .where(EntryCompetency.competency_id.in_(competencies))))
        ids.update(session.scalars(
            select(ReviewRequest.candidate_id)
            .join(ReviewRequestCompetency, ReviewRequestCompetency.request_id == ReviewRequest.id)
            .where(ReviewRequestCompetency.competency_id.in_(competencies))))
    return ids


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    _refresh_noted(session)


def _after_commit(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(DONE, None)
    session.info.pop(INDIRECT, None)


def _after_soft_rollback(session: Session, _previous_transaction) -> None:
    # Rows refreshed inside what was just rolled back are gone again: refresh them next time.
    done = session.info.pop(DONE, None)
    if done:
        _pending(session).update(done)


def install_progress_hooks(session_class=Session) -> None:
    """Keep the table in step with every ORM write made through sessions of this class."""
    if not event.contains(session_class, "after_flush", _note_flush):
        event.listen(session_class, "after_flush", _note_flush)
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_commit", _after_commit)
        event.listen(session_class, "after_soft_rollback", _after_soft_rollback)


# --- command --------------------------------------------------------------------------------

@click.group("progress")
def progress_group():
    """The stored competency progress."""


@progress_group.command("rebuild")
@with_appcontext
def rebuild_command():
    """Recompute every candidate's stored progress from sign-offs, claims and requests."""
    before = stored_facts()
    candidates = rebuild_progress()
    after = stored_facts()
    db.session.commit()
    changed = sum(before.get(key) != value for key, value in after.items()) + \
        len(before.keys() - after.keys())
    click.echo(f"Progress rebuilt for {candidates} candidates: {len(after)} rows, "
               f"{changed} corrected.")


install_progress_hooks()
