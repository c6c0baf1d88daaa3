"""Read-side queries for the portfolio pages, each a fixed number of SQL statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    String,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from ..auth.models import User
from ..database import built_once, counted_page, grouped_by_id, paginate_counted, read_rows
from ..extensions import db
from ..frameworks.models import (
    Competency,
    CompetencyArea,
    competencies_in_order,
)
from ..requests import is_database_id
from ..reviews.models import Comment, Signoff, SignoffRevocation
from .models import (
    Entry,
    EntryCompetency,
    EntryRead,
    EntryStatus,
    EntryVersion,
    EntryWords,
    Goal,
    GoalStatus,
    PhilosophyStatement,
    ReviewStatus,
)
from .permissions import visible_entries_filter

valid_id = is_database_id  # the one id-range check (portfolio/requests.py)


@dataclass
class CompetencyGroup:
    area: CompetencyArea
    competencies: list[Competency]


def competency_groups(framework_id: int | None) -> list[CompetencyGroup]:
    """A framework's competencies grouped by area, in order (one statement)."""
    if framework_id is None:
        return []
    areas = db.session.scalars(_competency_groups_statement(),
                               {"framework_id": framework_id}).unique()
    return [CompetencyGroup(area, list(area.competencies)) for area in areas]


@built_once
def _competency_groups_statement():
    return (select(CompetencyArea)
            .where(CompetencyArea.framework_id == bindparam("framework_id"))
            .options(joinedload(CompetencyArea.competencies))
            .order_by(CompetencyArea.position, CompetencyArea.id))


def competency_choices(groups: list[CompetencyGroup]) -> list[SelectChoice]:
    return [SelectChoice(item.id, item.label) for group in groups for item in group.competencies]


def competency_labels(ids) -> dict[int, str]:
    """Labels of these competencies, in framework order."""
    return {item.id: item.label for item in competencies_in_order(ids)}


def entry_for_page(entry_id: int) -> Entry | None:
    """An entry with what its pages show loaded up front, in one statement (one entry's few
    claims times its few tags are a handful of rows)."""
    return db.session.execute(_entry_for_page_statement(),
                              {"entry_id": entry_id}).unique().scalar_one_or_none()


@built_once
def _entry_for_page_statement():
    # Built once: its eager loads cost more to build than SQLite takes to answer.
    return (select(Entry).where(Entry.id == bindparam("entry_id"))
            .options(joinedload(Entry.owner), joinedload(Entry.cohort),
                     joinedload(Entry.claims).joinedload(EntryCompetency.competency),
                     joinedload(Entry.tags)))


def versions_of(entry: Entry) -> list[EntryVersion]:
    return list(db.session.scalars(
        select(EntryVersion).where(EntryVersion.entry_id == entry.id)
        .order_by(EntryVersion.number.desc())))


def filtered_entries(statement, filters: dict):
    """Narrow an entry query by the portfolio filters (competency, model, status, dates)."""
    if filters.get("competency"):
        statement = statement.where(Entry.id.in_(select(EntryCompetency.entry_id).where(
            EntryCompetency.competency_id == filters["competency"])))
    if filters.get("model"):
        statement = statement.where(Entry.reflection_model == filters["model"])
    status = filters.get("status")
    if status in (EntryStatus.DRAFT, EntryStatus.PUBLISHED):
        statement = statement.where(Entry.status == status)
        if status == EntryStatus.PUBLISHED:
            statement = statement.where(Entry.review_status == ReviewStatus.NONE)
    elif status:
        statement = statement.where(Entry.review_status == status)
    if filters.get("date_from"):
        statement = statement.where(Entry.practice_date >= filters["date_from"])
    if filters.get("date_to"):
        statement = statement.where(Entry.practice_date <= filters["date_to"])
    return statement


class Chip(NamedTuple):
    """A competency an entry claims, as the lists show it."""

    code: str
    title: str


@dataclass(frozen=True, slots=True)
class EntryListRow(EntryWords):
    """One entry as the portfolio lists show it: plain columns, read without loading the
    entry (nothing on a list page is written), with its claimed competencies in framework
    order."""

    id: int
    title: str
    practice_date: date | None
    reflection_model: str
    status: str
    latest_version_number: int
    privacy: str
    chips: tuple[Chip, ...] = ()


_LIST_COLUMNS = (Entry.id, Entry.title, Entry.practice_date, Entry.reflection_model,
                 Entry.status, Entry.latest_version_number, Entry.privacy)


def _newest_practice_first(statement):
    return statement.order_by(Entry.practice_date.desc().nulls_last(), Entry.id.desc())


