"""'Shared with me': what peers (and the cohort) shared with the reader, newest save first,
with what is new or changed since the reader last opened it."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from ..requests import page_arg
from . import bp, queries
from .reflection_models import model_name


@bp.route("/shared")
@login_required
def shared():
    unseen_only = request.args.get("show") == "new"
    items = queries.shared_with(current_user, page_arg(), current_app.config["ITEMS_PER_PAGE"],
                                unseen_only=unseen_only)
    return render_template("entries/shared.html", items=items, unseen_only=unseen_only,
                           unseen=queries.unseen_shared_count(current_user),
                           model_name=model_name)
