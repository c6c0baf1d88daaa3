"""Hostile input against every form: never a 500, never live markup, nothing half-stored.

Forms are found, not listed: each GET page in the policy tables is fetched as a role the policy
says gets the page (200), its POST forms are parsed with html.parser, and every text field gets
each payload. Which pages carry no form with a text field, and which answer a file rather than
a page, is pinned below, so a parser that stops finding forms fails instead of passing on
nothing. The policy world is built once for the module and put back after a page's posts.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from flask import current_app
from sqlalchemy import func, select, text

from portfolio import create_app
from portfolio.extensions import db
from tests.conftest import USE_POSTGRES, IsolatedClient, base_config, fresh_database_uri
from tests.policy import MATRIX_ROLES
from tests.policy_world import PolicySite
from tests.security.corpus import INVALID_UTF8, TEXT_PAYLOADS, live_markup_in
from tests.security.forms import filled, forms_on
from tests.test_authorization_matrix import ROUTE_IDS, ROUTES

# Tables a refused request may still write to, by design: the audit trail and login throttle
# record refusals, and a too-large post rescues the author's text so it is never lost.
MAY_CHANGE_ON_REFUSAL = {"audit_events", "login_attempts", "draft_rescues"}
ROLE_PREFERENCE = ("author", "lead", "admin", "developer", "peer", "outsider",
                   "other_candidate", "other_developer", "stranger", *MATRIX_ROLES)
SKIP_ACTIONS = ("/account/logout",)
# Policy rows (as the matrix names them) whose answer is a file or data, not a page.
NOT_PAGES = {
    "GET evidence.file", "GET evidence.download", "GET evidence.thumbnail",
    "GET exports.progress_csv", "GET exports.progress_xlsx", "GET exports.portfolio_pdf",
    "GET exports.document_css", "GET exports.job_status", "GET exports.job_download",
    "GET frameworks.export_json", "GET frameworks.export_csv", "GET main.healthz",
    "GET main.readyz", "GET programmes.import_template", "GET reviews.evidence_preview",
    "GET reviews.cohort_audit_csv", "GET credentials.did_document", "GET credentials.jwks",
    "GET credentials.issuer", "GET credentials.achievement", "GET credentials.revocations",
    "GET showcases.export", "GET showcases.item_file", "GET showcase_links.item_file",
    "GET showcase_links.export",
    "GET api_pages.openapi_json", "GET offline.service_worker", "GET offline.manifest",
    "GET consent.report_csv",
}
# Pages (rows, as the matrix names them) whose forms have no text field: choices, buttons,
# file pickers. The first new-entry row lists the reflection models; the form is on #2.
NO_TEXT_FORM = {
    "GET credentials.public_page",
    "GET api_pages.docs",
    "GET panels.index", "GET panels.show", "GET panels.cohorts", "GET showcases.index",
    "GET showcases.show", "GET showcases.delete", "GET showcases.link_log",
    "GET showcase_links.page",
    "GET feedback.index", "GET feedback.show", "GET feedback.person",
    "GET quicksign.ask", "GET quicksign.shown", "GET quicksign.ask_observation",
    "GET webhooks.show",
    # Consent already recorded: details and a withdraw button; the form is on #2 (pending).
    "GET consent.evidence", "GET consent.observation",
    "GET consent.report_index", "GET consent.report",
    "GET admin.users", "GET admin.user_detail", "GET admin.confirm_role",
    "GET admin.confirm_deactivate", "GET auth.settings", "GET entries.home", "GET entries.shared",
    "GET entries.new_entry", "GET entries.versions", "GET entries.compare_versions",
    "GET entries.candidate_portfolio", "GET main.home",
    "GET entries.delete_entry", "GET entries.philosophy_versions",
    "GET entries.philosophy_compare", "GET entries.goal_list", "GET entries.delete_goal",
    "GET evidence.library", "GET evidence.upload", "GET evidence.detail",
    "GET evidence.confirm_delete", "GET evidence.attach_page", "GET exports.index",
    "GET exports.progress", "GET exports.portfolio_html", "GET exports.portfolio_page",
    "GET exports.my_portfolio", "GET exports.job", "GET frameworks.index",
    "GET frameworks.detail", "GET frameworks.confirm_step", "GET frameworks.compare",
    "GET notifications.index", "GET privacy.my_data", "GET programmes.overview",
    "GET programmes.confirm_year_status", "GET programmes.cohort", "GET programmes.my_cohort",
    "GET programmes.import_upload", "GET programmes.import_preview", "GET programmes.member",
    "GET reviews.request_detail", "GET reviews.candidate_progress_page",
    "GET reviews.cohort_audit", "GET reviews.dashboard", "GET reviews.queue",
    "GET observations.index", "GET observations.show", "GET observations.templates",
    "GET observations.template", "GET offline.outbox",
    "GET search.index",  # a GET form; hostile queries: tests/search/test_search.py
}


def _page_role(route):
    """The first role the policy says gets this page itself (200), or None."""
    allowed = [role for role in ROLE_PREFERENCE if role in route.allowed]
    return next((role for role in allowed if route.expected_for(role)[0] == 200), None)


# Rows kept although their endpoint was already seen: the entry form is on ?model=.
ALSO = {"GET entries.new_entry#2", "GET consent.evidence#2", "GET consent.observation#2"}


def _form_pages():
    pages, seen = [], set()
    for index, (route, name) in enumerate(zip(ROUTES, ROUTE_IDS, strict=True)):
        base = name.split("#")[0]
        role = _page_role(route)
        if route.method != "GET" or base in NOT_PAGES or role is None:
            continue
        if base in seen and name not in ALSO:
            continue
        seen.add(base)
        pages.append(pytest.param(index, role, id=name))
    return pages


@pytest.fixture(scope="module")
def site(database_template, tmp_path_factory):
    """The policy world, built once; each page's test starts from it as seeded."""
    def read(world):
        tokens = {role: getattr(world, role).session_token for role in ROLE_PREFERENCE
                  if role != "anonymous" and hasattr(world, role)}
        return [route.url(world) for route in ROUTES], tokens

    folder = tmp_path_factory.mktemp("hostile")
    app = create_app(base_config(folder, fresh_database_uri(database_template, folder)))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield PolicySite(app, database_template, folder, read)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(site):  # the module's app and its world, as seeded
    site.prepare()
    return site.app


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


