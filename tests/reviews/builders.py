"""Builders for review tests: the standard scenario plus an entry that claims competencies."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.reviews import services
from tests.factories import competency, make_entry, make_scenario


def scenario_with_entry(privacy: str = "peers", codes=("VP1", "VP2"), **entry_options):
    """make_scenario() plus s.entry by the author (saved as version 1) claiming `codes`."""
    s = make_scenario()
    s.competencies = {code: competency(s.framework, code) for code in ("VP1", "VP2", "RP1")}
    s.entry = make_entry(s.author, cohort=s.cohort, privacy=privacy, title="Block starts",
                         competencies=[s.competencies[code] for code in codes], **entry_options)
    db.session.commit()
    return s


def submit(s, codes=("VP1", "VP2"), message="Please look at my block start cues."):
    review_request = services.submit_for_review(
        s.entry, s.author, [s.competencies[code].id for code in codes], message)
    db.session.commit()
    return review_request


def decide(s, review_request, decisions: dict, overall="", *, returning=False, actor=None):
    """decisions: code -> ("signed_off" | "not_yet", feedback)."""
    chosen = [services.Decision(s.competencies[code].id, decision, feedback)
              for code, (decision, feedback) in decisions.items()]
    signoffs = services.complete_review(review_request, actor or s.developer, chosen, overall,
                                        review_request.lock_version,
                                        return_for_revision=returning)
    db.session.commit()
    return signoffs


def decision_form(s, review_request, decisions: dict, overall="", action="complete"):
    """Form data for POST /reviews/requests/<id>/decision."""
    data = {"overall_feedback": overall, "action": action,
            "lock_version": str(review_request.lock_version)}
    for code, (decision, feedback) in decisions.items():
        competency_id = s.competencies[code].id
        data[f"decision_{competency_id}"] = decision
        data[f"feedback_{competency_id}"] = feedback
    return data


def render_panel(app, entry, viewer) -> str | None:
    """The reviews panel as the entry page shows it to `viewer` (None when hidden)."""
    from flask import render_template

    from portfolio.reviews.panel import build_entry_panel

    with app.test_request_context("/"):
        context = build_entry_panel(entry, None, viewer)
        if context is None:
            return None
        return render_template("reviews/_entry_panel.html",
                               panel={"name": "reviews", "context": context})


class StatementCounter:
    """Count SQL statements sent to the app's database while the block runs."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)
