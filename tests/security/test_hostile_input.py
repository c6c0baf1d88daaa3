"""Hostile input against every form: never a 500, never live markup, nothing half-stored.

Forms are found, not listed: each GET page in the policy tables is fetched as a role allowed to
use it, its POST forms are parsed with html.parser, and every text field gets each payload.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from flask import current_app
from sqlalchemy import func, select, text

from portfolio.extensions import db
from tests.conftest import USE_POSTGRES
from tests.factories import make_scenario, sign_in
from tests.security.corpus import INVALID_UTF8, TEXT_PAYLOADS, live_markup_in
from tests.security.forms import filled, forms_on
from tests.test_authorization_matrix import (
    MODULES,
    ROUTES,
    add_cross_cohort_actors,
    add_stale_sign_ins,
)

# Tables a refused request may still write to, by design: the audit trail and login throttle
# record refusals, and a too-large post rescues the author's text so it is never lost.
MAY_CHANGE_ON_REFUSAL = {"audit_events", "login_attempts", "draft_rescues"}
ROLE_PREFERENCE = ("author", "lead", "admin", "developer", "peer", "outsider",
                   "other_candidate", "other_developer", "stranger")
SKIP_ACTIONS = ("/account/logout",)


def _form_pages():
    pages, seen = [], set()
    for route in ROUTES:
        if route.method != "GET" or route.endpoint in seen or route.allowed_status:
            continue
        role = next((r for r in ROLE_PREFERENCE if r in route.allowed), None)
        if role is None and "anonymous" not in route.allowed:
            continue
        seen.add(route.endpoint)
        pages.append(pytest.param(route, role or "anonymous", id=route.endpoint))
    return pages


@pytest.fixture
def world(app):
    world = make_scenario()
    add_stale_sign_ins(world)
    add_cross_cohort_actors(world)  # the route policies' setups need them
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    db.session.commit()
    return world


def row_counts() -> dict[str, int]:
    db.session.rollback()
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables if table.name not in MAY_CHANGE_ON_REFUSAL}
    db.session.rollback()  # an open read transaction would lock SQLite against the request
    return counts


def upload_listing() -> set[str]:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    return {str(path.relative_to(folder)) for path in folder.rglob("*")} if folder.exists() else set()


def stored_nul_values() -> list[str]:
    """Text columns holding a NUL anywhere (SQLite stores them; PostgreSQL would refuse)."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if _python_type(column) is not str:
                continue
            query = text(f'SELECT count(*) FROM "{table.name}" WHERE instr("{column.name}", '
                         "char(0)) > 0")
            if db.session.execute(query).scalar():
                found.append(f"{table.name}.{column.name}")
    return found


def _python_type(column):
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def check_harmless(client, response, where):
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    pages = [response]
    if response.status_code in (301, 302, 303) and response.location:
        target = urlsplit(response.location)
        assert target.netloc in ("", "localhost", "portfolio.test"), f"{where}: off-site"
        pages.append(client.get(target.path + (f"?{target.query}" if target.query else "")))
        assert pages[-1].status_code < 500, f"{where}: the page after it fails"
    for page in pages:
        if page.mimetype == "text/html":
            live = live_markup_in(page.get_data(as_text=True))
            assert not live, f"{where}: live markup came back: {live}"


@pytest.mark.parametrize(("route", "role"), _form_pages())
def test_every_form_survives_hostile_text(app, world, route, role):
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, getattr(world, role))
    url = route.url(world)
    page = client.get(url)
    assert page.status_code < 500
    if page.mimetype != "text/html":
        return
    forms = [form for form in forms_on(page.get_data(as_text=True), url)
             if form.text_fields and not form.action.startswith(SKIP_ACTIONS)]
    if route.endpoint.rsplit(".", 1)[1].startswith("edit"):
        assert forms, f"{url}: no form with a text field found; the parser missed it"
    for form in forms:
        for name, payload in TEXT_PAYLOADS.items():
            before_rows, before_files = row_counts(), upload_listing()
            response = client.post(form.action, data=filled(form, payload))
            where = f"{name} into {form.action} (from {url} as {role})"
            check_harmless(client, response, where)
            if response.status_code >= 400:
                assert row_counts() == before_rows, f"{where}: refused but half-stored"
                assert upload_listing() == before_files, f"{where}: refused but left files"
            if name == "nul" and not USE_POSTGRES:
                db.session.rollback()
                assert stored_nul_values() == [], f"{where}: NUL stored"
                db.session.rollback()
        for raw in INVALID_UTF8:
            body = "&".join(f"{quote(k)}={quote(v)}" for k, v in filled(form, "x").items(multi=True)
                            if k not in form.text_fields)
            body = body.encode() + b"".join(b"&" + quote(k).encode() + b"=" + raw
                                            for k in form.text_fields)
            response = client.post(form.action, data=body,
                                   content_type="application/x-www-form-urlencoded")
            check_harmless(client, response, f"invalid UTF-8 into {form.action} from {url}")
