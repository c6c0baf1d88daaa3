"""Read-side queries for showcase pages: each a bounded number of statements."""

from __future__ import annotations

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..access import is_manager
from ..consent.models import restricted_clause
from ..database import utcnow
from ..entries.models import Entry, EntryVersion, PrivacyTier
from ..evidence.models import Evidence
from ..extensions import db
from ..programmes.access import (
    developed_memberships_query,
    peer_group_memberships_query,
    related_in_cohort,
)
from ..reviews.models import Decision, Signoff, SignoffRevocation
from .models import Showcase, ShowcaseItem, ShowcaseLink, ShowcaseLinkView

CHOICE_LIMIT = 500


def body_options():
    """Everything the body partial reads, loaded with the showcase in a few statements."""
    return (
        selectinload(Showcase.items).options(
            joinedload(ShowcaseItem.entry_version).joinedload(EntryVersion.entry),
            joinedload(ShowcaseItem.evidence),
            joinedload(ShowcaseItem.signoff).options(
                joinedload(Signoff.competency), joinedload(Signoff.reviewer),
                joinedload(Signoff.entry_version), joinedload(Signoff.revocation)),
        ),
        joinedload(Showcase.owner),
    )


def load_body(showcase: Showcase) -> Showcase:
    """Load the items of an already loaded showcase for its body (one batch of statements)."""
    db.session.scalars(select(Showcase).where(Showcase.id == showcase.id)
                       .options(*body_options())).one()
    return showcase


def my_showcases(owner_id: int) -> list[tuple[Showcase, int, int]]:
    """(showcase, item count, live link count) for the owner, newest change first."""
    items = (select(func.count(ShowcaseItem.id)).where(ShowcaseItem.showcase_id == Showcase.id)
             .correlate(Showcase).scalar_subquery())
    links = (select(func.count(ShowcaseLink.id)).where(
        ShowcaseLink.showcase_id == Showcase.id, ShowcaseLink.revoked_at.is_(None),
        ShowcaseLink.expires_at > utcnow()).correlate(Showcase).scalar_subquery())
    rows = db.session.execute(select(Showcase, items, links).where(Showcase.owner_id == owner_id)
                              .order_by(Showcase.locked_at.is_not(None),
                                        Showcase.updated_at.desc()))
    return [(showcase, count, live) for showcase, count, live in rows]


def shared_with_filter(user):
    """SQL for the showcases others shared with `user` by their two choices (permissions.py)."""
    if user is None or not user.is_authenticated:
        return false()
    developers = Showcase.shared_with_developers.is_(True)
    if is_manager(user):
        return and_(developers, Showcase.owner_id != user.id)
    return and_(Showcase.owner_id != user.id, Showcase.cohort_id.is_not(None), or_(
        and_(developers, related_in_cohort(Showcase.cohort_id, Showcase.owner_id,
                                           developed_memberships_query(user.id))),
        and_(Showcase.shared_with_peers.is_(True),
             related_in_cohort(Showcase.cohort_id, Showcase.owner_id,
                               peer_group_memberships_query(user.id))),
    ))


def shared_with(user, page: int, per_page: int):
    statement = (select(Showcase).where(shared_with_filter(user))
                 .options(joinedload(Showcase.owner)).order_by(Showcase.updated_at.desc()))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def entry_choices(owner_id: int) -> list[tuple[Entry, int]]:
    """The owner's entries with a saved version, and that latest version's number."""
    return list(db.session.execute(
        select(Entry, Entry.latest_version_number)
        .where(Entry.owner_id == owner_id, Entry.latest_version_number > 0,
               Entry.privacy != PrivacyTier.PRIVATE)
        .order_by(Entry.updated_at.desc()).limit(CHOICE_LIMIT)))


def evidence_choices(owner_id: int) -> list[Evidence]:
    return list(db.session.scalars(
        select(Evidence).where(Evidence.owner_id == owner_id, Evidence.deleted_at.is_(None))
        .order_by(Evidence.created_at.desc()).limit(CHOICE_LIMIT)))


def signoff_choices(candidate_id: int) -> list[Signoff]:
    revoked = select(SignoffRevocation.signoff_id)
    return list(db.session.scalars(
        select(Signoff).where(Signoff.candidate_id == candidate_id,
                              Signoff.decision == Decision.SIGNED_OFF, Signoff.id.not_in(revoked))
        .options(joinedload(Signoff.competency), joinedload(Signoff.entry_version))
        .order_by(Signoff.competency_code, Signoff.created_at).limit(CHOICE_LIMIT)))


def links_of(showcase: Showcase) -> list[ShowcaseLink]:
    return list(db.session.scalars(select(ShowcaseLink).where(
        ShowcaseLink.showcase_id == showcase.id).order_by(ShowcaseLink.created_at.desc())))


def views_page(link: ShowcaseLink, page: int, per_page: int):
    statement = (select(ShowcaseLinkView).where(ShowcaseLinkView.link_id == link.id)
                 .order_by(ShowcaseLinkView.viewed_at.desc(), ShowcaseLinkView.id.desc()))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def evidence_item(showcase: Showcase, item_id: int) -> ShowcaseItem | None:
    """One of this showcase's evidence items with a stored file, or None (any other id)."""
    return db.session.scalar(
        select(ShowcaseItem).join(Evidence, Evidence.id == ShowcaseItem.evidence_id)
        .where(ShowcaseItem.id == item_id, ShowcaseItem.showcase_id == showcase.id,
               Evidence.kind == "file", Evidence.storage_key.is_not(None),
               Evidence.deleted_at.is_(None), ~restricted_clause(Evidence.id))
        .options(joinedload(ShowcaseItem.evidence)))
