"""A candidate who has met every competency, and the programme lead who completes them."""

from __future__ import annotations

from types import SimpleNamespace

from portfolio.extensions import db
from portfolio.reviews import services
from tests.factories import add_member, make_cohort, make_entry, make_framework, make_user

ONE_COMPETENCY = [("Coaching practice", [("CP1", 1, 0)])]


def ready_candidate(name="Hana Holder", *, cohort=None, lead=None):
    """A candidate whose one competency a coach developer has signed off (committed)."""
    cohort = cohort or make_cohort(framework=make_framework(areas=ONE_COMPETENCY))
    developer = make_user(name=f"Dev for {name}")
    add_member(cohort, developer, role="coach_developer")
    candidate = make_user(name=name)
    membership = add_member(cohort, candidate, developer=developer)
    competency = cohort.framework.competencies[0]
    entry = make_entry(candidate, cohort=cohort, title="Season review", competencies=[competency])
    db.session.flush()
    request = services.submit_for_review(entry, candidate, [competency.id], "Please review.")
    services.complete_review(request, developer,
                             [services.Decision(competency.id, "signed_off", "Well evidenced.")],
                             "", request.lock_version)
    lead = lead or make_user(name="Lee Lead", lead=True)
    db.session.commit()
    return SimpleNamespace(cohort=cohort, developer=developer, candidate=candidate,
                           membership=membership, lead=lead, entry=entry)


def completed_candidate(name="Hana Holder", **options):
    """ready_candidate() whose completion the lead has recorded: s.completion, s.credential."""
    from portfolio.credentials.queries import credentials_of

    s = ready_candidate(name, **options)
    s.completion = services.record_completion(s.membership, s.lead, "Final panel in June.")
    db.session.commit()
    s.credential = credentials_of(s.candidate.id)[0]
    return s
