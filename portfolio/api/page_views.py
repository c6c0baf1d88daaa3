"""The API's pages: the OpenAPI document and its docs page (public), a person's own tokens,
and the client systems programme leads register."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..access import role_required
from ..database import get_or_404
from ..extensions import db
from ..forms import options
from ..handlers import attempt, button_post
from ..programmes.models import ProgrammeYear
from . import services
from .blueprint import pages
from .forms import ClientForm, TokenForm
from .models import ApiClient, ApiToken, TokenKind
from .ratelimit import limits
from .scopes import RESOURCES


def openapi_document() -> dict:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


@pages.route("/api/v1/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


@pages.route("/api/v1/docs")
def docs():
    return render_template("api/docs.html", document=openapi_document(), limits=limits(),
                           resources=RESOURCES)


def _my_tokens():
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id,
                               ApiToken.kind == TokenKind.PERSONAL)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


@pages.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form, secret = TokenForm(), None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create_personal_token(
            current_user, form.name.data, form.access.data, form.resources.data,
            int(form.days.data)), form=form)
        if outcome.value:
            secret = outcome.value[1]
            form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, secret=secret, tokens=_my_tokens())


@pages.route("/account/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    token = get_or_404(ApiToken, token_id, visible=lambda item: item.user_id == current_user.id
                       and item.kind == TokenKind.PERSONAL)
    return button_post(lambda: services.revoke_token(current_user, token),
                       success="Token revoked: it no longer works.",
                       to=url_for("api_pages.tokens"))


def _client_form() -> ClientForm:
    form = ClientForm()
    form.years.choices = options((str(year.id), year.label) for year in db.session.scalars(
        select(ProgrammeYear).order_by(ProgrammeYear.starts_on.desc())))
    return form


@pages.route("/api/clients", methods=["GET", "POST"])
@role_required("programme_lead")
def clients():
    form, issued = _client_form(), None
    if form.validate_on_submit():
        outcome = attempt(lambda: services.register_client(
            current_user, form.name.data, form.resources.data, form.years.data), form=form)
        if outcome.value:
            issued = outcome.value
            form = _client_form()
            form.process(formdata=None)
    registered = list(db.session.scalars(select(ApiClient).order_by(ApiClient.id.desc())))
    years = {year.id: year.label for year in db.session.scalars(select(ProgrammeYear))}
    return render_template("api/clients.html", form=form, issued=issued, clients=registered,
                           years=years)


@pages.route("/api/clients/<int:client_id>/revoke", methods=["POST"])
@role_required("programme_lead")
def revoke_client(client_id):
    client = get_or_404(ApiClient, client_id)
    return button_post(lambda: services.revoke_client(current_user, client),
                       success="Client revoked: its secret and tokens no longer work.",
                       to=url_for("api_pages.clients"))
