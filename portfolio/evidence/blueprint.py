"""The evidence blueprint and its template filters."""

from urllib.parse import urlsplit

from flask import Blueprint

from .services import human_size

bp = Blueprint("evidence", __name__, url_prefix="/evidence")


@bp.app_template_filter("filesize")
def filesize(value) -> str:
    return human_size(int(value or 0))


@bp.app_template_filter("urlhost")
def urlhost(value) -> str:
    try:
        return urlsplit(value or "").hostname or ""
    except ValueError:
        return ""
