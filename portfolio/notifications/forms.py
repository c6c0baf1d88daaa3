"""Forms for the notifications pages."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A bare form carrying only the CSRF token, for button-only POSTs."""
