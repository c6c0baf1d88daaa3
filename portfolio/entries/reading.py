"""Reading entries: the entry page, versions, history, differences, restore and delete."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import ConflictError
from ..evidence import panel as evidence_panel
from ..extensions import db
from ..handlers import attempt, button_post
from ..text import render_sections
from . import bp, queries, services, sharing
from .authoring import can_edit, can_view_version, entry_is_writable, readable_versions
from .diff import compare_contents
from .forms import ActionForm, RestoreForm
from .models import PRIVACY_TIERS, SESSION_TYPES, Entry, EntryVersion
from .panels import build_panels
from .permissions import can_view_entry, is_author
from .reflection_models import model_name, ordered_sections
from .vocabulary import PRIVACY_HINTS


def load_visible_entry(entry_id: int) -> Entry:
    entry = queries.entry_for_page(entry_id) if queries.valid_id(entry_id) else None
    if entry is None or not can_view_entry(current_user, entry):
        abort(404)
    return entry


def load_visible_version(entry: Entry, number: int) -> EntryVersion:
    version = services.version_by_number(entry, number) if queries.valid_id(number) else None
    if version is None or not can_view_version(current_user, entry, version):
        abort(404)
    return version


class PanelContext(SimpleNamespace):
    """A panel's context with its keys as attributes: in Jinja `ctx.items` on a plain dict
    would find dict.items(), not the panel's "items"."""

    def __getitem__(self, key):
        return getattr(self, key)

    def __contains__(self, key) -> bool:
        return hasattr(self, key)

    def get(self, key, default=None):
        return getattr(self, key, default)


def panels_for(entry, version, viewer) -> list[dict]:
    """Other features' panels; each template is included with `panel` in scope."""
    return [{**panel, "context": PanelContext(**panel["context"])}
            for panel in build_panels(entry, version, viewer)]


def _practice_date(content: dict):
    try:
        return date.fromisoformat(content.get("practice_date") or "")
    except ValueError:
        return None


def _page(entry, version, content, **extra):
    labels = queries.competency_labels(content.get("competency_ids"))
    # A saved version shows the HTML stored when it was saved; only the author's never-saved
    # working copy is rendered here (bounded, like the preview).
    rendered = version.rendered if version is not None else render_sections(
        content.get("sections"))
    return render_template(
        "entries/show.html", entry=entry, version=version, content=content,
        sections=ordered_sections(content.get("reflection_model"), content.get("sections"),
                                  rendered),
        competencies=list(labels.values()),
        model_name=model_name(content.get("reflection_model")), tiers=PRIVACY_TIERS,
        practice_date=_practice_date(content),
        session_types=SESSION_TYPES, privacy_hints=PRIVACY_HINTS,
        is_author=is_author(current_user, entry), can_edit=can_edit(current_user, entry),
        panels=panels_for(entry, version, current_user), **extra)


@bp.route("/entries/<int:entry_id>")
@login_required
def show_entry(entry_id):
    entry = load_visible_entry(entry_id)
    latest = services.latest_version(entry)
    if latest is not None and not can_view_version(current_user, entry, latest):
        abort(404)
    content = latest.content if latest else services.working_content(entry)
    unsaved = is_author(current_user, entry) and services.has_unsaved_changes(entry, latest)
    if is_author(current_user, entry) or latest is None:
        return _page(entry, latest, content, unsaved=unsaved, is_latest=True)
    page = _page(entry, latest, content, unsaved=False, is_latest=True,
                 last_read=sharing.last_read(current_user, entry))
    # Remembering what a reader has seen ("Shared with me") changes nothing anyone else sees.
    sharing.remember_read(current_user, entry)
    db.session.commit()
    return page


@bp.route("/entries/<int:entry_id>/versions/<int:number>")
@login_required
def show_version(entry_id, number):
    entry = load_visible_entry(entry_id)
    version = load_visible_version(entry, number)
    return _page(entry, version, version.content, unsaved=False,
                 is_latest=version.number == entry.latest_version_number)


