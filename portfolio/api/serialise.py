"""Rows the API answers that are more than a model's columns: memberships and progress."""

from __future__ import annotations

from ..programmes.permissions import can_see_member_emails
from . import queries


def membership_rows(principal, memberships) -> list[dict]:
    """Each membership; the email only where the cohort page shows it to this person."""
    shows_email: dict[int, bool] = {}
    rows = []
    for item in memberships:
        if item.cohort_id not in shows_email:
            shows_email[item.cohort_id] = can_see_member_emails(principal.user, item.cohort)
        rows.append({
            "id": item.id, "cohort_id": item.cohort_id, "user_id": item.user_id,
            "name": item.user.display_name,
            "email": item.user.email if shows_email[item.cohort_id] else None,
            "role": str(item.role), "status": str(item.status),
            "coach_developer_id": item.coach_developer_id, "updated_at": item.updated_at,
        })
    return rows


def progress_rows(memberships, progress_for_frameworks) -> list[dict]:
    """Progress per competency and the latest completion, in a fixed number of statements."""
    pairs = [(item.user_id, item.cohort.framework_id) for item in memberships]
    progress = progress_for_frameworks(pairs) if pairs else {}
    completions = queries.latest_completions([item.id for item in memberships])
    rows = []
    for item in memberships:
        judged = progress[(item.user_id, item.cohort.framework_id)]
        completion = completions.get(item.id)
        standing = completion is not None and not completion.is_revoked
        rows.append({
            "id": item.id, "cohort_id": item.cohort_id, "candidate_id": item.user_id,
            "status": str(item.status), "met": judged.met, "total": judged.total,
            "percent": judged.percent, "completed": standing,
            "completed_at": completion.created_at if standing else None,
            "competencies": [
                {"code": code, "state": part.state,
                 "developer_signoffs": part.developer_signoffs,
                 "peer_signoffs": part.peer_signoffs, "required": part.required}
                for code, part in judged.items.items()],
            "updated_at": item.updated_at,
        })
    return rows
