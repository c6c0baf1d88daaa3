"""The candidate's coaching philosophy statement: write (autosaved), save versions, history."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..errors import ConflictError, DomainError, apply_to_form
from ..extensions import db
from ..handlers import attempt, button_post, checks_token_by_hand, refusal_json, token_problem
from . import bp, keeping
from .authoring import can_write_portfolio
from .diff import word_diff
from .forms import PhilosophyForm, RestoreForm
from .philosophy import (
    PROMPT,
    latest_statement_version,
    restore_statement,
    save_statement,
    statement_of,
    statement_version,
    update_statement,
)
from .queries import valid_id
from .rescue import formdata_of, owner_hint
from .services import UNCHANGED
from .vocabulary import PRIVACY_HINTS


def _page_url(**_):
    return url_for("entries.philosophy")


def _own_statement_or_403():
    statement = statement_of(current_user.id)
    if statement is None and not can_write_portfolio(current_user):
        abort(403)
    return statement


def _render(form, statement, status=200, *, notice=None, conflict=False):
    if conflict and statement is not None:
        form.lock_version.data = str(statement.lock_version)
    return render_template(
        "entries/philosophy.html", form=form, statement=statement, prompt=PROMPT,
        latest=latest_statement_version(statement), can_write=can_write_portfolio(current_user),
        privacy_hints=PRIVACY_HINTS, notice=notice, conflict=conflict), status


def _initial_form(statement):
    return PhilosophyForm(data={
        "body": statement.body if statement else "",
        "privacy": statement.privacy if statement else "developers",
        "lock_version": statement.lock_version if statement else "",
        "owner": owner_hint(current_user.id)})


@bp.route("/philosophy", methods=["GET", "POST"])
@checks_token_by_hand
@keeping.writer_login_required("philosophy", _page_url)
def philosophy():
    statement = _own_statement_or_403()
    if request.method == "POST":
        return _save_from_post(statement)
    kept = keeping.claim_rescue("philosophy")
    if kept is not None:
        return _apply_rescue(statement, kept)
    return _render(_initial_form(statement), statement)


def _save_from_post(statement):
    keeping.allow_long_text()
    form = PhilosophyForm(formdata=request.form)
    if token_problem():
        return _render(form, statement, 400, notice=keeping.EXPIRED_FORM_MESSAGE)
    if not form.validate():
        return _render(form, statement)
    action = request.form.get("action", "save")
    saved = attempt(lambda: _save_statement(form, action), form=form, leave=(ConflictError,),
                    success=lambda version: "Draft saved. Only you can see drafts."
                    if action != "save" else f"Saved as version {version.number}." if version
                    else "Nothing has changed since your last saved version.")
    if isinstance(saved.error, ConflictError):
        return _render(form, statement_of(current_user.id), 409, conflict=True)
    if not saved:
        return _render(form, statement)
    return redirect(url_for("entries.philosophy"))


def _save_statement(form, action: str):
    """Save a version (action "save") or the draft; None when only the draft was written."""
    arguments = {"body": form.body.data, "privacy": form.privacy.data,
                 "expected_lock": form.expected_lock()}
    version = None
    if action == "save":
        version = save_statement(current_user, **arguments)
    else:
        update_statement(current_user, **arguments)
    keeping.forget_rescue_for("philosophy")
    return version


def _apply_rescue(statement, kept):
    form = PhilosophyForm(formdata=formdata_of(kept))
    form.validate()
    try:
        update_statement(current_user, body=form.body.data, expected_lock=form.expected_lock(),
                         deliberate=False)
    except ConflictError:
        db.session.rollback()
        keeping.finish_rescue(kept)
        db.session.commit()
        return _render(form, statement_of(current_user.id), 409, conflict=True)
    except DomainError as error:
        db.session.rollback()
        apply_to_form(error, form)
        return _render(form, statement, notice="The text you sent when you were signed out is "
                       "below; it could not be saved yet.")
    keeping.finish_rescue(kept)
    db.session.commit()
    flash("The text you sent when you were signed out has been saved into your draft. Check "
          "it, then press Save.", "success")
    return redirect(url_for("entries.philosophy"))


@bp.route("/philosophy/autosave", methods=["POST"])
@checks_token_by_hand
def autosave_philosophy():
    if not current_user.is_authenticated:
        return keeping.signed_out_json("philosophy", _page_url())
    if not can_write_portfolio(current_user):
        abort(403)
    keeping.allow_long_text()
    if token_problem():
        return jsonify(error="token", csrf_token=generate_csrf(),
                       message="Your session changed; trying again."), 400
    form = PhilosophyForm(formdata=request.form)
    form.validate()
    if form.body.errors:
        return jsonify(error="invalid", message=" ".join(form.body.errors)), 422
    saved = attempt(lambda: _autosave_statement(form), leave=(DomainError,))
    if not saved:
        return refusal_json(saved.error)
    statement = saved.value
    return jsonify(status="saved", lock_version=statement.lock_version, errors=[],
                   saved_at=keeping.saved_at_text(statement.autosaved_at))


def _autosave_statement(form):
    statement = update_statement(
        current_user, body=form.body.data,
        privacy=form.privacy.data if form.privacy.raw_data and not form.privacy.errors
        else UNCHANGED, expected_lock=form.expected_lock(), deliberate=False)
    keeping.forget_rescue_for("philosophy")
    return statement


def _own_versions_statement():
    statement = statement_of(current_user.id)
    if statement is None:
        abort(404)
    return statement


@bp.route("/philosophy/versions")
@login_required
def philosophy_versions():
    statement = _own_versions_statement()
    versions = sorted(statement.versions, key=lambda version: version.number, reverse=True)
    return render_template("entries/philosophy_versions.html", statement=statement,
                           versions=versions, restore_form=RestoreForm(),
                           can_write=can_write_portfolio(current_user))


@bp.route("/philosophy/compare")
@bp.route("/philosophy/compare/<int:from_number>/<int:to_number>")
@login_required
def philosophy_compare(from_number=None, to_number=None):
    statement = _own_versions_statement()
    if from_number is None or to_number is None:
        latest = statement.latest_version_number
        first = request.args.get("from", type=int) or max(latest - 1, 1)
        second = request.args.get("to", type=int) or latest
        return redirect(url_for("entries.philosophy_compare", from_number=min(first, second),
                                to_number=max(first, second)))
    old = statement_version(statement, from_number) if valid_id(from_number) else None
    new = statement_version(statement, to_number) if valid_id(to_number) else None
    if old is None or new is None:
        abort(404)
    return render_template("entries/philosophy_compare.html", old=old, new=new,
                           pieces=word_diff(old.body, new.body))


@bp.route("/philosophy/versions/<int:number>/restore", methods=["POST"])
@login_required
def philosophy_restore(number):
    _own_versions_statement()
    if not valid_id(number):
        abort(404)
    return button_post(
        lambda: restore_statement(current_user, number), form=RestoreForm(),
        success=lambda version: f"Version {number} has been restored as version "
        f"{version.number}.",
        to=lambda done: url_for("entries.philosophy" if done else "entries.philosophy_versions"))
