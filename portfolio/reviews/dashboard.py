"""Read model for the coach developer dashboard and the review queue.

Every function here runs a fixed number of SQL statements however many candidates, requests
or cohorts there are (tests/reviews/test_dashboard.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
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

from ..access import is_manager
from ..auth.models import User
from ..database import built_once, counted_page, grouped_by_id, paginate_counted, read_rows
from ..entries.models import Entry, EntryVersion, PrivacyTier
from ..entries.permissions import visible_entries_rule
from ..extensions import db
from ..frameworks.models import Competency, CompetencyArea
from ..programmes.access import ACTIVE, current_memberships, developer_cohort_ids_query
from ..programmes.models import (
    Cohort,
    CohortMembership,
    MemberRole,
    ProgrammeYear,
    Specialism,
    YearStatus,
    membership_specialisms,
)
from .models import (
    OPEN_STATUSES,
    Comment,
    CommentKind,
    ReviewRequest,
    ReviewRequestCompetency,
)
from .progress import CandidateProgress, progress_for_frameworks

OPEN = OPEN_STATUSES


def candidate_still_in_cohort():
    """A request counts only while its candidate is a current member of its cohort."""
    return exists().where(CohortMembership.cohort_id == ReviewRequest.cohort_id,
                          CohortMembership.user_id == ReviewRequest.candidate_id,
                          CohortMembership.role == MemberRole.CANDIDATE, ACTIVE)


@dataclass(frozen=True)
class Filters:
    cohort_id: int | None = None
    specialism_id: int | None = None
    competency_code: str | None = None


@dataclass
class CandidateRow:
    """One candidate of the dashboard, read as plain columns (nothing here is written)."""

    user_id: int
    name: str
    cohort_id: int
    cohort_name: str
    specialisms: tuple[str, ...]
    progress: CandidateProgress
    last_activity: datetime | None = None
    awaiting: int = 0
    overdue: int = 0
    is_mine: bool = False


@dataclass(frozen=True)
class Activity:
    when: datetime
    kind: str  # "version" or "comment"
    actor_name: str | None  # None: the account was removed
    entry_id: int
    entry_title: str
    detail: str = ""
    anchor: str | None = None


class Choice(NamedTuple):
    id: int
    name: str


@dataclass
class FilterChoices:
    cohorts: list[Choice] = field(default_factory=list)  # (id, label)
    specialisms: list[Choice] = field(default_factory=list)
    competencies: list[tuple[str, str]] = field(default_factory=list)


# --- scope ----------------------------------------------------------------------------------

def scope_cohort_ids(user):
    """Cohorts the dashboard covers: a coach developer's own; every current one for managers."""
    return _scope(is_manager(user), user.id)


def _scope(manager: bool, viewer_id, by_cohort=None):
    """`scope_cohort_ids` for a viewer id that may be a bind parameter; `by_cohort`, when
    given (a value or a bind parameter), narrows it to that one cohort."""
    if manager:
        cohorts = (select(Cohort.id).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
                   .where(ProgrammeYear.status != YearStatus.ARCHIVED))
        return cohorts if by_cohort is None else cohorts.where(Cohort.id == by_cohort)
    cohorts = developer_cohort_ids_query(viewer_id)
    return cohorts if by_cohort is None else cohorts.where(
        CohortMembership.cohort_id == by_cohort)


def _cohorts_in_scope(user, filters: Filters):
    return _scope(is_manager(user), user.id, filters.cohort_id)


def _candidate_memberships(user, filters: Filters):
    return _memberships_in_scope(is_manager(user), user.id, filters.cohort_id,
                                 filters.specialism_id)


def _memberships_in_scope(manager: bool, viewer_id, by_cohort=None, by_specialism=None):
    """Current candidates' memberships in the viewer's scope; the viewer and the filters may
    be bind parameters (statements built once)."""
    statement = select(CohortMembership).where(
        CohortMembership.role == MemberRole.CANDIDATE, ACTIVE,
        CohortMembership.cohort_id.in_(_scope(manager, viewer_id, by_cohort)))
    if by_specialism is not None:
        statement = statement.where(exists().where(
            membership_specialisms.c.membership_id == CohortMembership.id,
            membership_specialisms.c.specialism_id == by_specialism))
    return statement


