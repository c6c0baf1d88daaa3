"""The single sign-on blueprint: starting a sign-in at the provider and coming back from it."""

from flask import Blueprint

bp = Blueprint("sso", __name__, url_prefix="/sso")
