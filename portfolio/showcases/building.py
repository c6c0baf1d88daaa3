"""The owner's building page and the item routes on it: add, caption, move, remove, update.

Each form on the page carries the showcase's lock_version; a change sent from an out-of-date
tab answers 409 with the text it carried, never a silent overwrite."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from ..errors import ConflictError
from ..handlers import attempt
from ..requests import whole_number
from . import queries, services
from .blueprint import bp
from .forms import (
    DetailsForm,
    EntryItemForm,
    EvidenceItemForm,
    HeadingForm,
    ItemTextForm,
    LockedForm,
    SignoffItemForm,
)
from .links import status_of
from .models import ITEM_KIND_LABELS, Showcase, ShowcaseItem
from .permissions import is_owner
from .reading import reader_file_url

FORMS = {"heading": HeadingForm, "entry": EntryItemForm, "evidence": EvidenceItemForm,
         "signoff": SignoffItemForm}


def builder_page(showcase: Showcase, status: int = 200, **given):
    """The building page; a form that came back with errors is passed in to be shown again."""
    queries.load_body(showcase)
    lock = showcase.lock_version
    forms = {name: given.get(f"{name}_form") or form_class(prefix=name, formdata=None,
                                                           lock_version=lock)
             for name, form_class in FORMS.items()}
    details = given.get("details_form") or DetailsForm(formdata=None, obj=showcase,
                                                      lock_version=lock)
    _fill_choices(forms)
    return render_template(
        "showcases/build.html", showcase=showcase, forms=forms, details_form=details,
        action_form=LockedForm(formdata=None, lock_version=lock), kind_labels=ITEM_KIND_LABELS,
        newer={item.id for item in showcase.items if services.has_newer_version(item)},
        live_links=sum(status_of(link) == "live" for link in showcase.links),
        file_url=reader_file_url(showcase)), status


def _fill_choices(forms) -> None:
    owner = current_user.id
    forms["entry"].entry.choices = [("", "Choose an entry")] + [
        (str(entry.id), f"{entry.display_title} (version {latest})")
        for entry, latest in queries.entry_choices(owner)]
    forms["evidence"].evidence.choices = [("", "Choose evidence")] + [
        (str(item.id), item.title) for item in queries.evidence_choices(owner)]
    forms["signoff"].signoff.choices = [("", "Choose a sign-off")] + [
        (str(s.id), f"{s.competency_code} {s.competency.title} — “{s.entry_version.title}”")
        for s in queries.signoff_choices(owner)]


def conflict_page(showcase: Showcase, kept: dict[str, str | None]):
    """409: someone changed the showcase first; the writer's own text, to copy."""
    return render_template("showcases/conflict.html", showcase=showcase,
                           kept={k: v for k, v in kept.items() if v}), 409


def _own(showcase_id) -> Showcase:
    return get_or_404(Showcase, showcase_id, visible=lambda s: is_owner(current_user, s))


def _item(showcase: Showcase, item_id) -> ShowcaseItem:
    return get_or_404(ShowcaseItem, item_id, visible=lambda i: i.showcase_id == showcase.id)


def _run(showcase, form, action, *, success, kept=None, name=None):
    """Attempt one change; answer the page again with errors, 409 on a conflict, or redirect."""
    done = attempt(action, form=form, success=success, leave=(ConflictError,))
    if isinstance(done.error, ConflictError):
        return conflict_page(showcase, kept or {})
    if not done and form is not None:
        return builder_page(showcase, **({f"{name}_form": form} if name else {}))
    anchor = f"showcase-item-{done.value.id}" if isinstance(done.value, ShowcaseItem) else None
    return redirect(url_for("showcases.build", showcase_id=showcase.id, _anchor=anchor))


@bp.route("/<int:showcase_id>/items/<kind>", methods=["POST"])
@login_required
def add_item(showcase_id, kind):
    showcase = _own(showcase_id)
    if kind not in FORMS:
        abort(404)
    form = FORMS[kind](prefix=kind)
    if not form.validate_on_submit():
        return builder_page(showcase, **{f"{kind}_form": form})
    lock, note = form.expected_lock(), getattr(form, "note", None)
    note = note.data if note is not None else ""
    actions = {
        "heading": lambda: services.add_heading(showcase, current_user,
                                                heading=form.heading.data, expected_lock=lock),
        "entry": lambda: services.add_entry_version(
            showcase, current_user, entry_id=whole_number(form.entry.data, low=1),
            version_number=form.version.data, note=note, expected_lock=lock),
        "evidence": lambda: services.add_evidence(
            showcase, current_user, evidence_id=whole_number(form.evidence.data, low=1),
            note=note, expected_lock=lock),
        "signoff": lambda: services.add_signoff(
            showcase, current_user, signoff_id=whole_number(form.signoff.data, low=1),
            note=note, expected_lock=lock),
    }
    kept = {"Heading": form.heading.data} if kind == "heading" else {"Note": note}
    return _run(showcase, form, actions[kind], success="Added to the showcase.", kept=kept,
                name=kind)


@bp.route("/<int:showcase_id>/items/<int:item_id>/text", methods=["POST"])
@login_required
def edit_item(showcase_id, item_id):
    showcase = _own(showcase_id)
    item = _item(showcase, item_id)
    form = ItemTextForm()
    if not form.validate_on_submit():
        return builder_page(showcase)
    return _run(showcase, None, lambda: services.edit_item(
        item, current_user, note=form.note.data or "", heading=form.heading.data,
        expected_lock=form.expected_lock()), success="Saved.",
        kept={"Heading": form.heading.data, "Note": form.note.data})


@bp.route("/<int:showcase_id>/items/<int:item_id>/<any(up, down):direction>",
          methods=["POST"])
@login_required
def move_item(showcase_id, item_id, direction):
    showcase = _own(showcase_id)
    item = _item(showcase, item_id)
    form = LockedForm()
    if not form.validate_on_submit():
        return builder_page(showcase, 400)
    return _run(showcase, None, lambda: services.move_item(
        item, current_user, direction=direction, expected_lock=form.expected_lock()),
        success=None)


@bp.route("/<int:showcase_id>/items/<int:item_id>/remove", methods=["POST"])
@login_required
def remove_item(showcase_id, item_id):
    showcase = _own(showcase_id)
    item = _item(showcase, item_id)
    form = LockedForm()
    if not form.validate_on_submit():
        return builder_page(showcase, 400)
    return _run(showcase, None, lambda: services.remove_item(
        item, current_user, expected_lock=form.expected_lock()),
        success="Removed from the showcase. The entry or evidence itself is unchanged.")


@bp.route("/<int:showcase_id>/items/<int:item_id>/update", methods=["POST"])
@login_required
def update_item(showcase_id, item_id):
    showcase = _own(showcase_id)
    item = _item(showcase, item_id)
    form = LockedForm()
    if not form.validate_on_submit():
        return builder_page(showcase, 400)
    return _run(showcase, None, lambda: services.update_to_latest(
        item, current_user, expected_lock=form.expected_lock()) and item,
        success="The item now shows the latest version.")
