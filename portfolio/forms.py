"""Form pieces every feature uses: the bare CSRF form for button-only POSTs, choices, and the
select field every form uses."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectField as _SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select


class ActionForm(FlaskForm):
    """A bare form carrying only the CSRF token, for button-only POSTs."""


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class PlainSelect(Select):
    """WTForms' select widget, writing plain options directly.

    The general `render_option` builds each option through `html_params` (a dict, a sort,
    an escape per attribute): a dashboard's three filters with their cohorts, specialisms and
    competencies spent 0.5 ms there. An option with only a text value, a label and perhaps
    "selected" is written as the same HTML in one step; anything else (extra attributes,
    non-text values) goes the general way."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        value = choice.value
        if kwargs or choice.render_kw or value.__class__ is not str:
            return super().render_option(choice, **kwargs)
        label = escape(choice.label or value)
        if choice.selected:
            return _markup(f'<option selected value="{escape(value)}">{label}</option>')
        return _markup(f'<option value="{escape(value)}">{label}</option>')


def _markup(html: str) -> Markup:
    """An option written above: fixed tags around `escape`d text only."""
    return Markup(html)  # noqa: S704  # nosec B704


class SelectField(_SelectField):
    """`wtforms.SelectField` with the `PlainSelect` widget; every form uses this one."""

    widget = PlainSelect()
