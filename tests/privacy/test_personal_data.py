"""A person downloads everything held about them: JSON for every table, plus their files."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from portfolio.extensions import db
from portfolio.privacy.registry import PERSONAL_DATA_TABLES
from portfolio.privacy.services import personal_data
from portfolio.storage import stored_file
from tests.privacy.builders import world_with_everything


def _filled(value) -> bool:
    if isinstance(value, dict):
        return any(_filled(item) for item in value.values())
    return bool(value)


def test_the_builder_puts_a_row_in_every_personal_table(app):
    world_with_everything()
    empty = [name for name in PERSONAL_DATA_TABLES
             if not db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))]
    assert not empty, f"extend tests/privacy/builders.py to cover {empty}"


def test_every_registered_table_is_in_the_export(app):
    s = world_with_everything()
    document = personal_data(s.author)
    missing = {name: handling.export for name, handling in PERSONAL_DATA_TABLES.items()
               if not _filled(document.get(handling.export))}
    assert not missing, f"export leaves out: {missing}"


def test_the_export_holds_the_persons_own_rows_and_nobody_elses(app):
    s = world_with_everything()
    text = json.dumps(personal_data(s.author), default=str)
    document = json.loads(text)
    assert "My private doubts" in text  # "Only me" entries are theirs too
    assert "Lovely relay changeovers" in text  # a comment they wrote on a peer's entry
    assert "Tried the sandwich method" in text
    assert document["signoffs"]["about_me"][0]["id"] == s.signoff.id
    assert document["signoffs"]["by_me"][0]["id"] == s.signoff_by_author.id
    assert [m["to_address"] for m in document["outbox_messages"]] == [s.author.email]
    assert {a["email"] for a in document["login_attempts"]} == {s.author.email}
    assert document["audit_events"] and all(
        event["actor_id"] == s.author.id for event in document["audit_events"])
    assert "For the peer" not in text and "Peer relays" not in text.replace(
        '"title": "Peer relays"', "")  # the peer's entry is not exported as the author's
    assert all(e["owner_id"] == s.author.id for e in document["entries"])
    for secret in ("password_hash", "session_token", "token_hash", "key_hash", s.author.session_token):
        assert secret not in text


def test_download_is_a_zip_with_the_json_and_the_evidence_files(app, client, login):
    s = world_with_everything()
    original = stored_file(s.evidence.storage_key).read_bytes()
    login(s.author)
    page = client.get("/privacy/my-data")
    assert page.status_code == 200 and "Download all my data" in page.get_data(as_text=True)
    response = client.post("/privacy/my-data/download")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    document = json.loads(archive.read("personal-data.json"))
    assert document["account"]["email"] == s.author.email
    files = [name for name in archive.namelist() if name.startswith("evidence/")]
    assert files == [f"evidence/{s.evidence.id}-plan.pdf"]
    assert archive.read(files[0]) == original


def test_download_is_a_post_with_a_csrf_token(make_app):
    from tests.factories import make_scenario, sign_in

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        s = make_scenario()
        db.session.commit()
        client = app.test_client()
        sign_in(client, s.author)
        response = client.post("/privacy/my-data/download")
        assert response.status_code in (302, 400)
        assert response.mimetype != "application/zip"


def test_the_export_issues_a_bounded_number_of_statements(app):
    from sqlalchemy import event

    from tests.factories import make_entry

    def statements_for(user):
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            personal_data(user)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    s = world_with_everything()
    few = statements_for(s.author)
    for number in range(15):
        make_entry(s.author, cohort=s.cohort, title=f"Extra {number}")
    db.session.commit()
    assert statements_for(s.author) == few
