"""Inviting a cohort from a CSV: upload → preview of every row's problems → all or nothing."""

import re

import pytest
from sqlalchemy import func, select

from portfolio.auth.models import AccountToken, User
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from portfolio.programmes import member_import
from portfolio.programmes.models import CohortMembership, MemberImport
from tests.factories import make_scenario, make_user
from tests.programmes.builders import csv_bytes, upload


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def world(app):
    s = make_scenario()
    db.session.commit()
    return s


def import_url(world):
    return f"/programme/cohorts/{world.cohort.id}/import"


def stage(client, login, world, data, filename="people.csv"):
    login(world.lead)
    return upload(client, import_url(world), data, filename)


GOOD_ROWS = [
    ["kim.dev@example.org", "Kim Developer", "coach developer", "", ""],
    ["ana.lima@example.org", "Ana Lima", "candidate", "Jumps; Sprints & Hurdles",
     "kim.dev@example.org"],
    ["ben.ode@example.org", "Ben Ode", "Candidate", "", ""],
]


def test_a_good_file_is_previewed_then_imported_with_invitations(client, login, world):
    existing = make_user("ben.ode@example.org", "Ben Ode")
    db.session.commit()
    response = stage(client, login, world, csv_bytes(GOOD_ROWS))
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "All 3 rows are ready to import" in preview
    assert "Has an account already" in preview
    assert count(CohortMembership, CohortMembership.cohort_id == world.cohort.id) == 4
    confirm = re.search(r'action="([^"]+/confirm)"', preview).group(1)
    done = client.post(confirm, follow_redirects=True).get_data(as_text=True)
    assert "Imported 3 people: 2 invited by email, 1 added" in done
    ana = db.session.scalar(select(User).where(User.email == "ana.lima@example.org"))
    kim = db.session.scalar(select(User).where(User.email == "kim.dev@example.org"))
    ana_membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == ana.id))
    assert ana_membership.coach_developer_id == kim.id
    assert sorted(s.name for s in ana_membership.specialisms) == ["Jumps", "Sprints & Hurdles"]
    ben_membership = db.session.scalar(select(CohortMembership).where(
        CohortMembership.user_id == existing.id))
    assert ben_membership.status == "active"
    # Only the two new people get an invitation link; Ben's account is not re-invited.
    assert count(AccountToken) == 2
    assert count(OutboxMessage, OutboxMessage.body_text.contains("/account/invitation/")) == 2
    # Confirming again imports nothing more.
    again = client.post(confirm, follow_redirects=True).get_data(as_text=True)
    assert "already been imported" in again
    assert count(CohortMembership, CohortMembership.cohort_id == world.cohort.id) == 7


def test_one_bad_row_imports_nothing(client, login, world):
    rows = [*GOOD_ROWS, ["broken-address", "Nobody", "candidate", "", ""]]
    response = stage(client, login, world, csv_bytes(rows))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 of 4 rows have problems" in preview
    assert "is not a valid email address" in preview
    assert "/confirm" not in preview  # no button to import a file with problems
    staged = db.session.scalar(select(MemberImport))
    refused = client.post(f"{import_url(world)}/{staged.id}/confirm", follow_redirects=True)
    assert "Nothing was imported: 1 row has problems" in refused.get_data(as_text=True)
    assert count(User, User.email.in_(["kim.dev@example.org", "ana.lima@example.org"])) == 0
    assert count(CohortMembership, CohortMembership.cohort_id == world.cohort.id) == 4
    assert count(OutboxMessage) == 0


def test_every_kind_of_row_problem_is_listed(app, world):
    world.cohort.capacity = 4  # three candidates already in: one place left
    make_user("gone@example.org", active=False)
    rows = member_import.parse_member_csv(csv_bytes([
        ["one@example.org", "One", "candidate", "Jumps", ""],
        ["two@example.org", "Two", "candidate", "Pole Dancing", ""],
        ["ONE@example.org", "One Again", "candidate", "", ""],
        ["three@example.org", "Three", "candidate", "", "nobody@example.org"],
        ["=HYPERLINK(\"http://evil.test\",\"x\")", "Four", "candidate", "", ""],
        ["five@example.org", "+SUM(1)", "mentor", "", ""],
        [world.peer.email, "Pat", "candidate", "", ""],
        ["six@example.org", "Six", "coach developer", "Throws", ""],
        ["gone@example.org", "Gone", "coach developer", "", ""],
    ]))
    checks = member_import.check_rows(world.cohort, rows)
    problems = {check.line: " | ".join(check.problems) for check in checks}
    assert problems[2] == ""
    assert "Unknown specialism “Pole Dancing”" in problems[3]
    assert "Over capacity" in problems[3]
    assert "Duplicate: one@example.org is also on row 2" in problems[4]
    assert "Unknown coach developer: nobody@example.org" in problems[5]
    assert "starts with “=”, which a spreadsheet would run as a formula" in problems[6]
    assert "starts with “+”" in problems[7] and "Role “mentor” is not recognised" in problems[7]
    assert "already in this cohort" in problems[8]
    assert "Only candidates have a specialism" in problems[9]
    assert "account for gone@example.org is deactivated" in problems[10]


