"""Keeping `search_documents` in step with what people write, in the same transaction.

Every flush notes which entries, comments, evidence items, goals and philosophy statements it
touched; just before the transaction commits their rows are rebuilt from the database (the
same builders `flask search rebuild` and migration 0014 use), so the index never disagrees
with the text it was committed with. Bulk UPDATE and DELETE statements are invisible to the
ORM: code that uses them (erasure) calls `reindex_person`. A row whose source is gone is never
shown anyway: every search joins the source row and applies its visibility rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

from sqlalchemy import and_, delete, event, inspect, select
from sqlalchemy.orm import Session

from ..database import utcnow
from ..entries.models import (
    Entry,
    EntryVersion,
    Goal,
    PhilosophyStatement,
    PhilosophyVersion,
)
from ..evidence.models import Evidence
from ..extensions import db
from ..observations.models import Observation, ObservationTemplate
from ..reviews.models import Comment
from .models import DocumentKind, SearchDocument

BATCH = 500
BODY_LIMIT = 200_000  # characters kept per document: far above any form's limit


class _Text(HTMLParser):
    """The text of sanitised HTML, with a space wherever a block or line ends."""

    BREAKS = {"p", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div",
              "blockquote", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str | None) -> str:
    if not html:
        return ""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


MARKERS = str.maketrans("", "", "\x02\x03")  # search's highlight markers never come from text


def _join(*parts) -> str:
    text = "\n".join(part.strip() for part in parts if part and part.strip())
    return text.translate(MARKERS)[:BODY_LIMIT]


# --- builders: the rows each thing should have ---------------------------------------------

def _entry_rows(session, ids):
    statement = (
        select(Entry.id, Entry.owner_id, Entry.practice_date, EntryVersion.title,
               EntryVersion.rendered, EntryVersion.created_at)
        .join(EntryVersion, and_(EntryVersion.entry_id == Entry.id,
                                 EntryVersion.number == Entry.latest_version_number)))
    if ids is not None:
        statement = statement.where(Entry.id.in_(ids))
    for entry_id, owner, practice_date, title, rendered, saved_at in session.execute(statement):
        sections = rendered.values() if isinstance(rendered, dict) else ()
        yield dict(kind=DocumentKind.ENTRY, ref_id=entry_id, owner_id=owner, entry_id=entry_id,
                   title=_join(title), body=_join(*(html_text(html) for html in sections)),
                   happened_on=practice_date or saved_at.date())


def _comment_rows(session, ids):
    statement = (
        select(Comment.id, Comment.entry_id, Entry.owner_id, Comment.body, Comment.what_worked,
               Comment.what_to_try, Comment.question, Comment.created_at)
        .join(Entry, Entry.id == Comment.entry_id)
        .where(Comment.removed_at.is_(None)))
    if ids is not None:
        statement = statement.where(Comment.id.in_(ids))
    for comment_id, entry_id, owner, body, worked, to_try, question, created in \
            session.execute(statement):
        yield dict(kind=DocumentKind.COMMENT, ref_id=comment_id, owner_id=owner,
                   entry_id=entry_id, title="", body=_join(body, worked, to_try, question),
                   happened_on=created.date())


def _evidence_rows(session, ids):
    statement = (select(Evidence.id, Evidence.owner_id, Evidence.title, Evidence.description,
                        Evidence.created_at)
                 .where(Evidence.deleted_at.is_(None)))
    if ids is not None:
        statement = statement.where(Evidence.id.in_(ids))
    for evidence_id, owner, title, description, created in session.execute(statement):
        yield dict(kind=DocumentKind.EVIDENCE, ref_id=evidence_id, owner_id=owner, entry_id=None,
                   title=_join(title), body=_join(description), happened_on=created.date())


def _goal_rows(session, ids):
    statement = select(Goal.id, Goal.owner_id, Goal.title, Goal.description, Goal.created_at)
    if ids is not None:
        statement = statement.where(Goal.id.in_(ids))
    for goal_id, owner, title, description, created in session.execute(statement):
        yield dict(kind=DocumentKind.GOAL, ref_id=goal_id, owner_id=owner, entry_id=None,
                   title=_join(title), body=_join(description), happened_on=created.date())


def _philosophy_rows(session, ids):
    statement = (
        select(PhilosophyStatement.id, PhilosophyStatement.owner_id, PhilosophyVersion.rendered,
               PhilosophyVersion.created_at)
        .join(PhilosophyVersion, and_(
            PhilosophyVersion.statement_id == PhilosophyStatement.id,
            PhilosophyVersion.number == PhilosophyStatement.latest_version_number)))
    if ids is not None:
        statement = statement.where(PhilosophyStatement.id.in_(ids))
    for statement_id, owner, rendered, saved_at in session.execute(statement):
        yield dict(kind=DocumentKind.PHILOSOPHY, ref_id=statement_id, owner_id=owner,
                   entry_id=None, title="Coaching philosophy", body=_join(html_text(rendered)),
                   happened_on=saved_at.date())


def _observation_rows(session, ids):
    statement = (
        select(Observation.id, Observation.candidate_id, ObservationTemplate.name,
               Observation.venue, Observation.athletes, Observation.strengths,
               Observation.next_steps, Observation.observed_on)
        .join(ObservationTemplate, ObservationTemplate.id == Observation.template_id))
    if ids is not None:
        statement = statement.where(Observation.id.in_(ids))
    for observation_id, candidate, name, venue, athletes, strengths, next_steps, observed_on \
            in session.execute(statement):
        yield dict(kind=DocumentKind.OBSERVATION, ref_id=observation_id, owner_id=candidate,
                   entry_id=None, title=_join(f"{name}: {venue}" if venue else name),
                   body=_join(athletes, strengths, next_steps), happened_on=observed_on)


BUILDERS = {
    DocumentKind.ENTRY: _entry_rows,
    DocumentKind.COMMENT: _comment_rows,
    DocumentKind.EVIDENCE: _evidence_rows,
    DocumentKind.GOAL: _goal_rows,
    DocumentKind.PHILOSOPHY: _philosophy_rows,
    DocumentKind.OBSERVATION: _observation_rows,
}


def reindex(kind: DocumentKind, ids: Iterable[int] | None, session=None) -> int:
    """Rebuild the rows of these things (all of this kind with ids=None); returns rows written.

    Rows are upserted on (kind, ref_id), so two transactions indexing the same thing at once
    (a comment edited in two tabs) both succeed: on PostgreSQL the second waits for the first
    and overwrites it with what it read; SQLite runs one writer at a time."""
    session = session or db.session()
    table = SearchDocument.__table__
    written = 0
    if ids is None:
        session.execute(delete(table).where(table.c.kind == kind))
        batches = [None]
    else:
        ordered = sorted({int(i) for i in ids if i is not None})
        batches = [ordered[start:start + BATCH] for start in range(0, len(ordered), BATCH)]
    now = utcnow()
    for batch in batches:
        if batch is not None and not batch:
            continue
        rows = [dict(row, updated_at=now) for row in BUILDERS[kind](session, batch)]
        for start in range(0, len(rows), BATCH):
            _upsert(session, rows[start:start + BATCH])
        if batch is not None:
            gone = sorted(set(batch) - {row["ref_id"] for row in rows})
            if gone:
                session.execute(delete(table).where(table.c.kind == kind,
                                                    table.c.ref_id.in_(gone)))
        written += len(rows)
    return written


def _upsert(session, rows: list[dict]) -> None:
    if not rows:
        return
    table = SearchDocument.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table)
    changing = ("owner_id", "entry_id", "title", "body", "happened_on", "updated_at")
    session.execute(statement.on_conflict_do_update(
        index_elements=["kind", "ref_id"],
        set_={name: statement.excluded[name] for name in changing}), rows)


def rebuild_index(session=None) -> dict[str, int]:
    """Rebuild every row from the database."""
    session = session or db.session()
    session.execute(delete(SearchDocument.__table__))
    # Migration 0014 builds the index before observations exist (0022); 0028 adds them.
    has_observations = inspect(session.connection()).has_table(Observation.__tablename__)
    counts = {str(kind): reindex(kind, None, session) for kind in DocumentKind
              if kind != DocumentKind.OBSERVATION or has_observations}
    _pending(session).clear()
    return counts


def reindex_person(user_id: int, session=None) -> None:
    """After bulk writes about one person (erasure): rebuild everything in their portfolio and
    every comment they wrote, from what is left."""
    session = session or db.session()
    table = SearchDocument.__table__
    owned = session.execute(select(table.c.kind, table.c.ref_id)
                            .where(table.c.owner_id == user_id)).all()
    pending = _pending(session)
    pending.update((DocumentKind(kind), ref) for kind, ref in owned)
    pending.update((DocumentKind.COMMENT, comment_id) for comment_id in session.scalars(
        select(Comment.id).where(Comment.author_id == user_id)))
    for kind, model in ((DocumentKind.ENTRY, Entry), (DocumentKind.EVIDENCE, Evidence),
                        (DocumentKind.GOAL, Goal), (DocumentKind.PHILOSOPHY,
                                                    PhilosophyStatement)):
        pending.update((kind, ref) for ref in session.scalars(
            select(model.id).where(model.owner_id == user_id)))
    pending.update((DocumentKind.OBSERVATION, ref) for ref in session.scalars(
        select(Observation.id).where(Observation.candidate_id == user_id)))
    _refresh_noted(session)


# --- noting what a flush touched ------------------------------------------------------------

PENDING = "search_pending"


def _pending(session: Session) -> set[tuple[DocumentKind, int]]:
    return session.info.setdefault(PENDING, set())


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note(obj, pending: set, always: bool) -> None:
    if isinstance(obj, EntryVersion):
        pending.add((DocumentKind.ENTRY, obj.entry_id))
    elif isinstance(obj, Entry):
        if always or _changed(obj, "latest_version_number", "owner_id", "practice_date"):
            pending.add((DocumentKind.ENTRY, obj.id))
    elif isinstance(obj, Comment):
        if always or _changed(obj, "body", "what_worked", "what_to_try", "question",
                              "removed_at", "entry_id"):
            pending.add((DocumentKind.COMMENT, obj.id))
    elif isinstance(obj, Evidence):
        if always or _changed(obj, "title", "description", "deleted_at", "owner_id"):
            pending.add((DocumentKind.EVIDENCE, obj.id))
    elif isinstance(obj, Goal):
        if always or _changed(obj, "title", "description", "owner_id"):
            pending.add((DocumentKind.GOAL, obj.id))
    elif isinstance(obj, PhilosophyVersion):
        pending.add((DocumentKind.PHILOSOPHY, obj.statement_id))
    elif isinstance(obj, PhilosophyStatement) and always:
        pending.add((DocumentKind.PHILOSOPHY, obj.id))
    elif isinstance(obj, Observation) and (always or _changed(
            obj, "venue", "athletes", "strengths", "next_steps", "observed_on", "candidate_id")):
        pending.add((DocumentKind.OBSERVATION, obj.id))


def _note_flush(session: Session, _flush_context) -> None:
    pending = None
    for obj in list(session.new) + list(session.deleted):
        if isinstance(obj, _WATCHED):
            pending = pending if pending is not None else _pending(session)
            _note(obj, pending, always=True)
    for obj in session.dirty:
        if isinstance(obj, _WATCHED):
            pending = pending if pending is not None else _pending(session)
            _note(obj, pending, always=False)


_WATCHED = (Entry, EntryVersion, Comment, Evidence, Goal, PhilosophyStatement, PhilosophyVersion,
            Observation)


def _refresh_noted(session: Session) -> None:
    pending = session.info.get(PENDING)
    if not pending:
        return
    noted = set(pending)
    pending.clear()
    by_kind: dict[DocumentKind, set[int]] = {}
    for kind, ref in noted:
        if ref is not None:
            by_kind.setdefault(kind, set()).add(ref)
    for kind, ids in sorted(by_kind.items()):
        reindex(kind, ids, session)


def refresh_pending_search() -> None:
    """Bring the index up to date with this transaction's writes so far (searches call it, so
    a person finds what they saved a moment ago even before the commit)."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.flush()
    _refresh_noted(session)


def _before_commit(session: Session) -> None:
    if session.info.get(PENDING) or session.new or session.dirty or session.deleted:
        if session.new or session.dirty or session.deleted:
            session.flush()
        _refresh_noted(session)


def _after_end(session: Session, *_args) -> None:
    session.info.pop(PENDING, None)


def install_search_hooks(session_class=Session) -> None:
    """Keep the index in step with every ORM write made through sessions of this class."""
    if not event.contains(session_class, "after_flush", _note_flush):
        event.listen(session_class, "after_flush", _note_flush)
        event.listen(session_class, "before_commit", _before_commit)
        # Notes survive a rollback: rebuilding a row from the database is always right, and a
        # note dropped with a rolled-back savepoint could leave an outer write unindexed.
        event.listen(session_class, "after_commit", _after_end)


install_search_hooks()
