"""Drafting, publishing, versioning and retiring frameworks; published versions never change."""

import pytest
from sqlalchemy import func, select

from portfolio.audit.models import AuditEvent
from portfolio.errors import DomainError
from portfolio.extensions import db
from portfolio.frameworks import services
from portfolio.frameworks.models import Competency, CompetencyArea, Framework
from tests.factories import competency, make_cohort, make_framework, make_user


@pytest.fixture
def lead(app):
    user = make_user(lead=True)
    db.session.commit()
    return user


def competency_form(area, **overrides):
    data = {"area_id": str(area.id), "code": "vp9", "title": "Plans the season",
            "description": "- knows the calendar\n- plans peaks", "evidence_guidance": "",
            "developer_signoffs_required": "1", "peer_signoffs_required": "1"}
    data.update(overrides)
    return data


def test_lead_drafts_a_framework_and_publishes_it(client, login, lead):
    login(lead)
    response = client.post("/frameworks/new", data={"name": "Talent framework",
                                                    "description": "For talent coaches."})
    framework = db.session.scalar(select(Framework))
    assert response.headers["Location"].endswith(f"/frameworks/{framework.id}")
    assert (framework.version, framework.status) == (1, "draft")
    client.post(f"/frameworks/{framework.id}/areas/new", data={"title": "Vision & planning"})
    area = db.session.scalar(select(CompetencyArea))
    refused = client.post(f"/frameworks/{framework.id}/publish", follow_redirects=True)
    assert "has no competencies" in refused.get_data(as_text=True)
    client.post(f"/frameworks/{framework.id}/competencies/new", data=competency_form(area))
    item = db.session.scalar(select(Competency))
    assert (item.code, item.peer_signoffs_required) == ("VP9", 1)
    page = client.get(f"/frameworks/{framework.id}").get_data(as_text=True)
    assert "<li>knows the calendar</li>" in page  # descriptions are Markdown, sanitised
    assert "1 coach developer + 1 peer sign-offs" in page
    client.post(f"/frameworks/{framework.id}/publish")
    db.session.refresh(framework)
    assert framework.status == "published" and framework.published_at is not None
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "framework.published"))
    assert event.target_id == framework.id and "competencies=1" in event.summary


def test_editing_a_published_framework_is_refused_and_nothing_changes(client, login, lead):
    framework = make_framework("Live")
    area = framework.areas[0]
    item = competency(framework, "VP1")
    db.session.commit()
    login(lead)
    attempts = [
        ("get", f"/frameworks/{framework.id}/edit", None),
        ("post", f"/frameworks/{framework.id}/edit", {"name": "Changed"}),
        ("post", f"/frameworks/{framework.id}/areas/new", {"title": "New area"}),
        ("post", f"/frameworks/{framework.id}/areas/{area.id}/edit", {"title": "Renamed"}),
        ("post", f"/frameworks/{framework.id}/areas/{area.id}/delete", {}),
        ("post", f"/frameworks/{framework.id}/areas/{area.id}/move", {"direction": "down"}),
        ("post", f"/frameworks/{framework.id}/competencies/new", competency_form(area)),
        ("post", f"/frameworks/{framework.id}/competencies/{item.id}/edit",
         competency_form(area, code="VP1", title="Changed")),
        ("post", f"/frameworks/{framework.id}/competencies/{item.id}/delete", {}),
        ("post", f"/frameworks/{framework.id}/competencies/{item.id}/move",
         {"direction": "down"}),
        ("post", f"/frameworks/{framework.id}/delete", {}),
    ]
    for method, url, data in attempts:
        response = getattr(client, method)(url, data=data, follow_redirects=True)
        assert "is published, so it cannot be changed" in response.get_data(as_text=True), url
    db.session.expire_all()
    assert framework.name == "Live" and area.title == "Vision & planning"
    assert item.title == "Competency VP1"
    assert db.session.scalar(select(func.count()).select_from(Competency).where(
        Competency.framework_id == framework.id)) == 3


