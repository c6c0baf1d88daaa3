"""Widgets write attributes with portfolio.forms.html_params: the same HTML as WTForms' own."""

import itertools

import pytest
from markupsafe import Markup

from portfolio.forms import WTFORMS_HTML_PARAMS, html_params

VALUES = ["plain", "", 'a "quoted" <b>value</b> & more', Markup("<i>kept</i>"),
          Markup('has "quote"'), 0, 42, 3.5, None, True, False, "Ça va – ünïcode"]
KEYS = ["name", "class_", "for_", "data_field_name", "aria_described_by", "id", "value",
        'odd"key<']


@pytest.mark.parametrize(("first", "second"), itertools.product(VALUES, VALUES))
def test_same_html_as_wtforms_for_every_kind_of_value(first, second):
    kwargs = {"class_": first, "data_entry_id": second, "name": "title", "required": True,
              "disabled": False}
    ours = html_params(**kwargs)
    assert ours == WTFORMS_HTML_PARAMS(**kwargs)
    assert isinstance(ours, Markup)


@pytest.mark.parametrize("key", KEYS)
def test_same_html_as_wtforms_for_every_kind_of_name(key):
    assert html_params(**{key: "x"}) == WTFORMS_HTML_PARAMS(**{key: "x"})
    assert html_params(**{key: True}) == WTFORMS_HTML_PARAMS(**{key: True})


def test_nothing_at_all():
    assert html_params() == WTFORMS_HTML_PARAMS() == ""


def test_rendered_fields_use_it_and_escape(app):
    import wtforms.widgets
    import wtforms.widgets.core
    from wtforms import Form, StringField

    assert wtforms.widgets.core.html_params is html_params
    assert wtforms.widgets.html_params is html_params
    # Inputs and buttons keep it as a class attribute.
    assert wtforms.widgets.core.Input.html_params is html_params
    assert wtforms.widgets.core.Button.html_params is html_params

    class Probe(Form):
        title = StringField("Title <b>")

    form = Probe(data={"title": '"><script>alert(1)</script>'})
    html = form.title(class_="wide")
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html
    assert 'class="wide"' in html
    assert form.title.label() == '<label for="title">Title &lt;b&gt;</label>'
