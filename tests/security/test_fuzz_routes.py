"""Every route in the URL map, fuzzed: hostile values in every parameter never give a 5xx.

For each route (GET and POST) the seeded world from the authorization policy is put back, the
route's query parameters and form fields are found (names the view reads while serving one
ordinary request, the page's own form inputs, the policy's sample data and `request.args`/
`request.form` names in the view's source), and then each of a few roles sends Hypothesis-drawn
values: huge, negative and fractional numbers, digits int() refuses, impossible dates, NUL,
unicode, very long and oversized text, several values for one name, broken files, and ids past
every column's range in the path. The role the route is for also gets fixed sweeps: each
dangerous value in every field at once, then one field at a time for each submit button.
Examples are derandomized, so CI sees the same requests. The world is built once for the
module and put back before a route only when an earlier request changed it (tests/policy_world.py).
On PostgreSQL fewer examples are drawn (the SQLite pass draws the depth); the fixed sweeps,
which carry the values PostgreSQL refuses and SQLite keeps (ids past bigint, NUL), run in full.
"""

from __future__ import annotations

import inspect
import logging
import os
import tempfile
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect as sa_inspect
from werkzeug.datastructures import MultiDict

from portfolio import create_app
from portfolio.extensions import db
from portfolio.reference_data import ensure_reference_data
from tests.conftest import USE_POSTGRES, IsolatedClient, base_config, fresh_database_uri
from tests.policy_world import WorldSnapshot, build_world
from tests.security.forms import FormParser
from tests.security.fuzzing import (
    READ,
    build_fields,
    field_values,
    names_in_source,
    noting_request_class,
    sweeps,
)
from tests.test_authorization_matrix import EXEMPT_ENDPOINTS, ROUTES

# Drawn examples per route for the role it is for, and for each other role (raise them for a
# deeper local run: PORTFOLIO_FUZZ_EXAMPLES=200).
EXAMPLES = int(os.environ.get("PORTFOLIO_FUZZ_EXAMPLES", "1" if USE_POSTGRES else "3"))
OTHER_ROLE_EXAMPLES = max(1, EXAMPLES // 2)
ROLES = ("anonymous", "author", "developer", "lead", "admin")
# Who finds a route's parameters: the first of these the policy lets in.
FINDER_PREFERENCE = ("author", "developer", "lead", "admin", "peer", "outsider",
                     "other_candidate", "other_developer", "stranger", "anonymous")
OUT_OF_RANGE_IDS = (0, 2**31, 2**63, 10**20)
ODD_STRINGS = ("x" * 500, "\u202e\u00e9", "..")


def _targets():
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                          "INSTANCE_PATH": folder})
    targets = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint in EXEMPT_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            targets.append(pytest.param(rule.endpoint, method, id=f"{method} {rule.rule}"))
    return targets


@dataclass
class Plan:
    endpoint: str
    path: str
    method: str
    roles: tuple[str, ...]
    finder: str
    query: dict[str, list[str]] = field(default_factory=dict)
    form: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    paths: list[str] = field(default_factory=list)
    buttons: dict[str, list[str]] = field(default_factory=dict)  # submit name -> each value
    refresh_from: str | None = None  # the page whose hidden fields go stale after a save
    stale: bool = False


