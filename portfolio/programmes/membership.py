"""Rules for cohort membership: adding people, roles, statuses, assignments and peer groups."""

from __future__ import annotations

from dataclasses import dataclass, field

from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from ..audit.services import record
from ..auth.models import User
from ..auth.services import external_url, invite_user, send_invitation
from ..database import lock_for_decision, utcnow
from ..errors import DomainError
from ..extensions import db
from ..mail.services import queue_templated_mail
from ..wording import plural
from .access import assert_cohort_writable
from .models import (
    MEMBER_ROLES,
    MEMBER_STATUSES,
    PEER_GROUP_MAX,
    PEER_GROUP_MIN,
    Cohort,
    CohortMembership,
    MemberRole,
    MembershipStatus,
    PeerGroup,
    PeerGroupMember,
    Specialism,
)
from .services import candidate_count

ROLE_LABELS = {MemberRole.CANDIDATE: "Candidate", MemberRole.COACH_DEVELOPER: "Coach developer"}
STATUS_LABELS = {MembershipStatus.INVITED: "Invited", MembershipStatus.ACTIVE: "Active",
                 MembershipStatus.DEFERRED: "Deferred", MembershipStatus.WITHDRAWN: "Withdrawn",
                 MembershipStatus.COMPLETED: "Completed"}
# Sent after the flush, inside the transaction of the change, when a membership is added or
# may have changed role or status: receivers get the membership, `actor`, `previous_role` and
# `previous_status` (None for a new membership).
membership_changed = Namespace().signal("portfolio.programmes.membership-changed")


def hold_cohort(cohort: Cohort) -> None:
    """Make changes to the cohort's membership take turns: each reads the cohort's places,
    roles and peer groups after the previous change committed. Without it, two leads adding
    the last candidate at the same moment both saw one place free and the cohort went over
    its capacity (the same for a peer group's size and a role change)."""
    lock_for_decision(cohort)


def clean_email(raw: str, field_name: str = "email") -> str:
    """Return the lower-cased address, or refuse one that cannot receive mail."""
    raw = (raw or "").strip()
    if not raw:
        raise DomainError("Enter an email address.", field=field_name)
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(f"“{raw[:80]}” is not a valid email address.",
                          field=field_name) from None
    return result.normalized.lower()


def current_developers(cohort: Cohort) -> list[CohortMembership]:
    return list(db.session.scalars(
        select(CohortMembership).join(User, User.id == CohortMembership.user_id)
        .where(CohortMembership.cohort_id == cohort.id,
               CohortMembership.role == MemberRole.COACH_DEVELOPER,
               CohortMembership.status != MembershipStatus.WITHDRAWN)
        .order_by(User.display_name)))


def specialisms_by_id(ids) -> list[Specialism]:
    ids = {int(i) for i in ids or ()}
    if not ids:
        return []
    found = list(db.session.scalars(select(Specialism).where(Specialism.id.in_(ids))
                                    .order_by(Specialism.position)))
    if len(found) != len(ids):
        raise DomainError("Choose specialisms from the list.", field="specialism_ids")
    return found


# --- adding people ----------------------------------------------------------------------------

@dataclass
class NewMember:
    email: str
    name: str
    role: str
    specialism_ids: list[int] = field(default_factory=list)
    developer_id: int | None = None  # the user id of the assigned coach developer


def add_member(actor, cohort: Cohort, details: NewMember) -> tuple[CohortMembership, bool]:
    """Invite someone into the cohort (or add their existing account); return (membership,
    whether a new account was invited)."""
    hold_cohort(cohort)
    assert_cohort_writable(cohort)
    email = clean_email(details.email)
    name = " ".join((details.name or "").split())
    if len(name) > 120:
        raise DomainError("Enter a name of 120 characters or fewer.", field="name")
    if details.role not in MEMBER_ROLES:
        raise DomainError("Choose candidate or coach developer.", field="role")
    existing_user = db.session.scalar(select(User).where(User.email == email))
    if existing_user is None and not name:
        raise DomainError("Enter their name.", field="name")
    if existing_user is not None:
        _refuse_existing_member(cohort, existing_user)
        if not existing_user.is_active:
            raise DomainError(f"The account for {email} is deactivated. Ask an admin to "
                              "reactivate it first.", field="email")
    specialisms, developer = _candidate_details(cohort, details)
    if details.role == MemberRole.CANDIDATE:
        check_capacity(cohort, adding=1)
    user, created = invite_user(email, name, invited_by=actor,
                                context=f"the {cohort.label} cohort")
    membership = place_member(actor, cohort, user, details.role, specialisms, developer,
                              invited=created)
    return membership, created


