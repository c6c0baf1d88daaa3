"""API tokens and client systems in a person's data download and in their erasure (called by
portfolio.privacy, which lists the tables in its registry)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from ..extensions import db
from .models import ApiClient, ApiRateWindow, ApiToken


def personal_api_access(user_id: int, rows: Callable) -> dict:
    """Their tokens (never a secret's hash), each token's request counts, and the client
    systems they registered."""
    mine = select(ApiToken.id).where(ApiToken.user_id == user_id)
    return {
        "tokens": rows(select(ApiToken).where(ApiToken.user_id == user_id),
                       exclude={"token_hash"}),
        "request_counts": [
            {"token_id": token_id, "window_start": start, "hits": hits}
            for token_id, start, hits in db.session.execute(
                select(ApiRateWindow.token_id, ApiRateWindow.window_start, ApiRateWindow.hits)
                .where(ApiRateWindow.token_id.in_(mine))
                .order_by(ApiRateWindow.token_id, ApiRateWindow.window_start))],
        "clients_registered": rows(select(ApiClient).where(ApiClient.created_by_id == user_id),
                                   exclude={"secret_hash"}),
    }


def erase_api_access(user_id: int) -> int:
    """Their tokens and the systems they registered stop working and go (request counts and
    client tokens with them, by ON DELETE CASCADE)."""
    tokens = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user_id)
                                .execution_options(synchronize_session=False)).rowcount
    clients = db.session.execute(delete(ApiClient).where(ApiClient.created_by_id == user_id)
                                 .execution_options(synchronize_session=False)).rowcount
    return tokens + clients
