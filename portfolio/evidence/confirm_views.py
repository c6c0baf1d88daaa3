"""Deleting evidence is confirmed on a page that says what will happen (the file goes from
every entry that shows it); its button posts to the delete route, so no JavaScript is needed."""

from __future__ import annotations

from flask import url_for
from flask_login import login_required

from ..confirmation import Confirmation, confirmation_page
from ..wording import plural
from . import queries
from .blueprint import bp
from .views import own_evidence_or_404


@bp.get("/<int:evidence_id>/delete")
@login_required
def confirm_delete(evidence_id):
    evidence = own_evidence_or_404(evidence_id)
    using = queries.entries_using(evidence)
    back = url_for("evidence.detail", evidence_id=evidence.id)
    shown_in = (f"It is taken out of the {plural(len(using), 'entry')} that use it; "
                "readers of those entries no longer see it." if using
                else "No entry uses it.")
    return confirmation_page(Confirmation(
        title=f"Delete “{evidence.title}”?",
        consequences=[shown_in, ("The file is deleted for good." if evidence.storage_key
                                 else "The link is removed from your library."),
                      "This cannot be undone."],
        action=url_for("evidence.delete", evidence_id=evidence.id), button="Delete evidence",
        cancel_url=back, cancel_label="Keep it"))