def refused(response) -> bool:
    """A 4xx, or the form again with its error summary (a 200)."""
    return response.status_code >= 400 or (
        response.mimetype == "text/html"
        and "data-error-summary" in response.get_data(as_text=True))


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


def test_every_page_row_is_sorted_into_pages_or_files():
    names = {name.split("#")[0] for name in ROUTE_IDS if name.startswith("GET ")}
    gone = (NOT_PAGES - names) | (NO_TEXT_FORM - set(ROUTE_IDS))
    assert not gone, f"pinned rows that no longer exist: {sorted(gone)}"


@pytest.mark.parametrize(("index", "role"), _form_pages())
def test_every_form_survives_hostile_text(app, site, index, role):
    urls, tokens = site.data
    name, url = ROUTE_IDS[index], urls[index]
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = tokens[role]
            session["_fresh"] = True
    page = client.get(url)
    assert page.status_code == 200, f"{url} as {role}: {page.status_code}"
    assert page.mimetype == "text/html", f"{url}: a file ({page.mimetype}): add it to NOT_PAGES"
    forms = [form for form in forms_on(page.get_data(as_text=True), url)
             if form.text_fields and not form.action.startswith(SKIP_ACTIONS)]
    if name in NO_TEXT_FORM:
        assert not forms, f"{url}: now has a text field; remove {name} from NO_TEXT_FORM"
    else:
        assert forms, f"{url}: no form with a text field found; the parser missed it"
    for form in forms:
        for name, payload in TEXT_PAYLOADS.items():
            before_rows, before_files = row_counts(), upload_listing()
            response = client.post(form.action, data=filled(form, payload))
            where = f"{name} into {form.action} (from {url} as {role})"
            check_harmless(client, response, where)
            if refused(response):
                assert row_counts() == before_rows, f"{where}: refused but half-stored"
                assert upload_listing() == before_files, f"{where}: refused but left files"
            # PostgreSQL refuses NUL in text outright; SQLite would store it.
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
