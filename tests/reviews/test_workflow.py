"""The review workflow a candidate and coach developer go through, end to end."""

from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.reviews.models import ReviewRequest, Signoff
from portfolio.reviews.progress import candidate_progress
from tests.factories import add_version
from tests.reviews.builders import decision_form, render_panel, scenario_with_entry


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _submit_by_post(client, s, codes, message=""):
    return client.post(f"/reviews/entries/{s.entry.id}/review-requests", data={
        "review-competencies": [str(s.competencies[code].id) for code in codes],
        "review-message": message})


def test_submit_review_partial_return_revise_resubmit_sign_off(app, login):
    s = scenario_with_entry()
    author, developer = app.test_client(), app.test_client()
    login(s.author, on=author)
    login(s.developer, on=developer)

    # 1. The candidate submits version 1 for VP1 and VP2.
    response = _submit_by_post(author, s, ("VP1", "VP2"), "Mainly the cueing, please.")
    assert response.status_code == 302
    first = db.session.scalar(select(ReviewRequest))
    assert first.entry_version.number == 1 and first.status == "open"
    assert first.assigned_to_id == s.developer.id
    assert db.session.scalar(select(Notification.message).where(
        Notification.user_id == s.developer.id, Notification.kind == "review_requested"))
    assert _reload(s.entry).review_status == "submitted"

    # 2. The coach developer starts, signs off VP1, says "not yet" to VP2 and returns it.
    assert developer.post(f"/reviews/requests/{first.id}/start").status_code == 302
    first = _reload(first)
    assert first.status == "in_review" and first.started_by_id == s.developer.id
    response = developer.post(f"/reviews/requests/{first.id}/decision", data=decision_form(
        s, first, {"VP1": ("signed_off", "Cues are precise."),
                   "VP2": ("not_yet", "Say how you will measure the change.")},
        "Add a measurable target for VP2, then resubmit.", action="return"))
    assert response.status_code == 302
    first = _reload(first)
    assert first.status == "returned"
    version_one = first.entry_version
    vp1 = db.session.scalar(select(Signoff).where(Signoff.competency_code == "VP1"))
    assert (vp1.decision, vp1.version_number, vp1.content_hash) == (
        "signed_off", 1, version_one.content_hash)
    assert _reload(s.entry).review_status == "returned"
    assert db.session.scalar(select(Notification.kind).where(
        Notification.user_id == s.author.id)) == "review_returned"
    page = author.get(f"/reviews/requests/{first.id}").get_data(as_text=True)
    assert "Add a measurable target for VP2" in page
    assert "Say how you will measure the change." in page

    # 3. The candidate revises: saving makes version 2; version 1 (and its sign-off) stay.
    entry = _reload(s.entry)
    entry.sections = {**entry.sections, "now_what": "Target: 0.05s faster reaction in 4 weeks."}
    add_version(entry)
    db.session.commit()
    assert _reload(s.entry).latest_version_number == 2

    # 4. Resubmit version 2 for VP2; the developer signs it off.
    assert _submit_by_post(author, s, ("VP2",)).status_code == 302
    second = db.session.scalar(select(ReviewRequest).where(ReviewRequest.id != first.id))
    assert second.entry_version.number == 2
    developer.post(f"/reviews/requests/{second.id}/start")
    second = _reload(second)
    response = developer.post(f"/reviews/requests/{second.id}/decision", data=decision_form(
        s, second, {"VP2": ("signed_off", "Now measurable.")}, "Well done."))
    assert response.status_code == 302
    assert _reload(second).status == "completed"
    assert _reload(s.entry).review_status == "signed_off"

    # The first sign-off is still bound to version 1, and the entry says it changed since.
    vp1 = _reload(vp1)
    assert vp1.entry_version_id == version_one.id and vp1.version_number == 1
    assert vp1.content_hash == version_one.content_hash != _reload(second).entry_version.content_hash
    panel = render_panel(app, _reload(s.entry), s.author)
    assert "changed since" in panel
    assert "See what changed since version 1" in panel or "version 1" in panel
    progress = candidate_progress(s.author.id, s.framework)
    assert progress.items["VP1"].is_met
    assert progress.items["VP2"].developer_signoffs == 1
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"review.requested", "signoff.recorded", "review.returned",
            "review.completed"} <= actions


