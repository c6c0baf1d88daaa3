"""The quick sign-off blueprint: the candidate's pages under the entry, the signer's at /q/."""

from flask import Blueprint

bp = Blueprint("quicksign", __name__)
