"""The consent blueprint and the badge facts the evidence macros read."""

from flask import Blueprint

from .models import RELATIONSHIP_LABELS, SCOPE_LABELS, observation_record_for

bp = Blueprint("consent", __name__, url_prefix="/consent")


@bp.app_template_global("consent_record_of")
def _consent_record_of(item):
    """The consent record of an evidence item, or None (loaded with the item)."""
    return getattr(item, "consent", None)


@bp.app_template_global("observation_consent_of")
def _observation_consent_of(observation):
    return observation_record_for(observation)


@bp.app_template_global("consent_labels")
def _consent_labels() -> dict:
    return {"scope": SCOPE_LABELS, "relationship": RELATIONSHIP_LABELS}