def _filter_params(user, filters: Filters) -> tuple[tuple[bool, bool, bool], dict]:
    """The shape of a filtered statement (which filters are set) and its bound values."""
    shape = (filters.cohort_id is not None, filters.specialism_id is not None,
             bool(filters.competency_code))
    return shape, {"viewer_id": user.id, "cohort_id": filters.cohort_id,
                   "specialism_id": filters.specialism_id,
                   "competency_code": filters.competency_code}


def _bound_if(wanted: bool, name: str):
    return bindparam(name) if wanted else None


def filter_choices(user) -> FilterChoices:
    """The cohorts, specialisms and competency codes the filters offer, in one statement."""
    choices = FilterChoices()
    for kind, value, name, year in read_rows(
            _filter_choices_statement(is_manager(user)), {"viewer_id": user.id}):
        if kind == 0:  # the name, with the year added unless the name already says it
            choices.cohorts.append(Choice(int(value), name if year in name
                                          else f"{name} ({year})"))
        elif kind == 1:
            choices.specialisms.append(Choice(int(value), name))
        else:
            choices.competencies.append((value, name))
    return choices


@built_once
def _filter_choices_statement(manager: bool):
    """Built once for managers and once for coach developers; `viewer_id` is bound."""
    if manager:
        cohort_ids = (select(Cohort.id).join(ProgrammeYear, ProgrammeYear.id == Cohort.year_id)
                      .where(ProgrammeYear.status != YearStatus.ARCHIVED))
    else:
        cohort_ids = developer_cohort_ids_query(bindparam("viewer_id"))
    frameworks = select(Cohort.framework_id).where(Cohort.id.in_(cohort_ids))
    # Cohorts, specialisms and competency codes side by side: (kind, key, title, then what
    # each is ordered by, and a cohort's year).
    names = ("kind", "key", "title", "first", "second", "tiebreak", "year")
    cohorts = select(*(column.label(name) for name, column in zip(names, (
        literal(0), cast(Cohort.id, String), Cohort.name, literal(0), literal(0), Cohort.name,
        ProgrammeYear.label), strict=True))).join(
            ProgrammeYear, ProgrammeYear.id == Cohort.year_id).where(Cohort.id.in_(cohort_ids))
    specialisms = select(*(column.label(name) for name, column in zip(names, (
        literal(1), cast(Specialism.id, String), Specialism.name, Specialism.position,
        literal(0), Specialism.name, cast(null(), String)), strict=True))).where(
            Specialism.active.is_(True))
    # Framework order (area, then position); a code in several frameworks goes where it
    # comes first.
    competencies = (
        select(*(column.label(name) for name, column in zip(names, (
            literal(2), Competency.code, func.min(Competency.title),
            func.min(CompetencyArea.position), func.min(Competency.position),
            Competency.code, cast(null(), String)), strict=True)))
        .join(CompetencyArea, CompetencyArea.id == Competency.area_id)
        .where(Competency.framework_id.in_(frameworks))
        .group_by(Competency.code))
    both = union_all(cohorts, specialisms, competencies).subquery()
    return (select(both.c.kind, both.c.key, both.c.title, both.c.year)
            .order_by(both.c.kind, both.c.first, both.c.second, both.c.tiebreak, both.c.key))


# --- review requests ------------------------------------------------------------------------

def _awaiting_me(manager: bool, viewer_id):
    """Requests a person should act on: assigned to them or to nobody (managers: all).
    `viewer_id` may be a bind parameter (statements built once)."""
    if manager:
        return literal(True)
    return or_(ReviewRequest.assigned_to_id == viewer_id, ReviewRequest.assigned_to_id.is_(None))


@dataclass(frozen=True, slots=True)
class OpenRequestRow:
    """One open request as the dashboard and the queue list it, read as plain columns."""

    id: int
    candidate_name: str
    cohort_name: str
    title: str
    version_number: int
    created_at: datetime
    due_on: date
    status: str
    assigned_to_id: int | None
    codes: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today


