"""Plain builder functions for test data. Each flushes; the test decides when to commit."""

from __future__ import annotations

import itertools
from functools import cache

from werkzeug.security import generate_password_hash

from portfolio.auth.models import User
from portfolio.extensions import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD, method="scrypt")


def make_user(email: str | None = None, name: str | None = None, *, admin=False, lead=False,
              active=True, password=True) -> User:
    n = next(_counter)
    user = User(
        email=(email or f"user{n}@example.test").lower(),
        display_name=name or f"Test User {n}",
        is_admin=admin,
        is_programme_lead=lead,
        active=active,
        password_hash=_password_hash() if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_in(client, user: User):
    """Put the user's session token in the client's session cookie."""
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def csrf_token_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


# --- programme, framework and portfolio builders -----------------------------------------

from datetime import date, timedelta  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from portfolio.database import utcnow  # noqa: E402
from portfolio.entries.models import Entry, EntryCompetency, EntryVersion  # noqa: E402
from portfolio.entries.versioning import content_hash  # noqa: E402
from portfolio.evidence.models import EntryEvidence, Evidence  # noqa: E402
from portfolio.frameworks.models import Competency, CompetencyArea, Framework  # noqa: E402
from portfolio.programmes.models import (  # noqa: E402
    Cohort,
    CohortMembership,
    Pathway,
    PeerGroup,
    PeerGroupMember,
    ProgrammeYear,
)

DEFAULT_AREAS = [
    ("Vision & planning", [("VP1", 1, 0), ("VP2", 1, 1)]),
    ("Reflective practice", [("RP1", 1, 0)]),
]


def make_framework(name=None, *, areas=DEFAULT_AREAS, status="published", version=1):
    framework = Framework(name=name or f"Framework {next(_counter)}", version=version,
                          status=status, published_at=utcnow() if status != "draft" else None)
    db.session.add(framework)
    db.session.flush()
    for position, (title, competencies) in enumerate(areas):
        area = CompetencyArea(framework_id=framework.id, position=position, title=title)
        db.session.add(area)
        db.session.flush()
        for index, (code, developer, peer) in enumerate(competencies):
            db.session.add(Competency(
                framework_id=framework.id, area_id=area.id, position=index, code=code,
                title=f"Competency {code}", description=f"What {code} looks like.",
                developer_signoffs_required=developer, peer_signoffs_required=peer))
    db.session.flush()
    db.session.expire(framework)
    return framework


def make_year(label=None, *, status="active", starts_on=date(2026, 9, 1)):
    n = next(_counter)
    year = ProgrammeYear(label=label or f"{2000 + n}-{2001 + n}", starts_on=starts_on,
                         ends_on=starts_on + timedelta(days=364), status=status)
    db.session.add(year)
    db.session.flush()
    return year


def default_pathway():
    pathway = db.session.query(Pathway).filter_by(name="Talent").one_or_none()
    if pathway is None:
        pathway = Pathway(name="Talent", position=0)
        db.session.add(pathway)
        db.session.flush()
    return pathway


def make_cohort(*, year=None, framework=None, name=None, turnaround_days=14, capacity=30):
    year = year or make_year()
    framework = framework or make_framework()
    cohort = Cohort(year_id=year.id, pathway_id=default_pathway().id, framework_id=framework.id,
                    name=name or f"Cohort {next(_counter)}", onboarding_on=year.starts_on,
                    ends_on=year.ends_on, turnaround_days=turnaround_days, capacity=capacity)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def add_member(cohort, user=None, *, role="candidate", status="active", developer=None):
    user = user or make_user()
    membership = CohortMembership(cohort_id=cohort.id, user_id=user.id, role=role, status=status,
                                  coach_developer_id=developer.id if developer else None)
    db.session.add(membership)
    db.session.flush()
    return membership


def make_peer_group(cohort, memberships, name=None):
    group = PeerGroup(cohort_id=cohort.id, name=name or f"Group {next(_counter)}")
    db.session.add(group)
    db.session.flush()
    for membership in memberships:
        db.session.add(PeerGroupMember(peer_group_id=group.id, membership_id=membership.id))
    db.session.flush()
    return group


def competency(framework, code):
    return db.session.query(Competency).filter_by(framework_id=framework.id, code=code).one()


def make_entry(owner, *, cohort=None, privacy="peers", title="Session reflection",
               sections=None, competencies=(), evidence=(), published=True,
               reflection_model="what_so_what"):
    """An entry; when published, with version 1 snapshotting the working copy."""
    sections = sections or {"what": "We worked on block starts.", "so_what": "Reaction was slow.",
                            "now_what": "Add reaction games next week."}
    entry = Entry(owner_id=owner.id, cohort_id=cohort.id if cohort else None, title=title,
                  practice_date=date(2026, 10, 1), reflection_model=reflection_model,
                  sections=sections, privacy=privacy,
                  status="published" if published else "draft")
    db.session.add(entry)
    db.session.flush()
    for item in competencies:
        db.session.add(EntryCompetency(entry_id=entry.id, competency_id=item.id))
    for position, item in enumerate(evidence):
        db.session.add(EntryEvidence(entry_id=entry.id, evidence_id=item.id, position=position))
    db.session.flush()
    if published:
        add_version(entry)
    return entry


def add_version(entry, note=""):
    """Snapshot the entry's working copy as its next version."""
    db.session.flush()
    db.session.refresh(entry)
    content = {
        "sections": dict(entry.sections or {}),
        "title": entry.title,
        "privacy": entry.privacy,
        "reflection_model": entry.reflection_model,
        "competency_ids": sorted(claim.competency_id for claim in entry.claims),
        "evidence_ids": sorted(
            link.evidence_id for link in db.session.query(EntryEvidence).filter_by(
                entry_id=entry.id)),
    }
    number = entry.latest_version_number + 1
    version = EntryVersion(entry_id=entry.id, number=number, title=entry.title, content=content,
                           content_hash=content_hash(content), created_by_id=entry.owner_id,
                           note=note)
    entry.latest_version_number = number
    entry.status = "published"
    entry.working_hash = version.content_hash
    db.session.add(version)
    db.session.flush()
    return version


def make_link_evidence(owner, title="Competition video", url="https://video.example/run"):
    evidence = Evidence(owner_id=owner.id, kind="link", title=title, url=url)
    db.session.add(evidence)
    db.session.flush()
    return evidence


def make_scenario():
    """Two cohorts with every role the authorization tests need.

    cohort A: developer, candidates author+peer (one peer group), outsider (same cohort, no
    group); cohort B: other_developer, other_candidate. Plus a lead, an admin, a stranger.
    """
    framework = make_framework()
    year = make_year()
    cohort = make_cohort(year=year, framework=framework, name="Talent A")
    other_cohort = make_cohort(year=year, framework=framework, name="Talent B")
    s = SimpleNamespace(framework=framework, year=year, cohort=cohort, other_cohort=other_cohort)
    s.developer = make_user(name="Dev Eloper")
    s.author = make_user(name="Aisha Author")
    s.peer = make_user(name="Pat Peer")
    s.outsider = make_user(name="Olu Outsider")
    s.other_developer = make_user(name="Otto Developer")
    s.other_candidate = make_user(name="Cora Candidate")
    s.lead = make_user(name="Lee Lead", lead=True)
    s.admin = make_user(name="Ada Admin", admin=True)
    s.stranger = make_user(name="Stan Stranger")
    add_member(cohort, s.developer, role="coach_developer")
    s.author_membership = add_member(cohort, s.author, developer=s.developer)
    s.peer_membership = add_member(cohort, s.peer, developer=s.developer)
    s.outsider_membership = add_member(cohort, s.outsider, developer=s.developer)
    add_member(other_cohort, s.other_developer, role="coach_developer")
    add_member(other_cohort, s.other_candidate, developer=s.other_developer)
    s.peer_group = make_peer_group(cohort, [s.author_membership, s.peer_membership], "Sprinters")
    return s
