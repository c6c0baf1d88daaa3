"""Routes: the candidate's consent page for an evidence item, and the lead's consent report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

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
from ..handlers import attempt, button_post
from ..observations.models import Observation
from ..observations.permissions import is_observed_candidate
from ..programmes.models import Cohort
from ..timeutil import format_date
from . import queries, services
from .blueprint import bp
from .forms import ConsentForm
from .models import RELATIONSHIP_LABELS, SCOPE_LABELS, ConsentRecord, observation_record_for
from .permissions import can_record_consent

STATUS_WORDS = {"needed": "Consent needed", "given": "Consent given",
                "withdrawn": "Withdrawn: waiting to be deleted", "deleted": "Withdrawn and deleted"}


def _own_evidence_or_404(evidence_id) -> Evidence:
    return get_or_404(Evidence, evidence_id,
                      visible=lambda e: e.owner_id == current_user.id and e.deleted_at is None)


def _own_observation_or_404(observation_id) -> Observation:
    return get_or_404(Observation, observation_id,
                      visible=lambda o: is_observed_candidate(current_user, o))


@dataclass(frozen=True)
class Subject:
    """What a consent page is about: an evidence item or an observation of the candidate."""

    kind: str
    item: Evidence | Observation
    consent: ConsentRecord | None
    can_change: bool

    @property
    def urls(self) -> dict:
        key = {"evidence_id" if self.kind == "evidence" else "observation_id": self.item.id}
        prefix = "consent.evidence" if self.kind == "evidence" else "consent.observation"
        back = (url_for("evidence.detail", evidence_id=self.item.id) if self.kind == "evidence"
                else url_for("observations.show", observation_id=self.item.id))
        return {"page": url_for(prefix, **key), "flag_url": url_for(f"{prefix}_flag", **key),
                "withdraw_url": url_for(f"{prefix}_withdraw", **key), "back_url": back}


def _evidence_subject(evidence_id) -> Subject:
    item = _own_evidence_or_404(evidence_id)
    return Subject("evidence", item, queries.record_for_evidence(item.id),
                   can_record_consent(current_user, item))


def _observation_subject(observation_id) -> Subject:
    item = _own_observation_or_404(observation_id)
    return Subject("observation", item, observation_record_for(item),
                   not item.cohort.is_read_only)


def _page(subject: Subject, form, status=200):
    evidence = subject.kind == "evidence"
    urls = subject.urls
    return render_template(
        "consent/subject.html", consent=subject.consent, form=form, status_words=STATUS_WORDS,
        can_change=subject.can_change, noun="evidence" if evidence else "observation",
        subject_title=subject.item.title if evidence else
        f"Observation, {format_date(subject.item.observed_on)}",
        back_text="Back to the evidence" if evidence else "Back to the observation",
        pending_words="Nobody else can open it until you record consent." if evidence else
        "Your peer group cannot read it until you record consent for wider sharing.",
        flag_url=urls["flag_url"], withdraw_url=urls["withdraw_url"],
        back_url=urls["back_url"]), status


def _consent_page(subject: Subject):
    form = ConsentForm()
    consent = subject.consent
    if consent is None or not subject.can_change or not form.validate_on_submit():
        return _page(subject, form)
    outcome = attempt(lambda: services.record_consent(
        current_user, consent, given_by=form.given_by.data,
        relationship=form.relationship.data, given_on=form.given_on.data,
        scope=form.scope.data), form=form, success="Consent recorded.", leave=(ConflictError,))
    if outcome:
        return redirect(subject.urls["back_url"])
    if isinstance(outcome.error, ConflictError):
        form.form_errors.append(outcome.error.message)
        fresh = Subject(subject.kind, subject.item, db.session.get(ConsentRecord, consent.id),
                        subject.can_change)
        return _page(fresh, form, 409)
    return _page(subject, form)


def _flag(subject: Subject, action):
    if not subject.can_change:
        return redirect(subject.urls["back_url"])
    return button_post(lambda: action(current_user, subject.item),
                       success="Marked as involving athletes under 18. Record the consent a "
                               "parent or carer gave.",
                       to=subject.urls["page"])


def _withdraw(subject: Subject):
    if subject.consent is None:
        return redirect(subject.urls["page"])
    return button_post(lambda: services.withdraw_consent(current_user, subject.consent),
                       success="Consent withdrawn. Nobody else can open it any more, and it "
                               "will be deleted when the grace period ends.",
                       to=subject.urls["page"])


@bp.route("/evidence/<int:evidence_id>", methods=["GET", "POST"])
@login_required
def evidence(evidence_id):
    return _consent_page(_evidence_subject(evidence_id))


@bp.route("/evidence/<int:evidence_id>/flag", methods=["POST"])
@login_required
def evidence_flag(evidence_id):
    return _flag(_evidence_subject(evidence_id), services.flag_evidence)


@bp.route("/evidence/<int:evidence_id>/withdraw", methods=["POST"])
@login_required
def evidence_withdraw(evidence_id):
    return _withdraw(_evidence_subject(evidence_id))


@bp.route("/observations/<int:observation_id>", methods=["GET", "POST"])
@login_required
def observation(observation_id):
    return _consent_page(_observation_subject(observation_id))


@bp.route("/observations/<int:observation_id>/flag", methods=["POST"])
@login_required
def observation_flag(observation_id):
    return _flag(_observation_subject(observation_id), services.flag_observation)


@bp.route("/observations/<int:observation_id>/withdraw", methods=["POST"])
@login_required
def observation_withdraw(observation_id):
    return _withdraw(_observation_subject(observation_id))


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
