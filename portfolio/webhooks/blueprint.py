"""The webhooks blueprint: programme leads' pages under /webhooks."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