def _entry_list(statement, page: int, per_page: int, *, built=None, params=None):
    """A page of `statement` (columns `_LIST_COLUMNS`) as EntryListRow items, newest practice
    first, in two statements: the page with its total, then the claimed competencies.
    `built`/`params`: the statement's counted page made ahead (see `_own_entries`)."""
    pagination = paginate_counted(_newest_practice_first(statement), page=page,
                                  per_page=per_page, plain=True, built=built, params=params)
    rows = pagination.items
    chips = grouped_by_id(_chips_statement(), [row[0] for row in rows])
    pagination.items = [EntryListRow(*row, chips=tuple(Chip(*chip) for chip in chips[row[0]]))
                        for row in rows]
    return pagination


@built_once
def _chips_statement():
    return (select(EntryCompetency.entry_id, Competency.code, Competency.title)
            .join(Competency, Competency.id == EntryCompetency.competency_id)
            .join(CompetencyArea, CompetencyArea.id == Competency.area_id)
            .where(EntryCompetency.entry_id.in_(bindparam("ids", expanding=True)))
            .order_by(EntryCompetency.entry_id, CompetencyArea.position, Competency.position,
                      Competency.id))


def my_entries(owner_id: int, filters: dict, page: int, per_page: int):
    if not any(filters.values()):  # the home as it opens: its statements are built once
        statement, built = _own_entries()
        return _entry_list(statement, page, per_page, built=built,
                           params={"owner_id": owner_id})
    statement = filtered_entries(select(*_LIST_COLUMNS).where(Entry.owner_id == owner_id),
                                 filters)
    return _entry_list(statement, page, per_page)


@built_once
def _own_entries():
    """(a candidate's entries, their counted page, newest practice first), the owner bound."""
    statement = select(*_LIST_COLUMNS).where(Entry.owner_id == bindparam("owner_id"))
    return statement, counted_page(_newest_practice_first(statement))


def shared_entries(viewer, owner_id: int, page: int, per_page: int):
    """A candidate's saved entries that the viewer may read."""
    statement = select(*_LIST_COLUMNS).where(Entry.owner_id == owner_id,
                                             Entry.status == EntryStatus.PUBLISHED,
                                             visible_entries_filter(viewer))
    return _entry_list(statement, page, per_page)


@dataclass
class SharedItem:
    """One entry in "Shared with me": when its latest version was saved, and whether the
    reader has opened that version ("seen"), an earlier one ("changed") or none ("new")."""

    entry: Entry
    saved_at: object
    read_number: int | None

    @property
    def state(self) -> str:
        if self.read_number is None:
            return "new"
        return "changed" if self.read_number < self.entry.latest_version_number else "seen"


def _latest_version():
    latest = aliased(EntryVersion)
    return latest, and_(latest.entry_id == Entry.id, latest.number == Entry.latest_version_number)


def _shared_with(viewer):
    return (select(Entry).where(Entry.owner_id != viewer.id,
                                Entry.status == EntryStatus.PUBLISHED,
                                visible_entries_filter(viewer)))


def _unseen(statement, viewer):
    """Only entries the viewer has never opened, or has not opened since their last save."""
    return statement.outerjoin(EntryRead, and_(
        EntryRead.entry_id == Entry.id, EntryRead.user_id == viewer.id)).where(or_(
            EntryRead.id.is_(None), EntryRead.version_number < Entry.latest_version_number))


def unseen_shared_count(viewer) -> int:
    statement = _unseen(_shared_with(viewer), viewer)
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def shared_with(viewer, page: int, per_page: int, *, unseen_only: bool = False):
    """Saved entries of others the viewer may read, latest save first (five statements)."""
    latest, on_latest = _latest_version()
    statement = _shared_with(viewer).join(latest, on_latest)
    if unseen_only:
        statement = _unseen(statement, viewer)
    statement = (statement.options(
        joinedload(Entry.owner),
        selectinload(Entry.claims).joinedload(EntryCompetency.competency)
        .joinedload(Competency.area))
        .order_by(latest.created_at.desc(), Entry.id.desc()))
    pagination = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    ids = [entry.id for entry in pagination.items]
    saved, read = {}, {}
    if ids:
        saved = dict(read_rows(select(Entry.id, latest.created_at)
                                  .join(latest, on_latest).where(Entry.id.in_(ids))).all())
        read = dict(read_rows(select(EntryRead.entry_id, EntryRead.version_number)
                                 .where(EntryRead.user_id == viewer.id,
                                        EntryRead.entry_id.in_(ids))).all())
    pagination.items = [SharedItem(entry, saved.get(entry.id), read.get(entry.id))
                        for entry in pagination.items]
    return pagination


def _goal_order():
    """Open goals first, soonest target first; achieved, then dropped, last."""
    return (Goal.status == GoalStatus.ACHIEVED, Goal.status == GoalStatus.DROPPED,
            Goal.target_date.is_(None), Goal.target_date, Goal.id)


def goals_of(owner_id: int) -> list[Goal]:
    return list(db.session.scalars(
        select(Goal).where(Goal.owner_id == owner_id)
        .options(selectinload(Goal.competencies), selectinload(Goal.notes))
        .order_by(*_goal_order())))