def place_member(actor, cohort: Cohort, user: User, role: str, specialisms, developer,
                 *, invited: bool, source: str = "invitation") -> CohortMembership:
    """Create the membership row; people with an account already are told by email."""
    status = MembershipStatus.INVITED if invited or not user.has_password \
        else MembershipStatus.ACTIVE
    membership = CohortMembership(cohort_id=cohort.id, user_id=user.id, role=role,
                                  status=status,
                                  coach_developer_id=developer.id if developer else None)
    membership.specialisms = list(specialisms)
    db.session.add(membership)
    db.session.flush()
    if not invited and user.has_password:
        _tell_existing_account(user, cohort, role, actor)
    record("membership.added", actor=actor, target=membership, cohort_id=cohort.id,
           user_id=user.id, role=role, status=status, source=source)
    membership_changed.send(membership, actor=actor, previous_role=None, previous_status=None)
    return membership


def _tell_existing_account(user: User, cohort: Cohort, role: str, actor) -> None:
    link = external_url("programmes.cohort", cohort_id=cohort.id)
    queue_templated_mail(user.email, "added_to_cohort", user=user, actor=actor, cohort=cohort,
                         role_label=ROLE_LABELS[role], link=link)


def _refuse_existing_member(cohort: Cohort, user: User) -> None:
    existing = db.session.scalar(select(CohortMembership).where(
        CohortMembership.cohort_id == cohort.id, CohortMembership.user_id == user.id))
    if existing is None:
        return
    if existing.status == MembershipStatus.WITHDRAWN:
        raise DomainError(f"{user.email} withdrew from this cohort. To bring them back, change "
                          "their status on their member page.", field="email")
    raise DomainError(f"{user.email} is already in this cohort.", field="email")


def _candidate_details(cohort: Cohort, details: NewMember):
    if details.role != MemberRole.CANDIDATE:
        if details.specialism_ids or details.developer_id:
            raise DomainError("Only candidates have specialisms and an assigned coach "
                              "developer.", field="role")
        return [], None
    specialisms = specialisms_by_id(details.specialism_ids)
    if any(not item.active for item in specialisms):
        raise DomainError("Choose specialisms from the list.", field="specialism_ids")
    return specialisms, developer_in(cohort, details.developer_id)


def developer_in(cohort: Cohort, user_id: int | None, field_name: str = "developer_id"):
    """The user (a current coach developer of the cohort) with this id, or None for none."""
    if not user_id:
        return None
    for membership in current_developers(cohort):
        if membership.user_id == int(user_id):
            return membership.user
    raise DomainError("Choose a coach developer who is in this cohort.", field=field_name)


def check_capacity(cohort: Cohort, adding: int) -> None:
    taken = candidate_count(cohort.id)
    if taken + adding > cohort.capacity:
        raise DomainError(f"The cohort is full: it has {taken} of {cohort.capacity} candidate "
                          "places taken. Raise the capacity on the cohort's settings first.",
                          field="email")


def resend_invitation(actor, membership: CohortMembership) -> None:
    assert_cohort_writable(membership.cohort)
    user = membership.user
    if user.has_password:
        raise DomainError(f"{user.display_name} has already set up their account.")
    if not user.is_active:
        raise DomainError(f"{user.display_name}'s account is deactivated.")
    send_invitation(user, invited_by=actor, context=f"the {membership.cohort.label} cohort")


