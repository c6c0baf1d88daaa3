"""`flask seed-scale`: a deterministic national-scale dataset, written with bulk inserts.

Default: 2 programme years × 10 cohorts × 60 candidates × 40 entries, each entry with two saved
versions, comments, claims, sign-offs and (one entry in four) a small evidence file on disk.
Everything is derived from a fixed random seed, so two runs give the same data.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from ..auth.models import User
from ..entries.models import Entry, EntryCompetency, EntryVersion, PrivacyTier
from ..entries.versioning import content_hash
from ..evidence.models import EntryEvidence, Evidence
from ..extensions import db
from ..frameworks.models import Competency, CompetencyArea, Framework, FrameworkStatus
from ..programmes.models import (
    Cohort,
    CohortMembership,
    Pathway,
    PeerGroup,
    PeerGroupMember,
    ProgrammeYear,
)
from ..reviews.models import Comment, ReviewRequest, ReviewRequestCompetency, Signoff
from ..reviews.progress_table import refresh_progress
from ..search.indexing import reindex
from ..search.models import DocumentKind
from ..storage import final_path
from ..text import render_markdown

BATCH = 5000
MODELS = ("gibbs", "what_so_what", "kolb", "gilbert_trudel", "brookfield", "free")
TIERS = ("peers", "peers", "developers", "cohort", "private")
SESSIONS = ("training", "competition", "observation", "mentoring")
PHRASES = (
    "Block starts with the under-17 group; reaction to the gun was slow on the first three reps.",
    "Hurdle rhythm drill over five flights; two athletes lost their lead-leg drive late on.",
    "Tempo run session in the rain; I shortened recoveries and the group kept form well.",
    "Competition warm-up plan worked, but I over-cued the long jumpers on the runway.",
    "Observed a senior coach using questioning instead of telling; athletes owned the drill.",
    "Talked with a parent about training load during exams; agreed a lighter fortnight.",
)


@dataclass
class ScaleOptions:
    years: int = 2
    cohorts: int = 10
    candidates: int = 60
    entries: int = 40
    seed: int = 2026
    files: bool = True


def _rendered(sections: dict, _cache: dict = {}) -> dict:  # noqa: B006  (a deliberate memo)
    """Stored HTML for scale versions: each phrase rendered once, not once per version."""
    for text in sections.values():
        if text not in _cache:
            _cache[text] = str(render_markdown(text))
    return {key: _cache[text] for key, text in sections.items()}


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model.__table__), rows[start:start + BATCH])


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def seed_scale(options: ScaleOptions, framework_id: int) -> dict[str, int]:
    """Insert the dataset (flush only) and return row counts by kind."""
    rng = random.Random(options.seed)  # noqa: S311  # nosec B311 - synthetic data, not security
    now = datetime(2026, 11, 1, tzinfo=UTC)
    competencies = list(db.session.scalars(
        select(Competency).where(Competency.framework_id == framework_id)
        .order_by(Competency.id)))
    pathway_id = db.session.scalar(select(Pathway.id).order_by(Pathway.position).limit(1))
    password = generate_password_hash("portfolio-scale", method="scrypt")
    counts = dict.fromkeys(("users", "cohorts", "entries", "versions", "comments",
                            "signoffs", "evidence"), 0)
    ids = {model: _next_id(model) for model in (User, Cohort, Entry, EntryVersion, Evidence,
                                                 ReviewRequest, ProgrammeYear, PeerGroup,
                                                 CohortMembership)}
    upload_root = Path(current_app.config["UPLOAD_FOLDER"])
    first_user, first_entry, first_evidence = ids[User], ids[Entry], ids[Evidence]

    def take(model) -> int:
        ids[model] += 1
        return ids[model] - 1

    for year_index in range(options.years):
        start = date(2024 + year_index, 9, 1)
        year_id = take(ProgrammeYear)
        _bulk(ProgrammeYear, [{
            "id": year_id, "label": f"S{options.seed}-{2024 + year_index}-{2025 + year_index}",
            "starts_on": start, "ends_on": start + timedelta(days=364),
            "status": "active", "created_at": now, "updated_at": now}])
        for cohort_index in range(options.cohorts):
            rows = _cohort_rows(options, rng, now, start, year_id, cohort_index, pathway_id,
                                framework_id, competencies, password, take, upload_root)
            for model, model_rows in rows:
                _bulk(model, model_rows)
            counts["cohorts"] += 1
            for key, model in (("users", User), ("entries", Entry), ("versions", EntryVersion),
                               ("comments", Comment), ("signoffs", Signoff),
                               ("evidence", Evidence)):
                counts[key] += sum(len(r) for m, r in rows if m is model)
    db.session.flush()
    refresh_progress(range(first_user, ids[User]))  # bulk inserts bypass the ORM's hooks
    # The same for the search index: every new entry, its comments and the evidence.
    reindex(DocumentKind.ENTRY, range(first_entry, ids[Entry]))
    reindex(DocumentKind.COMMENT, db.session.scalars(
        select(Comment.id).where(Comment.entry_id >= first_entry)))
    reindex(DocumentKind.EVIDENCE, range(first_evidence, ids[Evidence]))
    _advance_sequences(ids)
    return counts


def _advance_sequences(ids: dict) -> None:
    """Move PostgreSQL's id sequences past the ids written explicitly above.

    Otherwise the next row the application inserts (a new user, a comment) gets an id that
    is already taken.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in ids:
        highest = select(func.coalesce(func.max(model.id), 1)).scalar_subquery()
        db.session.execute(select(func.setval(
            func.pg_get_serial_sequence(model.__tablename__, "id"), highest)))