def open_requests(user, filters: Filters, page: int, per_page: int):
    """Open requests awaiting this person, oldest first (paginated), as OpenRequestRow items:
    the page with its total in one statement, the competency codes in a second."""
    shape, params = _filter_params(user, filters)
    statement, built = _open_requests_statements(is_manager(user), *shape)
    pagination = paginate_counted(statement, page=page, per_page=per_page, plain=True,
                                  built=built, params=params)
    rows = pagination.items
    codes = grouped_by_id(_request_codes_statement(), [row[0] for row in rows])
    pagination.items = [OpenRequestRow(*row, codes=tuple(code for code, in codes[row[0]]))
                        for row in rows]
    return pagination


@built_once
def _open_requests_statements(manager: bool, by_cohort: bool, by_specialism: bool,
                              by_competency: bool):
    """(the open requests in order, the counted page of them), built once per viewer kind
    and set of filters; the viewer, the filters and the page are bound."""
    viewer = bindparam("viewer_id")
    statement = (
        select(ReviewRequest.id, ReviewRequest.created_at)
        .join(Entry, Entry.id == ReviewRequest.entry_id)
        .where(ReviewRequest.status.in_(OPEN), _awaiting_me(manager, viewer),
               ReviewRequest.cohort_id.in_(
                   _scope(manager, viewer, _bound_if(by_cohort, "cohort_id"))),
               candidate_still_in_cohort(), visible_entries_rule(viewer, manager)))
    if by_specialism:
        statement = statement.where(exists().where(
            CohortMembership.cohort_id == ReviewRequest.cohort_id,
            CohortMembership.user_id == ReviewRequest.candidate_id,
            membership_specialisms.c.membership_id == CohortMembership.id,
            membership_specialisms.c.specialism_id == bindparam("specialism_id")))
    if by_competency:
        statement = statement.where(exists().where(
            ReviewRequestCompetency.request_id == ReviewRequest.id,
            Competency.id == ReviewRequestCompetency.competency_id,
            Competency.code == bindparam("competency_code")))
    statement = statement.order_by(ReviewRequest.created_at, ReviewRequest.id)

    def shown(page):  # what the table shows, for the page's requests only
        return (
            select(ReviewRequest.id, User.display_name, Cohort.name,
                   func.coalesce(func.nullif(EntryVersion.title, ""),
                                 func.nullif(Entry.title, ""), "Untitled entry"),
                   EntryVersion.number, ReviewRequest.created_at, ReviewRequest.due_on,
                   ReviewRequest.status, ReviewRequest.assigned_to_id, page.c.total)
            .join(page, page.c.id == ReviewRequest.id)
            .join(Entry, Entry.id == ReviewRequest.entry_id)
            .join(EntryVersion, EntryVersion.id == ReviewRequest.entry_version_id)
            .join(User, User.id == ReviewRequest.candidate_id)
            .join(Cohort, Cohort.id == ReviewRequest.cohort_id)
            .order_by(page.c.created_at, page.c.id))

    # Requests are sorted by when they were asked, which no index gives in this scope: the
    # total is counted in the same pass as the sort.
    return statement, counted_page(statement, shown=shown, window=True)


@built_once
def _request_codes_statement():
    """(request, competency code) for the requests in the expanding `ids`, codes sorted."""
    return (select(ReviewRequestCompetency.request_id, Competency.code)
            .join(Competency, Competency.id == ReviewRequestCompetency.competency_id)
            .where(ReviewRequestCompetency.request_id.in_(bindparam("ids", expanding=True)))
            .order_by(ReviewRequestCompetency.request_id, Competency.code))


# --- candidate rows -------------------------------------------------------------------------

