"""The showcases blueprints: the owner's and readers' pages under /showcases, and the pages a
secret link opens under /s/<token> (no sign-in)."""

from flask import Blueprint

bp = Blueprint("showcases", __name__, url_prefix="/showcases")
public = Blueprint("showcase_links", __name__, url_prefix="/s")