@pytest.mark.parametrize("data, message", [
    (csv_bytes([["a@example.org", "A"]], header=["mail", "full name"]),
     "Unknown heading: “mail”"),
    (csv_bytes([["a@example.org", "A"]], header=["email", "name"]), "Missing: role"),
    ("email,name,role\r\na@example.org,Ana,candidate\r\n".encode("utf-16"), "UTF-16"),
    (b"email,name,role\r\na@example.org,Ana \x81\x8d,candidate\r\n", "not UTF-8 or Windows-1252"),
    (b"PK\x03\x04 workbook bytes", "spreadsheet workbook, not a CSV file"),
    (b"", "The file is empty"),
    (csv_bytes([]), "no people in it"),
])
def test_unreadable_files_are_refused_with_a_clear_message(client, login, world, data, message):
    response = stage(client, login, world, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="file-error"' in page
    assert message in page
    assert count(MemberImport) == 0


def test_too_many_rows_is_refused_before_anything_is_kept(client, login, world):
    rows = [[f"coach{n}@example.org", f"Coach {n}", "candidate", "", ""] for n in range(10_000)]
    response = stage(client, login, world, csv_bytes(rows))
    page = response.get_data(as_text=True)
    assert "The file has 10,000 rows; the most one upload can hold is 2,000" in page
    assert count(MemberImport) == 0


def test_too_many_bytes_is_refused(client, login, world):
    filler = "x" * 1000
    rows = [[f"c{n}@example.org", filler, "candidate", "", ""] for n in range(1100)]
    page = stage(client, login, world, csv_bytes(rows)).get_data(as_text=True)
    assert "larger than 1,024 KB" in page and count(MemberImport) == 0


@pytest.mark.parametrize("encoding, bom", [("utf-8", True), ("utf-8", False),
                                           ("cp1252", False)])
def test_excel_encodings_are_read_correctly(app, world, encoding, bom):
    data = csv_bytes([["zoe@example.org", "Zoë Müller-Ó’Brien", "candidate", "", ""]],
                     encoding=encoding, bom=bom)
    rows = member_import.parse_member_csv(data)
    assert rows[0]["name"] == "Zoë Müller-Ó’Brien"
    assert rows[0]["email"] == "zoe@example.org"


def test_rows_are_checked_again_when_confirming(app, world):
    data = csv_bytes([["late@example.org", "Late Comer", "candidate", "", ""]])
    staged = member_import.stage_import(world.lead, world.cohort, "people.csv", data)
    from portfolio.programmes.membership import NewMember, add_member

    add_member(world.lead, world.cohort, NewMember("late@example.org", "Late", "candidate"))
    with pytest.raises(DomainError, match="Nothing was imported"):
        member_import.confirm_import(world.lead, staged)
    assert staged.status == "pending"


def test_the_staged_file_is_kept_on_the_server_not_the_client(client, login, world):
    response = stage(client, login, world, csv_bytes(GOOD_ROWS[:1]))
    staged = db.session.scalar(select(MemberImport))
    assert len(staged.file_digest) == 64 and staged.rows[0]["email"] == "kim.dev@example.org"
    # Anything the client sends with the confirmation is ignored: the stored rows are used.
    client.post(response.headers["Location"] + "/confirm",
                data={"rows": "evil@example.org,Evil,candidate"})
    assert count(User, User.email == "evil@example.org") == 0
    assert count(User, User.email == "kim.dev@example.org") == 1


def test_template_download_has_the_expected_headings(client, login, world):
    login(world.lead)
    response = client.get("/programme/import-template.csv")
    assert response.get_data(as_text=True).strip() == (
        "email,name,role,specialism,coach developer email")
    assert "attachment" in response.headers["Content-Disposition"]
