"""Routes: the candidate's consent page for an evidence item, and the lead's consent report."""

from __future__ import annotations

import csv
import io

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from ..access import role_required
from ..audit.services import record
from ..cells import neutralise_row
from ..database import get_or_404
from ..downloads import send_download
from ..errors import ConflictError
from ..evidence.models import Evidence
from ..extensions import db
from ..forms import ActionForm
from ..handlers import attempt, button_post
from ..programmes.models import Cohort
from ..timeutil import format_date
from . import queries, services
from .blueprint import bp
from .forms import ConsentForm
from .models import RELATIONSHIP_LABELS, SCOPE_LABELS, ConsentRecord
from .permissions import can_record_consent

STATUS_WORDS = {"needed": "Consent needed", "given": "Consent given",
                "withdrawn": "Withdrawn: waiting to be deleted", "deleted": "Withdrawn and deleted"}


def _own_evidence_or_404(evidence_id) -> Evidence:
    return get_or_404(Evidence, evidence_id,
                      visible=lambda e: e.owner_id == current_user.id and e.deleted_at is None)


def _page(evidence, consent, form, status=200):
    return render_template("consent/evidence.html", evidence=evidence, consent=consent,
                           form=form, action_form=ActionForm(), status_words=STATUS_WORDS,
                           can_change=can_record_consent(current_user, evidence)), status


@bp.route("/evidence/<int:evidence_id>", methods=["GET", "POST"])
@login_required
def evidence(evidence_id):
    item = _own_evidence_or_404(evidence_id)
    consent = queries.record_for_evidence(item.id)
    form = ConsentForm()
    if consent is None or not can_record_consent(current_user, item):
        return _page(item, consent, form)
    if form.validate_on_submit():
        outcome = attempt(lambda: services.record_consent(
            current_user, consent, given_by=form.given_by.data,
            relationship=form.relationship.data, given_on=form.given_on.data,
            scope=form.scope.data), form=form, success="Consent recorded.",
            leave=(ConflictError,))
        if outcome:
            return redirect(url_for("evidence.detail", evidence_id=item.id))
        if isinstance(outcome.error, ConflictError):
            form.form_errors.append(outcome.error.message)
            return _page(item, db.session.get(ConsentRecord, consent.id), form, 409)
    return _page(item, consent, form)


@bp.route("/evidence/<int:evidence_id>/flag", methods=["POST"])
@login_required
def flag(evidence_id):
    item = _own_evidence_or_404(evidence_id)
    if not can_record_consent(current_user, item):
        return redirect(url_for("evidence.detail", evidence_id=item.id))
    return button_post(lambda: services.flag_evidence(current_user, item),
                       success="Marked as showing athletes under 18. Record consent to share it "
                               "with the cohort's coach developers.",
                       to=url_for("consent.evidence", evidence_id=item.id))


@bp.route("/evidence/<int:evidence_id>/withdraw", methods=["POST"])
@login_required
def withdraw(evidence_id):
    item = _own_evidence_or_404(evidence_id)
    consent = queries.record_for_evidence(item.id)
    if consent is None:
        return redirect(url_for("consent.evidence", evidence_id=item.id))
    return button_post(lambda: services.withdraw_consent(current_user, consent),
                       success="Consent withdrawn. Nobody can open this evidence any more, and "
                               "it will be deleted when the grace period ends.",
                       to=url_for("consent.evidence", evidence_id=item.id))


# --- the lead's report ---------------------------------------------------------------------

@bp.route("/report")
@role_required("programme_lead")
def report_index():
    return render_template("consent/report_index.html", years=queries.cohorts_with_counts())


@bp.route("/report/cohorts/<int:cohort_id>")
@role_required("programme_lead")
def report(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    return render_template("consent/report.html", cohort=cohort,
                           rows=queries.report_rows(cohort), status_words=STATUS_WORDS,
                           scopes=SCOPE_LABELS, relationships=RELATIONSHIP_LABELS)


@bp.route("/report/cohorts/<int:cohort_id>/consent.csv")
@role_required("programme_lead")
def report_csv(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    rows = queries.report_rows(cohort)
    data = _csv(rows)
    record("consent.report_downloaded", actor=current_user, target=cohort, cohort_id=cohort.id,
           rows=len(rows))
    db.session.commit()
    return send_download(data, f"Consent - {cohort.name}.csv", "text/csv; charset=utf-8",
                         default_name="consent.csv")


CSV_HEADER = ["Candidate", "Item", "Status", "Consent given by", "Relationship",
              "Date given", "Scope", "Withdrawn on", "Deletion due"]


def _csv(rows: list[ConsentRecord]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(neutralise_row([
            row.owner.display_name, row.subject_title, STATUS_WORDS[row.status],
            row.given_by_name or "", RELATIONSHIP_LABELS.get(row.giver_relationship, ""),
            format_date(row.given_on), SCOPE_LABELS.get(row.scope, ""),
            format_date(row.withdrawn_at), format_date(row.deletion_due_at)]))
    # A byte-order mark lets spreadsheets open the UTF-8 file with accents intact.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