def activate_invited_memberships(user: User) -> list[CohortMembership]:
    """Mark the user's invited memberships active once they have accepted their invitation.

    Connected to auth's `invitation_accepted` signal (init_app); archived years stay untouched.
    """
    memberships = list(db.session.scalars(select(CohortMembership).where(
        CohortMembership.user_id == user.id,
        CohortMembership.status == MembershipStatus.INVITED)))
    activated = []
    for membership in sorted(memberships, key=lambda item: (item.cohort_id, item.id)):
        if membership.cohort.is_read_only:
            continue
        # A lead withdrawing them at this moment takes turns with this; a withdrawal that
        # landed first stands (accepting an invitation never undoes it).
        hold_cohort(membership.cohort)
        if lock_for_decision(membership).status != MembershipStatus.INVITED:
            continue
        membership.status = MembershipStatus.ACTIVE
        activated.append(membership)
        record("membership.status_changed", actor=user, target=membership,
               cohort_id=membership.cohort_id, previous=MembershipStatus.INVITED,
               status=MembershipStatus.ACTIVE,
               reason="invitation accepted")
    db.session.flush()
    for membership in activated:
        membership_changed.send(membership, actor=user, previous_role=membership.role,
                                previous_status=MembershipStatus.INVITED)
    return activated


# --- changing a membership --------------------------------------------------------------------

@dataclass
class MembershipChanges:
    role: str
    status: str
    developer_id: int | None
    specialism_ids: list[int] = field(default_factory=list)


def update_membership(actor, membership: CohortMembership, changes: MembershipChanges) -> None:
    """Change role, status, assigned coach developer and specialisms, auditing each change."""
    cohort = membership.cohort
    hold_cohort(cohort)
    lock_for_decision(membership)  # its role and status as the last change left them
    assert_cohort_writable(cohort)
    if changes.role not in MEMBER_ROLES:
        raise DomainError("Choose candidate or coach developer.", field="role")
    if changes.status not in MEMBER_STATUSES:
        raise DomainError("Choose a status from the list.", field="status")
    previous_role, previous_status = membership.role, membership.status
    if changes.role != membership.role:
        _change_role(actor, membership, changes.role)
    if changes.status != membership.status:
        _change_status(actor, membership, changes.status)
    if membership.is_candidate:
        _change_candidate_details(actor, membership, changes)
    db.session.flush()
    membership_changed.send(membership, actor=actor, previous_role=previous_role,
                            previous_status=previous_status)


def change_status(actor, membership: CohortMembership, status: str) -> None:
    """Set only the member's status (e.g. 'completed' after a final sign-off), audited."""
    hold_cohort(membership.cohort)
    lock_for_decision(membership)
    assert_cohort_writable(membership.cohort)
    if status not in MEMBER_STATUSES:
        raise DomainError("Choose a status from the list.", field="status")
    if status != membership.status:
        previous_status = membership.status
        _change_status(actor, membership, status)
        db.session.flush()
        membership_changed.send(membership, actor=actor, previous_role=membership.role,
                                previous_status=previous_status)


def _change_role(actor, membership: CohortMembership, role: str) -> None:
    if membership.peer_group_link is not None:
        raise DomainError(f"Take {membership.user.display_name} out of the peer group "
                          f"“{membership.peer_group_link.peer_group.name}” first: only "
                          "candidates are in peer groups.", field="role")
    if role == MemberRole.CANDIDATE:
        assigned = db.session.scalars(select(CohortMembership).where(
            CohortMembership.cohort_id == membership.cohort_id,
            CohortMembership.coach_developer_id == membership.user_id)).all()
        if assigned:
            raise DomainError(f"{plural(len(assigned), 'candidate')} {'has' if len(assigned) == 1 else 'have'} "
                              f"{membership.user.display_name}"
                              " as their coach developer. Assign them someone else first.",
                              field="role")
        if membership.status != MembershipStatus.WITHDRAWN:
            check_capacity(membership.cohort, adding=1)
    else:
        membership.coach_developer_id = None
        membership.specialisms = []
    previous, membership.role = membership.role, role
    record("membership.role_changed", actor=actor, target=membership,
           cohort_id=membership.cohort_id, user_id=membership.user_id, previous=previous,
           role=role)


def _change_status(actor, membership: CohortMembership, status: str) -> None:
    if membership.status == MembershipStatus.WITHDRAWN and membership.is_candidate:
        check_capacity(membership.cohort, adding=1)
    previous, membership.status = membership.status, status
    membership.completed_at = utcnow() if status == MembershipStatus.COMPLETED else None
    record("membership.status_changed", actor=actor, target=membership,
           cohort_id=membership.cohort_id, user_id=membership.user_id, previous=previous,
           status=status)


