"""Personal data: download everything held about me; an admin erases a person."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import storage
from ..access import role_required
from ..audit.services import record
from ..auth.models import User
from ..database import get_or_404, utcnow
from ..downloads import send_download
from ..extensions import db
from ..handlers import attempt
from . import bp, erasure, services
from .archive import stream_zip
from .forms import DownloadForm, EraseForm
from .registry import DELETE, DELETE_UNLESS_RECORD, PERSONAL_DATA_TABLES


@bp.route("/my-data")
@login_required
def my_data():
    return render_template("privacy/my_data.html", form=DownloadForm(),
                           files=len(services.evidence_files(current_user)))


@bp.route("/my-data/download", methods=["POST"])
@login_required
def download_my_data():
    if not DownloadForm().validate_on_submit():
        flash("The form had expired. Please try again.", "error")
        return redirect(url_for("privacy.my_data"))
    document = services.personal_data(current_user)
    files = [(name, path) for name, key in services.evidence_files(current_user)
             if (path := storage.stored_file(key)) is not None]
    record("privacy.exported", actor=current_user, target=current_user, files=len(files))
    db.session.commit()
    name = f"my-data-{utcnow():%Y-%m-%d}.zip"
    return send_download(stream_zip(document, files), name, "application/zip")


@bp.route("/erase/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def erase(user_id):
    user = get_or_404(User, user_id)
    form = EraseForm()
    if form.validate_on_submit():
        if form.confirmation.data.strip().lower() != user.email:
            form.confirmation.errors.append("That is not this person's email address.")
        elif attempt(lambda: erasure.erase_person(current_user, user), form=form,
                     success=lambda _: f"{erasure.erased_name(user.id)} has been erased."):
            return redirect(url_for("admin.user_detail", user_id=user.id))
    deleted = sorted({h.export for h in PERSONAL_DATA_TABLES.values()
                      if h.erase in (DELETE, DELETE_UNLESS_RECORD)})
    return render_template("privacy/erase.html", user=user, form=form, deleted=deleted,
                           kept=len(erasure.kept_entry_ids(user.id)),
                           allowed=erasure.can_erase(current_user, user))
