"""Full-text search over the rows a viewer may read, one database's engine at a time.

SQLite uses FTS5 (bm25 ranking, `snippet` and `highlight`); PostgreSQL uses the stored
`tsvector` with `websearch_to_tsquery`, `ts_rank_cd` and `ts_headline`, English stemming on
both. The visibility rule and the filters are WHERE clauses of the statement that finds the
matches, so only readable rows are ever counted, ranked or shown (see visibility.py). For everyone but leads and admins the match itself is first narrowed to the
people whose work they may read at all (their own and their cohort mates'): on SQLite through
the owner tokens in the index, on PostgreSQL through the owner_id index. One statement applies
the visibility rule (the newest readable matches, up to the cap); the ranking, highlights and
snippets then work on those rows only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from markupsafe import Markup
from sqlalchemy import and_, column, exists, func, literal_column, or_, select, table
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..entries.models import Entry, EntryCompetency, goal_competencies
from ..extensions import db
from ..frameworks.models import Competency
from ..observations.models import Observation, observation_competencies
from ..programmes.models import CohortMembership, MemberRole
from ..text import highlighted
from .indexing import refresh_pending_search
from .models import DocumentKind
from .models import SearchDocument as Doc
from .schema import FTS_TABLE, OWNER_PREFIX, VECTOR_COLUMN
from .visibility import reachable_owner_ids, readable_documents

MAX_TERMS = 12
# Beyond this a page says "more than 1,000", and ranks the newest 1,000 readable matches:
# checking and scoring every match of a very common word costs more than the rest of the
# search, and for a word that common the newest work is the useful part.
COUNT_CAP = 1000
MAX_QUERY = 200
START, STOP = "\x02", "\x03"  # highlight markers; the index strips them from stored text
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    cohort_id: int | None = None
    candidate_id: int | None = None
    competency_code: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Result:
    doc_id: int
    kind: str
    ref_id: int
    owner_id: int
    owner_name: str
    entry_id: int | None
    entry_title: str | None  # a comment's entry, as last saved
    title: Markup
    snippet: Markup
    happened_on: date | None


@dataclass
class SearchPage:
    query: str
    terms: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    more: bool = False  # more than COUNT_CAP matches: `total` is the cap

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def terms_of(text: str) -> list[str]:
    """The words of a query (letters and digits only: no operator reaches the engine)."""
    return WORD.findall((text or "")[:MAX_QUERY])[:MAX_TERMS]


def marked(text: str | None) -> Markup:
    """Engine output with highlight markers as <mark>, everything else escaped."""
    return highlighted(text, START, STOP)


def search(user, text: str, filters: Filters = Filters(), page: int = 1,
           per_page: int = 20) -> SearchPage:
    terms = terms_of(text)
    result = SearchPage(query=text, terms=terms, page=max(1, page), per_page=per_page)
    if not terms or user is None or not user.is_authenticated:
        return result
    refresh_pending_search()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    # Whose work the viewer may read at all (None: leads and admins, anyone's). The engine
    # narrows its match to them first; the visibility rule below still decides every row.
    owners = reachable_owner_ids(user)
    engine = _Postgres(terms, owners) if postgres else _Sqlite(terms, owners)
    readable = and_(engine.match, *_filter_clauses(filters), readable_documents(user))
    # The one statement that applies the visibility rule: the newest readable matches, up to
    # one more than the cap (whether there are more is all the page says beyond it).
    visible = list(db.session.scalars(engine.newest_readable(readable, COUNT_CAP + 1)))
    result.more = len(visible) > COUNT_CAP
    visible = visible[:COUNT_CAP]
    result.total = len(visible)
    offset = (result.page - 1) * per_page
    if visible and offset < len(visible):
        ranked = [row.id for row in db.session.execute(
            engine.ranked(visible, offset, per_page))]
        order = {doc_id: position for position, doc_id in enumerate(ranked)}
        results = _results(engine.marked(ranked)) if ranked else []
        result.results = sorted(results, key=lambda found: order[found.doc_id])
    return result


def _filter_clauses(filters: Filters) -> list:
    clauses = []
    if filters.kind:
        clauses.append(Doc.kind == filters.kind)
    if filters.candidate_id is not None:
        clauses.append(Doc.owner_id == filters.candidate_id)
    if filters.cohort_id is not None:
        clauses.append(or_(
            and_(Doc.entry_id.is_not(None), exists().where(
                Entry.id == Doc.entry_id, Entry.cohort_id == filters.cohort_id)),
            and_(Doc.entry_id.is_(None), Doc.kind != DocumentKind.OBSERVATION, exists().where(
                CohortMembership.cohort_id == filters.cohort_id,
                CohortMembership.user_id == Doc.owner_id,
                CohortMembership.role == MemberRole.CANDIDATE)),
            and_(Doc.kind == DocumentKind.OBSERVATION, exists().where(
                Observation.id == Doc.ref_id, Observation.cohort_id == filters.cohort_id))))
    if filters.competency_code:
        code = filters.competency_code
        clauses.append(or_(
            and_(Doc.entry_id.is_not(None), exists().where(
                EntryCompetency.entry_id == Doc.entry_id,
                Competency.id == EntryCompetency.competency_id, Competency.code == code)),
            and_(Doc.kind == DocumentKind.GOAL, exists().where(
                goal_competencies.c.goal_id == Doc.ref_id,
                Competency.id == goal_competencies.c.competency_id, Competency.code == code)),
            and_(Doc.kind == DocumentKind.OBSERVATION, exists().where(
                observation_competencies.c.observation_id == Doc.ref_id,
                Competency.id == observation_competencies.c.competency_id,
                Competency.code == code))))
    if filters.date_from is not None:
        clauses.append(Doc.happened_on >= filters.date_from)
    if filters.date_to is not None:
        clauses.append(Doc.happened_on <= filters.date_to)
    return clauses


@cache
def _aliases() -> tuple:
    """(owner, entry_doc), made once (an alias proxies its columns on first use: costly when
    made per search), on first use rather than at import (making one configures the mappers)."""
    return aliased(User, name="owner"), aliased(Doc, name="entry_doc")


class _Sqlite:
    def __init__(self, terms: list[str], owners: list[int] | None):
        self.fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
        # Each word quoted: FTS5 reads it as a plain term (implicit AND), never an operator;
        # the words are looked for in titles and bodies, never in the owner tokens.
        words = "{title body} : (" + " ".join(f'"{term}"' for term in terms) + ")"
        query = words
        if owners is not None:
            query += " AND owner : (" + " OR ".join(
                f'"{OWNER_PREFIX}{int(owner)}"' for owner in owners) + ")"
        self.match = self.fts.c[FTS_TABLE].op("MATCH")(query)
        # Highlights need the words only: the owner tokens would be sought again for each row.
        self.words = self.fts.c[FTS_TABLE].op("MATCH")(words)

    def newest_readable(self, readable, limit: int):
        # The FTS table leads the FROM, so the engine scans its matches, newest first.
        return (select(Doc.id).select_from(self.fts).join(Doc, Doc.id == self.fts.c.rowid)
                .where(readable).order_by(self.fts.c.rowid.desc()).limit(limit))

    def ranked(self, ids: list[int], offset: int, limit: int):
        rank = func.bm25(literal_column(FTS_TABLE), 4.0, 1.0, 0.0)  # titles weigh more
        # `rowid + 0`: the id list filters the engine's matches as they stream past; handed to
        # FTS5 as rowid constraints it would run the whole MATCH once per id.
        return (select(self.fts.c.rowid.label("id"))
                .where(self.match, (self.fts.c.rowid + 0).in_(ids))
                .order_by(rank, self.fts.c.rowid).offset(offset).limit(limit))

    def marked(self, ids: list[int]):
        fts = literal_column(FTS_TABLE)
        return (select(Doc.id, Doc.kind, Doc.ref_id, Doc.owner_id, Doc.entry_id,
                       Doc.happened_on,
                       func.highlight(fts, 0, START, STOP).label("title_html"),
                       func.snippet(fts, 1, START, STOP, "…", 24).label("snippet"))
                .select_from(self.fts).join(Doc, Doc.id == self.fts.c.rowid)
                .where(self.words, self.fts.c.rowid.in_(ids)))


class _Postgres:
    def __init__(self, terms: list[str], owners: list[int] | None):
        self.query = func.websearch_to_tsquery("english", " ".join(terms))
        self.vector = literal_column(f"search_documents.{VECTOR_COLUMN}")
        self.match = self.vector.op("@@")(self.query)
        if owners is not None:
            self.match = and_(self.match, Doc.owner_id.in_(owners))

    def newest_readable(self, readable, limit: int):
        return select(Doc.id).where(readable).order_by(Doc.id.desc()).limit(limit)

    def ranked(self, ids: list[int], offset: int, limit: int):
        rank = func.ts_rank_cd(self.vector, self.query)
        return (select(Doc.id).where(Doc.id.in_(ids))
                .order_by(rank.desc(), Doc.id).offset(offset).limit(limit))

    def marked(self, ids: list[int]):
        # Headlines are made for the page's rows only: ts_headline reads the whole text.
        options = (f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
                   "MaxFragments=2, FragmentDelimiter=\" … \"")
        return select(Doc.id, Doc.kind, Doc.ref_id, Doc.owner_id, Doc.entry_id, Doc.happened_on,
                      func.ts_headline("english", Doc.title, self.query,
                                       f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
                                       ).label("title_html"),
                      func.ts_headline("english", Doc.body, self.query, options
                                       ).label("snippet")).where(Doc.id.in_(ids))


def _results(marked_rows) -> list[Result]:
    """The page's rows with their owner's name and, for a comment, its entry's title: joined
    onto the engine's own statement (a subquery around it would copy every column first)."""
    owner, entry_doc = _aliases()
    rows = db.session.execute(
        marked_rows.add_columns(owner.display_name.label("owner_name"),
                                entry_doc.title.label("entry_title"))
        .join(owner, owner.id == Doc.owner_id)
        .outerjoin(entry_doc, and_(entry_doc.kind == DocumentKind.ENTRY,
                                   entry_doc.ref_id == Doc.entry_id))).mappings().all()
    return [Result(doc_id=row["id"], kind=row["kind"], ref_id=row["ref_id"],
                   owner_id=row["owner_id"], owner_name=row["owner_name"],
                   entry_id=row["entry_id"],
                   entry_title=row["entry_title"] if row["kind"] == DocumentKind.COMMENT
                   else None,
                   title=marked(row["title_html"]), snippet=marked(row["snippet"]),
                   happened_on=row["happened_on"])
            for row in rows]
