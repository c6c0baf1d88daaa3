"""Inviting a cohort from a CSV file: upload → preview listing every row's problems → confirm.

The upload is parsed once and its cells kept in a MemberImport row on the server; the preview
and the confirmation check those rows against the cohort as it is at that moment, and the
confirmation imports every row or none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, or_, select

from ..audit.services import record
from ..auth.models import User
from ..auth.services import invite_user
from ..database import lock_for_decision, utcnow
from ..errors import DomainError
from ..extensions import db
from ..wording import plural
from .access import assert_cohort_writable
from .csvtools import csv_rows, decode_csv_bytes, looks_like_formula, normalise_header
from .membership import clean_email, hold_cohort, place_member
from .models import (
    Cohort,
    CohortMembership,
    ImportStatus,
    MemberImport,
    MemberRole,
    MembershipStatus,
    Specialism,
)
from .services import candidate_count

MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
PREVIEW_LIFETIME = timedelta(hours=24)
COLUMNS = {  # header as written (normalised) -> key
    "email": "email",
    "name": "name",
    "role": "role",
    "specialism": "specialism",
    "specialisms": "specialism",
    "coach developer email": "developer_email",
}
REQUIRED = ("email", "name", "role")
TEMPLATE_HEADER = ["email", "name", "role", "specialism", "coach developer email"]
ROLE_WORDS = {"candidate": MemberRole.CANDIDATE, "coach developer": MemberRole.COACH_DEVELOPER,
              "coach_developer": MemberRole.COACH_DEVELOPER,
              "developer": MemberRole.COACH_DEVELOPER}
COLUMN_LABELS = {"email": "email", "name": "name", "role": "role", "specialism": "specialism",
                 "developer_email": "coach developer email"}


# --- reading the file -------------------------------------------------------------------------

def parse_member_csv(data: bytes) -> list[dict]:
    """Turn the uploaded bytes into row dicts, refusing files that cannot be read as a whole."""
    if len(data) > MAX_BYTES:
        raise DomainError(f"The file is larger than {MAX_BYTES // 1024:,} KB.", field="file")
    rows = csv_rows(decode_csv_bytes(data))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise DomainError("The file is empty.", field="file")
    keys = _header_keys(rows[0])
    body = rows[1:]
    if not body:
        raise DomainError("The file has a header row but no people in it.", field="file")
    if len(body) > MAX_ROWS:
        raise DomainError(f"The file has {len(body):,} rows; the most one upload can hold is "
                          f"{MAX_ROWS:,}. Split it into smaller files.", field="file")
    parsed = []
    for line, cells in enumerate(rows[1:], start=2):
        row = {"line": line, "email": "", "name": "", "role": "", "specialism": "",
               "developer_email": "", "extra": len(cells) > len(keys)}
        for key, cell in zip(keys, cells, strict=False):
            row[key] = cell.strip()
        parsed.append(row)
    return parsed


def _header_keys(header: list[str]) -> list[str]:
    names = [normalise_header(cell).lstrip("\ufeff") for cell in header]
    expected = ", ".join(TEMPLATE_HEADER)
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise DomainError(f"The first row must be the column headings {expected}. "
                          f"Unknown heading: “{unknown[0][:40]}”.", field="file")
    keys = [COLUMNS[name] for name in names]
    missing = [key for key in REQUIRED if key not in keys]
    if missing:
        raise DomainError(f"The first row must be the column headings {expected}. Missing: "
                          f"{', '.join(missing)}.", field="file")
    if len(set(keys)) != len(keys):
        raise DomainError("A column heading appears twice in the first row.", field="file")
    return keys


def stage_import(actor, cohort: Cohort, filename: str, data: bytes) -> MemberImport:
    """Keep the parsed rows on the server for the preview and confirmation."""
    assert_cohort_writable(cohort)
    rows = parse_member_csv(data)
    _forget_old_imports()
    staged = MemberImport(cohort_id=cohort.id, created_by_id=actor.id,
                          filename=(filename or "upload.csv")[-255:],
                          file_digest=hashlib.sha256(data).hexdigest(), rows=rows)
    db.session.add(staged)
    db.session.flush()
    return staged


def _forget_old_imports() -> None:
    now = utcnow()
    db.session.execute(delete(MemberImport).where(or_(
        (MemberImport.status == ImportStatus.PENDING)
        & (MemberImport.created_at < now - PREVIEW_LIFETIME),
        MemberImport.created_at < now - timedelta(days=30))))


def is_expired(staged: MemberImport) -> bool:
    return staged.created_at < utcnow() - PREVIEW_LIFETIME


# --- checking rows against the cohort ---------------------------------------------------------

@dataclass
class RowCheck:
    line: int
    email: str
    name: str
    role: str  # "candidate", "coach_developer" or "" when unreadable
    specialisms: list[Specialism] = field(default_factory=list)
    developer_email: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    existing_user: User | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class CohortFacts:
    """What the checks need to know about the cohort, loaded in a fixed number of queries."""

    members: dict[str, str]  # email -> membership status
    developers: dict[str, User]  # email -> current coach developer
    specialisms: dict[str, Specialism]  # lower-case name -> active specialism
    users: dict[str, User]  # email -> existing account
    places_taken: int


def load_facts(cohort: Cohort, emails: set[str]) -> CohortFacts:
    members, developers = {}, {}
    for membership, user in db.session.execute(
            select(CohortMembership, User).join(User, User.id == CohortMembership.user_id)
            .where(CohortMembership.cohort_id == cohort.id)):
        members[user.email] = membership.status
        if membership.is_developer and membership.is_current:
            developers[user.email] = user
    users = {}
    ordered = sorted(emails)
    for start in range(0, len(ordered), 500):
        for user in db.session.scalars(select(User).where(
                User.email.in_(ordered[start:start + 500]))):
            users[user.email] = user
    specialisms = {item.name.lower(): item for item in db.session.scalars(
        select(Specialism).where(Specialism.active.is_(True)))}
    return CohortFacts(members, developers, specialisms, users, candidate_count(cohort.id))


def check_rows(cohort: Cohort, rows: list[dict]) -> list[RowCheck]:
    """Every row with every problem found, so the lead can fix the whole file at once."""
    checks = [_read_row(row) for row in rows]
    facts = load_facts(cohort, {check.email for check in checks if check.email})
    file_developers = {check.email for check in checks
                       if check.role == MemberRole.COACH_DEVELOPER and check.email}
    first_line: dict[str, int] = {}
    places = facts.places_taken
    for check, row in zip(checks, rows, strict=True):
        _check_identity(check, facts, first_line)
        _check_candidate_details(check, row, facts, file_developers)
        if check.role == MemberRole.CANDIDATE:
            places += 1
            if places > cohort.capacity:
                check.problems.append(
                    f"Over capacity: the cohort has {cohort.capacity} candidate places and "
                    f"{facts.places_taken} are taken already.")
    return checks


def _read_row(row: dict) -> RowCheck:
    check = RowCheck(line=row["line"], email="", name=row["name"], role="")
    if row.get("extra"):
        check.problems.append("The row has more cells than there are column headings.")
    for key, label in COLUMN_LABELS.items():
        if looks_like_formula(row[key]):
            check.problems.append(f"The {label} cell starts with “{row[key][0]}”, which a "
                                  "spreadsheet would run as a formula. Remove it.")
    try:
        check.email = clean_email(row["email"])
    except DomainError as error:
        check.email = row["email"].lower()
        check.problems.append(error.message)
    role = " ".join(row["role"].lower().split())
    check.role = ROLE_WORDS.get(role, "")
    if not check.role:
        check.problems.append(f"Role “{row['role'][:40]}” is not recognised: enter candidate "
                              "or coach developer." if role else
                              "Role is missing: enter candidate or coach developer.")
    if len(check.name) > 120:
        check.problems.append("The name is longer than 120 characters.")
    return check


def _check_identity(check: RowCheck, facts: CohortFacts, first_line: dict[str, int]) -> None:
    if not check.email:
        return
    if check.email in first_line:
        check.problems.append(f"Duplicate: {check.email} is also on row {first_line[check.email]}.")
    else:
        first_line[check.email] = check.line
    status = facts.members.get(check.email)
    if status == MembershipStatus.WITHDRAWN:
        check.problems.append(f"{check.email} withdrew from this cohort; bring them back from "
                              "their member page instead.")
    elif status:
        check.problems.append(f"{check.email} is already in this cohort.")
    check.existing_user = facts.users.get(check.email)
    if check.existing_user is not None and not check.existing_user.is_active:
        check.problems.append(f"The account for {check.email} is deactivated; ask an admin "
                              "to reactivate it first.")
    elif check.existing_user is not None:
        check.notes.append("Has an account already: will be added, not invited again.")
    elif not check.name:
        check.problems.append("Name is missing.")


def _check_candidate_details(check: RowCheck, row: dict, facts: CohortFacts,
                             file_developers: set[str]) -> None:
    names = [part.strip() for part in row["specialism"].split(";") if part.strip()]
    developer_email = row["developer_email"].strip().lower()
    if check.role == MemberRole.COACH_DEVELOPER:
        if names or developer_email:
            check.problems.append("Only candidates have a specialism and a coach developer.")
        return
    for name in names:
        specialism = facts.specialisms.get(name.lower())
        if specialism is None:
            check.problems.append(f"Unknown specialism “{name[:40]}”. Use one of: "
                                  + ", ".join(s.name for s in facts.specialisms.values()) + ".")
        elif specialism not in check.specialisms:
            check.specialisms.append(specialism)
    if developer_email:
        check.developer_email = developer_email
        if developer_email not in facts.developers and developer_email not in file_developers:
            check.problems.append(f"Unknown coach developer: {developer_email[:80]} is not a coach "
                                  "developer in this cohort or in this file.")


# --- confirming ------------------------------------------------------------------------------

def confirm_import(actor, staged: MemberImport) -> list[RowCheck]:
    """Import every row, or none when any row has a problem now."""
    cohort = staged.cohort
    hold_cohort(cohort)
    lock_for_decision(staged)  # a second click on Import waits, then finds it imported
    assert_cohort_writable(cohort)
    if not staged.is_pending:
        raise DomainError("This file has already been imported.")
    if is_expired(staged):
        raise DomainError("This preview is more than a day old. Upload the file again.")
    checks = check_rows(cohort, staged.rows)
    bad = sum(not check.ok for check in checks)
    if bad:
        raise DomainError(f"Nothing was imported: {plural(bad, 'row')} {'has' if bad == 1 else 'have'} "
                          "problems. Fix the file and "
                          "upload it again.")
    # Coach developers first, so candidates in the same file can be assigned to them.
    placed: dict[str, User] = {}
    invited = 0
    for check in sorted(checks, key=lambda c: (c.role != MemberRole.COACH_DEVELOPER, c.line)):
        user, created = invite_user(check.email, check.name, invited_by=actor,
                                    context=f"the {cohort.label} cohort")
        invited += created
        developer = placed.get(check.developer_email) if check.developer_email else None
        developer = developer or _current_developer(cohort, check.developer_email)
        place_member(actor, cohort, user, check.role, check.specialisms, developer,
                     invited=created, source="csv")
        placed[check.email] = user
    staged.status, staged.confirmed_at = ImportStatus.CONFIRMED, utcnow()
    db.session.flush()
    record("members.imported", actor=actor, target=staged, cohort_id=cohort.id,
           rows=len(checks), invited=invited, added=len(checks) - invited,
           file_sha256=staged.file_digest)
    return checks


def _current_developer(cohort: Cohort, email: str) -> User | None:
    if not email:
        return None
    return db.session.scalar(
        select(User).join(CohortMembership, CohortMembership.user_id == User.id)
        .where(User.email == email, CohortMembership.cohort_id == cohort.id,
               CohortMembership.role == MemberRole.COACH_DEVELOPER,
               CohortMembership.status != MembershipStatus.WITHDRAWN))
