"""Secret links: the owner's list (make, revoke, read the log) and the pages a link opens.

A link's pages need no sign-in. Expired, revoked, unknown and malformed tokens all answer the
same plain 404. Every page, file and export opened through a link is logged for the owner."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from ..extensions import db
from ..handlers import attempt, button_post
from ..requests import page_arg
from . import links, queries
from .blueprint import bp, public
from .exporting import send_export
from .files import PATHS, VARIANT_OF, send_item_file
from .forms import LinkForm
from .models import ShowcaseLink
from .views import own_or_404

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the token is in the address: never send it onwards
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
}


# --- the owner's side ----------------------------------------------------------------------

@bp.route("/<int:showcase_id>/links", methods=["GET", "POST"])
@login_required
def manage_links(showcase_id):
    showcase = own_or_404(showcase_id)
    form = LinkForm()
    new_address = None
    if form.validate_on_submit() and (made := attempt(
            lambda: links.create_link(showcase, current_user, label=form.label.data,
                                      days=form.days.data), form=form)):
        # Shown on this answer only: the token is not stored, so no later page can show it.
        new_address = url_for("showcase_links.page", token=made.value[1], _external=True)
        form = LinkForm(formdata=None)
    return render_template("showcases/links.html", showcase=showcase, form=form,
                           links=queries.links_of(showcase), status_of=links.status_of,
                           new_address=new_address)


def _own_link(showcase, link_id) -> ShowcaseLink:
    return get_or_404(ShowcaseLink, link_id, visible=lambda row: row.showcase_id == showcase.id)


@bp.route("/<int:showcase_id>/links/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke_link(showcase_id, link_id):
    showcase = own_or_404(showcase_id)
    link = _own_link(showcase, link_id)
    return button_post(lambda: links.revoke_link(link, current_user),
                       success=f"The link for “{link.label}” no longer works.",
                       to=url_for("showcases.manage_links", showcase_id=showcase.id))


@bp.route("/<int:showcase_id>/links/<int:link_id>")
@login_required
def link_log(showcase_id, link_id):
    showcase = own_or_404(showcase_id)
    link = _own_link(showcase, link_id)
    views = queries.views_page(link, page_arg(), current_app.config["ITEMS_PER_PAGE"])
    return render_template("showcases/link_log.html", showcase=showcase, link=link,
                           views=views, status=links.status_of(link))


# --- what a link opens ---------------------------------------------------------------------

@public.after_request
def _private(response):
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    return response


def _live_or_404(token: str) -> ShowcaseLink:
    link = links.live_link(token)
    if link is None:
        abort(404)
    return link


def _log(link: ShowcaseLink, what: str) -> None:
    links.record_view(link, what=what, address=request.remote_addr,
                      user_agent=request.headers.get("User-Agent"))


def public_file_url(token: str):
    def file_url(item, variant: str) -> str:
        return url_for("showcase_links.item_file", token=token, kind=PATHS[variant],
                       item_id=item.id)
    return file_url


@public.route("/<token>")
def page(token):
    link = _live_or_404(token)
    showcase = queries.load_body(link.showcase)
    _log(link, "The showcase page")
    db.session.commit()
    return render_template("showcases/public.html", showcase=showcase, token=token,
                           file_url=public_file_url(token))


@public.route("/<token>/<any(files, thumbnails):kind>/<int:item_id>")
def item_file(token, kind, item_id):
    link = _live_or_404(token)
    item = queries.evidence_item(link.showcase, item_id)
    if item is None:
        abort(404)
    if kind == "files":  # thumbnails come with the page view already logged
        _log(link, f"File: {item.pinned_title or item.evidence.original_filename}"[:120])
        db.session.commit()
    return send_item_file(item, VARIANT_OF[kind])


@public.route("/<token>/showcase.<any(pdf, zip):kind>")
def export(token, kind):
    link = _live_or_404(token)
    _log(link, "PDF download" if kind == "pdf" else "Web page download (ZIP)")
    db.session.commit()
    return send_export(queries.load_body(link.showcase), kind, show_names=False)
