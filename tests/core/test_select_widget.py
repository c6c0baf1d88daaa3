"""Every select in the app writes its options through `PlainSelect`, and the HTML is exactly
what WTForms' own widget writes (only faster)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import wtforms
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

import portfolio
from portfolio.forms import PlainSelect, SelectField

CHOICES = [
    [SelectChoice("", "Any competency"), SelectChoice("7", "VP1 Plans a session")],
    # Text that must be escaped, in the value and in the label.
    [SelectChoice('a"b', "<script>alert(1)</script> & co"), SelectChoice("x'y", "O'Brien")],
    # A label left empty shows the value; a non-text value goes the general way.
    [SelectChoice("solo", ""), SelectChoice(3, "Three"), SelectChoice(True, "Yes")],
    # Extra attributes on an option go the general way too.
    [SelectChoice("1", "One", render_kw={"disabled": True}), SelectChoice("2", "Two")],
]


class _Form(FlaskForm):
    class Meta:
        csrf = False

    ours = SelectField("Ours", validate_choice=False)
    theirs = wtforms.SelectField("Theirs", validate_choice=False)


@pytest.mark.parametrize("choices", CHOICES)
@pytest.mark.parametrize("selected", [None, 0, 1])
def test_options_are_written_exactly_as_wtforms_writes_them(app, choices, selected):
    with app.test_request_context():
        form = _Form()
        for field in (form.ours, form.theirs):
            field.choices = choices
            field.data = None if selected is None else choices[selected].value
            field.id = field.name = "pick"  # the same select, written by each widget
        assert isinstance(form.ours.widget, PlainSelect)
        assert not isinstance(form.theirs.widget, PlainSelect)
        ours, theirs = form.ours(class_="input"), form.theirs(class_="input")
        assert str(ours) == str(theirs)
        assert "<script>" not in str(ours)


def test_every_select_field_in_the_app_uses_the_plain_widget():
    plain_wtforms = []
    for module in pkgutil.walk_packages(portfolio.__path__, "portfolio."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    seen = set()

    def forms(cls):
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                yield sub
                yield from forms(sub)

    for form in forms(FlaskForm):
        if not form.__module__.startswith("portfolio."):
            continue
        for name in dir(form):
            unbound = getattr(form, name, None)
            if getattr(unbound, "field_class", None) is wtforms.SelectField:
                plain_wtforms.append(f"{form.__module__}.{form.__name__}.{name}")
    assert len(seen) > 20  # the walk found the app's forms
    assert plain_wtforms == [], "use portfolio.forms.SelectField"
    assert SelectField.widget.__class__ is PlainSelect and issubclass(PlainSelect, Select)
