"""Public pages: the keys, the issuer, the revocation list, a credential's page, the checker."""

from __future__ import annotations

from flask import abort, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..extensions import db
from ..programmes.models import Pathway, ProgrammeYear
from . import documents, keys, queries, services
from .blueprint import bp
from .forms import MAX_CREDENTIAL_BYTES, VerifyForm
from .reading import Unreadable, presented_document

# Room for the form's other fields and the multipart framing around the largest upload.
MAX_VERIFY_REQUEST = MAX_CREDENTIAL_BYTES * 2 + 64 * 1024


def public_json(value: dict, media_type: str = "application/json"):
    """Public JSON any verifier may fetch, from a browser on another site too."""
    response = jsonify(value)
    response.mimetype = media_type
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/.well-known/did.json")
def did_document():
    return public_json(keys.did_document(), "application/did+json")


@bp.route("/.well-known/jwks.json")
def jwks():
    return public_json(keys.jwks(), "application/jwk-set+json")


@bp.route("/credentials/issuer")
def issuer():
    profile = documents.issuer_profile()
    return public_json({"@context": [documents.VC_CONTEXT, documents.OB_CONTEXT], **profile})


@bp.route("/credentials/achievements/<int:year_id>/<int:pathway_id>")
def achievement(year_id, pathway_id):
    year, pathway = db.session.get(ProgrammeYear, year_id), db.session.get(Pathway, pathway_id)
    if year is None or pathway is None:
        abort(404)
    return public_json({"@context": [documents.VC_CONTEXT, documents.OB_CONTEXT],
                        **documents.achievement(year, pathway)})


@bp.route("/credentials/revocations")
def revocations():
    base = documents.base_url()
    return public_json({
        "id": f"{base}/credentials/revocations", "type": documents.STATUS_TYPE,
        "issuer": keys.issuer_did(),
        "revokedCredentials": [
            {"id": f"urn:uuid:{ident}", "revoked": True,
             "revokedOn": documents.utc_timestamp(revoked_at),
             "revocationReason": reason or ""}
            for ident, revoked_at, reason in queries.revoked()],
    })


@bp.route("/credentials/<uuid:credential_id>")
def public_page(credential_id):
    credential = queries.credential(credential_id)
    if credential is None:
        abort(404)
    return render_template("credentials/show.html", credential=credential,
                           verdict=services.verdict_for(credential), issuer_did=keys.issuer_did())


@bp.route("/credentials/verify", methods=["GET", "POST"])
def verify():
    if request.method == "POST":
        request.max_content_length = MAX_VERIFY_REQUEST
        try:
            request.files, request.form  # noqa: B018  (parse now, within the limit)
        except RequestEntityTooLarge:
            form = VerifyForm(formdata=None)
            form.upload.errors = ["That file is larger than any credential this site issues."]
            return render_template("credentials/verify.html", form=form, verdict=None), 413
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        upload = form.upload.data.read(MAX_CREDENTIAL_BYTES + 1) if form.upload.data else None
        try:
            verdict = services.check(presented_document(upload, form.pasted.data))
        except Unreadable as error:
            (form.upload if upload else form.pasted).errors = [str(error)]
    status = 400 if form.errors else 200
    return render_template("credentials/verify.html", form=form, verdict=verdict), status
