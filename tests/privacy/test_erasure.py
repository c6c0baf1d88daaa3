"""An admin erases a person: their own material goes, qualification records stay pseudonymised."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.auth.models import User
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.privacy.erasure import erase_person
from portfolio.privacy.registry import (
    DELETE,
    DELETE_UNLESS_RECORD,
    EMAIL_COLUMNS,
    PERSONAL_DATA_TABLES,
    USER_ID_COLUMNS,
)
from portfolio.reviews.models import Comment, ReviewRequest, Signoff
from portfolio.storage import final_path
from tests.factories import PASSWORD, csrf_token_from, sign_in
from tests.privacy.builders import world_with_everything


def person_columns(name: str):
    """Columns of `name` that point at a person (foreign keys to users.id, known id columns)."""
    table = db.metadata.tables[name]
    columns = [column for column in table.columns
               if any(fk.column.table.name == "users" for fk in column.foreign_keys)]
    columns += [table.columns[c] for t, c in USER_ID_COLUMNS if t == name]
    return columns, [table.columns[c] for t, c in EMAIL_COLUMNS if t == name]


def rows_about(name: str, user_id: int, email: str) -> int:
    ids, emails = person_columns(name)
    conditions = [column == user_id for column in ids] + [column == email for column in emails]
    if not conditions or name == "users":
        return -1  # reached only through a parent row: checked by the parent
    table = db.metadata.tables[name]
    return db.session.scalar(select(func.count()).select_from(table).where(
        db.or_(*conditions)))


def test_erasure_does_to_each_table_what_the_registry_says(app):
    s = world_with_everything()
    author_id, email = s.author.id, s.author.email
    before = {name: rows_about(name, author_id, email) for name in PERSONAL_DATA_TABLES}
    erase_person(s.admin, s.author)
    db.session.commit()
    assert sum(count > 0 for count in before.values()) >= 15, before
    wrong = {}
    for name, handling in PERSONAL_DATA_TABLES.items():
        after = rows_about(name, author_id, email)
        if before[name] <= 0:
            continue  # no column names the person (reached through a parent row)
        if handling.erase == DELETE and after != 0:
            wrong[name] = f"{after} rows left, expected none"
        elif handling.erase not in (DELETE, DELETE_UNLESS_RECORD) and after == 0:
            wrong[name] = "all rows gone, expected them kept"
    assert not wrong, wrong


def test_private_and_unreviewed_entries_and_files_go_signed_ones_stay(app):
    s = world_with_everything()
    path = final_path(s.evidence.storage_key)
    assert path.is_file()
    private_id, plain_id, signed_id = s.private_entry.id, s.plain_entry.id, s.signed_entry.id
    from portfolio.entries.models import Entry, EntryVersion

    erase_person(s.admin, s.author)
    db.session.commit()
    assert db.session.get(Entry, private_id) is None
    assert db.session.get(Entry, plain_id) is None
    assert db.session.scalar(select(func.count()).select_from(EntryVersion).where(
        EntryVersion.entry_id.in_([private_id, plain_id]))) == 0
    kept = db.session.get(Entry, signed_id)
    assert kept is not None and kept.versions
    assert not path.exists(), "evidence file left on disk"
    signoff = db.session.get(Signoff, s.signoff.id)
    assert signoff.candidate_id == s.author.id
    assert signoff.content_hash == kept.versions[0].content_hash
    assert db.session.get(Signoff, s.signoff_by_author.id).reviewer_id == s.author.id
    assert db.session.get(ReviewRequest, s.request.id).status == "withdrawn"


def test_the_account_is_pseudonymised_and_signed_out(app, client):
    s = world_with_everything()
    old_email = s.author.email
    sign_in(client, s.author)
    assert client.get("/privacy/my-data").status_code == 200
    erase_person(s.admin, s.author)
    db.session.commit()
    user = db.session.get(User, s.author.id)
    assert user.display_name == f"Former member #{user.id}"
    assert user.email == f"erased-{user.id}@invalid"
    assert user.password_hash is None and not user.active and user.erased_at is not None
    assert client.get("/privacy/my-data").status_code == 302  # old cookie no longer works
    response = client.post("/account/login", data={"email": old_email, "password": PASSWORD})
    assert response.status_code != 302  # neither the old address nor password signs in
    comment = db.session.get(Comment, s.comment.id)
    assert comment.removed_at is not None and comment.body == ""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
    assert event.actor_id == s.admin.id and event.target_id == user.id
    assert "@" not in event.summary and "Aisha" not in event.summary


def test_other_peoples_data_is_untouched(app):
    s = world_with_everything()
    from portfolio.auth.models import LoginAttempt
    from portfolio.entries.models import Entry
    from portfolio.mail.models import OutboxMessage

    erase_person(s.admin, s.author)
    db.session.commit()
    assert db.session.get(Entry, s.peer_entry.id) is not None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert db.session.scalar(select(LoginAttempt.email)) == s.peer.email
    assert db.session.get(User, s.peer.id).display_name == "Pat Peer"


def test_erasure_refuses_self_repeat_and_non_admins(app):
    s = world_with_everything()
    with pytest.raises(DomainError):
        erase_person(s.admin, s.admin)
    with pytest.raises(DomainError):
        erase_person(s.lead, s.author)
    erase_person(s.admin, s.author)
    db.session.commit()
    with pytest.raises(DomainError):
        erase_person(s.admin, s.author)


def test_admin_page_asks_for_the_email_before_erasing(app, client, login):
    s = world_with_everything()
    login(s.admin)
    url = f"/privacy/erase/{s.author.id}"
    page = client.get(url)
    assert page.status_code == 200 and s.author.email in page.get_data(as_text=True)
    wrong = client.post(url, data={"confirmation": s.peer.email})
    assert wrong.status_code == 200
    assert "not this person" in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, s.author.id).erased_at is None
    done = client.post(url, data={"confirmation": s.author.email.upper()})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, s.author.id).erased_at is not None
    detail = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"Former member #{s.author.id}" in detail


def test_erase_form_needs_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        s = world_with_everything()
        client = app.test_client()
        sign_in(client, s.admin)
        url = f"/privacy/erase/{s.author.id}"
        assert client.post(url, data={"confirmation": s.author.email}).status_code == 400
        token = csrf_token_from(client.get(url).get_data(as_text=True))
        response = client.post(url, data={"confirmation": s.author.email, "csrf_token": token})
        assert response.status_code == 302


def test_an_erased_account_cannot_be_reactivated(app, client, login):
    s = world_with_everything()
    erase_person(s.admin, s.author)
    db.session.commit()
    login(s.admin)
    page = client.get(f"/admin/users/{s.author.id}").get_data(as_text=True)
    assert "was erased on" in page and "Reactivate account" not in page
    client.post(f"/admin/users/{s.author.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(User, s.author.id).active is False


def test_other_peoples_notifications_and_pending_mail_stop_naming_the_person(app):
    from portfolio.mail.models import OutboxMessage
    from portfolio.notifications.models import Notification

    s = world_with_everything()
    db.session.add_all([
        Notification(user_id=s.developer.id, kind="review_requested",
                     message="Aisha Author asked for a review of “Block starts”."),
        OutboxMessage(to_address=s.developer.email, subject="Aisha Author asked for a review",
                      body_text="Aisha Author asked for a review."),
    ])
    db.session.commit()
    erase_person(s.admin, s.author)
    db.session.commit()
    messages = db.session.scalars(select(Notification.message)).all()
    mail = db.session.scalars(select(OutboxMessage.body_text)).all()
    assert not any("Aisha" in text for text in [*messages, *mail])
    assert f"Former member #{s.author.id} asked for a review of “Block starts”." in messages
