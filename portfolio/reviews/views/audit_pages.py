"""The cohort's audit log for programme leads and admins: on screen in plain English, and as a
CSV download.

Only leads and admins read it: the log names every member's sign-ins and account changes and
every sign-off, whatever the privacy tier of the entry, so a coach developer reads their
candidates' work through the entry pages, which obey the tiers, not through this log."""

from __future__ import annotations

import csv
import io

from flask import current_app, render_template, request

from ...access import role_required
from ...audit.queries import display_names
from ...audit.services import record
from ...audit.vocabulary import EVENTS, describe, event_choices, person_ids, title_for
from ...cells import neutralise_row
from ...database import get_or_404
from ...downloads import send_download
from ...extensions import db
from ...programmes.models import Cohort
from ...requests import page_arg
from ...timeutil import local
from .. import queries
from ..blueprint import bp

CSV_COLUMNS = ("Time (UTC)", "Time (UK)", "Who", "Action", "What happened", "Object",
               "Object id", "Details", "Address")
@bp.route("/cohorts/<int:cohort_id>/audit")
@role_required("programme_lead")
def cohort_audit(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    action = request.args.get("action", "").strip()
    action = action if action in EVENTS else ""
    events = queries.cohort_audit_page(cohort.id, page_arg(), current_app.config["ITEMS_PER_PAGE"],
                                       action)
    names = display_names(person_ids(events.items))
    return render_template("reviews/audit.html", cohort=cohort, events=events, action=action,
                           choices=event_choices(), names=names,
                           described={event.id: describe(event, names) for event in events.items})


@bp.route("/cohorts/<int:cohort_id>/audit.csv")
@role_required("programme_lead")
def cohort_audit_csv(cohort_id):
    from flask_login import current_user

    cohort = get_or_404(Cohort, cohort_id)
    record("audit.exported", actor=current_user, target=cohort, cohort_id=cohort.id)
    db.session.commit()
    app = current_app._get_current_object()
    return send_download(_csv_lines(app, cohort.id), f"audit-{cohort.name}-{cohort.year.label}.csv",
                         "text/csv; charset=utf-8")


def _csv_lines(app, cohort_id: int):
    """Stream rows in batches; the generator has its own app context (and database session)
    because it runs after the request has returned."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    writer.writerow(CSV_COLUMNS)
    with app.app_context():
        for batch in queries.cohort_audit_batches(cohort_id):
            names = queries.actor_names(batch)
            for event in batch:
                writer.writerow(neutralise_row((
                    event.occurred_at.isoformat(),
                    local(event.occurred_at).strftime("%Y-%m-%d %H:%M"),
                    _who(event, names), event.action, title_for(event.action),
                    event.target_type, event.target_id,
                    event.summary, event.address)))
            yield _drain(buffer)
    yield _drain(buffer)


def _who(event, names: dict[int, str]) -> str:
    name = names.get(event.actor_id)
    return f"{name} ({event.actor_label})" if name else event.actor_label


def _drain(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value
