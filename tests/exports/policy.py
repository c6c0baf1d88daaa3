"""Authorization policy for reports and exports.

Cohort reports: programme leads, admins and the cohort's own coach developer. A portfolio: also
the candidate. A job: only the person who asked for it. Everyone else signed in gets 404.
"""

from tests.policy import EVERYONE, MANAGERS, SIGNED_IN, Route, always, created

REPORTERS = MANAGERS | {"developer"}
PORTFOLIO = REPORTERS | {"author"}
EARLIER_PORTFOLIO = MANAGERS | {"author", "earlier_developer"}
OWNER = frozenset({"lead"})


def setup(world):
    from datetime import timedelta
    from pathlib import Path

    from flask import current_app

    from portfolio.database import utcnow
    from portfolio.exports.models import Job
    from portfolio.extensions import db
    from tests.factories import make_entry

    world.export_secret = "Export secret reflection"
    make_entry(world.author, cohort=world.cohort, privacy="private", title=world.export_secret)
    folder = Path(current_app.config["EXPORT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "job-policy.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    world.export_done = Job(requested_by_id=world.lead.id, kind="cohort_archive",
                            params={"cohort_id": world.cohort.id}, status="done",
                            result_path="job-policy.zip", result_filename="archive.zip",
                            result_media_type="application/zip", result_size=22,
                            finished_at=utcnow(), expires_at=utcnow() + timedelta(days=1))
    world.export_failed = Job(requested_by_id=world.lead.id, kind="cohort_archive",
                              params={"cohort_id": world.cohort.id}, status="failed",
                              error="The worker stopped.")
    db.session.add_all([world.export_done, world.export_failed])
    db.session.flush()


def _cohort(suffix):
    return lambda w: f"/exports/cohorts/{w.cohort.id}/{suffix}"


def _portfolio(suffix):
    return lambda w: f"/exports/candidates/{w.author_membership.id}/portfolio.{suffix}"


def _job(attribute, suffix=""):
    return lambda w: f"/exports/jobs/{getattr(w, attribute).id}{suffix}"


def _secret(world):
    return world.export_secret


ROUTES = [
    Route("exports.index", lambda w: "/exports/", SIGNED_IN),
    Route("exports.progress", _cohort("progress"), REPORTERS, secret=_secret),
    Route("exports.progress_csv", _cohort("progress.csv"), REPORTERS,
          secret=lambda w: "Aisha Author"),
    Route("exports.progress_xlsx", _cohort("progress.xlsx"), REPORTERS),
    Route("exports.cohort_archive", _cohort("archive"), REPORTERS, method="POST",
          allowed_status=302, redirect_to=created("/exports/jobs/<id>")),
    Route("exports.portfolio_pdf", _portfolio("pdf"), PORTFOLIO),
    Route("exports.portfolio_html", _portfolio("html"), PORTFOLIO, secret=_secret),
    Route("exports.portfolio_page",
          lambda w: f"/exports/candidates/{w.author_membership.id}/portfolio", PORTFOLIO,
          secret=_secret),
    Route("exports.portfolio_page",
          lambda w: f"/exports/candidates/{w.earlier_membership.id}/portfolio",
          EARLIER_PORTFOLIO, secret=lambda w: "Secret cohort reflection",
          hidden_from=EARLIER_PORTFOLIO),
    # The page view's stylesheet holds nothing of anyone's.
    Route("exports.document_css", always("/exports/portfolio-style.css"), EVERYONE),
    # The earlier cohort's portfolio: its coach developer exports it, and it holds that
    # cohort's entries only (cohort A's shared entry is in nobody's copy of it).
    Route("exports.portfolio_html",
          lambda w: f"/exports/candidates/{w.earlier_membership.id}/portfolio.html",
          EARLIER_PORTFOLIO, secret=lambda w: "Secret cohort reflection",
          hidden_from=EARLIER_PORTFOLIO),
    Route("exports.my_portfolio", lambda w: "/exports/my-portfolio", SIGNED_IN),
    Route("exports.my_portfolio_archive", lambda w: "/exports/my-portfolio/archive", SIGNED_IN,
          method="POST", allowed_status=302, redirect_to=created("/exports/jobs/<id>")),
    Route("exports.my_portfolio_leap2a", lambda w: "/exports/my-portfolio/leap2a", SIGNED_IN,
          method="POST", allowed_status=302, redirect_to=created("/exports/jobs/<id>")),
    Route("exports.job", _job("export_done"), OWNER, secret=lambda w: "archive.zip"),
    Route("exports.job_status", _job("export_done", "/status"), OWNER),
    Route("exports.job_download", _job("export_done", "/download"), OWNER, allowed_status=200),
    Route("exports.job_retry", _job("export_failed", "/retry"), OWNER, method="POST",
          allowed_status=302, redirect_to=_job("export_failed")),
]
