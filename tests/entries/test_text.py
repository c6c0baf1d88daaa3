"""Markdown written in entries renders harmless, and the sanitiser is idempotent."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.text import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    plain_excerpt,
    render_markdown,
    sanitise_html,
)

ATTACKS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[proto-relative](//evil.example/steal)",
    "[backslash](/\\evil.example)",
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<form action=\"https://evil.example\"><input name=p></form>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<p onclick=\"alert(1)\">hi</p>",
    "<<script>script>alert(1)<</script>/script>",
    "```html\n<script>alert(1)</script>\n```",
    "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">ok</a>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
]

SAFE_HREF = re.compile(r"^(https?://|mailto:|#|/(?![/\\]))", re.IGNORECASE)


class MarkupAudit(HTMLParser):
    """Every element and attribute in rendered HTML, as a browser's parser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href":
                compact = re.sub(r"[\x00-\x20]", "", value or "")
                if not SAFE_HREF.match(compact):
                    self.problems.append(f"link to {value!r}")


def problems_in(html: str) -> list[str]:
    audit = MarkupAudit()
    audit.feed(html)
    audit.close()
    return audit.problems


@pytest.mark.parametrize("source", ATTACKS)
def test_attacks_render_harmless(source):
    html = str(render_markdown(source))
    assert problems_in(html) == [], html


@pytest.mark.parametrize("source", ATTACKS)
def test_attacks_are_harmless_among_ordinary_text(source):
    html = str(render_markdown(f"Before\n\n{source}\n\nAfter"))
    assert problems_in(html) == [], html
    assert "Before" in html and "After" in html


def test_ordinary_writing_keeps_its_formatting():
    html = str(render_markdown("**Key point**: *keep* it [simple](https://example.org).\n\n- a\n- b"))
    assert "<strong>Key point</strong>" in html
    assert "<em>keep</em>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<li>a</li>" in html


def test_site_relative_and_mailto_links_survive():
    html = str(render_markdown("[mine](/portfolio/) and [mail](mailto:coach@example.org)"))
    assert 'href="/portfolio/"' in html
    assert 'href="mailto:coach@example.org"' in html


def test_nul_and_huge_input_do_not_break_rendering():
    assert "\x00" not in str(render_markdown("a\x00b"))
    assert str(render_markdown("word " * 150_000)).startswith("<p>")


def test_excerpt_is_plain_text():
    excerpt = plain_excerpt("<script>alert(1)</script>**Bold** words")
    assert "<" not in excerpt and "Bold words" in excerpt


markdownish = st.lists(
    st.sampled_from(list("ab <>/\"'=&;:#*_-[]()!`\n\t") + [
        "<a href=", "javascript:", "<img", " onerror=", "<svg", "<script>", "</script>",
        "<style>", "<iframe", "data:", "//", "](", "<p>", "</p>", "&#x", "<!--", "-->",
        "<table><tr><td>", "<b>", "</b>", "```\n", "> ", "1. ", "http://x.example/",
    ]),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_sanitiser_is_idempotent(source):
    once = sanitise_html(source)
    assert sanitise_html(once) == once
    assert problems_in(once) == [], once


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_rendered_markdown_is_already_clean_and_never_dangerous(source):
    html = str(render_markdown(source))
    assert sanitise_html(html) == html
    assert problems_in(html) == [], html


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_renders_without_error(source):
    html = str(render_markdown(source))
    assert sanitise_html(html) == html
