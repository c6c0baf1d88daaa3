"""Markdown renders in time linear in its length, in well under a second at any allowed length,
and ordinary Markdown still renders exactly as Python-Markdown renders it."""

import logging
import re

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import portfolio.text
from portfolio import bounded_markdown
from portfolio.bounded_markdown import EXTENSIONS, MAX_NESTING, format_markdown
from portfolio.entries.vocabulary import PHILOSOPHY_MAX_CHARS, SECTION_MAX_CHARS
from portfolio.text import MAX_MARKDOWN_CHARS, plain_excerpt, render_markdown, sanitise_html
from tests.cpu import least_cpu_seconds

LONGEST_FIELD = max(SECTION_MAX_CHARS, PHILOSOPHY_MAX_CHARS)

# Each repeated to the length under test. Upstream Python-Markdown was quadratic (or worse) on
# the first group: "[" * 8000 took 20 s, "[a](" * 8000 25 s.
QUADRATIC_UPSTREAM = [
    "[", "[a](", "![", "[a][", "[`", "[a](b \"", "<a", "<http://", "=\n", "#\n", "- a\n",
    "`a``a```a",
]
PATHOLOGICAL = QUADRATIC_UPSTREAM + [
    "[![", "`[", "![a](", "[a](<", "<![CDATA[", "-\n",
    "*", "_", "`", "<", "](", "**a", "*a", "_a", "&", "\\", "a\n", "a\n\n", "> ", ">",
    "1. ", "+ ", "* * ", "```\n", "~~~\n", "<div>", "<b title=x>", "|a\n", "    - a\n",
    "[a](b) ", "`a` ", "&amp; ", "\\* ", "*a* ", "a  \n", "[r]: /x\n",
]


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def staircase(length: int) -> str:
    """Lists nested ever deeper by indentation, up to `length` characters."""
    lines, size, depth = [], 0, 0
    while size < length:
        line = " " * (2 * depth) + "- a"
        lines.append(line)
        size, depth = size + len(line) + 1, depth + 1
    return "\n".join(lines)[:length]


@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_pathological_text_of_the_longest_allowed_length_renders_within_a_second(unit):
    source = repeated(unit, LONGEST_FIELD)
    elapsed = least_cpu_seconds(render_markdown, source, repeat=2)
    assert elapsed < 1.0, f"{unit!r} * {LONGEST_FIELD:,} took {elapsed:.2f} s"


@pytest.mark.parametrize("source", [
    pytest.param(staircase(LONGEST_FIELD), id="indentation-staircase"),
    pytest.param(repeated("> " * 40 + "a\n", LONGEST_FIELD), id="deep-quotes"),
    pytest.param(repeated("[" * 20 + "a" + "]" * 20 + "(b)", LONGEST_FIELD), id="deep-links"),
    pytest.param(repeated("[", MAX_MARKDOWN_CHARS), id="longest-rendered-text"),
])
def test_nested_and_oversized_text_renders_within_a_second(source):
    elapsed = least_cpu_seconds(render_markdown, source, repeat=2)
    assert elapsed < 1.0, f"took {elapsed:.2f} s"


@pytest.mark.parametrize("unit", QUADRATIC_UPSTREAM)
def test_formatting_time_grows_linearly_with_the_text(unit):
    # Without the time budget, so the whole text really is formatted both times.
    short, long = repeated(unit, 4_000), repeated(unit, 16_000)
    # Each the least of three runs: one run on a busy machine can take many times its work.
    once = least_cpu_seconds(format_markdown, short)
    assert once < 1.0, f"{unit!r} * 4,000 took {once:.2f} s: quadratic again?"
    four_times = least_cpu_seconds(format_markdown, long)
    # Linear: about 4x. Quadratic would be 16x.
    assert four_times < 8 * once + 0.02, f"{unit!r}: {once:.3f} s, then {four_times:.3f} s"


def test_after_the_time_budget_the_rest_is_shown_as_plain_paragraphs():
    source = "**Bold** start.\n\n" + "Some *text* here.\n\n" * 2_000
    html = format_markdown(source, budget=0)
    assert "<strong>" not in html and "<em>" not in html
    assert html.startswith("<p>**Bold** start.</p>")
    assert html.count("<p>") == 2_001


