"""Form pieces every feature uses: the bare CSRF form for button-only POSTs, choices, and the
select field every form uses."""

from __future__ import annotations

from collections.abc import Iterable

import wtforms.widgets
import wtforms.widgets.core
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectField as _SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

# WTForms' own, kept for the test that the replacement writes the same HTML.
WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params


def html_params(**kwargs) -> Markup:
    """`wtforms.widgets.core.html_params` with the same output, written as one string.

    WTForms writes each attribute with `Markup.format`, which runs Python's string.Formatter:
    every input, label and button spent about 15 µs an attribute there, 0.5 ms of an entry
    page. Escaping is unchanged: names and values are escaped, True writes the bare name and
    False leaves the attribute out. `tests/core/test_forms_html_params.py` compares the two."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = escape(clean_key(key))
        if value is True:
            params.append(key)
        elif value is not False:
            # escape() writes " as &#34;; a value already Markup may still hold one.
            text = str(escape(value)).replace('"', "&quot;")
            params.append(f'{key}="{text}"')
    return _markup(" ".join(params))


def use_fast_html_params() -> None:
    """Have every WTForms widget and label write attributes with `html_params` above: most
    look the function up in these two modules when they render; inputs and buttons keep it
    as a class attribute."""
    wtforms.widgets.core.html_params = html_params
    wtforms.widgets.html_params = html_params
    for widget in vars(wtforms.widgets.core).values():
        if isinstance(widget, type) and "html_params" in vars(widget):
            widget.html_params = staticmethod(html_params)


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
