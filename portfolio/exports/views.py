"""Routes for reports and exports: load, check access, act through services, commit once."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from ..database import get_or_404, utcnow
from ..extensions import db
from ..programmes.models import Cohort, CohortMembership
from ..reviews.progress import STATES
from ..timeutil import local
from ..urls import id_links
from . import bp, listing, progress_html, services, tables
from .document import build_document
from .downloads import attachment, cohort_words, dated_name
from .pacing import late_window_weeks
from .permissions import can_export_portfolio, can_report_on_cohort, can_use_reports
from .queries import cohort_report
from .render import render_html, render_pdf
from .report import SORTS, STATUS_FILTERS, Filters, page_number
from .signoffs import signoff_log
from .workload import developer_workload


def _today():
    return local(utcnow()).date()


def _cohort_or_404(cohort_id: int, *options) -> Cohort:
    return get_or_404(Cohort, cohort_id, visible=lambda c: can_report_on_cohort(current_user, c),
                      options=options)


def _membership_or_404(membership_id: int) -> CohortMembership:
    return get_or_404(CohortMembership, membership_id,
                      visible=lambda m: can_export_portfolio(current_user, m))


def _report(cohort: Cohort):
    return cohort_report(cohort, current_user, Filters.from_args(request.args),
                         late_window_weeks())


@bp.route("/")
@login_required
def index():
    reporter = can_use_reports(current_user)
    recent = listing.recent_jobs(current_user)
    return render_template(
        "exports/index.html", reporter=reporter,
        cohorts=listing.reportable_cohorts(current_user) if reporter else [],
        memberships=listing.own_candidate_memberships(current_user),
        jobs=recent, titles=listing.job_titles(recent), status_labels=services.STATUS_LABELS)


@bp.route("/cohorts/<int:cohort_id>/progress")
@login_required
def progress(cohort_id):
    cohort = _cohort_or_404(cohort_id, joinedload(Cohort.year), joinedload(Cohort.framework))
    report = _report(cohort)
    page = report.page(page_number(request.args.get("page")))
    workload = developer_workload(cohort, [row.membership for row in report.all_rows], _today())
    # The reviews feature's per-candidate page, when it is installed, is where a name leads.
    candidate_page = "reviews.candidate_progress_page"
    links = {"pdf": id_links("exports.portfolio_pdf", "membership_id"),
             "html": id_links("exports.portfolio_html", "membership_id")}
    if candidate_page in current_app.view_functions:
        links["candidate"] = id_links(candidate_page, "user_id",
                                                    cohort_id=cohort.id)
    return render_template("exports/progress.html", cohort=cohort, report=report, page=page,
                           cells=progress_html.matrix_cells(report, page.rows),
                           charts=progress_html.sparklines(report, page.rows), links=links,
                           workload=workload, states=STATES, sorts=SORTS,
                           statuses=STATUS_FILTERS, action_form=FlaskForm(),
                           panels_shown=any(row.panel for row in report.all_rows))


@bp.route("/cohorts/<int:cohort_id>/progress.csv")
@login_required
def progress_csv(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    report = _report(cohort)
    # Built before the commit, which expires the loaded rows: reading them afterwards would
    # reload every candidate one query at a time.
    data = tables.progress_csv(report)
    services.record_download(current_user, "progress_csv", target=cohort, cohort_id=cohort.id,
                             candidates=len(report.rows))
    db.session.commit()
    name = dated_name("progress", cohort_words(cohort), suffix=".csv", today=_today())
    return attachment(data, name, tables.CSV_MEDIA_TYPE)


@bp.route("/cohorts/<int:cohort_id>/progress.xlsx")
@login_required
def progress_xlsx(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    report = _report(cohort)
    titles = {competency.code: competency.title for competency in report.competencies}
    log = signoff_log([row.membership.user_id for row in report.rows], current_user, titles,
                      cohort=cohort)
    data = tables.progress_xlsx(report, log)  # before the commit expires the loaded rows
    services.record_download(current_user, "progress_xlsx", target=cohort, cohort_id=cohort.id,
                             candidates=len(report.rows))
    db.session.commit()
    name = dated_name("progress", cohort_words(cohort), suffix=".xlsx", today=_today())
    return attachment(data, name, tables.XLSX_MEDIA_TYPE)


@bp.route("/cohorts/<int:cohort_id>/archive", methods=["POST"])
@login_required
def cohort_archive(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = services.request_cohort_archive(current_user, cohort)
    db.session.commit()
    flash("Your archive is being made in the background. You can leave this page and come "
          "back to it from Reports.", "success")
    return redirect(url_for("exports.job", job_id=job.id))


def _portfolio(membership_id: int, kind: str):
    membership = _membership_or_404(membership_id)
    doc = build_document(membership.user, membership, current_user)
    services.record_download(current_user, f"portfolio_{kind}", target=membership.user,
                             cohort_id=membership.cohort_id, entries=len(doc.entries))
    return membership, doc


@bp.route("/candidates/<int:membership_id>/portfolio.pdf")
@login_required
def portfolio_pdf(membership_id):
    membership, doc = _portfolio(membership_id, "pdf")
    data = render_pdf(doc)
    db.session.commit()
    name = dated_name(membership.user.display_name, "portfolio", suffix=".pdf", today=_today())
    return attachment(data, name, "application/pdf")


@bp.route("/candidates/<int:membership_id>/portfolio.html")
@login_required
def portfolio_html(membership_id):
    membership, doc = _portfolio(membership_id, "html")
    data = render_html(doc).encode("utf-8")
    db.session.commit()
    name = dated_name(membership.user.display_name, "portfolio", suffix=".html", today=_today())
    return attachment(data, name, "text/html; charset=utf-8")


@bp.route("/candidates/<int:membership_id>/portfolio")
@login_required
def portfolio_page(membership_id):
    membership, doc = _portfolio(membership_id, "page")
    own = membership.user_id == current_user.id
    html = render_html(
        doc, mode="page",
        back_url=url_for("exports.my_portfolio" if own else "exports.index"),
        back_label="Export my portfolio" if own else "Reports",
        download_urls={kind: url_for(f"exports.portfolio_{kind}", membership_id=membership.id)
                       for kind in ("html", "pdf")})
    db.session.commit()
    return html


@bp.route("/portfolio-<any(style, narrow):sheet>.css")
def document_css(sheet):
    """The exported portfolio's stylesheets, for the page view (the site's CSP allows no
    inline style); files and PDFs carry them inline."""
    response = Response(render_template(f"exports/document/{sheet}.css"),
                        content_type="text/css; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/my-portfolio")
@login_required
def my_portfolio():
    recent = listing.recent_jobs(current_user)
    return render_template("exports/my_portfolio.html",
                           memberships=listing.own_candidate_memberships(current_user),
                           jobs=[job for job in recent if job.kind == "personal_archive"],
                           leap2a_jobs=[job for job in recent if job.kind == "leap2a_package"],
                           status_labels=services.STATUS_LABELS, action_form=FlaskForm())


@bp.route("/my-portfolio/archive", methods=["POST"])
@login_required
def my_portfolio_archive():
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = services.request_personal_archive(current_user)
    db.session.commit()
    flash("Your portfolio archive is being made in the background.", "success")
    return redirect(url_for("exports.job", job_id=job.id))


@bp.route("/my-portfolio/leap2a", methods=["POST"])
@login_required
def my_portfolio_leap2a():
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = services.request_leap2a_package(current_user)
    db.session.commit()
    flash("Your Leap2A package is being made in the background.", "success")
    return redirect(url_for("exports.job", job_id=job.id))

