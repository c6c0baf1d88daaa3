"""Panel rules: scheduling, the window, notes, the immutable outcome and programme completion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.notifications.models import Notification
from portfolio.panels import services
from portfolio.panels.models import OutcomeOption, PanelOutcome, PanelStatus
from portfolio.programmes.models import MembershipStatus
from portfolio.reviews.models import ProgrammeCompletion
from tests.cpu import least_cpu_seconds
from tests.factories import make_scenario
from tests.panels.builders import make_panel, make_showcase, open_window, plan
from tests.programmes.builders import make_signoff


def option(label):
    return db.session.scalar(select(OutcomeOption).where(OutcomeOption.label == label))


def test_the_four_default_outcomes_are_seeded_in_order(app):
    assert [o.label for o in services.usable_options()] == [
        "Complete", "Complete with conditions", "Extend by N months", "Not yet"]


def test_scheduling_a_batch_makes_one_panel_each_and_tells_everyone(app):
    s = make_scenario()
    panels = services.schedule_panels(s.lead, s.cohort,
                                      plan(s, candidates=[s.author, s.peer]))
    assert sorted(p.candidate_id for p in panels) == sorted([s.author.id, s.peer.id])
    assert all(p.member_ids == {s.lead.id, s.developer.id} for p in panels)
    kinds = db.session.execute(select(Notification.user_id, Notification.kind)).all()
    assert (s.author.id, "panel_scheduled") in kinds and (s.peer.id, "panel_scheduled") in kinds
    assert sum(kind == "panel_member" for _, kind in kinds) == 4  # lead and developer, twice


def test_a_candidate_with_a_waiting_panel_is_not_scheduled_twice(app):
    s = make_scenario()
    make_panel(s)
    with pytest.raises(DomainError, match="Aisha Author already has a panel"):
        services.schedule_panels(s.lead, s.cohort, plan(s))


@pytest.mark.parametrize("change, field", [
    ({"chair_id": None}, "chair"),
    ("developer_chairs", "chair"),
    ("other_cohort_member", "members"),
    ("other_cohort_candidate", "candidates"),
])
def test_scheduling_refuses_people_outside_the_cohort_or_a_chair_who_cannot_complete(
        app, change, field):
    s = make_scenario()
    base = plan(s)
    if change == "developer_chairs":
        base = services.PanelPlan(**{**base.__dict__, "chair_id": s.developer.id})
    elif change == "other_cohort_member":
        base = services.PanelPlan(**{**base.__dict__, "member_ids": [s.other_developer.id]})
    elif change == "other_cohort_candidate":
        base = services.PanelPlan(**{**base.__dict__, "candidate_ids": [s.other_candidate.id]})
    else:
        base = services.PanelPlan(**{**base.__dict__, **change})
    with pytest.raises(DomainError) as refused:
        services.schedule_panels(s.lead, s.cohort, base)
    assert refused.value.field == field


def test_only_leads_schedule(app):
    s = make_scenario()
    with pytest.raises(DomainError):
        services.schedule_panels(s.developer, s.cohort, plan(s))


def test_the_candidate_submits_and_resubmits_until_the_window_opens(app):
    s = make_scenario()
    panel = make_panel(s)
    showcase = make_showcase(s.author, s.cohort)
    first = services.submit_showcase(panel, s.author, showcase)
    second = services.submit_showcase(panel, s.author, showcase)
    assert first.id != second.id and panel.showcase_id == second.id
    assert second.locked_at is not None and second.copied_from_id == showcase.id
    open_window(panel)
    with pytest.raises(DomainError, match="window has opened"):
        services.submit_showcase(panel, s.author, showcase)
    with pytest.raises(DomainError, match="Only the candidate"):
        services.submit_showcase(panel, s.peer, showcase)


def test_notes_only_while_the_window_runs_and_only_by_members(app):
    s = make_scenario()
    panel = make_panel(s)
    with pytest.raises(DomainError, match="while the review window is open"):
        services.save_note(panel, s.developer, "Too early", None)
    open_window(panel)
    note = services.save_note(panel, s.developer, "Strong reflective thread.", None)
    services.save_note(panel, s.developer, "Strong reflective thread. Good cues.",
                       note.lock_version)
    assert note.body.endswith("Good cues.")
    for outsider in (s.author, s.other_developer, s.peer):
        with pytest.raises(DomainError):
            services.save_note(panel, outsider, "Not mine to write", None)


def test_the_chair_records_an_outcome_once_and_the_candidate_is_told(app):
    s = make_scenario()
    panel = make_panel(s)
    with pytest.raises(DomainError, match="once the review window has opened"):
        services.record_outcome(panel, s.lead, option("Not yet").id, "Too early", None)
    open_window(panel)
    db.session.commit()
    with pytest.raises(DomainError, match="Only the chair"):
        services.record_outcome(panel, s.developer, option("Not yet").id, "Reasons", None)
    with pytest.raises(DomainError) as refused:
        services.record_outcome(panel, s.lead, option("Extend by N months").id, "More work", None)
    assert refused.value.field == "extension_months"
    db.session.rollback()
    outcome = services.record_outcome(panel, s.lead, option("Extend by N months").id,
                                      "Two more observed sessions.", 6)
    assert outcome.label == "Extend by 6 months" and panel.status == PanelStatus.DECIDED
    assert db.session.scalar(select(Notification.message).where(
        Notification.kind == "panel_outcome")) == \
        "Your review panel recorded its outcome: Extend by 6 months."
    with pytest.raises(services.AlreadyDecided):
        services.record_outcome(panel, s.lead, option("Not yet").id, "Again", None)


def test_the_outcome_keeps_its_words_when_the_option_is_renamed(app):
    s = make_scenario()
    panel = make_panel(s)
    open_window(panel)
    services.record_outcome(panel, s.lead, option("Not yet").id, "Reasons.", None)
    services.update_option(s.lead, option("Not yet"), services.OptionChanges(
        label="Not yet ready", completes_programme=False, needs_extension=False, position=3))
    assert panel.outcome.option_label == "Not yet"


def test_the_database_refuses_to_change_or_delete_an_outcome(app):
    s = make_scenario()
    panel = make_panel(s)
    open_window(panel)
    outcome = services.record_outcome(panel, s.lead, option("Not yet").id, "Reasons.", None)
    db.session.commit()
    for statement in (f"UPDATE panel_outcomes SET reasons = 'changed' WHERE id = {outcome.id}",
                      f"DELETE FROM panel_outcomes WHERE id = {outcome.id}"):
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(PanelOutcome.reasons)) == "Reasons."


def _sign_off_everything(s):
    from portfolio.frameworks.models import Competency

    for code in db.session.scalars(select(Competency.code).where(
            Competency.framework_id == s.framework.id)):
        make_signoff(s.author, s.framework, code, s.developer)
    make_signoff(s.author, s.framework, "VP2", s.peer, role="peer")  # VP2 needs a peer too


def test_a_completing_outcome_records_programme_completion_through_reviews(app):
    s = make_scenario()
    _sign_off_everything(s)
    panel = make_panel(s)
    open_window(panel)
    services.record_outcome(panel, s.lead, option("Complete").id, "All evidence is strong.",
                            None)
    completion = db.session.scalar(select(ProgrammeCompletion))
    assert completion.membership_id == s.author_membership.id
    assert "Review panel outcome: Complete" in completion.note
    db.session.refresh(s.author_membership)
    assert s.author_membership.status == MembershipStatus.COMPLETED


def test_a_completion_recorded_at_the_same_moment_sends_the_chair_back_not_a_500(
        app, monkeypatch):
    """The race the unique index settles: the database refused this request's completion row
    (on PostgreSQL the transaction is then spent), so the outcome must not be kept either."""
    from sqlalchemy.exc import IntegrityError

    from portfolio.reviews.services import AlreadyRecorded

    s = make_scenario()
    _sign_off_everything(s)
    panel = make_panel(s)
    open_window(panel)
    db.session.commit()

    def raced(*args, **kwargs):
        raise AlreadyRecorded("already") from IntegrityError("INSERT", {}, Exception("unique"))

    monkeypatch.setattr(services, "record_completion", raced)
    with pytest.raises(DomainError, match="at the same moment"):
        services.record_outcome(panel, s.lead, option("Complete").id, "All strong.", None)
    db.session.rollback()
    assert db.session.scalar(select(func.count(PanelOutcome.id))) == 0


def test_a_completion_already_in_force_stands_when_the_panel_completes(app, monkeypatch):
    from portfolio.reviews.services import AlreadyRecorded

    s = make_scenario()
    _sign_off_everything(s)
    panel = make_panel(s)
    open_window(panel)

    def already(*args, **kwargs):
        raise AlreadyRecorded("Completion has already been recorded for this candidate.")

    monkeypatch.setattr(services, "record_completion", already)
    outcome = services.record_outcome(panel, s.lead, option("Complete").id, "All strong.", None)
    assert outcome.label == "Complete"


def test_complete_is_refused_while_competencies_are_missing(app):
    s = make_scenario()
    panel = make_panel(s)
    open_window(panel)
    db.session.commit()
    with pytest.raises(DomainError, match="Not every competency is signed off"):
        services.record_outcome(panel, s.lead, option("Complete").id, "Reasons.", None)
    db.session.rollback()
    assert db.session.scalar(select(func.count(PanelOutcome.id))) == 0


def test_the_largest_reasons_and_notes_are_kept_whole(app):
    s = make_scenario()
    panel = make_panel(s)
    open_window(panel)
    db.session.commit()
    notes = ("- " + "deep *nested* [link](https://example.org) " * 40 + "\n") * 280
    notes = notes[:services.MAX_NOTES]
    reasons = ("> " * 8 + "reason " * 100 + "\n\n") * 40
    reasons = reasons[:services.MAX_REASONS].strip()
    note = services.save_note(panel, s.developer, notes, None)
    outcome = services.record_outcome(panel, s.lead, option("Not yet").id, reasons, None)
    assert note.body == notes.strip() and outcome.reasons == reasons
    with pytest.raises(DomainError):
        services.save_note(panel, s.developer, "x" * (services.MAX_NOTES + 1), note.lock_version)
    db.session.rollback()
    from flask import render_template_string

    def show():
        with app.test_request_context():
            render_template_string("{{ a | markdown }}{{ b | markdown }}", a=notes, b=reasons)

    assert least_cpu_seconds(show, repeat=2) < 2.0


def test_notes_about_a_candidate_stay_out_of_their_download_and_go_when_they_are_erased(app):
    import json

    from portfolio.panels.models import PanelNote
    from portfolio.privacy.erasure import erase_person
    from portfolio.privacy.services import personal_data

    s = make_scenario()
    panel = make_panel(s)
    open_window(panel)
    services.save_note(panel, s.developer, "Candidate seemed anxious in the observation.", None)
    services.record_outcome(panel, s.lead, option("Not yet").id, "Two more observations.", None)
    mine = json.dumps(personal_data(s.author), default=str)
    assert "Two more observations." in mine and "anxious" not in mine
    assert "anxious" in json.dumps(personal_data(s.developer), default=str)
    erase_person(s.admin, s.author)
    assert db.session.scalar(select(func.count(PanelNote.id))) == 0
    assert db.session.scalar(select(PanelOutcome.reasons)) == "Two more observations."
