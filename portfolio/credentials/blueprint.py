"""The credentials blueprint: its pages live under /credentials, its keys under /.well-known."""

from flask import Blueprint

bp = Blueprint("credentials", __name__)
