"""Routes for peer learning and sign-off: load (404 when not theirs), check, act through one
service, commit once, respond. Split by area to keep each module small."""

from . import (  # noqa: F401
    audit_pages,
    comments,
    dashboard_pages,
    previews,
    progress_pages,
    requests,
    signoffs,
)
