"""Read-side queries for the webhook pages (a fixed number of statements per page)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..database import paginate_counted
from ..extensions import db
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

DELIVERIES_PER_PAGE = 50


@dataclass(frozen=True)
class EndpointRow:
    endpoint: WebhookEndpoint
    pending: int
    failed: int


def endpoints_with_counts() -> list[EndpointRow]:
    """Every endpoint with its waiting and failed deliveries, in one statement."""
    pending = func.count(case((WebhookDelivery.status == DeliveryStatus.PENDING, 1)))
    failed = func.count(case((WebhookDelivery.status == DeliveryStatus.FAILED, 1)))
    rows = db.session.execute(
        select(WebhookEndpoint, pending, failed)
        .outerjoin(WebhookDelivery, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .group_by(WebhookEndpoint.id).order_by(WebhookEndpoint.id))
    return [EndpointRow(endpoint, waiting, gave_up) for endpoint, waiting, gave_up in rows]


def recent_deliveries(endpoint: WebhookEndpoint, page: int):
    """The endpoint's deliveries, newest first, one page at a time."""
    return paginate_counted(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()),
        page=page, per_page=DELIVERIES_PER_PAGE)
