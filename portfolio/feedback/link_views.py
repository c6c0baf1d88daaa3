"""The page a one-time link opens: the one session asked about, the prompts, and nothing else.

No sign-in and no navigation into the app. Expired, withdrawn, unknown and malformed tokens all
answer the same plain 404; a used link answers "already used" (410)."""

from __future__ import annotations

from flask import abort, render_template

from ..handlers import attempt
from . import services
from .blueprint import external
from .forms import GiveForm
from .services import LinkState, LinkUsedError

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the token is in the address: never send it onwards
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
}


@external.after_request
def _private(response):
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    return response


def _used_page():
    return render_template("feedback/external_used.html"), 410


def _open_or_404(token):
    opened = services.open_link(token)
    if opened is None:
        abort(404)
    return opened


@external.route("/<token>", methods=["GET", "POST"])
def give(token):
    state, request = _open_or_404(token)
    if state == LinkState.USED:
        return _used_page()
    form = GiveForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.give_feedback(
            request, went_well=form.went_well.data, could_be_better=form.could_be_better.data,
            giver_role=form.giver_role.data, comments=form.comments.data),
            form=form, leave=(LinkUsedError,))
        if outcome:
            return render_template("feedback/external_thanks.html",
                                   first_name=request.recipient_name)
        if isinstance(outcome.error, LinkUsedError):
            _open_or_404(token)  # withdrawn or expired meanwhile: the same 404 as ever
            return _used_page()
    return render_template("feedback/external_give.html", form=form, request=request)