def _cohort_rows(options, rng, now, start, year_id, cohort_index, pathway_id, framework_id,
                 competencies, password, take, upload_root):
    cohort_id = take(Cohort)
    tag = f"{year_id}-{cohort_index}"
    users, memberships, groups, group_members = [], [], [], []
    entries, versions, claims, comments, signoffs = [], [], [], [], []
    requests, request_competencies, evidence, links = [], [], [], []
    cohort = [{"id": cohort_id, "year_id": year_id, "pathway_id": pathway_id,
               "framework_id": framework_id, "name": f"Talent cohort {cohort_index + 1}",
               "onboarding_on": start, "ends_on": start + timedelta(days=364),
               "turnaround_days": 14, "capacity": options.candidates + 10,
               "created_at": now, "updated_at": now}]
    developer_id = take(User)
    users.append(_user(developer_id, f"developer.{tag}@scale.example.org", "Scale Developer",
                       password, now))
    memberships.append(_membership(take(CohortMembership), cohort_id, developer_id,
                                   "coach_developer", None, now))
    group_id = None
    for candidate_index in range(options.candidates):
        user_id = take(User)
        users.append(_user(user_id, f"coach.{tag}.{candidate_index}@scale.example.org",
                           f"Coach {tag}.{candidate_index}", password, now))
        membership_id = take(CohortMembership)
        memberships.append(_membership(membership_id, cohort_id, user_id, "candidate",
                                       developer_id, now))
        if candidate_index % 5 == 0:
            group_id = take(PeerGroup)
            groups.append({"id": group_id, "cohort_id": cohort_id,
                           "name": f"Group {candidate_index // 5 + 1}", "created_at": now,
                           "updated_at": now})
        group_members.append({"peer_group_id": group_id, "membership_id": membership_id})
        for entry_index in range(options.entries):
            entry_id = take(Entry)
            practice = start + timedelta(days=rng.randrange(0, 360))
            moment = datetime(practice.year, practice.month, practice.day, 18, tzinfo=UTC)
            privacy = rng.choice(TIERS)
            claimed = rng.sample(competencies, k=min(2, len(competencies)))
            evidence_ids = []
            if options.files and entry_index % 4 == 0:
                evidence_id = take(Evidence)
                evidence.append(_evidence_file(evidence_id, user_id, entry_id, moment,
                                               upload_root))
                links.append({"entry_id": entry_id, "evidence_id": evidence_id, "position": 0})
                evidence_ids = [evidence_id]
            sections = {"what": rng.choice(PHRASES), "so_what": rng.choice(PHRASES),
                        "now_what": rng.choice(PHRASES)}
            title = f"Session reflection {entry_index + 1}"
            content = {"sections": sections, "title": title, "privacy": privacy,
                       "reflection_model": "what_so_what",
                       "competency_ids": sorted(c.id for c in claimed),
                       "evidence_ids": evidence_ids, "tags": ["scale"]}
            digest = content_hash(content)
            entries.append({
                "id": entry_id, "owner_id": user_id, "cohort_id": cohort_id, "title": title,
                "practice_date": practice, "session_type": rng.choice(SESSIONS),
                "event_group": "Sprints & Hurdles", "athletes": "Four athletes aged 16-17",
                "reflection_model": "what_so_what", "sections": sections, "privacy": privacy,
                "pending_privacy": "", "status": "published", "review_status": "none",
                "latest_version_number": 2, "working_hash": digest, "lock_version": 1,
                "created_at": moment, "updated_at": moment})
            version_ids = []
            for number in (1, 2):
                version_id = take(EntryVersion)
                version_ids.append(version_id)
                versions.append({"id": version_id, "entry_id": entry_id,
                                 "cohort_id": cohort_id, "number": number,
                                 "title": title, "content": content, "content_hash": digest,
                                 "created_at": moment + timedelta(hours=number),
                                 "created_by_id": user_id, "note": "",
                                 "rendered": _rendered(sections)})
            claims.extend({"entry_id": entry_id, "competency_id": c.id} for c in claimed)
            if privacy != PrivacyTier.PRIVATE:
                comments.append({"entry_id": entry_id, "cohort_id": cohort_id,
                                 "author_id": developer_id,
                                 "kind": "comment", "body": "Good detail on the athletes' "
                                 "response. What would you change in the warm-up?",
                                 "what_worked": "", "what_to_try": "", "question": "",
                                 "version_number": 2, "created_at": moment + timedelta(days=2)})
                if entry_index % 10 == 0:
                    competency = claimed[0]
                    signoffs.append({
                        "role": "coach_developer", "decision": "signed_off",
                        "candidate_id": user_id, "reviewer_id": developer_id,
                        "competency_id": competency.id, "competency_code": competency.code,
                        "entry_id": entry_id, "entry_version_id": version_ids[-1],
                        "version_number": 2, "content_hash": digest,
                        "review_request_id": None, "feedback": "Clear evidence.",
                        "created_at": moment + timedelta(days=5)})
                elif entry_index % 10 == 1:
                    request_id = take(ReviewRequest)
                    requests.append({
                        "id": request_id, "entry_id": entry_id,
                        "entry_version_id": version_ids[-1], "candidate_id": user_id,
                        "cohort_id": cohort_id, "assigned_to_id": developer_id,
                        "status": "open", "due_on": practice + timedelta(days=14),
                        "message": "", "overall_feedback": "",
                        "created_at": moment + timedelta(days=1), "lock_version": 1})
                    request_competencies.extend(
                        {"request_id": request_id, "competency_id": c.id} for c in claimed)
    return [(User, users), (Cohort, cohort), (CohortMembership, memberships),
            (PeerGroup, groups), (PeerGroupMember, group_members), (Entry, entries),
            (EntryVersion, versions), (EntryCompetency, claims), (Evidence, evidence),
            (EntryEvidence, links), (Comment, comments), (ReviewRequest, requests),
            (ReviewRequestCompetency, request_competencies), (Signoff, signoffs)]