class Errors(logging.Handler):
    """Keeps the traceback of each unhandled error, to show with the failing request."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record):
        self.seen.append(self.format(record))


class FuzzWorld:
    def __init__(self, app, world, folder):
        self.app = app
        self.tokens = {role: getattr(world, role).session_token
                       for role in FINDER_PREFERENCE if role != "anonymous"}
        self.world = world
        self.policy, self.data_of = {}, {}
        for route in ROUTES:
            key = (route.endpoint, route.method)
            if key not in self.policy:
                data = route.data(world) if route.data else {}
                self.policy[key] = (route.url(world), _as_lists(data), route.allowed)
                self.data_of[key] = route.data
        self.snapshot = WorldSnapshot(app, folder)

    def client(self, role):
        client = self.app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = self.tokens[role]
                session["_fresh"] = True
        return client

    def plan(self, endpoint, method) -> Plan:
        rule = next(self.app.url_map.iter_rules(endpoint))
        if (endpoint, method) not in self.policy and not rule.arguments:
            self.policy[(endpoint, method)] = (rule.rule, {}, frozenset({"author"}))
        assert (endpoint, method) in self.policy, (
            f"{method} {rule.rule} has no entry in a tests/<feature>/policy.py")
        url, data, allowed = self.policy[(endpoint, method)]
        finder = next(role for role in FINDER_PREFERENCE if role in allowed or
                      role == "anonymous")
        roles = ROLES if finder in ROLES else (*ROLES, finder)
        parts = urlsplit(url)
        plan = Plan(endpoint=endpoint, path=parts.path, method=method, roles=roles,
                    finder=finder)
        plan.query = _as_lists(dict(parse_qsl(parts.query, keep_blank_values=True)))
        plan.paths = [parts.path, *self.out_of_range_paths(parts.path, method)]
        source = names_in_source(inspect.getsource(self.app.view_functions[endpoint]))
        for name in source["args"]:
            plan.query.setdefault(name, [])
        self.find_fields(plan, finder, url, data)
        for name in source["form"]:
            plan.form.setdefault(name, [])
        return plan

    def find_fields(self, plan, finder, url, data):
        client = self.client(finder)
        READ["args"].clear()
        forms = self.page_forms(client, url, plan)
        if plan.method == "GET":
            _add_names(plan.query, READ["args"])
        for form in forms:
            target = plan.query if form.method == "get" else plan.form
            for name, values in _values(form.fields + form.submit[:1]).items():
                target.setdefault(name, values)
            for name, value in form.submit:
                if value not in plan.buttons.setdefault(name, []):
                    plan.buttons[name].append(value)
            plan.files |= set(form.file_fields)
        if plan.method == "POST":
            plan.form.update(data)
            plan.form.update(_hidden_values(forms))
            plan.refresh_from = url if any(form.hidden_fields for form in forms) else None
            READ["args"].clear()
            READ["form"].clear()
            # A probe field: Flask-WTF reads no field at all from an empty form.
            client.post(url, data=MultiDict([(name, value) for name, values in plan.form.items()
                                             for value in values] + [("fuzz_probe", "1")]))
            _add_names(plan.query, READ["args"])
            _add_names(plan.form, READ["form"] - plan.files - {"fuzz_probe"})
            self.snapshot.restore_if_changed()

    def page_forms(self, client, url, plan):
        """The forms on the GET page at `url` that send to this route, by this method."""
        adapter = self.app.url_map.bind("localhost")
        if "GET" not in _methods_at(adapter, plan.path):
            return []
        page = client.get(url)
        if page.mimetype != "text/html":
            return []
        parser = FormParser(url)
        parser.feed(page.get_data(as_text=True))
        return [form for form in parser.forms if urlsplit(form.action).path == plan.path
                and form.method == plan.method.lower()]

    def refresh(self, client, plan):
        """Take the policy's data and the page's hidden fields again: a lock version moves
        with every save, so yesterday's would only ever meet a conflict."""
        data = self.data_of.get((plan.endpoint, plan.method))
        if data:
            db.session.remove()
            plan.form.update(_as_lists(data(reloaded(self.world))))
            db.session.remove()  # an open read would lock SQLite against the next request
        forms = self.page_forms(client, plan.refresh_from, plan) if plan.refresh_from else []
        plan.form.update(_hidden_values(forms))
        # A role that cannot see the page leaves it stale for the next role that can.
        plan.stale = bool(plan.refresh_from) and not forms

    def out_of_range_paths(self, path, method):
        adapter = self.app.url_map.bind("localhost")
        endpoint, args = adapter.match(path, method=method)
        rule = next(rule for rule in self.app.url_map.iter_rules(endpoint)
                    if method in rule.methods and rule.arguments == set(args))
        paths = []
        for name in sorted(args):
            numeric = type(rule._converters[name]).__name__ in ("IdConverter",
                                                              "IntegerConverter")
            for odd in OUT_OF_RANGE_IDS if numeric else ODD_STRINGS:
                paths.append(_build(rule, {**args, name: odd}))
        return [path for path in paths if path]


