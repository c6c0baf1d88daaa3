"""A fixed-window request counter per token, settled by the database.

Each request adds one to its token's row for the current window in a single
INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement, so two workers (or hosts) counting at
once both land and each reads the total including its own request.
"""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..database import is_postgres
from ..extensions import db
from .models import ApiRateWindow

DEFAULT_LIMIT = 600  # requests per window and token
DEFAULT_WINDOW = 60  # seconds


def limits() -> tuple[int, int]:
    config = current_app.config
    return (int(config.get("API_RATE_LIMIT", DEFAULT_LIMIT)),
            int(config.get("API_RATE_WINDOW", DEFAULT_WINDOW)))


def count_request(token_id: int, now: float | None = None) -> tuple[bool, int, int]:
    """Count one request: (allowed, requests left, seconds until the window ends)."""
    limit, length = limits()
    now = time.time() if now is None else now
    window = int(now // length)
    insert = postgres_insert if is_postgres() else sqlite_insert
    statement = (insert(ApiRateWindow).values(token_id=token_id, window_start=window, hits=1)
                 .on_conflict_do_update(index_elements=["token_id", "window_start"],
                                        set_={"hits": ApiRateWindow.hits + 1})
                 .returning(ApiRateWindow.hits))
    hits = db.session.execute(statement).scalar_one()
    if hits == 1:  # the first request of a window clears the token's older windows
        db.session.execute(delete(ApiRateWindow).where(ApiRateWindow.token_id == token_id,
                                                       ApiRateWindow.window_start < window))
    retry_after = max(1, int((window + 1) * length - now))
    return hits <= limit, max(0, limit - hits), retry_after
