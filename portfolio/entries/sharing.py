"""Entries shared with peers: telling the peer group when an entry reaches them, and
remembering which version each reader last opened ("changed since I last looked")."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..database import utcnow
from ..extensions import db
from ..notifications.services import notify_each, path_for
from ..programmes.models import CohortMembership, MemberRole, MembershipStatus, PeerGroupMember
from .models import Entry, EntryRead, EntryStatus
from .permissions import TIER_AUDIENCE, is_author

# The tiers that show an entry to the author's peer group.
PEER_TIERS = frozenset(tier for tier, audience in TIER_AUDIENCE.items() if "peer" in audience)


def shared_with_peers(entry: Entry) -> bool:
    return entry.status == EntryStatus.PUBLISHED and entry.privacy in PEER_TIERS


def tell_peer_group(entry: Entry, actor) -> int:
    """Notify the author's peer group (in the entry's cohort) that the entry reached them.

    Called when a saved version first admits peers; each reader hears about an entry once.
    The notifications service checks every recipient against the entry's privacy tier.
    """
    message = f"{actor.display_name} shared “{entry.display_title}” with you."
    return notify_each(peer_group_members(entry), "entry_shared", message,
                       path_for("entries.show_entry", entry_id=entry.id), entry=entry,
                       dedupe_key=f"entry_shared:{entry.id}", skip=[entry.owner_id])


def peer_group_members(entry: Entry) -> list[User]:
    """Candidates sharing a peer group with the author inside the entry's own cohort."""
    if entry.cohort_id is None:
        return []
    author, author_link = aliased(CohortMembership), aliased(PeerGroupMember)
    theirs, their_link = aliased(CohortMembership), aliased(PeerGroupMember)
    return list(db.session.scalars(
        select(User).join(theirs, theirs.user_id == User.id)
        .join(their_link, their_link.membership_id == theirs.id)
        .join(author_link, author_link.peer_group_id == their_link.peer_group_id)
        .join(author, and_(author.id == author_link.membership_id,
                           author.user_id == entry.owner_id,
                           author.cohort_id == entry.cohort_id))
        .where(theirs.cohort_id == entry.cohort_id, theirs.role == MemberRole.CANDIDATE,
               theirs.status != MembershipStatus.WITHDRAWN, User.id != entry.owner_id)
        .distinct().order_by(User.id)))


def last_read(reader, entry: Entry) -> int | None:
    """The latest version of `entry` the reader has opened, or None."""
    return db.session.scalar(select(EntryRead.version_number).where(
        EntryRead.user_id == reader.id, EntryRead.entry_id == entry.id))


def remember_read(reader, entry: Entry) -> None:
    """Record that the reader has seen the entry's latest version (flush only).

    One statement that the database settles (insert, or raise the number it holds), so two
    tabs opening the entry together never collide and the marker never goes backwards.
    """
    if is_author(reader, entry) or not entry.latest_version_number:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EntryRead).values(user_id=reader.id, entry_id=entry.id,
                                         version_number=entry.latest_version_number,
                                         read_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[EntryRead.user_id, EntryRead.entry_id],
        set_={"version_number": statement.excluded.version_number,
              "read_at": statement.excluded.read_at},
        where=EntryRead.version_number < statement.excluded.version_number))
