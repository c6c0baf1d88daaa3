"""Attach evidence to an entry's working copy: choose from the library or upload new files.

Only the entry's author may use these pages (anyone else gets 404), and only while the entry
is editable; the next save of the entry snapshots what is attached, and once the entry has a
saved version the page offers to save one straight away.
"""

from flask import abort, current_app, redirect, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from ..entries.models import Entry
from ..entries.permissions import can_edit_entry, is_author
from ..handlers import attempt
from ..requests import page_arg
from . import queries, services
from .blueprint import bp
from .forms import ChooseEvidenceForm, UploadForm
from .links import entry_url
from .panel import pending_changes
from .views import finish_upload, own_evidence_or_404, upload_page


def _authored_entry(entry_id) -> Entry:
    return get_or_404(Entry, entry_id, visible=lambda e: is_author(current_user, e))


def entry_page_context(entry_id) -> dict:
    entry = _authored_entry(entry_id)
    attached = queries.attached_to_entry(entry.id)
    return {
        "entry": entry,
        "entry_url": entry_url(entry),
        "attached": attached,
        "pending": pending_changes(entry, current_user, attached=attached),
        "attached_ids": {item.id for item in attached},
        "pagination": queries.library_page(current_user.id, page_arg(),
                                           current_app.config["ITEMS_PER_PAGE"]),
        "can_edit": can_edit_entry(current_user, entry),
    }


@bp.get("/entry/<int:entry_id>/attach")
@login_required
def attach_page(entry_id):
    return upload_page(UploadForm(formdata=None), "evidence/attach.html",
                       **entry_page_context(entry_id))


@bp.post("/entry/<int:entry_id>/attach")
@login_required
def attach(entry_id):
    entry = _authored_entry(entry_id)
    form = ChooseEvidenceForm()
    if not form.validate_on_submit():
        abort(400)
    evidence = own_evidence_or_404(form.evidence_id.data)
    attempt(lambda: services.attach(current_user, entry, evidence), success=lambda added: (
        f"“{evidence.title}” attached. Readers see it once you save a new version."
        if added else f"“{evidence.title}” was already attached."))
    return redirect(url_for("evidence.attach_page", entry_id=entry.id))


@bp.post("/entry/<int:entry_id>/detach")
@login_required
def detach(entry_id):
    entry = _authored_entry(entry_id)
    form = ChooseEvidenceForm()
    if not form.validate_on_submit():
        abort(400)
    evidence = own_evidence_or_404(form.evidence_id.data)
    attempt(lambda: services.detach(current_user, entry, evidence), success=lambda _: (
        f"“{evidence.title}” removed from this entry. It stays in your evidence library."))
    return redirect(url_for("evidence.attach_page", entry_id=entry.id))


@bp.post("/entry/<int:entry_id>/upload")
@login_required
def upload_to_entry(entry_id):
    context = entry_page_context(entry_id)
    form = UploadForm()
    if form.validate_on_submit() and (uploaded := attempt(
            lambda: services.upload_files(current_user, form.chosen_files(),
                                          entry=context["entry"]), form=form)):
        done = url_for("evidence.attach_page", entry_id=entry_id)
        return finish_upload(form, uploaded.value, done, "evidence/attach.html",
                             **entry_page_context(entry_id))
    return upload_page(form, "evidence/attach.html", **context)
