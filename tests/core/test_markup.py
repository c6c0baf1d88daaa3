"""The tag helpers built in Python give exactly the HTML of the macros they replaced, escaped."""

import pytest
from jinja2 import Environment
from markupsafe import Markup

from portfolio import markup

OLD_MACROS = Environment(autoescape=True).from_string(
    '{% macro tag(text, kind="") %}<strong class="tag{% if kind %} tag--{{ kind }}{% endif %}">'
    '{{ text }}</strong>{% endmacro %}'
    '{% macro status_tag(label) -%}{%- if label %}{{ tag(label.text, label.colour) }}{% endif -%}'
    '{%- endmacro %}'
    '{% macro entry_review_tag(state) -%}{%- if state %}{{ status_tag(state.label) }}{% endif -%}'
    '{%- endmacro %}').module


class Label:
    def __init__(self, text, colour):
        self.text, self.colour = text, colour


class State:
    def __init__(self, label):
        self.label = label


@pytest.mark.parametrize(("text", "kind"), [
    ("Signed off", "green"), ("Draft", ""), ("Version 3", "green"), (7, "blue"),
    ('<script>alert("x")</script>', "red"), ("Ça & co", 'x" onclick="steal()'),
    (Markup("<em>kept</em>"), "purple"), ("", "grey"),
])
def test_tag_matches_the_old_macro_and_escapes(text, kind):
    assert markup.tag(text, kind) == str(OLD_MACROS.tag(text, kind))
    assert isinstance(markup.tag(text, kind), Markup)
    assert "<script>" not in markup.tag(text, kind)
    assert 'onclick="' not in markup.tag(text, kind)


@pytest.mark.parametrize("label", [None, Label("Waiting for review", "yellow"),
                                   Label("<b>odd</b>", "red")])
def test_status_and_entry_review_tags_match_the_old_macros(label):
    assert markup.status_tag(label) == str(OLD_MACROS.status_tag(label))
    for state in (None, State(label)):
        assert markup.entry_review_tag(state) == str(OLD_MACROS.entry_review_tag(state))