def candidate_rows(user, filters: Filters, page: int, per_page: int, today: date):
    """One row per candidate (paginated): completion, last activity, what awaits me."""
    (by_cohort, by_specialism, _), params = _filter_params(user, filters)
    statement, built = _candidate_rows_statements(is_manager(user), by_cohort, by_specialism)
    pagination = paginate_counted(statement, page=page, per_page=per_page, plain=True,
                                  built=built, params=params)
    members = pagination.items
    specialisms = grouped_by_id(_specialisms_statement(), [member[0] for member in members])
    progress = progress_for_frameworks([(member[1], member[5]) for member in members])
    activity, waiting = activity_and_waiting(user, [member[1] for member in members], today)
    rows = [CandidateRow(user_id, name, cohort_id, cohort_name,
                         tuple(name for name, in specialisms[membership_id]),
                         progress[(user_id, framework_id)],
                         activity.get((user_id, cohort_id)),
                         *waiting.get((user_id, cohort_id), (0, 0)),
                         is_mine=developer_id == user.id)
            for membership_id, user_id, name, cohort_id, cohort_name, framework_id, developer_id
            in members]
    return pagination, rows


@built_once
def _candidate_rows_statements(manager: bool, by_cohort: bool, by_specialism: bool):
    """(the candidates in order, the counted page of them): your own candidates first, then
    by name; built once per viewer kind and set of filters, the values bound."""
    viewer = bindparam("viewer_id")
    statement = (
        _memberships_in_scope(manager, viewer, _bound_if(by_cohort, "cohort_id"),
                              _bound_if(by_specialism, "specialism_id"))
        .with_only_columns(CohortMembership.id, CohortMembership.user_id, User.display_name,
                           CohortMembership.cohort_id, Cohort.name, Cohort.framework_id,
                           CohortMembership.coach_developer_id)
        .join(User, User.id == CohortMembership.user_id)
        .join(Cohort, Cohort.id == CohortMembership.cohort_id)
        .order_by(case((CohortMembership.coach_developer_id == viewer, 0), else_=1),
                  User.display_name, CohortMembership.id))
    return statement, counted_page(statement)


@built_once
def _specialisms_statement():
    """(membership, specialism name) for the memberships in the expanding `ids`, in the
    specialisms' own order."""
    return (select(membership_specialisms.c.membership_id, Specialism.name)
            .join(Specialism, Specialism.id == membership_specialisms.c.specialism_id)
            .where(membership_specialisms.c.membership_id.in_(
                bindparam("ids", expanding=True)))
            .order_by(membership_specialisms.c.membership_id, Specialism.position,
                      Specialism.id))


def _last_activity(candidate_ids):
    """(kind 0, candidate, cohort, the latest thing the candidate did in that cohort that its
    coach developer can see): work in another cohort is not this cohort's to see."""
    versions = (select(Entry.owner_id.label("who"), Entry.cohort_id.label("cohort"),
                       EntryVersion.created_at.label("at"))
                .join(EntryVersion, EntryVersion.entry_id == Entry.id)
                .where(Entry.owner_id.in_(candidate_ids), Entry.privacy != PrivacyTier.PRIVATE))
    comments = (select(Comment.author_id.label("who"), Entry.cohort_id.label("cohort"),
                       Comment.created_at.label("at"))
                .join(Entry, Entry.id == Comment.entry_id)
                .where(Comment.author_id.in_(candidate_ids)))
    requests = (select(ReviewRequest.candidate_id.label("who"),
                       ReviewRequest.cohort_id.label("cohort"),
                       ReviewRequest.created_at.label("at"))
                .where(ReviewRequest.candidate_id.in_(candidate_ids)))
    events = union_all(versions, comments, requests).subquery()
    return (select(literal(0).label("kind"), events.c.who, events.c.cohort,
                   func.max(events.c.at).label("at"), null().label("waiting"),
                   null().label("overdue"))
            .group_by(events.c.who, events.c.cohort))


def _awaiting(manager: bool, viewer_id, candidate_ids, today):
    """(kind 1, candidate, cohort, open requests awaiting the viewer, of which overdue)."""
    overdue = func.sum(case((ReviewRequest.due_on < today, 1), else_=0))
    return (select(literal(1).label("kind"), ReviewRequest.candidate_id.label("who"),
                   ReviewRequest.cohort_id.label("cohort"), null().label("at"),
                   func.count().label("waiting"), overdue.label("overdue"))
            .join(Entry, Entry.id == ReviewRequest.entry_id)
            .where(ReviewRequest.candidate_id.in_(candidate_ids),
                   ReviewRequest.status.in_(OPEN), _awaiting_me(manager, viewer_id),
                   visible_entries_rule(viewer_id, manager))
            .group_by(ReviewRequest.candidate_id, ReviewRequest.cohort_id))


