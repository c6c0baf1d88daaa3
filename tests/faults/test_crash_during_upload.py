"""A worker process dies between writing an upload and committing it; `flask storage check
--repair` puts things right. The crash is real: a child process calls os._exit()."""

from __future__ import annotations

import json
import subprocess  # nosec B404
import sys
import textwrap

from sqlalchemy import func, select

from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from tests.evidence.builders import files_on_disk
from tests.factories import make_scenario

CHILD = textwrap.dedent("""
    import io, json, os, sys
    from werkzeug.datastructures import FileStorage
    from portfolio import create_app, storage
    from portfolio.extensions import db
    from portfolio.auth.models import User
    from portfolio.evidence import services
    from tests.evidence.builders import image_bytes

    config, user_id, crash_at = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    app = create_app(config)
    with app.app_context():
        user = db.session.get(User, user_id)
        upload = FileStorage(io.BytesIO(image_bytes()), filename="photo.jpg")
        services.upload_file(user, upload, title="Relay changeover")
        if crash_at == "before-commit":
            os._exit(9)  # the file is written and staged; the row was never committed
        storage.move_into_place = lambda *a: os._exit(9)  # dies right after COMMIT
        db.session.commit()
""")


def _crash(app, user_id, crash_at):
    config = {key: app.config[key] for key in (
        "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "EXPORT_FOLDER",
        "MAIL_FOLDER", "BACKUP_FOLDER", "BASE_URL")}
    config.update(INSTANCE_PATH=app.instance_path, TESTING=True)
    result = subprocess.run([sys.executable, "-c", CHILD, json.dumps(config), str(user_id),  # nosec
                             crash_at], capture_output=True, text=True, timeout=120)
    assert result.returncode == 9, result.stderr[-2000:]


def _candidate():
    world = make_scenario()
    db.session.commit()
    return world.author


def _evidence_rows():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Evidence))


def test_crash_before_commit_leaves_files_that_repair_removes(app, runner):
    user = _candidate()
    _crash(app, user.id, "before-commit")
    assert _evidence_rows() == 0
    left = files_on_disk()
    assert left and all(".staging" in path.parts for path in left)
    report = runner.invoke(args=["storage", "check", "--grace-minutes", "0"])
    assert report.exit_code == 1 and "Abandoned uploads" in report.output
    repaired = runner.invoke(args=["storage", "check", "--repair", "--grace-minutes", "0"])
    assert repaired.exit_code == 0, repaired.output
    assert files_on_disk() == []
    assert runner.invoke(args=["storage", "check"]).exit_code == 0


def test_crash_after_commit_before_the_rename_is_finished_by_repair(app, client, runner):
    from tests.factories import sign_in

    user = _candidate()
    _crash(app, user.id, "after-commit")
    assert _evidence_rows() == 1
    evidence = db.session.scalar(select(Evidence))
    sign_in(client, user)
    assert client.get(f"/evidence/{evidence.id}/file").status_code == 404  # not in place yet
    report = runner.invoke(args=["storage", "check"])
    assert report.exit_code == 1 and "committed but not yet moved" in report.output
    repaired = runner.invoke(args=["storage", "check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    response = client.get(f"/evidence/{evidence.id}/file")
    assert response.status_code == 200 and response.data[:2] == b"\xff\xd8"  # the JPEG
    assert runner.invoke(args=["storage", "check"]).output.strip().endswith(
        "Storage is consistent.")
