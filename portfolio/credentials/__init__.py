"""Completion credentials: Open Badges 3.0 credentials signed with the federation's key."""

from flask import Flask

from ..registry import registry_of


def init_app(app: Flask) -> None:
    from ..reviews.services import completion_revoked, programme_completed
    from . import holder_views, views  # noqa: F401  (routes)
    from .blueprint import bp
    from .models import Credential
    from .permissions import holds_a_credential, holds_credential_expression
    from .services import issue_for_completion, revoke_for_completion

    app.register_blueprint(bp)
    # Reviews records and revokes completions without knowing about credentials: it signals,
    # and the credential is written in the same transaction (connecting again is a no-op).
    programme_completed.connect(issue_for_completion)
    completion_revoked.connect(revoke_for_completion)
    registry = registry_of(app)
    registry.add_nav_item("My credentials", "credentials.mine", holds_a_credential, order=36)
    # The header's check, read with the signed-in person rather than by a statement of its own.
    registry.add_viewer_fact("holds_a_credential", holds_credential_expression,
                             tables=(Credential,))