@built_once
def _activity_and_waiting_statement(manager: bool):
    """Built once for managers and once for everyone else; the candidates (`candidate_ids`),
    the viewer (`viewer_id`) and the day (`today`) are bound."""
    candidate_ids = bindparam("candidate_ids", expanding=True)
    return union_all(_last_activity(candidate_ids),
                     _awaiting(manager, bindparam("viewer_id"), candidate_ids,
                               bindparam("today", type_=Date)))


def activity_and_waiting(user, candidate_ids: list[int], today: date) -> tuple[dict, dict]:
    """(candidate, cohort) -> last activity, and (candidate, cohort) -> (open requests awaiting
    me, of which overdue), in one statement."""
    if not candidate_ids:
        return {}, {}
    activity, waiting = {}, {}
    for kind, who, cohort, at, count, late in read_rows(
            _activity_and_waiting_statement(is_manager(user)),
            {"candidate_ids": list(candidate_ids), "viewer_id": user.id, "today": today}):
        if kind == 0 and at is not None:
            activity[(who, cohort)] = _aware(at)
        elif kind == 1:
            waiting[(who, cohort)] = (int(count), int(late or 0))
    return activity, waiting


def _aware(value):
    from datetime import UTC

    if isinstance(value, str):  # SQLite returns aggregates over a union as text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# --- recent activity ------------------------------------------------------------------------

# Above this many candidates in scope, the newest versions and comments are found by walking the
# created_at index backwards until enough visible ones turn up (a lead's dashboard: most rows
# qualify, so few are read). Below it, by walking the (cohort, created_at) index of the
# cohorts in scope (a coach developer's: only their cohorts' rows are read, newest first,
# where gathering every version of their candidates and sorting read thousands).
BROAD_SCOPE = 300


def recent_activity(user, filters: Filters, limit: int = 10,
                    scope_size: int | None = None) -> list[Activity]:
    """Entries shared and comments in my cohorts that I may see, newest first, read as plain
    rows: the page shows names, titles and times, never the texts. `scope_size`, the number of
    candidates in scope when the page has counted them already, saves reading their ids (one
    statement then, two otherwise)."""
    if not user.is_authenticated:
        return []
    (by_cohort, by_specialism, _), params = _filter_params(user, filters)
    manager = is_manager(user)
    if scope_size is None:
        scope_size = db.session.scalar(select(func.count()).select_from(
            _candidate_memberships(user, filters).subquery()))
    if not scope_size:
        return []
    walk = None if scope_size > BROAD_SCOPE else _cohorts_to_walk(user, filters)
    statement = _recent_activity_statement(manager, by_cohort, by_specialism,
                                           None if walk is None else len(walk), limit)
    params.update({f"walk_{index}": cohort for index, cohort in enumerate(walk or ())})
    items = [_activity(*row) for row in read_rows(statement, params)]
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]