@bp.route("/entries/<int:entry_id>/versions")
@login_required
def versions(entry_id):
    entry = load_visible_entry(entry_id)
    visible = readable_versions(current_user, entry, queries.versions_of(entry))
    unsaved = is_author(current_user, entry) and services.has_unsaved_changes(
        entry, visible[0] if visible else None)
    return render_template("entries/versions.html", entry=entry, versions=visible,
                           unsaved=unsaved, can_edit=can_edit(current_user, entry),
                           restore_form=RestoreForm(lock_version=entry.lock_version),
                           tiers=PRIVACY_TIERS)


@bp.route("/entries/<int:entry_id>/compare")
@bp.route("/entries/<int:entry_id>/compare/<int:from_number>/<int:to_number>")
@login_required
def compare_versions(entry_id, from_number=None, to_number=None):
    entry = load_visible_entry(entry_id)
    if from_number is None or to_number is None:
        first = request.args.get("from", type=int) or max(entry.latest_version_number - 1, 1)
        second = request.args.get("to", type=int) or entry.latest_version_number
        return redirect(url_for("entries.compare_versions", entry_id=entry.id,
                                from_number=min(first, second), to_number=max(first, second)))
    old = load_visible_version(entry, from_number)
    new = load_visible_version(entry, to_number)
    labels = queries.competency_labels(
        [*old.content.get("competency_ids", []), *new.content.get("competency_ids", [])])
    return render_template("entries/compare.html", entry=entry, old=old, new=new,
                           changes=compare_contents(old.content, new.content, labels),
                           evidence=evidence_panel.comparison(current_user, entry, old, new))


@bp.route("/entries/<int:entry_id>/save-version", methods=["POST"])
@login_required
def save_working_copy(entry_id):
    """Save the working copy as a new version from outside the form (after evidence changes)."""
    entry = load_visible_entry(entry_id)
    if not is_author(current_user, entry):
        abort(404)
    form = RestoreForm()
    return button_post(
        lambda: _save_if_unchanged(entry, _posted_lock(form)), form=form,
        success=lambda version: f"Saved as version {version.number}. Readers now see its "
        "evidence." if version else
        f"Nothing has changed since version {entry.latest_version_number}.",
        refusal_text=lambda error: "The entry changed in another window since you opened that "
        "page, so no version was saved. Check the entry below, then save again."
        if isinstance(error, ConflictError) else f"No version was saved: {error.message}",
        to=url_for("entries.show_entry", entry_id=entry_id))


def _posted_lock(form) -> int | None:
    return int(form.lock_version.data) if (form.lock_version.data or "").isdigit() else None


def _save_if_unchanged(entry: Entry, lock: int | None):
    services.check_lock(entry, lock)
    return services.save_version(entry, current_user)


@bp.route("/entries/<int:entry_id>/versions/<int:number>/restore", methods=["POST"])
@login_required
def restore_version(entry_id, number):
    entry = load_visible_entry(entry_id)
    if not is_author(current_user, entry) or not queries.valid_id(number):
        abort(404)
    form = RestoreForm()
    return button_post(
        lambda: services.restore_version(entry, number, current_user,
                                         expected_lock=_posted_lock(form)), form=form,
        success=lambda version: f"Version {number} has been restored as version "
        f"{version.number}.",
        refusal_text=lambda error: "The entry changed in another window since you opened this "
        "page, so nothing was restored. Check the history below and try again."
        if isinstance(error, ConflictError) else error.message,
        to=lambda done: url_for("entries.show_entry" if done else "entries.versions",
                                entry_id=entry_id))


@bp.route("/entries/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete_entry(entry_id):
    entry = load_visible_entry(entry_id)
    if not is_author(current_user, entry):
        abort(404)
    form = ActionForm()
    if not entry_is_writable(entry):
        flash("This entry is read-only, so it cannot be deleted.", "error")
        return redirect(url_for("entries.show_entry", entry_id=entry_id))
    if form.validate_on_submit():
        deleted = attempt(lambda: services.delete_entry(entry, current_user), success=(
            "The entry has been deleted. Its evidence is still in your evidence library."))
        return redirect(url_for("entries.home") if deleted else
                        url_for("entries.show_entry", entry_id=entry_id))
    return render_template("entries/delete.html", entry=entry, form=form)
