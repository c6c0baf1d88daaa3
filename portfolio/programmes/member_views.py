"""Membership pages: invitations one at a time or by CSV, member changes and peer groups."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import is_manager, role_required
from ..database import get_or_404
from ..downloads import send_download
from ..handlers import attempt, button_post
from . import bp, member_import, membership, queries
from .confirm_views import confirm_withdrawal
from .csvtools import read_limited, write_csv
from .forms import ActionForm, ImportForm, InviteForm, MembershipForm, PeerGroupForm, options
from .models import (
    Cohort,
    CohortMembership,
    MemberImport,
    MemberRole,
    MembershipStatus,
    PeerGroup,
)
from .views import MANAGE, refuse_if_archived


def _in_cohort(cohort_id: int):
    """A visibility check: the object belongs to the cohort named in the URL."""
    return lambda row: row.cohort_id == cohort_id


def _developer_choices(cohort: Cohort):
    return options([("", "None yet"), *((m.user_id, m.user.display_name)
                                for m in membership.current_developers(cohort))])


# --- invitations ------------------------------------------------------------------------------

@bp.route("/cohorts/<int:cohort_id>/invite", methods=["GET", "POST"])
@role_required(MANAGE)
def invite(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    if refusal := refuse_if_archived(cohort):
        return refusal
    form = InviteForm()
    form.specialism_ids.choices = options(queries.specialism_choices())
    form.developer_id.choices = _developer_choices(cohort)
    if form.validate_on_submit():
        details = membership.NewMember(
            email=form.email.data, name=form.name.data or "", role=form.role.data,
            specialism_ids=[i for i in form.specialism_ids.data or () if i],
            developer_id=form.developer_id.data)
        if details.role != MemberRole.CANDIDATE:
            details.specialism_ids, details.developer_id = [], None
        if attempt(lambda: membership.add_member(current_user, cohort, details), form=form,
                   success=_invited_message):
            return redirect(url_for("programmes.cohort", cohort_id=cohort.id))
    return render_template("programmes/invite.html", form=form, cohort=cohort)


def _invited_message(answer) -> str:
    added, created = answer
    return (f"Invitation sent to {added.user.email}." if created else
            f"{added.user.display_name} already has an account and has been added to the "
            "cohort.")


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@role_required(MANAGE)
def import_upload(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    if refusal := refuse_if_archived(cohort):
        return refusal
    form = ImportForm()
    if form.validate_on_submit() and (staged := attempt(
            lambda: _stage(cohort, form.file.data), form=form)):
        return redirect(url_for("programmes.import_preview", cohort_id=cohort.id,
                                import_id=staged.value.id))
    return render_template("programmes/import_upload.html", form=form, cohort=cohort,
                           limit=member_import.MAX_ROWS, header=member_import.TEMPLATE_HEADER)


def _stage(cohort: Cohort, upload) -> MemberImport:
    data = read_limited(upload.stream, member_import.MAX_BYTES)
    return member_import.stage_import(current_user, cohort, upload.filename, data)


def _staged_import(cohort_id: int, import_id: int) -> MemberImport:
    """The uploader's own staged file for this cohort; anyone else gets 404."""
    return get_or_404(MemberImport, import_id, visible=lambda staged: (
        staged.cohort_id == cohort_id and staged.created_by_id == current_user.id
        and is_manager(current_user)))


@bp.route("/cohorts/<int:cohort_id>/import/<int:import_id>")
@login_required
def import_preview(cohort_id, import_id):
    staged = _staged_import(cohort_id, import_id)
    cohort = staged.cohort
    checks = member_import.check_rows(cohort, staged.rows) if staged.is_pending else []
    return render_template("programmes/import_preview.html", cohort=cohort, staged=staged,
                           checks=checks, bad=sum(not c.ok for c in checks),
                           expired=member_import.is_expired(staged), form=ActionForm())


@bp.route("/cohorts/<int:cohort_id>/import/<int:import_id>/confirm", methods=["POST"])
@login_required
def import_confirm(cohort_id, import_id):
    staged = _staged_import(cohort_id, import_id)
    if refusal := refuse_if_archived(staged.cohort):
        return refusal
    return button_post(
        lambda: member_import.confirm_import(current_user, staged), success=_imported_message,
        to=lambda done: url_for("programmes.cohort", cohort_id=cohort_id) if done
        else url_for("programmes.import_preview", cohort_id=cohort_id, import_id=import_id))


def _imported_message(checks) -> str:
    invited = sum(check.existing_user is None for check in checks)
    return (f"Imported {len(checks)} people: {invited} invited by email, "
            f"{len(checks) - invited} added with their existing account.")