@built_once
def _recent_activity_statement(manager: bool, by_cohort: bool, by_specialism: bool,
                               walks: int | None, limit: int):
    """`recent_activity`'s statement, built once per viewer kind, set of filters, number of
    cohorts to walk (None: walk the whole table's time index) and length; the viewer, the
    filters and the cohorts (`walk_0`, `walk_1`, ...) are bound."""
    viewer = bindparam("viewer_id")
    by_cohort, by_specialism = (_bound_if(by_cohort, "cohort_id"),
                                _bound_if(by_specialism, "specialism_id"))
    in_scope = (_memberships_in_scope(manager, viewer, by_cohort, by_specialism)
                .with_only_columns(CohortMembership.user_id))
    # Work in a cohort outside the scope (last year's, for a candidate who is back this year)
    # is not this dashboard's, even where the viewer may read it.
    visible = and_(visible_entries_rule(viewer, manager), Entry.owner_id.in_(in_scope),
                   Entry.cohort_id.in_(_scope(manager, viewer, by_cohort)),
                   Entry.privacy != PrivacyTier.PRIVATE)
    walk = None if walks is None else [bindparam(f"walk_{index}") for index in range(walks)]
    versions = _newest(EntryVersion, visible, walk, limit)
    comments = _newest(Comment, and_(visible, Comment.removed_at.is_(None)), walk, limit)
    no_number = null().cast(Integer)
    version_rows = (
        select(EntryVersion.created_at, EntryVersion.number, no_number, null().cast(String),
               no_number, Entry.id, Entry.title, User.display_name)
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .join(User, User.id == Entry.owner_id)
        .where(EntryVersion.id.in_(versions)))
    comment_rows = (
        select(Comment.created_at, no_number, Comment.id, cast(Comment.kind, String),
               Comment.parent_id, Entry.id, Entry.title, User.display_name)
        .join(Entry, Entry.id == Comment.entry_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.id.in_(comments)))
    return union_all(version_rows, comment_rows)


def _activity(when, number, comment_id, kind, parent_id, entry_id, title, name) -> Activity:
    title = title or "Untitled entry"
    if comment_id is None:
        return Activity(when, "version", name, entry_id, title, f"version {number}")
    what = "peer feedback" if kind == CommentKind.PEER_FEEDBACK else (
        "a reply" if parent_id else "a comment")
    return Activity(when, "comment", name, entry_id, title, what, f"comment-{comment_id}")


# More cohorts than this and a coach developer's recent activity reads their versions through
# one IN list and sorts them, instead of one short index walk per cohort.
MOST_WALKS = 12


def _cohorts_to_walk(user, filters: Filters) -> list[int] | None:
    """The ids of the cohorts in scope when the request already knows them (a coach
    developer's memberships, a chosen cohort), or None. Only the order of reading depends on
    them: the statement's own scope clause still decides which rows count."""
    if filters.cohort_id is not None:
        return [filters.cohort_id]
    if is_manager(user):
        return None
    walk = sorted({membership.cohort_id for membership in current_memberships(
        user.id, MemberRole.COACH_DEVELOPER)})
    return walk if len(walk) <= MOST_WALKS else None


def _newest(model, visible, walk: list | None, limit: int):
    """A subquery of the ids of the `limit` newest visible rows of `model` (a version or a
    comment: both carry their entry's id, cohort and creation time).

    With `walk`, each cohort's (cohort_id, created_at) index is walked backwards until
    `limit` visible rows turn up, and the walks are merged. The visibility test is a
    correlated EXISTS with OFFSET 0, which PostgreSQL does not flatten into a join: flattened,
    it planned from the candidates' entries, gathered and sorted all 3,920 of their versions
    (17.5 ms for a coach developer of 60 candidates); kept per row, it walks the index and
    stops after 13 rows (0.75 ms). SQLite walks the index either way. Without it, the created_at index
    of the whole table is walked with the same test (broad scopes: most rows qualify)."""
    if walk is None:
        # Only `model` is in the outer FROM, so the planner walks its created_at index.
        newest = (select(model.id).where(exists().where(Entry.id == model.entry_id, visible))
                  .order_by(model.created_at.desc(), model.id.desc()).limit(limit).subquery())
        return select(newest.c.id)
    if not walk:
        return select(model.id).where(false())
    walks = [select(model.id, model.created_at)
             .where(model.cohort_id == cohort_id,
                    select(Entry.id).where(Entry.id == model.entry_id, visible)
                    .offset(0).exists())
             .order_by(model.created_at.desc(), model.id.desc()).limit(limit).subquery()
             for cohort_id in walk]
    merged = union_all(*(select(one.c.id, one.c.created_at) for one in walks)).subquery()
    newest = (select(merged.c.id).order_by(merged.c.created_at.desc(), merged.c.id.desc())
              .limit(limit).subquery())
    return select(newest.c.id)
