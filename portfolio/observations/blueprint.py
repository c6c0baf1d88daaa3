"""The observations blueprint."""

from flask import Blueprint

bp = Blueprint("observations", __name__, url_prefix="/observations")
