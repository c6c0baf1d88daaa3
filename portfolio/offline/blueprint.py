"""The offline blueprint: the service worker and manifest at the site root, the outbox page."""

from flask import Blueprint

bp = Blueprint("offline", __name__)