def test_the_reviewer_sees_the_submitted_version_not_later_edits(app, client, login):
    s = scenario_with_entry(sections={"what": "Original **bold** text <script>alert(1)</script>"})
    from tests.reviews.builders import submit

    review_request = submit(s)
    s.entry.sections = {"what": "Rewritten afterwards"}
    add_version(s.entry)
    db.session.commit()
    login(s.developer)
    page = client.get(f"/reviews/requests/{review_request.id}").get_data(as_text=True)
    assert "<strong>bold</strong>" in page
    assert "<script>alert" not in page
    assert "Rewritten afterwards" not in page
    assert "version 1" in page


def test_decision_form_errors_keep_what_was_typed(app, client, login):
    s = scenario_with_entry()
    from tests.reviews.builders import submit

    review_request = submit(s)
    login(s.developer)
    client.post(f"/reviews/requests/{review_request.id}/start")
    review_request = _reload(review_request)
    response = client.post(f"/reviews/requests/{review_request.id}/decision", data=decision_form(
        s, review_request, {"VP1": ("signed_off", "Precise cue words."), "VP2": ("not_yet", "")},
        "Overall this is strong work."))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Say what is missing for VP2" in page
    assert "Precise cue words." in page and "Overall this is strong work." in page
    assert db.session.scalar(select(func.count(Signoff.id))) == 0

    response = client.post(f"/reviews/requests/{review_request.id}/decision", data=decision_form(
        s, review_request, {"VP1": ("signed_off", "")}, "", action="return"))
    assert response.status_code == 400
    assert "Tell the candidate what to change" in response.get_data(as_text=True)

    data = decision_form(s, review_request, {"VP1": ("signed_off", "")})
    response = client.post(f"/reviews/requests/{review_request.id}/decision", data=data)
    assert response.status_code == 400
    assert "Choose “Signed off” or “Not yet” for VP2" in response.get_data(as_text=True)


def test_withdraw_only_before_the_review_starts(app, login):
    s = scenario_with_entry()
    from tests.reviews.builders import submit

    first = submit(s)
    author = login(s.author, on=app.test_client())
    assert author.post(f"/reviews/requests/{first.id}/withdraw").status_code == 302
    assert _reload(first).status == "withdrawn"
    assert _reload(s.entry).review_status == "none"

    second = submit(s, codes=("VP1",))
    developer = login(s.developer, on=app.test_client())
    developer.post(f"/reviews/requests/{second.id}/start")
    response = author.post(f"/reviews/requests/{second.id}/withdraw", follow_redirects=True)
    assert "already started this review" in response.get_data(as_text=True)
    assert _reload(second).status == "in_review"


def test_the_entry_page_shows_sign_offs_with_their_version_and_a_diff_link(app, client, login):
    from tests.reviews.builders import decide, submit

    s = scenario_with_entry()
    review_request = submit(s, codes=("VP1",))
    decide(s, review_request, {"VP1": ("signed_off", "Clear cues.")})
    login(s.peer)
    page = client.get(f"/portfolio/entries/{s.entry.id}").get_data(as_text=True)
    assert "Signed off on" in page and "version 1" in page
    assert "changed since" not in page
    entry = _reload(s.entry)
    entry.sections = {**entry.sections, "so_what": "Reaction improved after two weeks."}
    add_version(entry)
    add_version(entry)
    db.session.commit()
    page = client.get(f"/portfolio/entries/{s.entry.id}").get_data(as_text=True)
    assert "changed since" in page
    assert f'href="/portfolio/entries/{s.entry.id}/compare/1/3"' in page
    assert client.get(f"/portfolio/entries/{s.entry.id}/compare/1/3").status_code == 200
    assert 'action="/reviews/entries/' in page  # the comment and peer sign-off forms


def test_the_panel_offers_review_only_for_competencies_not_yet_reviewed_on_this_version(app):
    from tests.reviews.builders import decide, submit

    s = scenario_with_entry()
    review_request = submit(s, codes=("VP1",))
    decide(s, review_request, {"VP1": ("not_yet", "Add a target.")}, "Add a target.",
           returning=True)
    panel = render_panel(app, _reload(s.entry), s.author)
    assert "Ask your coach developer to review version 1" in panel
    assert f'value="{s.competencies["VP1"].id}"' not in panel  # VP1 was reviewed on v1
    review_request = submit(s, codes=("VP2",))
    decide(s, review_request, {"VP2": ("signed_off", "")})
    panel = render_panel(app, _reload(s.entry), s.author)
    assert "Version 1 has been reviewed" in panel
    assert "Ask your coach developer" not in panel
