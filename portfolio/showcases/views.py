"""The owner's and readers' showcase pages: list, create, read, build, change details, delete."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from ..entries.authoring import writing_membership
from ..errors import ConflictError
from ..handlers import attempt
from ..requests import page_arg
from . import queries, services
from .blueprint import bp
from .building import builder_page, conflict_page
from .exporting import send_export
from .forms import DetailsForm, LockedForm, NewShowcaseForm
from .models import Showcase
from .permissions import can_read_showcase, is_owner
from .reading import reader_file_url

PER_PAGE = 25


def readable_or_404(showcase_id) -> Showcase:
    return get_or_404(Showcase, showcase_id, visible=lambda s: can_read_showcase(current_user, s))


def own_or_404(showcase_id) -> Showcase:
    return get_or_404(Showcase, showcase_id, visible=lambda s: is_owner(current_user, s))


@bp.route("/")
@login_required
def index():
    return render_template("showcases/index.html", mine=queries.my_showcases(current_user.id),
                           shared=queries.shared_with(current_user, page_arg(), PER_PAGE),
                           can_make=writing_membership(current_user) is not None)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if writing_membership(current_user) is None:
        abort(403)
    form = NewShowcaseForm()
    if form.validate_on_submit() and (made := attempt(
            lambda: services.create_showcase(current_user, title=form.title.data,
                                             introduction=form.introduction.data or ""),
            form=form, success="Showcase created. Now add your work to it.")):
        return redirect(url_for("showcases.build", showcase_id=made.value.id))
    return render_template("showcases/new.html", form=form)


@bp.route("/<int:showcase_id>")
@login_required
def show(showcase_id):
    """The showcase as its readers see it (its owner too, with a way back to building it)."""
    showcase = queries.load_body(readable_or_404(showcase_id))
    return render_template("showcases/show.html", showcase=showcase,
                           is_owner=is_owner(current_user, showcase),
                           file_url=reader_file_url(showcase))


@bp.route("/<int:showcase_id>/build")
@login_required
def build(showcase_id):
    return builder_page(own_or_404(showcase_id))


@bp.route("/<int:showcase_id>/details", methods=["POST"])
@login_required
def details(showcase_id):
    showcase = own_or_404(showcase_id)
    form = DetailsForm()
    if not form.validate_on_submit():
        return builder_page(showcase, details_form=form)
    done = attempt(lambda: services.update_showcase(
        showcase, current_user, title=form.title.data, introduction=form.introduction.data or "",
        shared_with_developers=form.shared_with_developers.data,
        shared_with_peers=form.shared_with_peers.data, expected_lock=form.expected_lock()),
        form=form, success="Details saved.", leave=(ConflictError,))
    if isinstance(done.error, ConflictError):
        return conflict_page(showcase, {"Title": form.title.data,
                                        "Introduction": form.introduction.data})
    if not done:
        return builder_page(showcase, details_form=form)
    return redirect(url_for("showcases.build", showcase_id=showcase.id))


@bp.route("/<int:showcase_id>/delete", methods=["GET", "POST"])
@login_required
def delete(showcase_id):
    showcase = own_or_404(showcase_id)
    if showcase.is_locked:
        abort(404)
    form = LockedForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        done = attempt(lambda: services.delete_showcase(showcase, current_user,
                                                        expected_lock=form.expected_lock()),
                       success="Showcase deleted. Its secret links no longer work.",
                       leave=(ConflictError,))
        if isinstance(done.error, ConflictError):
            return conflict_page(showcase, {})
        if done:
            return redirect(url_for("showcases.index"))
    form.lock_version.data = showcase.lock_version
    return render_template("showcases/delete.html", showcase=showcase, form=form)


@bp.route("/<int:showcase_id>/showcase.<any(pdf, zip):kind>")
@login_required
def export(showcase_id, kind):
    showcase = queries.load_body(own_or_404(showcase_id))
    return send_export(showcase, kind)
