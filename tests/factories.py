"""Plain builder functions for test data. Each flushes; the test decides when to commit."""

from __future__ import annotations

import itertools
from functools import cache

from werkzeug.security import generate_password_hash

from portfolio.auth.models import User
from portfolio.extensions import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD, method="scrypt")


def make_user(email: str | None = None, name: str | None = None, *, admin=False, lead=False,
              active=True, password=True) -> User:
    n = next(_counter)
    user = User(
        email=(email or f"user{n}@example.test").lower(),
        display_name=name or f"Test User {n}",
        is_admin=admin,
        is_programme_lead=lead,
        active=active,
        password_hash=_password_hash() if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_in(client, user: User):
    """Put the user's session token in the client's session cookie."""
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def csrf_token_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in page"
    return match.group(1)
