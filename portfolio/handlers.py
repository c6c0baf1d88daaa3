"""The one shape of a writing request: load, check access, act, commit once, answer.

A view loads its object with `get_or_404(..., visible=...)`, asks its guards (each answers a
refusal page or None), then hands one service call to `attempt`. `attempt` is the only place a
view catches `DomainError`: a refusal rolls the request back and is shown next to the form field
it names (or flashed when there is no form); success commits once and flashes. Button-only POSTs
(`button_post`) add the token check and the redirect. Views catch a `DomainError` subclass
themselves only when it answers a different page (a 409 with the writer's text, a spent link).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, current_app, flash, g, has_request_context, jsonify, redirect, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from .errors import ConflictError, DomainError, apply_to_form
from .extensions import csrf, db
from .forms import ActionForm


@dataclass(frozen=True)
class Outcome:
    """What `attempt` did: `value` is the service's answer, `error` its refusal (falsy then)."""

    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is None


def _say(message, value) -> None:
    text = message(value) if callable(message) else message
    if text:
        flash(text, "success")


def attempt(action: Callable[[], Any], *, form=None, success=None,
            refusal_category: str | Callable[[DomainError], str] = "error",
            refusal_text: Callable[[DomainError], str] | None = None,
            leave: tuple[type[DomainError], ...] = ()) -> Outcome:
    """Run one service call; commit and flash `success`, or roll back and show the refusal.

    The refusal goes onto `form` when one is given, else into a flash of `refusal_category`
    (a category, or a function of the error), worded by `refusal_text` when the page says
    more than the service. Errors of a type in `leave` are rolled back and returned unshown,
    for the view to answer with its own page.
    """
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        if not isinstance(error, leave):
            _show_refusal(error, form, refusal_category, refusal_text)
        return Outcome(error=error)
    _require_token_check()
    db.session.commit()
    _say(success, value)
    return Outcome(value=value)


def _show_refusal(error: DomainError, form, category, text) -> None:
    if form is not None:
        apply_to_form(error, form)
    else:
        flash(text(error) if text else error.message,
              category(error) if callable(category) else category)


def button_post(action: Callable[[], Any], *, success, to, form=None, **options):
    """A button-only POST: refuse a bad token (400), `attempt` the action, then redirect.

    `to` is the address to go to, or a function of the `Outcome` that returns one.
    """
    if not (form if form is not None else ActionForm()).validate_on_submit():
        abort(400)
    outcome = attempt(action, success=success, **options)
    return redirect(to(outcome) if callable(to) else to)


def refuse(message: str, to: str, category: str = "error"):
    """A guard's answer: say why the action cannot happen here and go to `to`."""
    flash(message, category)
    return redirect(to)


def first_refusal(*guards: Callable[[], Any]):
    """The first guard's refusal page, or None when every guard lets the request through."""
    for guard in guards:
        if (answer := guard()) is not None:
            return answer
    return None


# --- writing routes that check the CSRF token themselves ---------------------------------------

def checks_token_by_hand(view):
    """Exempt a writing view from the automatic CSRF check; it must call `token_problem()`.

    Only for the never-lose-a-word routes (entries, autosave, philosophy): an expired token
    there must answer the form again with the writer's text, not a bare 400 that drops it.
    A signed-in POST that reaches `attempt`'s commit, or answers, without having checked the
    token is a bug, and fails loudly instead of writing; the marker lets a test prove every
    exempt POST route is one of these.
    """
    @wraps(view)
    def checked(*args, **kwargs):
        g.token_check_due = True
        answer = view(*args, **kwargs)
        _require_token_check()
        return answer

    checked.checks_token_by_hand = True
    return csrf.exempt(checked)


def _require_token_check() -> None:
    if not has_request_context() or not g.get("token_check_due"):
        return
    if (request.method == "POST" and current_user.is_authenticated
            and not g.get("token_checked_by_hand")):
        db.session.rollback()
        raise RuntimeError(f"{request.endpoint} wrote or answered a POST without token_problem()")


def token_problem() -> str | None:
    """Check this request's CSRF token; return what is wrong with it, or None."""
    g.token_checked_by_hand = True
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    try:
        csrf.protect()
    except CSRFError as error:
        return error.description or "The form token is not valid."
    return None


def refusal_json(error: DomainError):
    """An autosave's answer to a refusal: 409 when someone else saved first, else 403."""
    if isinstance(error, ConflictError):
        return jsonify(error="conflict", message=error.message), 409
    return jsonify(error="refused", message=error.message), 403
