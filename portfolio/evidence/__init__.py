"""Evidence files and links: upload, storage, thumbnails, downloads."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

from . import views  # noqa: E402,F401
