"""The holder's pages: their credentials, and each as JSON or as a baked PNG badge."""

from __future__ import annotations

import json

from flask import abort, render_template
from flask_login import current_user, login_required

from ..downloads import send_download
from . import queries
from .baking import bake
from .blueprint import bp
from .permissions import can_download

JSON_MEDIA_TYPE = "application/vc+ld+json"


@bp.route("/credentials/mine")
@login_required
def mine():
    credentials = queries.credentials_of(current_user.id)
    if not credentials:
        abort(404)
    return render_template("credentials/mine.html", credentials=credentials)


def _own_credential(credential_id):
    credential = queries.credential(credential_id)
    if credential is None or not can_download(current_user, credential):
        abort(404)
    return credential


def _file_name(credential, extension: str) -> str:
    cohort = credential.membership.cohort
    return f"advanced-coach-{cohort.year.label}-{cohort.pathway.name}-credential.{extension}"


@bp.route("/credentials/<uuid:credential_id>/credential.json")
@login_required
def download_json(credential_id):
    credential = _own_credential(credential_id)
    body = json.dumps(credential.document, ensure_ascii=False, indent=2).encode()
    return send_download(body, _file_name(credential, "json"), JSON_MEDIA_TYPE)


@bp.route("/credentials/<uuid:credential_id>/badge.png")
@login_required
def download_png(credential_id):
    credential = _own_credential(credential_id)
    cohort = credential.membership.cohort
    return send_download(bake(credential.document, cohort.year.label, cohort.pathway.name),
                         _file_name(credential, "png"), "image/png")
