"""Every route × every role, from the policy tables in tests/<feature>/policy.py."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import tests
from portfolio import create_app
from portfolio.extensions import db
from tests.factories import make_scenario, sign_in
from tests.policy import ROLES, Route

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


@pytest.fixture
def world(app):
    world = make_scenario()
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
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, getattr(world, role))
        data = route.data(world) if route.data else None
        response = client.open(url, method=route.method, data=data)
        body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
        where = f"{route.method} {url} as {role}"
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
        if secret and role not in route.allowed:
            assert secret not in body, f"{where}: leaked {secret!r}"
