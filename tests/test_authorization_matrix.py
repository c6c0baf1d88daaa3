"""Every route × every role, from the policy tables in tests/<feature>/policy.py."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import tests
from portfolio import create_app
from portfolio.extensions import db
from tests.factories import add_member, make_scenario, make_user, sign_in
from tests.policy import FOREIGN_NAMES, MATRIX_ROLES, TREATED_AS, Route

# Routes that need no policy entry: served by Flask itself.
EXEMPT_ENDPOINTS = {"static"}


def policy_modules():
    modules = []
    for info in pkgutil.iter_modules([str(Path(tests.__file__).parent)]):
        if not info.ispkg:
            continue
        try:
            modules.append(importlib.import_module(f"tests.{info.name}.policy"))
        except ModuleNotFoundError as error:
            if error.name != f"tests.{info.name}.policy":
                raise
    return modules


MODULES = policy_modules()
ROUTES: list[Route] = [route for module in MODULES for route in module.ROUTES]


def route_id(route: Route) -> str:
    return f"{route.method} {route.endpoint}"


def test_every_registered_route_has_a_policy_entry(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path)})
    declared = {(route.endpoint, route.method) for route in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in declared:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without a policy entry:\n" + "\n".join(missing)


def add_stale_sign_ins(world):
    """Add the roles whose sign-in went stale: deactivated accounts and a withdrawn member.

    Each is as strong as the author's peer (a candidate in the same peer group) before the
    change, so a stale check anywhere would let them read the author's "peers" objects.
    """
    from portfolio.admin.services import deactivate
    from portfolio.programmes.membership import change_status
    from portfolio.programmes.models import PeerGroupMember

    def group_peer(name):
        user = make_user(name=name)
        membership = add_member(world.cohort, user, developer=world.developer)
        db.session.add(PeerGroupMember(peer_group_id=world.peer_group.id,
                                       membership_id=membership.id))
        db.session.flush()
        return user, membership

    world.deactivated, _ = group_peer("Dee Activated")
    world.deactivated_cookie = world.deactivated.session_token  # the cookie from before
    deactivate(world.admin, world.deactivated)  # ends its sessions too
    # An account switched off without its session token rotating must be refused as well.
    world.deactivated_kept_token, _ = group_peer("Kit Keptoken")
    world.deactivated_kept_token_cookie = world.deactivated_kept_token.session_token
    world.deactivated_kept_token.active = False
    world.removed, membership = group_peer("Remy Removed")
    world.removed_cookie = world.removed.session_token
    change_status(world.lead, membership, "withdrawn")
    db.session.flush()


def add_cross_cohort_actors(world):
    """Add the people who share a cohort with the author, just not cohort A (tests/policy.py).

    Each is as close to the author as a role can be in their own cohort (their coach developer,
    a candidate in their peer group), so counting any shared cohort instead of the cohort an
    object belongs to would let them read everything the author shares in cohort A.
    """
    from datetime import date

    from tests.factories import make_cohort, make_peer_group, make_year

    def cohort(label, status, starts_on, names, author_status):
        year = make_year(label, status=status, starts_on=starts_on)
        place = make_cohort(year=year, framework=world.framework, name=f"Talent {label}")
        developer, candidate = (make_user(name=name) for name in names)
        add_member(place, developer, role="coach_developer")
        author = add_member(place, world.author, status=author_status, developer=developer)
        fellow = add_member(place, candidate, status="completed" if status == "closed"
                            else "active", developer=developer)
        make_peer_group(place, [author, fellow], f"Circle {label}")
        return place, author, developer, candidate

    (world.earlier_cohort, world.earlier_membership, world.earlier_developer,
     world.earlier_candidate) = cohort("Earlier year", "closed", date(2025, 9, 1),
                                       ("Eve Earlierdev", "Ezra Earliercand"), "deferred")
    (world.later_cohort, world.later_membership, world.later_developer,
     world.later_candidate) = cohort("Later year", "planning", date(2027, 9, 1),
                                     ("Lars Laterdev", "Lena Latercand"), "active")


def signed_in_client(app, world, role):
    client = app.test_client()
    if role == "anonymous":
        return client
    cookie = getattr(world, f"{role}_cookie", None)
    if cookie is None:
        return sign_in(client, getattr(world, role))
    with client.session_transaction() as session:
        session["_user_id"] = cookie
        session["_fresh"] = True
    return client


@pytest.fixture
def world(app):
    world = make_scenario()
    add_stale_sign_ins(world)
    add_cross_cohort_actors(world)
    for module in MODULES:
        setup = getattr(module, "setup", None)
        if setup:
            setup(world)
    db.session.commit()
    return world


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_route_answers_each_role_as_the_policy_says(app, world, route):
    url = route.url(world)
    secret = route.secret(world) if route.secret else None
    for actual_role in MATRIX_ROLES:
        client = signed_in_client(app, world, actual_role)
        role = TREATED_AS.get(actual_role, actual_role)
        data = route.data(world) if route.data else None
        response = client.open(url, method=route.method, data=data)
        body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
        where = f"{route.method} {url} as {actual_role}"
        if actual_role != role:
            where += f" (treated as {role})"
        assert response.status_code < 500, f"{where}: server error"
        if role in route.allowed and route.allowed_status:
            assert response.status_code == route.allowed_status, f"{where}: refused"
        elif role in route.allowed:
            assert response.status_code not in (401, 403, 404), f"{where}: refused"
            if response.status_code == 302:
                assert "/account/login" not in response.headers["Location"], where
        elif role == "anonymous" and route.anonymous_status:
            assert response.status_code == route.anonymous_status, where
        elif role == "anonymous":
            assert response.status_code in (302, 401), f"{where}: not sent to sign in"
            if response.status_code == 302:
                assert "/account/login" in response.headers["Location"], where
        else:
            assert response.status_code == route.denied_status, (
                f"{where}: got {response.status_code}, expected {route.denied_status}")
        viewer = getattr(world, actual_role, None)
        own_name = getattr(viewer, "display_name", None)
        # Everyone sees their own name in the page header; it is not a leak.
        hidden = role not in route.allowed or actual_role in route.hidden_from
        if secret and hidden and secret != own_name:
            assert secret not in body, f"{where}: leaked {secret!r}"
        for name in FOREIGN_NAMES.get(actual_role, FOREIGN_NAMES.get(role, ())):
            assert name not in body, f"{where}: shows another cohort's {name!r}"
