"""Every route × every role, from the policy tables in tests/<feature>/policy.py.

Each role × route pair is its own test. The module builds the policy world once
(tests/policy_world.py) and reads every URL, form and secret from it before the first request;
a case that changed anything (a write, a file) has the snapshot put back before the next
case, so an earlier post never changes what a later role sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import IsolatedClient, base_config, fresh_database_uri
from tests.policy import FOREIGN_NAMES, MATRIX_ROLES, TREATED_AS, Route
from tests.policy_world import (  # noqa: F401 - re-exported for the security tests
    MODULES,
    ROUTES,
    PolicySite,
    WorldSnapshot,
    add_cross_cohort_actors,
    add_stale_sign_ins,
    build_world,
)

# Routes that need no policy entry: served by Flask itself.
EXEMPT_ENDPOINTS = {"static"}


def route_id(route: Route) -> str:
    return f"{route.method} {route.endpoint}"


def _case_ids():
    seen: dict[str, int] = {}
    ids = []
    for route in ROUTES:
        base = route_id(route)
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return ids


ROUTE_IDS = _case_ids()
CASES = [pytest.param(index, role, id=f"{ROUTE_IDS[index]} as {role}")
         for index in range(len(ROUTES)) for role in MATRIX_ROLES]


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


def test_every_row_pins_what_its_allowed_roles_get():
    """An allowed POST states its status; any redirect states where it goes."""
    vague = []
    for route, name in zip(ROUTES, ROUTE_IDS, strict=True):
        for role in route.allowed:
            status, location = route.expected_for(role)
            if status is None or (300 <= status < 400 and location is None):
                vague.append(f"{name} as {role}: {status} {location or ''}")
    assert not vague, "rows without an exact outcome:\n" + "\n".join(sorted(vague))


@dataclass(frozen=True)
class Request:
    """One row's request and what to look for, read from the seeded world."""

    url: str
    data: dict | None
    secret: str | None
    locations: dict  # role -> expected redirect target (a path, or a pattern it must match)


@dataclass
class Site:
    policy: PolicySite

    @property
    def snapshot(self) -> WorldSnapshot:
        return self.policy.snapshot

    @property
    def requests(self) -> list[Request]:
        return self.policy.data[0]

    @property
    def names(self) -> dict:  # role -> display name
        return self.policy.data[2]

    def prepare(self):
        self.policy.prepare()

    def client(self, role):
        client = self.policy.app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = self.policy.data[1][role]
                session["_fresh"] = True
        return client


def _read(world, route: Route) -> Request:
    def resolve(value):
        return value(world) if callable(value) and not isinstance(value, re.Pattern) else value

    locations = {}
    for role in route.allowed:
        status, location = route.expected_for(role)
        if status is not None and 300 <= status < 400 and location is not None:
            locations[role] = resolve(location)
    return Request(url=route.url(world), data=route.data(world) if route.data else None,
                   secret=route.secret(world) if route.secret else None, locations=locations)


def _read_world(world):
    """Every row's request, and each role's session token and name, before any request."""
    roles = [role for role in MATRIX_ROLES if role != "anonymous"]
    cookies = {role: getattr(world, f"{role}_cookie", None)
               or getattr(world, role).session_token for role in roles}
    names = {role: getattr(world, role).display_name for role in roles}
    return [_read(world, route) for route in ROUTES], cookies, names


@pytest.fixture(scope="module")
def site(database_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("matrix")
    app = create_app(base_config(folder, fresh_database_uri(database_template, folder)))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield Site(PolicySite(app, database_template, folder, _read_world))
        db.session.remove()
        db.engine.dispose()


def test_a_write_is_undone_before_the_next_case(site):
    """The shared world is put back after a post that changed it, and only then."""
    def row(method):
        return next(index for index, route in enumerate(ROUTES)
                    if (route.endpoint, route.method) == ("entries.delete_entry", method))

    site.prepare()
    client = site.client("author")
    assert client.get(site.requests[row("GET")].url).status_code == 200
    assert not site.snapshot.changed()
    assert client.post(site.requests[row("POST")].url).status_code == 302
    assert client.get(site.requests[row("GET")].url).status_code == 404
    assert site.snapshot.changed()
    site.prepare()
    assert client.get(site.requests[row("GET")].url).status_code == 200


def test_an_old_world_is_built_anew(site):
    """Past MAX_AGE the clock rules (a comment's edit window) would answer differently."""
    generation = site.policy.generation
    site.policy.built_at -= PolicySite.MAX_AGE + 1
    site.prepare()
    assert site.policy.generation == generation + 1
    request = site.requests[ROUTE_IDS.index("GET reviews.edit_comment")]
    assert site.client("peer").get(request.url).status_code == 200


def _target(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize(("index", "actual_role"), CASES)
def test_route_answers_the_role_as_the_policy_says(site, index, actual_role):
    site.prepare()
    route, request = ROUTES[index], site.requests[index]
    role = TREATED_AS.get(actual_role, actual_role)
    client = site.client(actual_role)
    response = client.open(request.url, method=route.method, data=request.data)
    body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
    where = f"{route.method} {request.url} as {actual_role}"
    if actual_role != role:
        where += f" (treated as {role})"
    got = response.status_code
    location = _target(response.headers["Location"]) if "Location" in response.headers else None
    if role in route.allowed:
        status, _ = route.expected_for(role)
        expected = request.locations.get(role)
        assert got == status, f"{where}: got {got} {location or ''}, expected {status}"
        if isinstance(expected, re.Pattern):
            assert location and expected.fullmatch(location), (
                f"{where}: sent to {location}, expected {expected.pattern}")
        else:
            assert location == expected, f"{where}: sent to {location}, expected {expected}"
    elif role == "anonymous" and route.anonymous_status:
        assert got == route.anonymous_status, f"{where}: got {got}"
    elif role == "anonymous":
        assert got in (302, 401), f"{where}: got {got}, not sent to sign in"
        if got == 302:
            assert location.startswith("/account/login"), f"{where}: sent to {location}"
    else:
        assert got == route.denied_status, (
            f"{where}: got {got}, expected {route.denied_status}")
    own_name = site.names.get(actual_role)
    # Everyone sees their own name in the page header; it is not a leak.
    hidden = role not in route.allowed or actual_role in route.hidden_from
    if request.secret and hidden and request.secret != own_name:
        assert request.secret not in body, f"{where}: leaked {request.secret!r}"
    for name in FOREIGN_NAMES.get(actual_role, FOREIGN_NAMES.get(role, ())):
        assert name not in body, f"{where}: shows another cohort's {name!r}"