def _user(user_id, email, name, password, now):
    return {"id": user_id, "email": email, "display_name": name, "password_hash": password,
            "active": True, "is_admin": False, "is_programme_lead": False,
            "session_token": secrets.token_urlsafe(32), "email_preference": "off",
            "created_at": now, "updated_at": now}


def _membership(membership_id, cohort_id, user_id, role, developer_id, now):
    return {"id": membership_id, "cohort_id": cohort_id, "user_id": user_id, "role": role,
            "status": "active", "coach_developer_id": developer_id, "created_at": now,
            "updated_at": now}


def _evidence_file(evidence_id, owner_id, entry_id, moment, upload_root: Path) -> dict:
    body = (f"Session plan for entry {entry_id}\nWarm-up 15 min, drills 20 min, "
            f"main set 30 min, cool-down 10 min.\n").encode()
    key = hashlib.sha256(f"scale-{evidence_id}".encode()).hexdigest()[:32]
    path = final_path(key, base=upload_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return {"id": evidence_id, "owner_id": owner_id, "kind": "file",
            "title": f"Session plan {entry_id}", "description": "", "url": None,
            "original_filename": f"session-plan-{entry_id}.txt", "storage_key": key,
            "media_type": "text/plain", "category": "document", "size_bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(), "width": None, "height": None,
            "has_thumbnail": False, "deleted_at": None, "created_at": moment,
            "updated_at": moment}


def make_grid_framework(name: str, code_prefix: str, areas: int = 5, per_area: int = 5) -> int:
    """Create a published framework of `areas` × `per_area` competencies; return its id."""
    framework = Framework(name=name, version=1, status="published",
                          published_at=datetime.now(UTC))
    db.session.add(framework)
    db.session.flush()
    for area_index in range(areas):
        area = CompetencyArea(framework_id=framework.id, position=area_index,
                              title=f"{name} area {area_index + 1}")
        db.session.add(area)
        db.session.flush()
        for index in range(per_area):
            db.session.add(Competency(
                framework_id=framework.id, area_id=area.id, position=index,
                code=f"{code_prefix}{area_index + 1}.{index + 1}",
                title=f"Competency {index + 1}",
                developer_signoffs_required=1, peer_signoffs_required=index % 2))
    db.session.flush()
    return framework.id


def scale_framework_id() -> int:
    """The published framework the scale cohorts use: the demo framework if present."""
    framework_id = db.session.scalar(
        select(Framework.id).where(Framework.status == FrameworkStatus.PUBLISHED)
        .order_by(Framework.id))
    return framework_id or make_grid_framework("Scale framework", "S")