def _build(rule, values):
    try:
        return rule.build(values)[1]
    except Exception:  # noqa: BLE001 - a value the rule cannot even build is not worth sending
        return None


def _methods_at(adapter, path):
    return set(adapter.allowed_methods(path))


def reloaded(value):
    """The world with every row in it read again from the database, as it is now."""
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{name: reloaded(item) for name, item in vars(value).items()})
    if isinstance(value, dict):
        return {key: reloaded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(reloaded(item) for item in value)
    state = sa_inspect(value, raiseerr=False)
    if state is not None and getattr(state, "identity", None):
        return db.session.get(type(value), state.identity)
    return value


def _values(pairs) -> dict[str, list[str]]:
    values = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def _hidden_values(forms) -> dict[str, list[str]]:
    values = {}
    for form in forms:
        hidden = _values((name, value) for name, value in form.fields
                         if name in form.hidden_fields)
        values.update({name: found for name, found in hidden.items() if name not in values})
    return values


def _add_names(target, names):
    for name in names:
        target.setdefault(name, [])


def _as_lists(data) -> dict[str, list[str]]:
    out = {}
    for name, value in dict(data).items():
        values = value if isinstance(value, list | tuple) else [value]
        out[name] = ["" if item is None else str(item) for item in values]
    return out


@pytest.fixture(scope="module")
def fuzz_world(database_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    uri = fresh_database_uri(database_template, folder)
    app = create_app(base_config(folder, uri))
    app.test_client_class = IsolatedClient
    app.request_class = noting_request_class(app.request_class)
    errors = Errors()
    logging.getLogger("portfolio").addHandler(errors)
    with app.app_context():
        ensure_reference_data()
        world = build_world()
        fuzz = FuzzWorld(app, world, folder)
        fuzz.errors = errors
        yield fuzz
        db.session.remove()
        db.engine.dispose()
    logging.getLogger("portfolio").removeHandler(errors)


@pytest.mark.parametrize(("endpoint", "method"), _targets())
def test_route_never_answers_5xx(fuzz_world, endpoint, method):
    fuzz_world.snapshot.restore_if_changed()
    plan = fuzz_world.plan(endpoint, method)
    # A route that reads nothing has only its path to vary: the role it is for sends each path
    # once (every role's plain request is the authorization matrix's; some, like the PDF
    # export, take seconds each).
    fieldless = not (plan.query or plan.form or plan.files)
    for role in (plan.finder,) if fieldless else plan.roles:
        focus = role == plan.finder
        send = _sender(fuzz_world, plan, role, EXAMPLES if focus else OTHER_ROLE_EXAMPLES,
                       generate=not fieldless)
        if fieldless:
            for path in plan.paths:
                send = example(path=path, query={}, form={})(send)
        elif focus:  # the role the route is for gets the sweeps too
            for query, form in sweeps(plan.query, plan.form, plan.files, plan.buttons):
                send = example(path=plan.path, query=query, form=form)(send)
        send()


def _sender(fuzz_world, plan, role, examples, generate=True):
    client = fuzz_world.client(role)
    weighted_paths = [plan.path] * len(plan.paths) + plan.paths[1:]
    phases = (Phase.explicit, Phase.generate, Phase.shrink) if generate else (Phase.explicit,)

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=phases, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(weighted_paths),
           query=field_values(plan.query, ()),
           form=field_values(plan.form, plan.files))
    def send(path, query, form):
        if plan.stale:
            fuzz_world.refresh(client, plan)
        fuzz_world.errors.seen.clear()
        query_pairs = build_fields(query, plan.query)
        data = MultiDict(build_fields(form, plan.form)) if plan.method == "POST" else None
        response = client.open(path, method=plan.method, query_string=query_pairs, data=data)
        response.close()
        plan.stale = plan.stale or (plan.method == "POST" and response.status_code < 400)
        logged = "\n".join(fuzz_world.errors.seen)
        assert response.status_code < 500, (
            f"{plan.method} {path} as {role} answered {response.status_code}\n{logged}")

    return send
