"""The search page: one GET form, results with highlighted snippets, filters kept in links."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from ..forms import options
from ..requests import page_arg, whole_number
from . import queries
from .forms import SearchForm
from .models import KIND_LABELS, KIND_NAMES, DocumentKind
from .scope import choices_for

bp = Blueprint("search", __name__, url_prefix="/search")
PER_PAGE = 20


def _int(value: str | None) -> int | None:
    """An id from the address, or None for anything else ("²" is a digit to str.isdigit)."""
    return whole_number(value, low=1)


@bp.route("/")
@login_required
def index():
    form = SearchForm(request.args)
    choices = choices_for(current_user, _int(request.args.get("cohort")))
    form.kind.choices = options([("", "Everything")] + [(str(k), v) for k, v in KIND_LABELS.items()])
    form.cohort.choices = options([("", "All my cohorts")] + [(str(c.id), c.label)
                                                              for c in choices.cohorts])
    form.candidate.choices = options([("", "Everyone I can read")] + [
        (str(who), name) for who, name in choices.candidates])
    form.competency.choices = options([("", "Any competency")] + [
        (code, f"{code} {title}") for code, title in choices.competencies])
    form.validate()
    for name in ("kind", "cohort", "candidate", "competency", "date_from", "date_to"):
        field = form[name]
        if field.errors:  # an unknown value in the address narrows nothing
            field.data, field.errors = None, []
    query = (form.q.data or "").strip()[:queries.MAX_QUERY]
    filters = queries.Filters(
        kind=form.kind.data or None, cohort_id=_int(form.cohort.data),
        candidate_id=_int(form.candidate.data), competency_code=form.competency.data or None,
        date_from=form.date_from.data, date_to=form.date_to.data)
    found = queries.search(current_user, query, filters, page_arg(), PER_PAGE)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("search/index.html", form=form, found=found, choices=choices,
                           args=args, kind_names=KIND_NAMES, link_for=_link_for)


def _link_for(result: queries.Result) -> str:
    kind = result.kind
    if kind == DocumentKind.ENTRY:
        return url_for("entries.show_entry", entry_id=result.entry_id)
    if kind == DocumentKind.COMMENT:
        return url_for("entries.show_entry", entry_id=result.entry_id,
                       _anchor=f"comment-{result.ref_id}")
    if kind == DocumentKind.EVIDENCE:
        return url_for("evidence.detail", evidence_id=result.ref_id)
    if kind == DocumentKind.GOAL:
        return url_for("entries.show_goal", goal_id=result.ref_id)
    if kind == DocumentKind.OBSERVATION:
        return url_for("observations.show", observation_id=result.ref_id)
    if result.owner_id == current_user.id:
        return url_for("entries.philosophy")
    return url_for("entries.candidate_portfolio", user_id=result.owner_id)
