"""'Start next year': carry chosen members; sign-offs stay valid where the code survives."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from portfolio.audit.models import AuditEvent
from portfolio.errors import DomainError, ReadOnlyError
from portfolio.extensions import db
from portfolio.programmes import rollover
from portfolio.programmes.models import Cohort, CohortMembership, Specialism
from portfolio.reviews.progress import candidate_progress
from tests.factories import add_member, make_cohort, make_framework, make_user, make_year
from tests.programmes.builders import archive, make_signoff

V1 = [("Vision & planning", [("VP1", 1, 0), ("VP2", 1, 1)]),
      ("Reflective practice", [("RP1", 1, 0)])]
V2 = [("Vision & planning", [("VP1", 1, 0), ("VP2", 1, 1), ("VP3", 1, 0)]),
      ("Reflective practice", [("RP2", 1, 0)])]


@pytest.fixture
def pilot(app):
    """A 2025-2026 cohort with candidates in every state and a next year to carry into."""
    w = type("World", (), {})()
    w.lead = make_user(name="Lee Lead", lead=True)
    w.v1 = make_framework("Coaching", areas=V1)
    w.v2 = make_framework("Coaching", areas=V2, version=2)
    w.old_year = make_year("2025-2026", status="closed", starts_on=date(2025, 9, 1))
    w.new_year = make_year("2026-2027", status="planning", starts_on=date(2026, 9, 1))
    w.cohort = make_cohort(year=w.old_year, framework=w.v1, name="Talent 2025-2026")
    w.developer = make_user(name="Dev Eloper")
    add_member(w.cohort, w.developer, role="coach_developer")
    w.active = make_user(name="Amy Active")
    w.deferred = make_user(name="Dan Deferred")
    w.completed = make_user(name="Cat Completed")
    w.withdrawn = make_user(name="Will Withdrawn")
    w.active_m = add_member(w.cohort, w.active, developer=w.developer)
    w.active_m.specialisms = [db.session.scalar(select(Specialism).where(
        Specialism.name == "Throws"))]
    w.deferred_m = add_member(w.cohort, w.deferred, status="deferred", developer=w.developer)
    add_member(w.cohort, w.completed, status="completed")
    add_member(w.cohort, w.withdrawn, status="withdrawn")
    # Amy has VP1 signed off (carries) and RP1 signed off (dropped in version 2).
    make_signoff(w.active, w.v1, "VP1", w.developer)
    make_signoff(w.active, w.v1, "RP1", w.developer)
    make_signoff(w.deferred, w.v1, "VP2", w.developer)
    db.session.commit()
    return w


def member_names(cohort_id):
    from portfolio.auth.models import User

    return sorted(db.session.scalars(
        select(User.display_name).join(CohortMembership, CohortMembership.user_id == User.id)
        .where(CohortMembership.cohort_id == cohort_id)))


def test_defaults_carry_unfinished_candidates_and_every_coach_developer(pilot):
    chosen = set(rollover.default_member_ids(pilot.cohort))
    names = {m.user.display_name for m in rollover.rollover_candidates(pilot.cohort)
             if m.id in chosen}
    assert names == {"Dev Eloper", "Amy Active", "Dan Deferred"}
    assert rollover.target_years(pilot.cohort) == [pilot.new_year]
    assert rollover.suggested_name(pilot.cohort, pilot.new_year) == "Talent 2026-2027"


def test_preview_shows_what_carries_and_the_confirmation_does_exactly_that(client, login,
                                                                           pilot):
    login(pilot.lead)
    url = f"/programme/cohorts/{pilot.cohort.id}/rollover"
    form = client.get(url).get_data(as_text=True)
    ticked = re.findall(r'<input checked id="membership_ids-\d+" name="membership_ids" '
                        r'type="checkbox" value="(\d+)"', form)
    data = {"year_id": str(pilot.new_year.id), "name": "Talent 2026-2027",
            "framework_id": str(pilot.v2.id), "membership_ids": ticked, "action": "preview"}
    preview = client.post(url, data=data).get_data(as_text=True)
    section = preview[preview.index("What will carry over"):]
    amy = section[section.index("Amy Active"):section.index("Dan Deferred")]
    assert "<strong>VP1</strong> · Signed off" in amy
    assert "<strong>RP1</strong> · not in Coaching (version 2)" in amy
    dan = section[section.index("Dan Deferred"):]
    assert "<strong>VP2</strong> · Claimed (1 of 2)" in dan  # version 2 wants a peer too
    assert "Cat Completed" not in section
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', preview).group(1)
    done = client.post(url, data={**data, "action": "confirm", "digest": digest})
    new_cohort = db.session.scalar(select(Cohort).where(Cohort.year_id == pilot.new_year.id))
    assert done.headers["Location"].endswith(f"/programme/cohorts/{new_cohort.id}")
    assert new_cohort.framework_id == pilot.v2.id
    assert new_cohort.rolled_over_from_id == pilot.cohort.id
    assert member_names(new_cohort.id) == ["Amy Active", "Dan Deferred", "Dev Eloper"]
    carried = {m.user.display_name: m for m in new_cohort.memberships}
    assert carried["Dan Deferred"].status == "active"
    assert carried["Amy Active"].coach_developer_id == pilot.developer.id
    assert [s.name for s in carried["Amy Active"].specialisms] == ["Throws"]
    # Sign-off validity in the new cohort is what the preview said.
    progress = candidate_progress(pilot.active.id, new_cohort.framework)
    assert progress.items["VP1"].is_met and "RP1" not in progress.items
    assert candidate_progress(pilot.deferred.id, new_cohort.framework).items["VP2"].state == \
        "claimed"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.rolled_over"))
    assert "candidates=2" in event.summary and "codes_not_carried=1" in event.summary
    # The old cohort and its members are untouched, so the old year can now be archived.
    assert len(pilot.cohort.memberships) == 5


def test_confirming_different_choices_than_previewed_does_nothing(client, login, pilot):
    login(pilot.lead)
    url = f"/programme/cohorts/{pilot.cohort.id}/rollover"
    data = {"year_id": str(pilot.new_year.id), "name": "Next", "framework_id": str(pilot.v1.id),
            "membership_ids": [str(pilot.active_m.id)], "action": "preview"}
    preview = client.post(url, data=data).get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', preview).group(1)
    changed = {**data, "membership_ids": [str(pilot.deferred_m.id)], "action": "confirm",
               "digest": digest}
    page = client.post(url, data=changed).get_data(as_text=True)
    assert "The choices changed since the preview" in page
    assert db.session.scalar(select(Cohort).where(Cohort.year_id == pilot.new_year.id)) is None


@pytest.mark.parametrize("field, change, message", [
    ("year_id", lambda w: w.old_year.id, "starts after 2025-2026"),
    ("framework_id", lambda w: make_framework("Draft", status="draft").id,
     "must use a published framework"),
    ("membership_ids", lambda w: [add_member(make_cohort()).id], "who have not withdrawn"),
    ("name", lambda w: "  ", "Enter a name"),
])
def test_bad_choices_are_refused_by_the_field(pilot, field, change, message):
    choices = {"year_id": pilot.new_year.id, "framework_id": pilot.v2.id, "name": "Next",
               "membership_ids": [pilot.active_m.id]}
    choices[field] = change(pilot)
    with pytest.raises(DomainError) as caught:
        rollover.plan_rollover(pilot.cohort, **choices)
    assert caught.value.field == field and message in caught.value.message


def test_a_duplicate_name_in_the_next_year_is_refused(pilot):
    make_cohort(year=pilot.new_year, framework=pilot.v2, name="Talent 2026-2027")
    plan = rollover.plan_rollover(pilot.cohort, pilot.new_year.id, pilot.v2.id,
                                  "Talent 2026-2027", [pilot.active_m.id])
    with pytest.raises(DomainError) as caught:
        rollover.execute_rollover(pilot.lead, plan)
    assert caught.value.field == "name"


def test_without_a_later_year_the_page_says_what_to_do(client, login, pilot):
    pilot.new_year.status = "archived"
    db.session.commit()
    login(pilot.lead)
    page = client.get(f"/programme/cohorts/{pilot.cohort.id}/rollover").get_data(as_text=True)
    assert "There is no programme year after 2025-2026" in page


def test_an_archived_cohort_cannot_be_rolled_over(pilot):
    archive(pilot.old_year)
    with pytest.raises(ReadOnlyError):
        rollover.plan_rollover(pilot.cohort, pilot.new_year.id, pilot.v2.id, "Next", [])
