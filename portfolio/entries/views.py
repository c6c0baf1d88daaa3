"""Writing entries: choose a model, the form (Save draft / Save), autosave and preview."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..database import get_or_404
from ..errors import ConflictError, DomainError, ReadOnlyError, apply_to_form
from ..extensions import db
from ..handlers import attempt, checks_token_by_hand, refusal_json, token_problem
from ..offline import services as sent_once
from ..text import render_markdown
from . import bp, keeping, queries, services
from .authoring import can_write_portfolio, entry_is_writable, writing_membership
from .forms import build_entry_form, entry_form_data, section_keys_for
from .models import PRIVACY_TIERS, Entry
from .permissions import is_author
from .reflection_models import MODELS, PROMPTS, model_for
from .rescue import formdata_of, owner_hint
from .vocabulary import PRIVACY_HINTS, SECTION_MAX_CHARS


def load_own_entry(entry_id: int) -> Entry:
    if not queries.valid_id(entry_id):
        abort(404)
    return get_or_404(Entry, entry_id, visible=lambda entry: is_author(current_user, entry))


def _edit_url(entry_id=None, **_):
    return url_for("entries.edit_entry", entry_id=entry_id)


def _new_url(**_):
    return url_for("entries.new_entry", model=request.args.get("model"))


def _framework_id(entry: Entry | None):
    if entry is not None:
        return entry.cohort.framework_id if entry.cohort is not None else None
    membership = writing_membership(current_user)
    return membership.cohort.framework_id if membership else None


def entry_form(entry: Entry | None, formdata=None, data=None):
    """The entry form for this entry (or a new one), bound to posted or initial data."""
    groups = queries.competency_groups(_framework_id(entry))
    posted_model = formdata.get("reflection_model") if formdata is not None else None
    model_key = posted_model or (data or {}).get("reflection_model") or (
        entry.reflection_model if entry else None)
    keys = section_keys_for(model_key, entry.sections if entry else None, formdata)
    form = build_entry_form(keys, queries.competency_choices(groups), formdata=formdata,
                            data=data)
    form.competency_groups = groups
    return form


def render_entry_form(entry, form, status=200, *, conflict=False, notice=None, previews=None):
    if conflict and entry is not None:
        form.lock_version.data = str(entry.lock_version)  # saving again is now a choice
    model = model_for(form.reflection_model.data)
    return render_template(
        "entries/form.html", entry=entry, form=form, model=model, conflict=conflict,
        notice=notice, previews=previews or {}, privacy_hints=PRIVACY_HINTS, tiers=PRIVACY_TIERS,
        sections=_form_sections(form, model), section_limit=SECTION_MAX_CHARS,
        latest=services.latest_version(entry) if entry else None), status


def _form_sections(form, model):
    items = []
    for key in form.section_keys:
        owner_model, prompt = PROMPTS[key]
        items.append({"field": form.section(key), "prompt": prompt,
                      "other_model": None if owner_model.key == model.key else owner_model})
    return items


@bp.route("/entries/new", methods=["GET", "POST"])
@checks_token_by_hand
@keeping.writer_login_required("new_entry", _new_url)
def new_entry():
    if not can_write_portfolio(current_user):
        abort(403)
    if request.method == "POST":
        return _create_from_post()
    kept = keeping.claim_rescue("new_entry")
    if kept is not None:
        return _create_from_rescue(kept)
    model = request.args.get("model")
    if model not in MODELS:
        return render_template("entries/choose_model.html", models=MODELS.values())
    form = entry_form(None, data={"reflection_model": model, "privacy": "private",
                                  "owner": owner_hint(current_user.id), "claims_shown": "1"})
    return render_entry_form(None, form)


def _create_from_post():
    keeping.allow_long_text()
    form = entry_form(None, formdata=request.form)
    if token_problem():
        return render_entry_form(None, form, 400, notice=keeping.EXPIRED_FORM_MESSAGE)
    if not form.validate():
        return render_entry_form(None, form)
    action = request.form.get("action", "save")
    # A phone's outbox may send the same new entry again: its key makes one entry.
    key = sent_once.key_from(request.form)
    if (earlier := sent_once.earlier_result(current_user, key)) is not None:
        return redirect(earlier)
    try:
        entry, _ = sent_once.create_once(
            current_user, key, "entry", lambda: services.create_entry(current_user,
                                                                      form.to_draft()),
            lambda made: _sent_once_url(made[0], action))
    except sent_once.AlreadySent:
        db.session.rollback()
        return redirect(sent_once.earlier_result(current_user, key) or url_for("entries.home"))
    except DomainError as error:
        db.session.rollback()
        apply_to_form(error, form)
        return render_entry_form(None, form)
    return _after_write(entry, form, action)


def _sent_once_url(entry, action) -> str:
    if action == "save":
        return url_for("entries.show_entry", entry_id=entry.id)
    return url_for("entries.edit_entry", entry_id=entry.id)


def _create_from_rescue(kept):
    formdata = formdata_of(kept)
    key = sent_once.key_from(formdata)
    if (earlier := sent_once.earlier_result(current_user, key)) is not None:
        keeping.finish_rescue(kept)  # the phone's outbox sent it after signing in
        db.session.commit()
        return redirect(earlier)
    form = entry_form(None, formdata=formdata)
    form.validate()
    try:
        entry, _ = sent_once.create_once(
            current_user, key, "entry", lambda: services.create_entry(
                current_user, form.to_draft(skip_invalid=True), lenient=True),
            lambda made: _sent_once_url(made[0], "draft"))
    except sent_once.AlreadySent:  # the outbox's send won by a moment
        db.session.rollback()
        return _create_from_rescue(kept)
    keeping.finish_rescue(kept)
    db.session.commit()
    flash("The entry you were writing when you were signed out has been saved as a draft. "
          "Check it, then press Save to make it a version.", "success")
    return redirect(url_for("entries.edit_entry", entry_id=entry.id))


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@checks_token_by_hand
@keeping.writer_login_required("entry", _edit_url)
def edit_entry(entry_id):
    entry = load_own_entry(entry_id)
    if request.method == "POST":
        return _update_from_post(entry)
    if not entry_is_writable(entry):
        flash("This entry is read-only: its programme year is archived or you have left the "
              "cohort.", "info")
        return redirect(url_for("entries.show_entry", entry_id=entry.id))
    kept = keeping.claim_rescue("entry", entry.id)
    if kept is not None:
        return _apply_rescue(entry, kept)
    form = entry_form(entry, data=entry_form_data(entry, owner_hint(current_user.id)))
    previews = _previews(entry) if request.args.get("preview") else None
    return render_entry_form(entry, form, previews=previews)


def _previews(entry):
    return {key: render_markdown(text) for key, text in (entry.sections or {}).items()}


def _update_from_post(entry):
    keeping.allow_long_text()
    form = entry_form(entry, formdata=request.form)
    if token_problem():
        return render_entry_form(entry, form, 400, notice=keeping.EXPIRED_FORM_MESSAGE)
    if not form.validate():
        return render_entry_form(entry, form)
    if not entry_is_writable(entry):
        form.form_errors.append("This entry is read-only, so it was not changed. Copy your text "
                                "from below if you want to keep it.")
        return render_entry_form(entry, form, 403)
    try:
        services.update_working_copy(entry, form.to_draft(), current_user,
                                     expected_lock=form.expected_lock())
    except ConflictError:
        db.session.rollback()
        return render_entry_form(entry, form, 409, conflict=True)
    except DomainError as error:
        db.session.rollback()
        apply_to_form(error, form)
        return render_entry_form(entry, form)
    return _after_write(entry, form, request.form.get("action", "save"))


def _after_write(entry, form, action):
    """The working copy is written; save a version if asked, commit, and move on."""
    version, problem = None, None
    if action == "save":
        try:
            version = services.save_version(entry, current_user)
        except ConflictError:
            db.session.rollback()
            return render_entry_form(entry, form, 409, conflict=True)
        except DomainError as error:
            problem = error
    keeping.forget_rescue_for("entry", entry.id)
    db.session.commit()
    if problem is not None:
        apply_to_form(problem, form)
        form.lock_version.data = str(entry.lock_version)
        return render_entry_form(entry, form, notice="Your draft has been saved, but not as a "
                                 "version yet: see the problem below.")
    return redirect(_next_page(entry, action, version))


def _next_page(entry, action, version):
    if action == "save":
        flash(f"Saved as version {version.number}." if version else
              f"Nothing has changed since version {entry.latest_version_number}.", "success")
        return url_for("entries.show_entry", entry_id=entry.id)
    if action == "change_model":
        flash(f"Now using {model_for(entry.reflection_model).name}. Anything you wrote under "
              "the previous prompts is kept, labelled, below the new ones.", "success")
    elif action != "preview":
        flash(f"Draft saved at {keeping.saved_at_text(entry.autosaved_at)}. Only you can see "
              "drafts.", "success")
    anchor = "preview" if action == "preview" else None
    return url_for("entries.edit_entry", entry_id=entry.id,
                   preview=1 if action == "preview" else None, _anchor=anchor)


def _apply_rescue(entry, kept):
    form = entry_form(entry, formdata=formdata_of(kept))
    form.validate()
    try:
        services.update_working_copy(entry, form.to_draft(skip_invalid=True), current_user,
                                     expected_lock=form.expected_lock(), lenient=True)
    except ConflictError:
        db.session.rollback()
        keeping.finish_rescue(kept)  # the text is on the page now, with the conflict explained
        db.session.commit()
        return render_entry_form(entry, form, 409, conflict=True)
    except ReadOnlyError:
        db.session.rollback()
        return render_entry_form(entry, form, 403, notice="This entry is read-only now, so "
                                 "the text you sent could not be saved. Copy it from below.")
    keeping.finish_rescue(kept)
    db.session.commit()
    flash("The text you sent when you were signed out has been saved into your draft. Check "
          "it, then press Save to make it a version.", "success")
    return redirect(url_for("entries.edit_entry", entry_id=entry.id))


# --- autosave and preview (JavaScript) ----------------------------------------------------

@bp.route("/entries/new/autosave", methods=["POST"])
@checks_token_by_hand
def autosave_new_entry():
    if not current_user.is_authenticated:
        return keeping.signed_out_json("new_entry", url_for("entries.new_entry"))
    if not can_write_portfolio(current_user):
        abort(403)
    return _autosave(None)


@bp.route("/entries/<int:entry_id>/autosave", methods=["POST"])
@checks_token_by_hand
def autosave_entry(entry_id):
    if not current_user.is_authenticated:
        return keeping.signed_out_json("entry", _edit_url(entry_id), entry_id)
    return _autosave(load_own_entry(entry_id))


def _autosave(entry):
    keeping.allow_long_text()
    if token_problem():
        return jsonify(error="token", csrf_token=generate_csrf(),
                       message="Your session changed; trying again."), 400
    if entry is not None and not entry_is_writable(entry):
        return jsonify(error="read_only", message="This entry is read-only now."), 403
    form = entry_form(entry, formdata=request.form)
    form.validate()
    draft = form.to_draft(skip_invalid=True)
    if entry is None and not _has_words(draft):
        return jsonify(status="empty")
    saved = attempt(lambda: _autosave_write(entry, draft, form), leave=(DomainError,))
    if not saved:
        return refusal_json(saved.error)
    entry, problems = saved.value
    return jsonify(_autosave_answer(entry, form, problems))


def _autosave_write(entry, draft, form):
    if entry is None:
        entry, problems = services.create_entry(current_user, draft, lenient=True)
    else:
        problems = _autosave_into(entry, draft, form.expected_lock())
    keeping.forget_rescue_for("entry", entry.id)
    return entry, problems


def _autosave_into(entry, draft, expected_lock) -> list:
    """Write an autosave; if another request won the race for the row, judge it once more.

    A reloaded page and its own unload autosave can reach the row together: the loser is no
    conflict when it carries the text the winner wrote (see update_working_copy).
    """
    try:
        return services.update_working_copy(entry, draft, current_user, lenient=True,
                                            expected_lock=expected_lock)
    except ConflictError:
        db.session.rollback()
        return services.update_working_copy(entry, draft, current_user, lenient=True,
                                            expected_lock=expected_lock)


def _has_words(draft) -> bool:
    given = draft.given()
    return bool((given.get("title") or "").strip() or (given.get("athletes") or "").strip()
                or any(text.strip() for text in (given.get("sections") or {}).values()))


def _autosave_answer(entry, form, problems) -> dict:
    errors = [message for field in form for message in field.errors]
    errors += [problem.message for problem in problems]
    return {
        "status": "saved", "entry_id": entry.id, "lock_version": entry.lock_version,
        "saved_at": keeping.saved_at_text(entry.autosaved_at), "errors": errors,
        "privacy_note": ("Your wider choice of who can see this entry takes effect when you "
                         "press Save.") if entry.pending_privacy else "",
        "urls": {"edit": url_for("entries.edit_entry", entry_id=entry.id),
                 "autosave": url_for("entries.autosave_entry", entry_id=entry.id),
                 "show": url_for("entries.show_entry", entry_id=entry.id)},
    }


@bp.route("/preview", methods=["POST"])
@login_required
def preview():
    text = (request.form.get("text") or "")[:SECTION_MAX_CHARS]
    return jsonify(html=str(render_markdown(text)))

