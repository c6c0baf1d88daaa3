"""A panel's page for its candidate and members: the submitted showcase, notes and outcome."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..database import get_or_404
from ..errors import ConflictError
from ..extensions import db
from ..forms import options as choice_options
from ..handlers import attempt
from ..requests import page_arg
from ..showcases.models import Showcase
from ..showcases.permissions import can_read_showcase
from ..showcases.reading import reader_file_url
from . import (
    lead_views,  # noqa: F401  (routes)
    queries,
    services,
)
from .blueprint import bp
from .forms import NoteForm, OutcomeForm, SubmitShowcaseForm
from .models import ReviewPanel
from .permissions import (
    can_manage_panel,
    can_read_panel_work,
    can_record_outcome,
    can_submit_showcase,
    can_view_panel,
    can_write_notes,
    is_candidate,
    is_member,
)


def panel_for(panel_id, visible=can_view_panel) -> ReviewPanel:
    return get_or_404(ReviewPanel, panel_id, visible=lambda panel: visible(current_user, panel),
                      options=queries.panel_loads())


@bp.route("/")
@login_required
def index():
    return render_template("panels/index.html",
                           panels=queries.panels_for(current_user, page=page_arg(), per_page=50),
                           manages=can_manage_panel(current_user, None))


def _own_showcases() -> list[Showcase]:
    return list(db.session.scalars(select(Showcase).where(
        Showcase.owner_id == current_user.id, Showcase.locked_at.is_(None))
        .order_by(Showcase.updated_at.desc())))


def _showcase_form(submitted=False) -> SubmitShowcaseForm:
    form = SubmitShowcaseForm(prefix="submit") if submitted else \
        SubmitShowcaseForm(formdata=None, prefix="submit")
    form.showcase.choices = choice_options([("", "Choose a showcase"), *(
        (item.id, item.title) for item in _own_showcases())])
    return form


def _outcome_form(submitted=False) -> OutcomeForm:
    form = OutcomeForm(prefix="outcome") if submitted else \
        OutcomeForm(formdata=None, prefix="outcome")
    form.option.choices = choice_options(
        (option.id, option.label) for option in services.usable_options())
    return form


def _note_form(panel) -> NoteForm:
    note = services.my_note(panel, current_user)
    form = NoteForm(formdata=None, prefix="note",
                    data={"body": note.body if note else "",
                          "lock_version": note.lock_version if note else None})
    return form


def _render(panel, *, showcase_form=None, note_form=None, outcome_form=None, status=200):
    reads = can_read_panel_work(current_user, panel)
    member = is_member(current_user, panel)
    return render_template(
        "panels/show.html", panel=panel, is_candidate=is_candidate(current_user, panel),
        is_member=member, reads=reads, manages=can_manage_panel(current_user, panel),
        progress=queries.progress_of(panel) if reads else None,
        notes=queries.notes_of(panel) if reads else [],
        may_submit=can_submit_showcase(current_user, panel),
        showcase_form=showcase_form or _showcase_form(),
        may_write=can_write_notes(current_user, panel),
        note_form=note_form or (_note_form(panel) if member else None),
        may_decide=can_record_outcome(current_user, panel),
        outcome_form=outcome_form or _outcome_form(),
        shows_showcase=bool(reads and panel.showcase
                            and can_read_showcase(current_user, panel.showcase)),
        file_url=reader_file_url(panel.showcase) if panel.showcase else None), status


@bp.route("/<int:panel_id>")
@login_required
def show(panel_id):
    return _render(panel_for(panel_id))


@bp.route("/<int:panel_id>/showcase", methods=["POST"])
@login_required
def submit_showcase(panel_id):
    panel = panel_for(panel_id, is_candidate)
    form = _showcase_form(submitted=True)
    if form.validate_on_submit():
        showcase = db.session.get(Showcase, form.showcase.data) if form.showcase.data else None
        if attempt(lambda: services.submit_showcase(panel, current_user, showcase), form=form,
                   success="Your showcase has been submitted to the panel."):
            return redirect(url_for("panels.show", panel_id=panel_id))
    return _render(panel, showcase_form=form, status=400)


@bp.route("/<int:panel_id>/notes", methods=["POST"])
@login_required
def save_note(panel_id):
    panel = panel_for(panel_id, is_member)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        saved = attempt(lambda: services.save_note(panel, current_user, form.body.data,
                                                   form.lock_version.data),
                        form=form, leave=(ConflictError,), success="Your notes have been saved.")
        if saved:
            return redirect(url_for("panels.show", panel_id=panel_id, _anchor="notes"))
        if isinstance(saved.error, ConflictError):
            return render_template("panels/note_conflict.html", panel=panel, form=form,
                                   message=saved.error.message), 409
    return _render(panel_for(panel_id), note_form=form, status=400)


@bp.route("/<int:panel_id>/outcome", methods=["POST"])
@login_required
def record_outcome(panel_id):
    panel = panel_for(panel_id, is_member)
    form = _outcome_form(submitted=True)
    if form.validate_on_submit():
        recorded = attempt(
            lambda: services.record_outcome(panel, current_user, form.option.data,
                                            form.reasons.data, form.extension_months.data),
            form=form, leave=(services.AlreadyDecided,),
            success=lambda outcome: f"Outcome recorded: {outcome.label}.")
        if recorded:
            return redirect(url_for("panels.show", panel_id=panel_id))
        if isinstance(recorded.error, services.AlreadyDecided):
            return render_template("panels/already_decided.html", panel=panel_for(panel_id),
                                   form=form), 409
    return _render(panel_for(panel_id), outcome_form=form, status=400)