def test_nesting_deeper_than_the_limit_is_shown_as_text():
    html = str(render_markdown("> " * (MAX_NESTING + 5) + "deep"))
    assert html.count("<blockquote>") == MAX_NESTING
    assert "&gt; &gt; &gt; &gt; &gt; deep" in html
    listed = str(render_markdown("1. " * (MAX_NESTING + 5) + "deep"))
    assert listed.count("<ol>") == MAX_NESTING
    assert "- - - - - - - - - - - -" not in str(render_markdown("- " * 12))  # still a rule


def test_a_piece_markdown_cannot_format_is_shown_as_plain_text(monkeypatch, caplog):
    def overflow(self, source):
        raise RecursionError

    monkeypatch.setattr(markdown.Markdown, "convert", overflow)
    monkeypatch.setattr(bounded_markdown._local, "md", None, raising=False)
    portfolio.text._short_html.cache_clear()  # formatted for real, not remembered
    with caplog.at_level(logging.WARNING, logger="portfolio.bounded_markdown"):
        html = str(render_markdown("**kept** <b>text</b>"))
    assert html == "<p>**kept** &lt;b&gt;text&lt;/b&gt;</p>"
    assert "RecursionError" in caplog.text and "kept" not in caplog.text
    monkeypatch.undo()
    bounded_markdown._local.md = None


def test_a_lone_less_than_sign_still_reads_as_text_and_tags_still_work():
    html = str(render_markdown("a < b <b>bold</b> <https://example.org> `x < y` \\< z"))
    assert html.startswith("<p>a &lt; b <b>bold</b> <a href=\"https://example.org\"")
    assert "<code>x &lt; y</code>" in html and "\\&lt; z" in html


def test_excerpts_are_bounded_too():
    # Once: the excerpt of a text is kept, so a second run would only read it back.
    assert least_cpu_seconds(plain_excerpt, "[" * LONGEST_FIELD, repeat=1) < 1.0
    assert plain_excerpt("**Bold** and <i>x < y</i>") == "Bold and x < y"


# --- the same output as Python-Markdown for ordinary writing -----------------------------

def upstream(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS, output_format="html")


markdownish = st.lists(st.sampled_from(list("ab []()!`'\"\\<>*_|-:#\n\t.1") + [
    "[a](b)", "![i](s)", "[r]: /x", "[r]", "[r][]", "](", "(\"t\")", "('t')", "<b>", "</b>",
    "``", "```\n", "~~~\n", "\n\n", "> ", "- ", "1. ", "    ", "| a | b |\n|---|---|\n",
    "http://x.y", "<http://a.b>", "&amp;", "**", "__", "[a](<b> 'c')", "[x [y] z](/p(q))",
]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_short_text_renders_exactly_as_python_markdown_renders_it(source):
    assert format_markdown(source) == upstream(source)


BLOCKS = [
    "A paragraph with **bold**, *em*, `code` and a [link](https://example.org \"t\").\nMore.",
    "See the [reference][r], the [r] shortcut and ![a picture](/i.png).",
    "# Heading", "## Sub heading", "Setext heading\n==============",
    "- one\n- two\n    - nested\n- three", "1. first\n2. second\n\n3. loose third",
    "> quoted\n> more\n>\n> > nested quote", "```python\nx = [1, 2]\n\nprint(x)\n```",
    "    indented code\n\n    more code", "| a | b |\n|---|:-:|\n| 1 | 2 |", "---",
    "Text with <b>inline html</b> & an &amp; entity.", "2024 was a good year.",
    "- item\n\n  a paragraph in the item", "* * *", "Line one  \nline two\nline three",
]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(BLOCKS), min_size=60, max_size=300))
def test_long_writing_cut_into_pieces_renders_as_python_markdown_renders_it(blocks):
    source = "\n\n".join(blocks) + "\n\n[r]: https://example.org/ref \"Ref\"\n"
    ours = format_markdown(source, finish=sanitise_html)
    # Pieces are joined by one newline where Markdown may leave a blank line: no difference
    # a reader can see.
    assert re.sub(r"\n+", "\n", ours) == re.sub(r"\n+", "\n", sanitise_html(upstream(source)))