def _change_candidate_details(actor, membership: CohortMembership,
                              changes: MembershipChanges) -> None:
    developer = developer_in(membership.cohort, changes.developer_id)
    new_id = developer.id if developer else None
    if new_id != membership.coach_developer_id:
        previous, membership.coach_developer_id = membership.coach_developer_id, new_id
        record("membership.developer_assigned", actor=actor, target=membership,
               cohort_id=membership.cohort_id, user_id=membership.user_id,
               previous=previous, developer_id=new_id)
    specialisms = specialisms_by_id(changes.specialism_ids)
    kept = {item.id for item in membership.specialisms}
    if {item.id for item in specialisms} != kept:
        if any(not item.active and item.id not in kept for item in specialisms):
            raise DomainError("Choose specialisms from the list.", field="specialism_ids")
        membership.specialisms = specialisms
        record("membership.specialisms_changed", actor=actor, target=membership,
               cohort_id=membership.cohort_id, user_id=membership.user_id,
               specialisms="; ".join(item.name for item in specialisms) or "none")


# --- peer groups ------------------------------------------------------------------------------

def save_peer_group(actor, cohort: Cohort, group: PeerGroup | None, name: str,
                    membership_ids) -> PeerGroup:
    """Create or change a named circle of 2-6 candidates; each candidate is in one group."""
    hold_cohort(cohort)
    if group is not None:
        lock_for_decision(group)  # its members as the last change left them
    assert_cohort_writable(cohort)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name for the peer group.", field="name")
    if len(name) > 80:
        raise DomainError("Enter a name of 80 characters or fewer.", field="name")
    clash = select(PeerGroup.id).where(PeerGroup.cohort_id == cohort.id, PeerGroup.name == name)
    if group is not None:
        clash = clash.where(PeerGroup.id != group.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(f"There is already a peer group called “{name}”.", field="name")
    members = _peer_group_members(cohort, group, membership_ids)
    if group is None:
        group = PeerGroup(cohort_id=cohort.id, name=name)
        db.session.add(group)
        db.session.flush()
        action, before = "peer_group.created", set()
    else:
        action, before = "peer_group.changed", {link.membership_id for link in group.members}
        group.name = name
    after = {membership.id for membership in members}
    group.members = [link for link in group.members if link.membership_id in after]
    db.session.flush()
    for membership_id in sorted(after - before):
        group.members.append(PeerGroupMember(membership_id=membership_id))
    db.session.flush()
    record(action, actor=actor, target=group, cohort_id=cohort.id, name=name,
           added=sorted(after - before), removed=sorted(before - after))
    return group


def _peer_group_members(cohort: Cohort, group: PeerGroup | None, membership_ids):
    ids = {int(i) for i in membership_ids or ()}
    if not PEER_GROUP_MIN <= len(ids) <= PEER_GROUP_MAX:
        raise DomainError(f"Choose between {PEER_GROUP_MIN} and {PEER_GROUP_MAX} candidates.",
                          field="membership_ids")
    members = list(db.session.scalars(select(CohortMembership).where(
        CohortMembership.id.in_(ids), CohortMembership.cohort_id == cohort.id,
        CohortMembership.role == MemberRole.CANDIDATE,
        CohortMembership.status != MembershipStatus.WITHDRAWN)))
    if len(members) != len(ids):
        raise DomainError("Choose candidates who are in this cohort.", field="membership_ids")
    for membership in members:
        link = membership.peer_group_link
        if link is not None and (group is None or link.peer_group_id != group.id):
            raise DomainError(f"{membership.user.display_name} is already in the peer group "
                              f"“{link.peer_group.name}”. Take them out of it first.",
                              field="membership_ids")
    return members


def delete_peer_group(actor, group: PeerGroup) -> None:
    hold_cohort(group.cohort)
    assert_cohort_writable(group.cohort)
    record("peer_group.deleted", actor=actor, target=group, cohort_id=group.cohort_id,
           name=group.name, removed=sorted(link.membership_id for link in group.members))
    db.session.delete(group)
    db.session.flush()
