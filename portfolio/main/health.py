"""Readiness facts for load balancers: can this host reach the database and the file store?"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from ..extensions import db

log = logging.getLogger(__name__)
# The folders every app host must share (README: "What to share between hosts").
SHARED_FOLDERS = ("UPLOAD_FOLDER", "EXPORT_FOLDER")


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means the database is not reachable
        db.session.rollback()
        log.warning("readiness: database unreachable: %s", error)
        return "unreachable"
    return "ok"


def storage_state() -> str:
    for key in SHARED_FOLDERS:
        folder = Path(current_app.config[key])
        if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
            log.warning("readiness: %s %s is missing or not writable", key, folder)
            return "unavailable"
    return "ok"
