"""Showcases: a candidate's curated, ordered selection of their work, pinned to versions.

A showcase is a page the candidate writes (title, introduction, headings) around items they
pick: entry versions, evidence, sign-offs. Each item points at an immutable record (an entry
*version*, a sign-off) or carries a copy of what it showed when chosen (evidence title and
description), so later edits elsewhere never change a showcase until its owner updates it.

A showcase can be shared with the cohort's coach developers and/or the candidate's peer group,
and through secret links for someone without an account. A link is stored only as a hash of its
token, expires, can be revoked, and every view through it is logged for the owner to see.

A *submitted* copy (locked_at set) is the frozen snapshot a candidate hands to a review panel:
no item, heading or text of it changes again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, state_type, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..entries.models import EntryVersion
    from ..evidence.models import Evidence
    from ..programmes.models import Cohort
    from ..reviews.models import Signoff


class ItemKind(StrEnum):
    HEADING = "heading"
    ENTRY_VERSION = "entry_version"
    EVIDENCE = "evidence"
    SIGNOFF = "signoff"


ITEM_KIND_LABELS = {
    ItemKind.HEADING: "Heading",
    ItemKind.ENTRY_VERSION: "Reflective entry",
    ItemKind.EVIDENCE: "Evidence",
    ItemKind.SIGNOFF: "Sign-off",
}


class Showcase(db.Model):
    __tablename__ = "showcases"
    __table_args__ = (Index("ix_showcases_owner_updated", "owner_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The cohort it was made in: whose coach developers and which peer group it can be shared
    # with.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"),
                                                  index=True)
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")  # Markdown
    introduction_html: Mapped[str] = mapped_column(Text, default="")  # sanitised, rendered once
    shared_with_developers: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_with_peers: Mapped[bool] = mapped_column(Boolean, default=False)
    # A submitted copy is frozen: set once, never cleared.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("showcases.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    owner: Mapped[User] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    items: Mapped[list[ShowcaseItem]] = relationship(
        back_populates="showcase", order_by="ShowcaseItem.position",
        cascade="all, delete-orphan", passive_deletes=True)
    links: Mapped[list[ShowcaseLink]] = relationship(
        back_populates="showcase", order_by="ShowcaseLink.created_at.desc()",
        cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ShowcaseItem(db.Model):
    __tablename__ = "showcase_items"
    __table_args__ = (Index("ix_showcase_items_showcase_position", "showcase_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    showcase_id: Mapped[int] = mapped_column(ForeignKey("showcases.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[ItemKind] = mapped_column(state_type(ItemKind, "kind", length=16))
    heading: Mapped[str] = mapped_column(String(200), default="")  # ItemKind.HEADING
    note: Mapped[str] = mapped_column(Text, default="")  # the candidate's caption for the item
    entry_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("entry_versions.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True)
    signoff_id: Mapped[int | None] = mapped_column(ForeignKey("signoffs.id"), index=True)
    # What the evidence said when it was chosen (its title and description can be edited).
    pinned_title: Mapped[str] = mapped_column(String(200), default="")
    pinned_description: Mapped[str] = mapped_column(Text, default="")

    showcase: Mapped[Showcase] = relationship(back_populates="items")
    entry_version: Mapped[EntryVersion | None] = relationship()
    evidence: Mapped[Evidence | None] = relationship()
    signoff: Mapped[Signoff | None] = relationship()


class ShowcaseLink(db.Model):
    """A secret link for someone without an account; only the token's hash is stored."""

    __tablename__ = "showcase_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    showcase_id: Mapped[int] = mapped_column(ForeignKey("showcases.id", ondelete="CASCADE"),
                                             index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")  # who it is for
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    view_count: Mapped[int] = mapped_column(Integer, default=0)

    showcase: Mapped[Showcase] = relationship(back_populates="links")
    views: Mapped[list[ShowcaseLinkView]] = relationship(
        back_populates="link", order_by="ShowcaseLinkView.viewed_at.desc()",
        cascade="all, delete-orphan", passive_deletes=True)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class ShowcaseLinkView(db.Model):
    """One view through a secret link: when, and a coarse description of from where."""

    __tablename__ = "showcase_link_views"
    __table_args__ = (Index("ix_showcase_link_views_link_viewed", "link_id", "viewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("showcase_links.id", ondelete="CASCADE"))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What was opened: the page, a file, the PDF.
    what: Mapped[str] = mapped_column(String(120), default="page")
    # The network with its last part dropped (203.0.113.x) and the browser family: enough for the
    # owner to recognise a view, not enough to track the viewer.
    network: Mapped[str] = mapped_column(String(64), default="")
    browser: Mapped[str] = mapped_column(String(60), default="")

    link: Mapped[ShowcaseLink] = relationship(back_populates="views")
