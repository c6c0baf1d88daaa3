"""Form pieces every feature uses: the bare CSRF form for button-only POSTs, and choices."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


class ActionForm(FlaskForm):
    """A bare form carrying only the CSRF token, for button-only POSTs."""


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
