"""Schemathesis fuzzes every operation of the served OpenAPI document: no 5xx, and every
response (status, content type, body) matches what the document says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portfolio.extensions import db
from tests.api.builders import bearer, personal_token
from tests.factories import make_entry, make_link_evidence, make_scenario

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def served(make_app):
    app = make_app(API_RATE_LIMIT=1_000_000)
    with app.app_context():
        world = make_scenario()
        evidence = make_link_evidence(world.author)
        make_entry(world.author, cohort=world.cohort, title="Block starts")
        make_entry(world.author, cohort=world.cohort, title="Relays", evidence=[evidence])
        token = personal_token(world.author)
        db.session.commit()
        yield app, token
        db.session.remove()


def test_the_api_keeps_to_its_document(served):
    app, token = served
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            case.call_and_validate(headers=bearer(token), checks=CHECKS)

        fuzz()
