"""An entry claiming two competencies, saved, ready to be signed off in person."""

from __future__ import annotations

from portfolio.extensions import db
from portfolio.quicksign import services
from tests.factories import competency, make_entry


def claimed_entry(s, title="Relay change-over session"):
    """The author's entry in cohort A claiming VP1 and RP1 (version 1)."""
    return make_entry(s.author, cohort=s.cohort, title=title,
                      competencies=[competency(s.framework, "VP1"),
                                    competency(s.framework, "RP1")])


def shown_code(s, entry=None, codes=("VP1", "RP1")):
    """The author asks for sign-off now; returns (entry, code row, raw code), committed."""
    entry = entry or claimed_entry(s)
    ids = [competency(s.framework, code).id for code in codes]
    code, raw = services.ask_for_quick_sign(entry, s.author, ids)
    db.session.commit()
    return entry, code, raw


def signed_off_form(s, codes=("VP1", "RP1"), action="complete") -> dict:
    data = {"action": action}
    for code in codes:
        item = competency(s.framework, code)
        data[f"decision_{item.id}"] = "signed_off"
        data[f"feedback_{item.id}"] = f"Clear {code} at the track."
    return data


def code_for_privacy(s):
    """A code the author showed for the open request of tests/privacy/builders.py, used by
    their coach developer (so the row names both)."""
    from portfolio.database import utcnow
    from portfolio.quicksign.models import QuickSignCode

    version = s.request.entry_version
    db.session.add(QuickSignCode(
        token_hash="d" * 64, entry_id=s.request.entry_id, entry_version_id=version.id,
        content_hash=version.content_hash, candidate_id=s.author.id,
        review_request_id=s.request.id, competency_ids=[], expires_at=utcnow(),
        used_at=utcnow(), used_by_id=s.developer.id))
