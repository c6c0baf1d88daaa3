"""Logs an operator can act on: one line per failed request, export jobs, missing files."""

import logging
import re

import pytest

from portfolio.exports import jobs, services
from portfolio.exports.builders import RUNNERS
from portfolio.exports.worker import run_job
from portfolio.extensions import db
from portfolio.storage import final_path
from tests.exports.builders import make_file_evidence, seeded_cohort
from tests.factories import make_user


@pytest.fixture
def failing_app(make_app):
    app = make_app()

    @app.route("/_boom/<rest>", methods=["GET", "POST"])
    def boom(rest):
        raise RuntimeError("the reason")

    return app


def _records(caplog, logger: str, level=logging.DEBUG):
    return [r for r in caplog.records if r.name == logger and r.levelno >= level]


def test_an_unhandled_error_is_one_line_naming_time_request_method_path_and_user(
        failing_app, caplog):
    with failing_app.app_context():
        user = make_user()
        db.session.commit()
        user_id, token = user.id, user.session_token
    client = failing_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    response = client.post("/_boom/plan", headers={"X-Request-ID": "lb-7f3a9c2e1d"})
    assert response.status_code == 500
    [record] = _records(caplog, "portfolio.errors", logging.ERROR)
    line = record.getMessage()
    assert "\n" not in line and record.created > 0  # the formatter prints the time
    assert line.startswith("unhandled error request_id=lb-7f3a9c2e1d method=POST "
                           f"path=/_boom/plan user_id={user_id} ")
    assert 'error="RuntimeError: the reason"' in line
    assert record.exc_info is not None  # the traceback follows the line


def test_an_anonymous_request_error_logs_a_dash_and_a_path_cannot_forge_lines(
        failing_app, caplog):
    response = failing_app.test_client().get("/_boom/x%0AERROR forged line")
    [record] = _records(caplog, "portfolio.errors", logging.ERROR)
    line = record.getMessage()
    assert "\n" not in line
    assert f"request_id={response.headers['X-Request-ID']} " in line
    assert 'path="/_boom/x\\nERROR forged line"' in line and "user_id=- " in line


def test_log_lines_carry_utc_time_and_request_id():
    from portfolio.logs import FORMAT, UtcFormatter

    record = logging.LogRecord("portfolio.x", logging.ERROR, __file__, 1, "boom", None, None)
    record.request_id = "abc12345"
    line = UtcFormatter(FORMAT).format(record)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ERROR portfolio\.x \[\d+\] "
                    r"request_id=abc12345 boom$", line)


def test_the_worker_logs_start_and_finish_and_weasyprint_stays_quiet(app, caplog):
    caplog.set_level(logging.INFO)
    s = seeded_cohort()
    job = services.request_cohort_archive(s.lead, s.cohort)
    db.session.commit()
    assert jobs.claim("w1") == job.id
    assert run_job(job.id, "w1") == "done"
    lines = [r.getMessage() for r in _records(caplog, "portfolio.exports.worker")]
    assert any(line.startswith(f"export job {job.id} started: kind=cohort_archive "
                               f"requested_by={s.lead.id} worker=w1") for line in lines), lines
    assert any(re.match(rf"export job {job.id} finished in \d+\.\ds: kind=cohort_archive "
                        r"size=\d+", line) for line in lines), lines
    chatter = [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))
               and r.levelno < logging.WARNING]
    assert chatter == []


def test_the_worker_logs_a_failed_job(app, caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    user = make_user()
    job = jobs.enqueue("personal_archive", user, {"user_id": user.id})
    db.session.commit()

    def broken(context):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(RUNNERS, "personal_archive", broken)
    assert jobs.claim("w1") == job.id
    assert run_job(job.id, "w1") == "failed"
    [failure] = _records(caplog, "portfolio.exports.worker", logging.ERROR)
    assert re.match(rf"export job {job.id} failed after \d+\.\ds", failure.getMessage())
    assert failure.exc_info is not None


def test_a_refused_job_is_logged_with_its_reason(app, caplog):
    caplog.set_level(logging.INFO)
    s = seeded_cohort()
    job = jobs.enqueue("personal_archive", s.lead, {"user_id": s.author.id})
    db.session.commit()
    assert jobs.claim("w1") == job.id
    assert run_job(job.id, "w1") == "failed"
    [warning] = _records(caplog, "portfolio.exports.worker", logging.WARNING)
    assert warning.getMessage().startswith(f"export job {job.id} failed after ")
    assert "your own portfolio" in warning.getMessage()


def test_an_evidence_file_missing_on_disk_is_logged_for_the_operator(app, client, login,
                                                                     caplog):
    owner = make_user()
    evidence = make_file_evidence(owner)
    db.session.commit()
    path = final_path(evidence.storage_key)
    path.unlink()
    login(owner)
    assert client.get(f"/evidence/{evidence.id}/download").status_code == 404
    [record] = _records(caplog, "portfolio.evidence.file_views", logging.ERROR)
    assert record.getMessage() == (f"evidence file missing on disk: evidence_id={evidence.id} "
                                   f"path={path}")
