"""The candidate asks for sign-off now and follows the outcome; the signer opens /q/<code>."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..database import get_or_404, utcnow
from ..entries.models import Entry
from ..errors import ConflictError
from ..extensions import db
from ..frameworks.models import Competency, in_framework_order
from ..handlers import attempt
from ..observations.models import Observation
from ..observations.permissions import can_reflect_on, can_view_observation
from ..observations.services import reflection_entry_id
from ..requests import whole_number
from ..reviews import services as reviews
from ..reviews.permissions import can_review_request
from ..reviews.queries import version_sections
from ..reviews.services.common import latest_version
from . import queries, services
from .blueprint import bp
from .forms import AskForm, competency_choices, decision_form_class
from .models import QuickSignCode
from .permissions import can_ask_for_quick_sign, can_sign_with_code, can_watch_code
from .qr import qr_drawing

SHOWN = "quick_sign_codes"  # code id -> the raw code, so the candidate's page can redraw it
KEEP_SHOWN = 5


def _own_entry(entry_id) -> Entry:
    return get_or_404(Entry, entry_id, visible=lambda e: can_ask_for_quick_sign(current_user, e))


@bp.route("/entries/<int:entry_id>/quick-sign", methods=["GET", "POST"])
@login_required
def ask(entry_id):
    entry = _own_entry(entry_id)
    version = latest_version(entry)
    form = AskForm(prefix="quick")
    form.competencies.choices = competency_choices(
        services.signable_competencies(entry, version))
    observation = _attached_observation(entry)
    if form.validate_on_submit():
        asked = attempt(lambda: services.ask_for_quick_sign(
            entry, current_user, form.competencies.data,
            observation_id=observation.id if observation else None), form=form)
        if asked:
            code, raw = asked.value
            _remember(code.id, raw)
            return redirect(url_for("quicksign.shown", entry_id=entry.id, code_id=code.id))
    return render_template("quicksign/ask.html", entry=entry, version=version, form=form,
                           observation=observation), 400 if form.errors else 200


def _attached_observation(entry) -> Observation | None:
    """The observation named by `?observation=`, when it is the author's own, of this cohort."""
    ident = whole_number(request.args.get("observation"))
    if ident is None:
        return None
    observation = db.session.get(Observation, ident)
    if observation is None or observation.candidate_id != current_user.id \
            or observation.cohort_id != entry.cohort_id:
        abort(404)
    return observation


@bp.route("/observations/<int:observation_id>/quick-sign")
@login_required
def ask_observation(observation_id):
    """Ask for sign-off now from an observation: the code signs the candidate's reflection on
    it (the observation itself is the observer's record, not the candidate's work)."""
    observation = get_or_404(Observation, observation_id,
                             visible=lambda o: can_reflect_on(current_user, o))
    entry_id = reflection_entry_id(observation)
    if entry_id is not None:
        return redirect(url_for("quicksign.ask", entry_id=entry_id,
                                observation=observation.id))
    return render_template("quicksign/observation.html", observation=observation)


def _remember(code_id: int, raw: str) -> None:
    shown = dict(session.get(SHOWN) or {})
    shown[str(code_id)] = raw
    session[SHOWN] = dict(list(shown.items())[-KEEP_SHOWN:])


@bp.route("/entries/<int:entry_id>/quick-sign/<int:code_id>")
@login_required
def shown(entry_id, code_id):
    code = get_or_404(QuickSignCode, code_id, options=queries.code_loads(), visible=lambda c: (
        c.entry_id == entry_id and can_watch_code(current_user, c)))
    raw = (session.get(SHOWN) or {}).get(str(code.id))
    waiting = code.is_usable(utcnow())
    address = _address(raw) if raw and waiting else None
    return render_template(
        "quicksign/shown.html", code=code, waiting=waiting, address=address,
        qr=qr_drawing(address) if address else None, outdated=services.is_outdated(code),
        decisions=queries.decisions_made(code), competencies=_competencies(code))


def _address(raw: str) -> str:
    """The code's absolute address from BASE_URL, never the request's Host header."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("quicksign.sign", code=raw)


def _competencies(code: QuickSignCode) -> list[Competency]:
    return list(db.session.scalars(in_framework_order(
        select(Competency).where(Competency.id.in_(code.competency_ids)))))


def _usable_code(raw: str) -> QuickSignCode:
    """The code, or the one 404 for unknown, malformed, expired, used and not-yours alike."""
    code = services.find_code(raw)
    if code is None or not can_sign_with_code(current_user, code):
        abort(404)
    return code


@bp.route("/q/<code>", methods=["GET", "POST"])
@login_required
def sign(code):
    quick = _usable_code(code)
    if services.is_outdated(quick):
        return _refused(quick, services.OUTDATED)
    competencies = _competencies(quick)
    form_class = decision_form_class(competencies)
    form = form_class() if _posted() else form_class(formdata=None)
    if _posted() and form.validate_on_submit():
        decided = attempt(lambda: services.sign_with_code(
            quick, current_user, _decisions(form), form.overall_feedback.data),
            form=form, success="Your decisions have been recorded.",
            leave=(services.CodeRefused, services.NewerVersion, ConflictError,
                   reviews.AlreadyRecorded))
        if isinstance(decided.error, services.CodeRefused):
            abort(404)
        if decided.error is not None and not _is_form_error(decided.error):
            return _refused(quick, decided.error.message)
        if decided:
            if not can_review_request(current_user, quick.review_request):  # a peer
                return redirect(url_for("entries.show_entry", entry_id=quick.entry_id))
            return redirect(url_for("reviews.request_detail", request_id=quick.review_request_id))
    observation = quick.review_request.observation
    return render_template(
        "quicksign/sign.html", code=quick, raw=code, form=form, version=quick.entry_version,
        sections=version_sections(quick.entry_version), observation=observation,
        observation_readable=bool(observation and can_view_observation(current_user,
                                                                       observation))
    ), 400 if form.errors else 200


def _posted() -> bool:
    return request.method == "POST"


def _is_form_error(error) -> bool:
    return not isinstance(error, (services.NewerVersion, ConflictError, reviews.AlreadyRecorded))


def _decisions(form) -> list[reviews.Decision]:
    return [reviews.Decision(competency.id, decision.data or None, feedback.data or "")
            for competency, decision, feedback in form.decision_fields()]


def _refused(code: QuickSignCode, message: str):
    db.session.rollback()
    return render_template("quicksign/refused.html", code=code, message=message), 409