@bp.route("/import-template.csv")
@role_required(MANAGE)
def import_template():
    return send_download(write_csv([member_import.TEMPLATE_HEADER]).encode("utf-8"),
                         "invitations.csv", "text/csv; charset=utf-8", private=False)


# --- one member -------------------------------------------------------------------------------

@bp.route("/cohorts/<int:cohort_id>/members/<int:membership_id>", methods=["GET", "POST"])
@role_required(MANAGE)
def member(cohort_id, membership_id):
    member = get_or_404(CohortMembership, membership_id, visible=_in_cohort(cohort_id))
    if refusal := refuse_if_archived(member.cohort):
        return refusal
    form = MembershipForm(obj=member)
    form.developer_id.choices = _developer_choices(member.cohort)
    form.specialism_ids.choices = options(
        queries.specialism_choices(s.id for s in member.specialisms))
    if request.method == "GET":
        form.developer_id.data = member.coach_developer_id
        form.specialism_ids.data = [s.id for s in member.specialisms]
    if form.validate_on_submit():
        if (form.status.data == MembershipStatus.WITHDRAWN
                and member.status != MembershipStatus.WITHDRAWN
                and request.form.get("confirmed") != "yes"):
            return confirm_withdrawal(member, request.form)
        changes = membership.MembershipChanges(
            role=form.role.data, status=form.status.data, developer_id=form.developer_id.data,
            specialism_ids=[i for i in form.specialism_ids.data or () if i])
        if attempt(lambda: membership.update_membership(current_user, member, changes),
                   form=form, success=lambda _: f"{member.user.display_name}'s membership saved."):
            return redirect(url_for("programmes.cohort", cohort_id=cohort_id))
    return render_template("programmes/member_form.html", form=form, member=member,
                           cohort=member.cohort, action_form=ActionForm())


@bp.route("/cohorts/<int:cohort_id>/members/<int:membership_id>/resend-invitation",
          methods=["POST"])
@role_required(MANAGE)
def resend_invitation(cohort_id, membership_id):
    member = get_or_404(CohortMembership, membership_id, visible=_in_cohort(cohort_id))
    if refusal := refuse_if_archived(member.cohort):
        return refusal
    return button_post(lambda: membership.resend_invitation(current_user, member),
                       success=lambda _: f"Invitation sent again to {member.user.email}.",
                       to=url_for("programmes.member", cohort_id=cohort_id,
                                  membership_id=membership_id))


# --- peer groups ------------------------------------------------------------------------------

@bp.route("/cohorts/<int:cohort_id>/peer-groups/new", methods=["GET", "POST"])
@role_required(MANAGE)
def new_peer_group(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    return _peer_group_form(cohort, None)


@bp.route("/cohorts/<int:cohort_id>/peer-groups/<int:group_id>", methods=["GET", "POST"])
@role_required(MANAGE)
def edit_peer_group(cohort_id, group_id):
    group = get_or_404(PeerGroup, group_id, visible=_in_cohort(cohort_id))
    return _peer_group_form(group.cohort, group)


def _peer_group_form(cohort: Cohort, group: PeerGroup | None):
    if refusal := refuse_if_archived(cohort):
        return refusal
    form = PeerGroupForm(obj=group)
    page = queries.cohort_page(cohort)
    eligible = [m for status, members in page.candidates_by_status if status != MembershipStatus.WITHDRAWN
                for m in members if m.peer_group_link is None
                or (group is not None and m.peer_group_link.peer_group_id == group.id)]
    form.membership_ids.choices = options((m.id, m.user.display_name) for m in eligible)
    if request.method == "GET" and group is not None:
        form.membership_ids.data = [link.membership_id for link in group.members]
    if form.validate_on_submit() and attempt(
            lambda: membership.save_peer_group(current_user, cohort, group, form.name.data,
                                               form.membership_ids.data),
            form=form, success=lambda saved: f"Peer group “{saved.name}” saved."):
        return redirect(url_for("programmes.cohort", cohort_id=cohort.id, _anchor="peer-groups"))
    return render_template("programmes/peer_group_form.html", form=form, cohort=cohort,
                           group=group, action_form=ActionForm(), eligible=eligible)


@bp.route("/cohorts/<int:cohort_id>/peer-groups/<int:group_id>/delete", methods=["POST"])
@role_required(MANAGE)
def delete_peer_group(cohort_id, group_id):
    group = get_or_404(PeerGroup, group_id, visible=_in_cohort(cohort_id))
    if refusal := refuse_if_archived(group.cohort):
        return refusal
    name = group.name
    return button_post(
        lambda: membership.delete_peer_group(current_user, group),
        success=f"Peer group “{name}” deleted. Its candidates are still in the cohort.",
        to=url_for("programmes.cohort", cohort_id=cohort_id, _anchor="peer-groups"))
