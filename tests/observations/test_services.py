"""Observation templates and records: the rules, called as services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from portfolio.database import utcnow
from portfolio.entries.models import Entry
from portfolio.errors import ConflictError, DomainError
from portfolio.extensions import db
from portfolio.observations import services, templates
from portfolio.observations.models import Observation, ObservationTemplate, TemplateStatus
from portfolio.observations.permissions import can_view_observation
from tests.factories import competency, make_framework, make_scenario
from tests.observations.builders import default_template, make_observation, observation_data
from tests.policy_world import add_cross_cohort_actors


def _draft(**changes) -> templates.TemplateDraft:
    values = dict(name="Throws session", structure="## Safety\n- Area is controlled [VP1, RP1]"
                  "\n- Implements are checked\n## Coaching\n- Cues are short [VP2]",
                  scale="Not yet\nDeveloping\nSecure", strengths_prompt="What went well?")
    values.update(changes)
    return templates.TemplateDraft(**values)


def test_defaults_are_published_once_per_framework_with_known_codes_mapped(app):
    s = make_scenario()
    templates.ensure_default_templates()
    templates.ensure_default_templates()
    found = list(db.session.scalars(select(ObservationTemplate).where(
        ObservationTemplate.framework_id == s.framework.id).order_by(ObservationTemplate.name)))
    assert [t.name for t in found] == ["Competition-day observation", "Session observation"]
    assert all(t.status == TemplateStatus.PUBLISHED and t.scale == templates.DEFAULT_SCALE
               for t in found)
    session = found[1]
    mapped = {i for c in session.criteria for i in c["competency_ids"]}
    # The test framework has VP1, VP2 and RP1 only: those are mapped, unknown codes dropped.
    assert mapped == {competency(s.framework, code).id for code in ("VP1", "VP2", "RP1")}
    assert session.peers_may_record and not found[0].peers_may_record


def test_a_lead_drafts_changes_publishes_and_versions_a_template(app):
    s = make_scenario()
    template = templates.create_template(s.lead, s.framework, _draft())
    assert [len(section["criteria"]) for section in template.sections] == [2, 1]
    assert template.sections[0]["criteria"][0]["competency_ids"] == [
        competency(s.framework, "VP1").id, competency(s.framework, "RP1").id]
    assert "[VP1, RP1]" in templates.structure_text(template)
    templates.update_template(s.lead, template, _draft(scale="Not yet\nSecure"),
                              template.lock_version)
    assert template.scale == ["Not yet", "Secure"]
    templates.publish_template(s.lead, template)
    with pytest.raises(ConflictError):
        templates.update_template(s.lead, template, _draft(), template.lock_version)
    copy = templates.new_version(s.lead, template)
    assert (copy.version, copy.status, copy.based_on_id) == (2, TemplateStatus.DRAFT, template.id)


@pytest.mark.parametrize(("changes", "field"), [
    ({"structure": "## Only a heading"}, "structure"),
    ({"structure": "- Cues are short [ZZ9]"}, "structure"),
    ({"scale": "Just one"}, "scale"),
    ({"scale": "Same\nsame"}, "scale"),
    ({"name": "   "}, "name"),
])
def test_bad_templates_are_refused_next_to_the_field(app, changes, field):
    s = make_scenario()
    with pytest.raises(DomainError) as refused:
        templates.create_template(s.lead, s.framework, _draft(**changes))
    assert refused.value.field == field


def test_only_leads_write_templates(app):
    s = make_scenario()
    with pytest.raises(DomainError):
        templates.create_template(s.developer, s.framework, _draft())


def test_the_database_refuses_to_change_or_delete_a_published_template(app):
    s = make_scenario()
    template = default_template(s.framework)
    db.session.commit()
    for statement in (f"UPDATE observation_templates SET name = 'x' WHERE id = {template.id}",
                      f"DELETE FROM observation_templates WHERE id = {template.id}"):
        with pytest.raises(DBAPIError, match="immutable"):
            db.session.execute(text(statement))
        db.session.rollback()
    # Bookkeeping columns may still move (the lock version).
    db.session.execute(text("UPDATE observation_templates SET lock_version = lock_version + 1 "
                            f"WHERE id = {template.id}"))
    draft = templates.create_template(s.lead, s.framework, _draft())
    db.session.execute(text(f"UPDATE observation_templates SET name = 'y' WHERE id = {draft.id}"))


def test_a_developer_records_and_the_candidate_reads(app):
    s = make_scenario()
    observation = make_observation(s, competency_ids=[competency(s.framework, "VP2").id])
    assert observation.cohort_id == s.cohort.id and observation.observer_id == s.developer.id
    assert [c.code for c in observation.competencies] == ["VP2"]
    assert observation.involves_minors and observation.para_athletes
    assert can_view_observation(s.author, observation)
    assert can_view_observation(s.developer, observation)
    for outsider in (s.peer, s.outsider, s.other_developer, s.lead, s.admin, s.stranger):
        assert not can_view_observation(outsider, observation)


def test_the_peer_group_reads_it_only_once_shared(app):
    s = make_scenario()
    observation = make_observation(s)
    assert not can_view_observation(s.peer, observation)
    services.share_with_peers(s.author, observation, True)
    assert can_view_observation(s.peer, observation)
    assert not can_view_observation(s.outsider, observation)  # same cohort, no group
    with pytest.raises(DomainError):
        services.share_with_peers(s.developer, observation, False)


def test_coach_developers_of_an_earlier_or_later_cohort_see_nothing(app):
    s = make_scenario()
    add_cross_cohort_actors(s)
    observation = make_observation(s, shared=True)
    for actor in (s.earlier_developer, s.later_developer, s.earlier_candidate,
                  s.later_candidate):
        assert not can_view_observation(actor, observation)
    with pytest.raises(DomainError):  # nor may they record in cohort A
        make_observation(s, observer=s.later_developer)


def test_who_may_record(app):
    s = make_scenario()
    session = default_template(s.framework)
    competition = default_template(s.framework, "Competition-day observation")
    make_observation(s, observer=s.peer, template=session)  # the template allows peers
    with pytest.raises(DomainError):
        make_observation(s, observer=s.peer, template=competition)
    for nobody in (s.outsider, s.other_developer, s.lead, s.author):
        with pytest.raises(DomainError):
            make_observation(s, observer=nobody, template=session)


def test_a_template_of_another_framework_version_or_a_draft_is_refused(app):
    s = make_scenario()
    other = default_template(make_framework())
    with pytest.raises(DomainError, match="templates listed"):
        make_observation(s, template=other)
    draft = templates.create_template(s.lead, s.framework, _draft())
    with pytest.raises(DomainError):
        make_observation(s, template=draft)


@pytest.mark.parametrize("changes", [
    {"ratings": {"c1": 9}}, {"ratings": {"nope": 1}}, {"observed_on": None},
    {"session_kind": "party"}, {"age_band": "u99"}, {"strengths": "x" * 10_001},
    {"ratings": {}, "strengths": "", "next_steps": ""},
])
def test_bad_records_are_refused(app, changes):
    s = make_scenario()
    with pytest.raises(DomainError):
        make_observation(s, **changes)


def test_a_future_date_is_refused(app):
    s = make_scenario()
    with pytest.raises(DomainError, match="future"):
        make_observation(s, observed_on=(utcnow() + timedelta(days=3)).date())


def test_competencies_of_another_framework_are_refused(app):
    s = make_scenario()
    foreign = competency(make_framework(), "VP1")
    with pytest.raises(DomainError, match="Choose competencies"):
        make_observation(s, competency_ids=[foreign.id])


def test_an_edit_from_an_old_page_is_a_conflict(app):
    s = make_scenario()
    observation = make_observation(s)
    lock = observation.lock_version
    template = observation.template
    services.update_observation(s.developer, observation,
                                observation_data(template, strengths="First tab"), lock)
    with pytest.raises(ConflictError):
        services.update_observation(s.developer, observation,
                                    observation_data(template, strengths="Second tab"), lock)
    assert observation.strengths == "First tab"
    with pytest.raises(DomainError):
        services.update_observation(s.author, observation, observation_data(template),
                                    observation.lock_version)


def test_reflecting_starts_one_linked_draft_entry(app):
    s = make_scenario()
    observation = make_observation(s, competency_ids=[competency(s.framework, "VP1").id])
    entry = services.reflect_on(s.author, observation)
    assert entry.owner_id == s.author.id and entry.status == "draft"
    assert entry.title.startswith("Reflection: Session observation")
    assert "Observed by Dev Eloper" in entry.sections["what"]
    assert services.reflection_entry_id(observation) == entry.id
    with pytest.raises(services.AlreadyReflected):
        services.reflect_on(s.author, observation)
    with pytest.raises(DomainError):
        services.reflect_on(s.developer, observation)
    assert db.session.scalar(select(func.count(Entry.id))) == 1


def test_deleting_the_reflection_entry_frees_the_observation(app):
    s = make_scenario()
    observation = make_observation(s)
    entry = services.reflect_on(s.author, observation)
    db.session.delete(db.session.get(Entry, entry.id))
    db.session.flush()
    db.session.expire_all()
    observation = db.session.get(Observation, observation.id)
    assert observation.reflections == []
