"""Secret links: a token shown once to the owner, kept only as its SHA-256 hash, that opens one
showcase to someone without an account until it expires or is revoked. Every view through a
link is logged (when, what was opened, a coarse network and the browser family)."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..audit.services import record
from ..database import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import Showcase, ShowcaseLink, ShowcaseLinkView

DEFAULT_DAYS = 30
MAX_DAYS = 365
MAX_LABEL = 120
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class LinkStatus:
    LIVE = "live"
    EXPIRED = "expired"
    REVOKED = "revoked"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def create_link(showcase: Showcase, actor, *, label: str,
                days: int | None = DEFAULT_DAYS) -> tuple[ShowcaseLink, str]:
    """A new link and its token; the token is never stored, so it can be shown only now."""
    if actor is None or showcase.owner_id != actor.id:
        raise DomainError("Only the owner can make links to a showcase.")
    label = (label or "").strip()
    if not label:
        raise DomainError("Say who the link is for, so you can recognise it later.", "label")
    if len(label) > MAX_LABEL:
        raise DomainError(f"Keep the description to {MAX_LABEL} characters or fewer.", "label")
    days = DEFAULT_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(f"A link can last from 1 to {MAX_DAYS} days.", "days")
    token = secrets.token_urlsafe(32)
    link = ShowcaseLink(showcase_id=showcase.id, token_hash=token_hash(token), label=label,
                        expires_at=utcnow() + timedelta(days=days), view_count=0)
    db.session.add(link)
    db.session.flush()
    record("showcase.link_created", actor=actor, target=showcase, cohort_id=showcase.cohort_id,
           link=link.id, days=days)
    return link, token


def revoke_link(link: ShowcaseLink, actor) -> ShowcaseLink:
    """Stop a link working at once; revoking twice changes nothing."""
    showcase = link.showcase
    if actor is None or showcase.owner_id != actor.id:
        raise DomainError("Only the owner can revoke a link.")
    if link.revoked_at is not None:
        raise DomainError("That link was already revoked.")
    link.revoked_at = utcnow()
    db.session.flush()
    record("showcase.link_revoked", actor=actor, target=showcase, cohort_id=showcase.cohort_id,
           link=link.id)
    return link


def status_of(link: ShowcaseLink, now: datetime | None = None) -> str:
    if link.revoked_at is not None:
        return LinkStatus.REVOKED
    return LinkStatus.LIVE if link.is_live(now or utcnow()) else LinkStatus.EXPIRED


def live_link(token: str | None) -> ShowcaseLink | None:
    """The live link a token opens, or None (unknown, malformed, expired or revoked alike)."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    return db.session.scalar(select(ShowcaseLink).where(
        ShowcaseLink.token_hash == token_hash(token), ShowcaseLink.revoked_at.is_(None),
        ShowcaseLink.expires_at > utcnow()))


def record_view(link: ShowcaseLink, *, what: str, address: str | None,
                user_agent: str | None) -> None:
    """Log one view and count it in the same statement as any other view (no lost updates)."""
    now = utcnow()
    db.session.add(ShowcaseLinkView(link_id=link.id, viewed_at=now, what=what[:120],
                                    network=coarse_network(address),
                                    browser=browser_family(user_agent)))
    db.session.execute(
        update(ShowcaseLink).where(ShowcaseLink.id == link.id)
        .values(view_count=ShowcaseLink.view_count + 1, last_viewed_at=now)
        .execution_options(synchronize_session=False))
    db.session.flush()


def coarse_network(address: str | None) -> str:
    """203.0.113.7 -> 203.0.113.x; an IPv6 address -> its /48 prefix: a place, not a person."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".x"
    network = ipaddress.ip_network(f"{ip}/48", strict=False)
    return str(network)


BROWSERS = (  # the first match wins: Edge and Opera also say "Chrome", Chrome says "Safari"
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
)
BOT = re.compile(r"bot|crawl|spider|preview|fetch|curl|wget|python", re.IGNORECASE)


def browser_family(user_agent: str | None) -> str:
    agent = user_agent or ""
    if BOT.search(agent):
        return "Automated (link preview or script)"
    for marker, family in BROWSERS:
        if marker in agent:
            return family
    return "Other browser" if agent else "Unknown"
