"""Confirmation pages for programme actions that are hard to undo: closing and archiving a
programme year, withdrawing a member. Each page says what will happen; its button posts to the
action's own route."""

from __future__ import annotations

from flask import abort, url_for

from ..access import role_required
from ..confirmation import Confirmation, confirmation_page
from ..database import get_or_404
from . import bp, services
from .models import ProgrammeYear, YearStatus

MANAGE = "programme_lead"


def year_consequences(year: ProgrammeYear, status: str) -> list[str]:
    if status == YearStatus.CLOSED:
        return [
            f"{year.label} stops running. Candidates' goals and coaching philosophies are no "
            "longer shared with its cohorts' peers and coach developers.",
            "Entries, reviews and sign-offs stay as they are, and can still be changed until "
            "the year is archived.",
            f"You can reopen {year.label} later if you close it by mistake.",
        ]
    return [
        f"Everything in {year.label} becomes read-only for everyone: entries, evidence, "
        "reviews, sign-offs, cohorts and their members.",
        "It all stays readable, and its progress and portfolios can still be exported.",
        "This cannot be undone.",
    ]


@bp.route("/years/<int:year_id>/status/<any(closed, archived):status>")
@role_required(MANAGE)
def confirm_year_status(year_id, status):
    year = get_or_404(ProgrammeYear, year_id)
    if status not in services.YEAR_TRANSITIONS[year.status]:
        abort(404)
    verb = "Close" if status == YearStatus.CLOSED else "Archive"
    overview = url_for("programmes.overview", _anchor=f"year-{year.id}")
    return confirmation_page(Confirmation(
        title=f"{verb} {year.label}?", consequences=year_consequences(year, status),
        action=url_for("programmes.year_status", year_id=year.id), button=f"{verb} {year.label}",
        cancel_url=overview, fields=[("status", status)], warning=status == YearStatus.ARCHIVED))


def withdrawal_consequences(member) -> list[str]:
    name, cohort = member.user.display_name, member.cohort.label
    if member.is_developer:
        return [
            f"{name} can no longer open {cohort}, review its candidates' work or read what "
            "they share, from their next page.",
            "Candidates assigned to them keep their sign-offs; assign them another coach "
            "developer.",
            "You can set their status back later.",
        ]
    return [
        f"{name} can no longer open {cohort} or read what their peers shared there, from "
        "their next page.",
        f"Their entries in {cohort} become read-only and are no longer shared with its peers "
        "and coach developers; programme leads and admins can still read them.",
        "Their place in the cohort is freed. You can set their status back later while the "
        "cohort has room.",
    ]


def confirm_withdrawal(member, posted):
    """The member form asked to withdraw someone: say what that does before doing it."""
    fields = [(key, value) for key, value in posted.items(multi=True)
              if key not in ("csrf_token", "confirmed")]
    back = url_for("programmes.member", cohort_id=member.cohort_id, membership_id=member.id)
    return confirmation_page(Confirmation(
        title=f"Withdraw {member.user.display_name} from {member.cohort.label}?",
        consequences=withdrawal_consequences(member), action=back,
        button=f"Withdraw {member.user.display_name}", cancel_url=back,
        cancel_label="Keep them in the cohort", fields=[*fields, ("confirmed", "yes")]))