def test_new_version_copies_everything_into_a_single_draft(app, lead):
    framework = make_framework("Coaching")
    copy = services.new_version(lead, framework)
    assert (copy.name, copy.version, copy.status, copy.based_on_id) == (
        "Coaching", 2, "draft", framework.id)
    assert [(c.code, c.developer_signoffs_required, c.peer_signoffs_required)
            for a in copy.areas for c in a.competencies] == [
        ("VP1", 1, 0), ("VP2", 1, 1), ("RP1", 1, 0)]
    with pytest.raises(DomainError, match="already being drafted"):
        services.new_version(lead, framework)
    services.retire(lead, framework)
    assert framework.status == "retired"
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["framework.version_created", "framework.retired"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"code": ""}, "code", "Enter a code"),
    ({"code": "VP 1!"}, "code", "letters, digits"),
    ({"code": "vp1"}, "code", "already has the code VP1"),
    ({"title": ""}, "title", "Enter a title"),
    ({"developer_signoffs_required": "0", "peer_signoffs_required": "0"},
     "developer_signoffs_required", "at least one sign-off"),
    ({"peer_signoffs_required": "9"}, "peer_signoffs_required", "from 0 to 5"),
    ({"peer_signoffs_required": "two"}, "peer_signoffs_required", ""),
])
def test_bad_competency_input_is_refused_by_the_field(client, login, lead, overrides, field,
                                                      message):
    framework = make_framework("Draft", status="draft")
    area = framework.areas[0]
    db.session.commit()
    login(lead)
    response = client.post(f"/frameworks/{framework.id}/competencies/new",
                           data=competency_form(area, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(func.count()).select_from(Competency).where(
        Competency.framework_id == framework.id)) == 3


def test_a_new_framework_name_must_be_new(app, lead):
    make_framework("Coaching")
    with pytest.raises(DomainError) as caught:
        services.create_framework(lead, " Coaching ", "")
    assert caught.value.field == "name" and "new version" in caught.value.message


def test_areas_and_competencies_reorder(client, login, lead):
    framework = make_framework("Draft", status="draft")
    first, second = framework.areas
    db.session.commit()
    login(lead)
    client.post(f"/frameworks/{framework.id}/areas/{first.id}/move", data={"direction": "down"})
    db.session.expire_all()
    assert [a.title for a in framework.areas] == ["Reflective practice", "Vision & planning"]
    vp2 = competency(framework, "VP2")
    client.post(f"/frameworks/{framework.id}/competencies/{vp2.id}/move",
                data={"direction": "up"})
    db.session.expire_all()
    assert [c.code for c in second.competencies] == ["RP1"]
    assert [c.code for c in first.competencies] == ["VP2", "VP1"]


def test_a_draft_can_be_deleted_but_not_one_a_cohort_uses(app, lead):
    draft = make_framework("Scratch", status="draft")
    services.delete_draft(lead, draft)
    assert db.session.get(Framework, draft.id) is None
    used = make_framework("Used")
    make_cohort(framework=used)
    with pytest.raises(DomainError):
        services.delete_draft(lead, used)


def test_members_see_their_cohorts_framework_but_not_drafts(client, login):
    from tests.factories import make_scenario

    s = make_scenario()
    draft = services.new_version(s.lead, s.framework)
    db.session.commit()
    login(s.author)
    page = client.get(f"/frameworks/{s.framework.id}").get_data(as_text=True)
    assert "Competency VP1" in page and "Make a new version" not in page
    assert client.get(f"/frameworks/{draft.id}").status_code == 404
    s.author_membership.status = "withdrawn"
    db.session.commit()
    assert client.get(f"/frameworks/{s.framework.id}").status_code == 404


def test_framework_page_statements_do_not_grow_with_its_size(client, login, lead):
    from tests.programmes.test_reference_and_demo import count_statements

    small = make_framework("Small", areas=[("One", [("A1", 1, 0)])])
    big = make_framework("Big", areas=[(f"Area {n}", [(f"B{n}{i}", 1, 1) for i in range(4)])
                                       for n in range(7)])
    make_cohort(framework=big)
    make_cohort(framework=big)
    make_cohort(framework=small)
    db.session.commit()
    login(lead)
    assert count_statements(client, f"/frameworks/{big.id}") == count_statements(
        client, f"/frameworks/{small.id}")
