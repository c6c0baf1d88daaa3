"""Programme leads' webhook pages: register endpoints, see deliveries, send again or a test."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from ..access import role_required
from ..database import get_or_404
from ..handlers import attempt, button_post
from ..requests import page_arg
from . import queries, services
from .blueprint import bp
from .forms import EndpointForm
from .models import EVENT_LABELS, WebhookDelivery, WebhookEndpoint


def _index(form, status=200):
    return render_template("webhooks/index.html", rows=queries.endpoints_with_counts(),
                           form=form, event_labels=EVENT_LABELS), status


@bp.route("/", methods=["GET", "POST"])
@role_required("programme_lead")
def index():
    form = EndpointForm()
    if form.validate_on_submit():
        added = attempt(lambda: services.create_endpoint(
            current_user, form.url.data, form.events.data, form.description.data,
            form_key=form.submission_key.data), form=form)
        if added:
            # The secret is shown on this answer only; it is never displayed again.
            return render_template("webhooks/created.html", endpoint=added.value)
    return _index(form, 400 if form.errors else 200)


@bp.route("/<int:endpoint_id>")
@role_required("programme_lead")
def show(endpoint_id):
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    return render_template("webhooks/show.html", endpoint=endpoint, event_labels=EVENT_LABELS,
                           deliveries=queries.recent_deliveries(endpoint, page_arg()))


def _endpoint_action(endpoint_id, action, success):
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    return button_post(lambda: action(current_user, endpoint), success=success,
                       to=url_for("webhooks.show", endpoint_id=endpoint_id))


@bp.route("/<int:endpoint_id>/test", methods=["POST"])
@role_required("programme_lead")
def send_test(endpoint_id):
    return _endpoint_action(endpoint_id, services.send_test_event,
                            "A test event is queued; it is sent within a few seconds.")


@bp.route("/<int:endpoint_id>/enable", methods=["POST"])
@role_required("programme_lead")
def enable(endpoint_id):
    return _endpoint_action(endpoint_id, lambda actor, item: services.set_active(
        actor, item, True), "The endpoint is switched on.")


@bp.route("/<int:endpoint_id>/disable", methods=["POST"])
@role_required("programme_lead")
def disable(endpoint_id):
    return _endpoint_action(endpoint_id, lambda actor, item: services.set_active(
        actor, item, False), "The endpoint is switched off; its events wait until it is on.")


@bp.route("/<int:endpoint_id>/delete", methods=["POST"])
@role_required("programme_lead")
def delete(endpoint_id):
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    return button_post(lambda: services.delete_endpoint(current_user, endpoint),
                       success="The endpoint and its delivery history are removed.",
                       to=url_for("webhooks.index"))


@bp.route("/deliveries/<int:delivery_id>/resend", methods=["POST"])
@role_required("programme_lead")
def send_again(delivery_id):
    delivery = get_or_404(WebhookDelivery, delivery_id)
    return button_post(lambda: services.send_again(current_user, delivery),
                       success="The event is queued to be sent again.",
                       to=url_for("webhooks.show", endpoint_id=delivery.endpoint_id))
