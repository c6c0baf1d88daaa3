"""What each API resource looks like (marshmallow); the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

MAX_LIMIT = 200


class Problem(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    errors = fields.Dict(metadata={"description": "Per-field messages (422 only)"})
    error = fields.String(metadata={"description": "OAuth error code (token endpoint only)"})


class ListQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT),
                           metadata={"description": f"Items per page (1 to {MAX_LIMIT})"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "The `next_cursor` of the previous page; omit for the first page"})
    updated_since = fields.AwareDateTime(
        load_default=None, default_timezone=UTC,
        metadata={"description": "Only items changed at or after this time (ISO 8601; UTC "
                                 "when no offset is given). Each resource says which "
                                 "timestamp it compares."})


class MembershipQuery(ListQuery):
    cohort_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "next_cursor": fields.String(required=True, allow_none=True, metadata={
            "description": "Pass as `cursor` for the next page; null on the last page"}),
    }, name=name)


class Year(Schema):
    id = fields.Integer(required=True)
    label = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    status = fields.String(required=True)
    updated_at = fields.AwareDateTime(required=True)


class Cohort(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    year_id = fields.Integer(required=True)
    pathway = fields.Function(lambda cohort: cohort.pathway.name, required=True,
                              metadata={"type": "string"})
    framework_id = fields.Integer(required=True)
    onboarding_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    updated_at = fields.AwareDateTime(required=True)


class Membership(Schema):
    id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True, allow_none=True, metadata={
        "description": "Shown only to programme leads, admins and the cohort's coach "
                       "developers, as on the cohort page"})
    role = fields.String(required=True)
    status = fields.String(required=True)
    coach_developer_id = fields.Integer(required=True, allow_none=True)
    updated_at = fields.AwareDateTime(required=True)


class Competency(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    developer_signoffs_required = fields.Integer(required=True)
    peer_signoffs_required = fields.Integer(required=True)


class Area(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    position = fields.Integer(required=True)
    competencies = fields.List(fields.Nested(Competency), required=True)


class Framework(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    description = fields.String(required=True)
    published_at = fields.AwareDateTime(required=True, allow_none=True)
    updated_at = fields.AwareDateTime(required=True)
    areas = fields.List(fields.Nested(Area), required=True)


class CompetencyProgress(Schema):
    code = fields.String(required=True)
    state = fields.String(required=True, metadata={
        "enum": ["not_started", "claimed", "awaiting_review", "signed_off"]})
    developer_signoffs = fields.Integer(required=True)
    peer_signoffs = fields.Integer(required=True)
    required = fields.Integer(required=True)


class Progress(Schema):
    id = fields.Integer(required=True, metadata={"description": "The candidate's membership"})
    cohort_id = fields.Integer(required=True)
    candidate_id = fields.Integer(required=True)
    status = fields.String(required=True)
    met = fields.Integer(required=True)
    total = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    completed = fields.Boolean(required=True, metadata={
        "description": "A completion is recorded and not revoked"})
    completed_at = fields.AwareDateTime(required=True, allow_none=True)
    competencies = fields.List(fields.Nested(CompetencyProgress), required=True)
    updated_at = fields.AwareDateTime(required=True)


class ReviewRequest(Schema):
    id = fields.Integer(required=True)
    entry_id = fields.Integer(required=True)
    entry_version_id = fields.Integer(required=True)
    candidate_id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    assigned_to_id = fields.Integer(required=True, allow_none=True)
    status = fields.String(required=True)
    due_on = fields.Date(required=True)
    created_at = fields.AwareDateTime(required=True)
    started_at = fields.AwareDateTime(required=True, allow_none=True)
    closed_at = fields.AwareDateTime(required=True, allow_none=True)
    competency_ids = fields.Function(
        lambda item: sorted(link.competency_id for link in item.competencies), required=True,
        metadata={"type": "array", "items": {"type": "integer"}})
    updated_at = fields.Function(
        lambda item: (item.closed_at or item.started_at or item.created_at).isoformat(),
        required=True, metadata={"type": "string", "format": "date-time"})


class Signoff(Schema):
    id = fields.Integer(required=True)
    role = fields.String(required=True)
    decision = fields.String(required=True)
    candidate_id = fields.Integer(required=True)
    reviewer_id = fields.Integer(required=True)
    competency_id = fields.Integer(required=True)
    competency_code = fields.String(required=True)
    entry_id = fields.Integer(required=True)
    version_number = fields.Integer(required=True)
    content_hash = fields.String(required=True)
    review_request_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    revoked_at = fields.Function(
        lambda item: item.revocation.created_at.isoformat() if item.revocation else None,
        required=True, allow_none=True,
        metadata={"type": ["string", "null"], "format": "date-time"})


class Entry(Schema):
    id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True, allow_none=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    privacy = fields.String(required=True)
    review_status = fields.String(required=True)
    practice_date = fields.Date(required=True, allow_none=True)
    session_type = fields.String(required=True)
    event_group = fields.String(required=True)
    reflection_model = fields.String(required=True)
    sections = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    latest_version_number = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class EntryDraftIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    practice_date = fields.Date(load_default=None)
    session_type = fields.String(validate=validate.Length(max=20))
    event_group = fields.String(validate=validate.Length(max=80))
    athletes = fields.String(validate=validate.Length(max=2000))
    reflection_model = fields.String(validate=validate.Length(max=32))
    sections = fields.Dict(keys=fields.String(validate=validate.Length(max=40)),
                           values=fields.String(validate=validate.Length(max=60000)))


class Evidence(Schema):
    id = fields.Integer(required=True)
    owner_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True, allow_none=True)
    original_filename = fields.String(required=True, allow_none=True)
    media_type = fields.String(required=True, allow_none=True)
    category = fields.String(required=True, allow_none=True)
    size_bytes = fields.Integer(required=True)
    sha256 = fields.String(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class TokenRequest(Schema):
    grant_type = fields.String(required=True, validate=validate.OneOf(["client_credentials"]))
    client_id = fields.String(validate=validate.Length(max=200))
    client_secret = fields.String(validate=validate.Length(max=200))
    scope = fields.String(validate=validate.Length(max=1000))


class TokenResponse(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    scope = fields.String(required=True)
