"""Peer sign-off on an entry, and revocation of a sign-off by a programme lead or admin."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from ...access import role_required
from ...database import get_or_404
from ...handlers import attempt
from .. import queries, services
from ..blueprint import bp
from ..forms import PeerSignoffForm, RevokeForm, competency_choices
from ..models import Signoff
from ..permissions import can_peer_signoff
from ..services.common import latest_version
from .common import ALREADY, already_recorded, back_to_entry, entry_for


@bp.route("/entries/<int:entry_id>/peer-signoffs", methods=["POST"])
@login_required
def peer_signoff(entry_id):
    entry = entry_for(entry_id, can_peer_signoff)
    version = latest_version(entry)
    claimed = queries.competencies_by_id(version.competency_ids if version else [])
    form = PeerSignoffForm(prefix="peer")
    form.competency.choices = competency_choices(claimed.values())
    if form.validate_on_submit():
        signed = attempt(lambda: services.peer_signoff(entry, current_user, form.competency.data,
                                                       form.note.data),
                         form=form, leave=ALREADY, success=lambda signoff: (
                             f"You signed off {signoff.competency_code} on version "
                             f"{signoff.version_number}."))
        if signed or already_recorded(signed):
            return back_to_entry(entry_id, "signoffs")
    return render_template("reviews/peer_signoff.html", form=form, entry=entry,
                           version=version), 400


@bp.route("/signoffs/<int:signoff_id>/revoke", methods=["GET", "POST"])
@role_required("programme_lead")
def revoke(signoff_id):
    signoff = get_or_404(Signoff, signoff_id)
    form = RevokeForm()
    if signoff.revocation is None and form.validate_on_submit():
        revoked = attempt(lambda: services.revoke_signoff(signoff, current_user, form.reason.data),
                          form=form, leave=ALREADY, success=lambda _: (
                              f"The sign-off of {signoff.competency_code} has been revoked."))
        if already_recorded(revoked):
            return redirect(url_for("reviews.revoke", signoff_id=signoff_id))
        if revoked:
            cohort_id = signoff.entry.cohort_id
            if cohort_id is None:
                return redirect(url_for("reviews.revoke", signoff_id=signoff.id))
            return redirect(url_for("reviews.candidate_progress_page", cohort_id=cohort_id,
                                    user_id=signoff.candidate_id))
    return render_template("reviews/revoke.html", signoff=signoff, form=form), \
        400 if form.errors else 200

