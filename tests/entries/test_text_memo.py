"""Short texts shown as they are now (comments, descriptions, notes) are formatted once per
worker; a longer text, or one partly shown as plain text (time budget, a formatting error), is
formatted again on every view."""

import markdown
import pytest

import portfolio.text
from portfolio import bounded_markdown
from portfolio.text import SHORT_SOURCE_CHARS, plain_excerpt, render_markdown
from tests.entries.builders import spy_on_markdown


@pytest.fixture
def formatted(monkeypatch):
    """Every source the renderer formats while the test runs, with both memos empty."""
    seen = spy_on_markdown(monkeypatch)
    portfolio.text._short_html.cache_clear()
    portfolio.text._excerpt_of.cache_clear()
    yield seen
    portfolio.text._short_html.cache_clear()
    portfolio.text._excerpt_of.cache_clear()


def test_a_short_text_is_formatted_once_and_shown_the_same_every_time(formatted):
    text = "What worked: **the relay** changeover at 20 m. <script>alert(1)</script>"
    first, second = render_markdown(text), render_markdown(text)
    assert first == second
    assert "<strong>the relay</strong>" in first and "<script" not in first
    assert formatted == [text]


def test_different_texts_are_each_formatted(formatted):
    assert render_markdown("*one*") != render_markdown("*two*")
    assert formatted == ["*one*", "*two*"]


def test_a_long_text_is_formatted_on_every_view(formatted):
    text = "word " * (SHORT_SOURCE_CHARS // 5 + 1)
    assert len(text) > SHORT_SOURCE_CHARS
    render_markdown(text)
    render_markdown(text)
    assert formatted == [text, text]


def test_a_text_cut_short_by_the_time_budget_is_not_kept(formatted, monkeypatch):
    text = "**Bold** start\n\n" + "more words\n\n" * 10
    monkeypatch.setattr(portfolio.text, "RENDER_BUDGET_SECONDS", 0)
    assert "<strong>" not in render_markdown(text)  # shown as plain paragraphs this time
    monkeypatch.setattr(portfolio.text, "RENDER_BUDGET_SECONDS", 0.25)
    assert "<strong>Bold</strong>" in render_markdown(text)  # formatted in full next time
    assert render_markdown(text) == render_markdown(text)
    assert len(formatted) == 2


def test_a_text_markdown_could_not_format_is_not_kept(formatted, monkeypatch):
    def overflow(self, source):
        raise RecursionError

    monkeypatch.setattr(markdown.Markdown, "convert", overflow)
    monkeypatch.setattr(bounded_markdown._local, "md", None, raising=False)
    assert str(render_markdown("**kept**")) == "<p>**kept**</p>"
    monkeypatch.undo()
    bounded_markdown._local.md = None
    assert str(render_markdown("**kept**")) == "<p><strong>kept</strong></p>"


def test_an_excerpt_cut_short_by_the_time_budget_is_not_kept(formatted, monkeypatch):
    text = "**Bold** start\n\n" + "- item\n" * 5
    monkeypatch.setattr(portfolio.text, "RENDER_BUDGET_SECONDS", 0)
    assert plain_excerpt(text).startswith("**Bold**")
    monkeypatch.setattr(portfolio.text, "RENDER_BUDGET_SECONDS", 0.25)
    assert plain_excerpt(text).startswith("Bold start")
    assert plain_excerpt(text) == plain_excerpt(text)
    assert len(formatted) == 2