class GoalLine(NamedTuple):
    """A goal as the portfolio home lists it."""

    id: int
    title: str
    status: GoalStatus
    target_date: date | None


def goal_lines(owner_id: int) -> list[GoalLine]:
    """The candidate's goals as plain rows, in `goals_of`'s order: one statement, where
    `goals_of` sends three (the goals, their competencies, their notes)."""
    return [GoalLine(*row) for row in read_rows(_goal_lines_statement(),
                                                   {"owner_id": owner_id})]


@built_once
def _goal_lines_statement():
    return (select(Goal.id, Goal.title, Goal.status, Goal.target_date)
            .where(Goal.owner_id == bindparam("owner_id")).order_by(*_goal_order()))


def statement_with_owner(owner_id: int) -> PhilosophyStatement | None:
    return db.session.scalar(select(PhilosophyStatement).where(
        PhilosophyStatement.owner_id == owner_id))


class StatementSummary(NamedTuple):
    """What the portfolio home says about the coaching philosophy (never its text)."""

    latest_version_number: int
    autosaved_at: datetime | None
    created_at: datetime
    has_body: bool


def statement_summary(owner_id: int) -> StatementSummary | None:
    row = read_rows(_statement_summary_statement(), {"owner_id": owner_id}).first()
    return None if row is None else StatementSummary(*row[:3], bool(row[3]))


@built_once
def _statement_summary_statement():
    philosophy = PhilosophyStatement
    return (select(philosophy.latest_version_number, philosophy.autosaved_at,
                   philosophy.created_at, func.length(philosophy.body) > 0)
            .where(philosophy.owner_id == bindparam("owner_id")))


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    """A comment by someone else, or a sign-off decision, on one of the candidate's entries."""

    kind: str  # "comment" or "signoff"
    at: object
    who: str | None  # None once the person's account is gone
    entry_id: int
    entry_title: str
    text: str | None
    version: int | None
    decision: str | None
    code: str | None
    revoked: bool


def recent_feedback(owner_id: int, limit: int = 6) -> list[FeedbackItem]:
    """Latest comments by others and sign-off decisions on the candidate's entries, newest
    first, as plain rows in one statement."""
    rows = read_rows(_recent_feedback_statement(), {"owner_id": owner_id, "limit": limit})
    return [FeedbackItem(kind=row.kind, at=row.at, who=row.who, entry_id=row.entry_id,
                         entry_title=row.entry_title or "Untitled entry", text=row.text,
                         version=row.version, decision=row.decision, code=row.code,
                         revoked=bool(row.revoked)) for row in rows]


@built_once
def _recent_feedback_statement():
    owner_id, limit = bindparam("owner_id"), bindparam("limit")
    said = func.coalesce(func.nullif(Comment.body, ""), func.nullif(Comment.what_worked, ""),
                         func.nullif(Comment.what_to_try, ""), func.nullif(Comment.question, ""))
    commenter, reviewer = aliased(User), aliased(User)
    comments = (
        select(literal("comment").label("kind"), Comment.created_at.label("at"),
               Comment.id.label("id"), commenter.display_name.label("who"),
               Entry.id.label("entry_id"), Entry.title.label("entry_title"),
               said.label("text"), Comment.version_number.label("version"),
               cast(null(), String).label("decision"), cast(null(), String).label("code"),
               false().label("revoked"))
        .join(Entry, Entry.id == Comment.entry_id)
        .outerjoin(commenter, commenter.id == Comment.author_id)
        .where(Entry.owner_id == owner_id, Comment.removed_at.is_(None),
               or_(Comment.author_id.is_(None), Comment.author_id != owner_id))
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit).subquery())
    signoffs = (
        select(literal("signoff").label("kind"), Signoff.created_at.label("at"),
               Signoff.id.label("id"), reviewer.display_name.label("who"),
               Entry.id.label("entry_id"), Entry.title.label("entry_title"),
               Signoff.feedback.label("text"), Signoff.version_number.label("version"),
               cast(Signoff.decision, String).label("decision"),
               Signoff.competency_code.label("code"),
               exists().where(SignoffRevocation.signoff_id == Signoff.id).label("revoked"))
        .join(Entry, Entry.id == Signoff.entry_id)
        .outerjoin(reviewer, reviewer.id == Signoff.reviewer_id)
        .where(Signoff.candidate_id == owner_id)
        .order_by(Signoff.created_at.desc(), Signoff.id.desc()).limit(limit).subquery())
    both = union_all(select(comments), select(signoffs)).subquery()
    return select(both).order_by(both.c.at.desc(), both.c.kind, both.c.id.desc()).limit(limit)


def candidate(user_id: int) -> User | None:
    return db.session.get(User, user_id) if valid_id(user_id) else None

