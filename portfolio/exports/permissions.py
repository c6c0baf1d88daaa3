"""Who may report on and export what. Pure predicates over the membership facts.

Programme leads and admins report on every cohort; a coach developer on the cohorts they
develop in (and so only on those cohorts' candidates); a candidate exports their own portfolio.
Everyone else gets a 404 from the loaders that use these as their `visible=` test.
"""

from __future__ import annotations

from ..access import is_manager
from ..programmes.access import current_memberships, is_developer_in


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def developer_cohort_ids(user) -> set[int]:
    """Cohorts where the user is a (not withdrawn) coach developer."""
    if not _signed_in(user):
        return set()
    return {item.cohort_id for item in current_memberships(user.id, "coach_developer")}


def can_use_reports(user) -> bool:
    """Programme leads, admins and coach developers have a reports menu."""
    return _signed_in(user) and (is_manager(user) or bool(developer_cohort_ids(user)))


def can_report_on_cohort(user, cohort) -> bool:
    if not _signed_in(user) or cohort is None:
        return False
    return is_manager(user) or is_developer_in(user, cohort.id)


def can_export_portfolio(user, membership) -> bool:
    """A candidate's portfolio: the candidate, their cohort's coach developers, leads, admins."""
    if not _signed_in(user) or membership is None or not membership.is_candidate:
        return False
    return (membership.user_id == user.id or is_manager(user)
            or is_developer_in(user, membership.cohort_id))


def can_view_job(user, job) -> bool:
    """An export job and its file belong to the person who asked for it, nobody else."""
    return _signed_in(user) and job is not None and job.requested_by_id == user.id
