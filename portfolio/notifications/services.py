"""Create in-app notifications and email them according to each person's preference.

Messages are plain text built from names, titles and dates only: never reflection text or
comment bodies. Nobody is told about an entry they cannot see.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from ..auth.models import EmailPreference, User
from ..database import utcnow
from ..entries.permissions import can_view_entry
from ..errors import DomainError
from ..extensions import db
from ..mail.services import queue_templated_mail
from .models import Notification

log = logging.getLogger(__name__)

SUBJECTS = {
    "review_requested": "A review request is waiting for you",
    "review_done": "Your coach developer has reviewed your entry",
    "review_returned": "Your entry has been returned for revision",
    "comment": "New comment on your entry",
    "reply": "New reply in a conversation",
    "peer_signoff": "A peer has signed off a competency",
    "review_overdue": "A review is overdue",
    "review_escalated": "A review is well past its due date",
    "entry_shared": "A peer shared an entry with you",
    "panel_scheduled": "Your review panel has been scheduled",
    "panel_member": "You are on a review panel",
    "panel_outcome": "Your review panel has recorded its outcome",
}
DIGEST_LOOKBACK = timedelta(days=7)
DIGEST_INTERVAL = timedelta(hours=20)


def path_for(endpoint: str, _anchor: str | None = None, **values) -> str:
    """A site-relative path that can be built with or without a request (e.g. from cron)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{_anchor}" if _anchor else path


def external(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def notify(recipient: User | None, kind: str, message: str, link: str = "", *, entry=None,
           dedupe_key: str | None = None) -> Notification | None:
    """Tell one person about an event (flush only); None when they may not or need not know."""
    if recipient is None or not recipient.active or recipient.erased_at is not None:
        return None
    if entry is not None and not can_view_entry(recipient, entry):
        return None
    if dedupe_key and db.session.scalar(
            select(Notification.id).where(Notification.dedupe_key == dedupe_key)) is not None:
        return None
    notification = Notification(user_id=recipient.id, kind=kind, message=message[:300],
                                link=link[:300], dedupe_key=dedupe_key)
    db.session.add(notification)
    if recipient.email_preference == EmailPreference.IMMEDIATE:
        queue_templated_mail(recipient.email, "notification", recipient=recipient,
                             subject=SUBJECTS.get(kind, "Advanced Coach Portfolio"),
                             message=message, link=external(link) if link else "",
                             settings_url=_settings_url())
        notification.emailed_at = utcnow()
    db.session.flush()
    return notification


def notify_each(recipients: Iterable[User | None], kind: str, message: str, link: str = "", *,
                entry=None, dedupe_key: str | None = None, skip: Iterable[int] = ()) -> int:
    """Notify several people once each; `dedupe_key` gets the user id appended."""
    seen = set(skip)
    sent = 0
    for user in recipients:
        if user is None or user.id in seen:
            continue
        seen.add(user.id)
        key = f"{dedupe_key}:{user.id}" if dedupe_key else None
        sent += notify(user, kind, message, link, entry=entry, dedupe_key=key) is not None
    return sent


def _settings_url() -> str:
    return external(path_for("auth.settings"))


def mark_read(notification: Notification, actor: User) -> None:
    if notification.user_id != actor.id:
        raise DomainError("That notification belongs to someone else.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(actor: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


def send_daily_digests(now: datetime | None = None) -> int:
    """Email each 'daily' user one summary of what they have not read or been sent; return
    how many emails were queued. Safe to run more often than daily: at most one per 20 hours."""
    now = now or utcnow()
    recently_sent = (
        select(Notification.user_id)
        .where(Notification.emailed_at > now - DIGEST_INTERVAL)
        .group_by(Notification.user_id))
    rows = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(User.email_preference == EmailPreference.DAILY, User.active.is_(True),
               Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               Notification.created_at >= now - DIGEST_LOOKBACK,
               Notification.user_id.not_in(recently_sent))
        .order_by(Notification.user_id, Notification.created_at)
    ).all()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for notification, user in rows:
        by_user[user.id].append(notification)
        users[user.id] = user
    for user_id, items in by_user.items():
        queue_templated_mail(
            users[user_id].email, "daily_digest", user=users[user_id],
            items=[{"message": item.message, "link": external(item.link) if item.link else ""}
                   for item in items],
            notifications_url=external(path_for("notifications.index")),
            settings_url=_settings_url())
        for notification in items:
            notification.emailed_at = now
    db.session.flush()
    return len(by_user)




def unread_count_expression(user_id):
    """SQL: how many of this person's notifications are unread."""
    return (select(func.count(Notification.id))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .scalar_subquery())


def unread_count(user: User) -> int:
    return db.session.scalar(select(unread_count_expression(user.id))) or 0
