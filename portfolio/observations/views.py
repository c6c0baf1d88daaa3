"""Observation records: the list, recording one, reading, changing, sharing, reflecting."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.models import User
from ..database import get_or_404
from ..errors import ConflictError
from ..forms import ActionForm
from ..handlers import attempt, button_post
from ..offline import services as sent_once
from ..programmes.models import Cohort
from ..requests import page_arg, whole_number
from . import queries, services
from .blueprint import bp
from .forms import build_observation_form
from .models import Observation
from .permissions import (
    can_edit_observation,
    can_manage_templates,
    can_reflect_on,
    can_share_observation,
    can_view_observation,
    is_observed_candidate,
    observer_relation,
)


def observation_for(observation_id, visible=can_view_observation) -> Observation:
    return get_or_404(Observation, observation_id,
                      visible=lambda item: visible(current_user, item),
                      options=queries.observation_loads())


def _show_url(observation) -> str:
    return url_for("observations.show", observation_id=observation.id)


def _index_url() -> str:
    return url_for("observations.index")


@bp.route("/")
@login_required
def index():
    return render_template(
        "observations/index.html",
        observations=queries.observations_for(current_user, page=page_arg()),
        observable=queries.observable_memberships(current_user),
        manages=can_manage_templates(current_user))


def _chosen(templates, wanted):
    wanted = whole_number(wanted)
    return next((item for item in templates if item.id == wanted), templates[0])


def _record_form(template, cohort, *, submitted=False):
    data = None if submitted else {"competencies": sorted(
        {i for criterion in template.criteria for i in criterion["competency_ids"]})}
    return build_observation_form(template, queries.competency_choices(cohort.framework_id),
                                  submitted=submitted, data=data, locked=False)


@bp.route("/new/<int:cohort_id>/<int:candidate_id>", methods=["GET", "POST"])
@login_required
def record(cohort_id, candidate_id):
    cohort = get_or_404(Cohort, cohort_id)
    if observer_relation(current_user, candidate_id, cohort.id) is None:
        abort(404)
    candidate = get_or_404(User, candidate_id)
    templates = services.usable_templates(current_user, cohort, candidate_id)
    if not templates:
        return render_template("observations/record.html", candidate=candidate, cohort=cohort,
                               templates=[], template=None, form=None)
    template = _chosen(templates, request.values.get("template"))
    form = _record_form(template, cohort, submitted=request.method == "POST")
    if form.validate_on_submit():
        # A phone's outbox may send the same record again: its key makes one observation.
        key = sent_once.key_from(request.form)
        if (earlier := sent_once.earlier_result(current_user, key)) is not None:
            return redirect(earlier)
        done = attempt(lambda: sent_once.create_once(
            current_user, key, "observation", lambda: services.record_observation(
                current_user, cohort, candidate_id, template, form.to_data()), _show_url),
            form=form, success="Observation recorded. The candidate can read it now.",
            leave=(sent_once.AlreadySent,))
        if done:
            return redirect(_show_url(done.value))
        if isinstance(done.error, sent_once.AlreadySent):
            return redirect(sent_once.earlier_result(current_user, key) or _index_url())
    return render_template("observations/record.html", candidate=candidate, cohort=cohort,
                           templates=templates, template=template, form=form), \
        400 if form.errors or form.form_errors else 200


@bp.route("/<int:observation_id>")
@login_required
def show(observation_id):
    observation = observation_for(observation_id)
    return render_template(
        "observations/show.html", observation=observation,
        codes=queries.competency_labels(observation.template),
        may_edit=can_edit_observation(current_user, observation),
        may_share=can_share_observation(current_user, observation),
        may_reflect=can_reflect_on(current_user, observation),
        is_candidate=is_observed_candidate(current_user, observation),
        reflection_id=services.reflection_entry_id(observation), action_form=ActionForm())


def _edit_data(observation) -> dict:
    data = {name: getattr(observation, name) for name in (
        "observed_on", "venue", "session_kind", "age_band", "para_athletes", "athletes",
        "strengths", "next_steps", "lock_version")}
    data["competencies"] = [competency.id for competency in observation.competencies]
    data |= {f"rating_{key}": str(value) for key, value in (observation.ratings or {}).items()}
    return data


@bp.route("/<int:observation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(observation_id):
    observation = observation_for(observation_id, can_edit_observation)
    submitted = request.method == "POST"
    form = build_observation_form(
        observation.template, queries.competency_choices(observation.cohort.framework_id),
        submitted=submitted, data=None if submitted else _edit_data(observation))
    if form.validate_on_submit():
        done = attempt(lambda: services.update_observation(current_user, observation,
                                                           form.to_data(), form.expected_lock()),
                       form=form, leave=(ConflictError,), success="Observation saved.")
        if done:
            return redirect(_show_url(observation))
        if isinstance(done.error, ConflictError):
            return render_template("observations/conflict.html", observation=observation,
                                   form=form, message=done.error.message), 409
    return render_template("observations/edit.html", observation=observation, form=form), \
        400 if form.errors or form.form_errors else 200


@bp.route("/<int:observation_id>/share", methods=["POST"])
@login_required
def share(observation_id):
    observation = observation_for(observation_id, can_share_observation)
    shared = request.form.get("shared") == "1"
    return button_post(lambda: services.share_with_peers(current_user, observation, shared),
                       success="Shared with your peer group." if shared
                       else "No longer shared with your peer group.",
                       to=_show_url(observation))


@bp.route("/<int:observation_id>/reflect", methods=["POST"])
@login_required
def reflect(observation_id):
    observation = observation_for(observation_id, can_reflect_on)

    def to(outcome) -> str:
        entry_id = outcome.value.id if outcome else _existing_reflection(observation_id)
        if entry_id is None:
            return _show_url(observation)
        return url_for("entries.edit_entry", entry_id=entry_id)

    return button_post(lambda: services.reflect_on(current_user, observation),
                       success="Your reflection is started as a draft, linked to the "
                               "observation.",
                       refusal_category="info", to=to)


def _existing_reflection(observation_id) -> int | None:
    observation = observation_for(observation_id, can_reflect_on)
    return services.reflection_entry_id(observation)
