"""The one path from user-written Markdown to HTML: render, then sanitise with nh3.

Every place that shows user text as HTML goes through this module: `render_markdown` (the
`markdown` Jinja filter) for text shown as it is now, and `stored_html` (the `stored_html`
filter) for the HTML a saved version kept from `render_sections` when it was saved. Nothing
else in the app may mark user text safe.

Rendering is bounded (see `bounded_markdown`): time grows linearly with the text, and after
RENDER_BUDGET_SECONDS of formatting the rest of a text is shown as plain paragraphs.
"""

from __future__ import annotations

import functools
import html as html_lib
import re

import nh3
from markupsafe import Markup

from .bounded_markdown import format_markdown

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "ins", "sup", "sub", "code", "pre",
    "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "table",
    "thead", "tbody", "tr", "th", "td", "abbr", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN_CHARS = 500_000
RENDER_BUDGET_SECONDS = 0.25
EXCERPT_SOURCE_CHARS = 4_000
# Texts up to this long have their HTML kept per worker (`_short_html`).
SHORT_SOURCE_CHARS = 4_000
SHORT_SOURCES_KEPT = 512


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        return value if is_safe_href(value) else None
    return value


def is_safe_href(value: str) -> bool:
    """Allow http(s), mailto and site-relative links; refuse `//host`, `/\\host` and the rest."""
    href = value.strip()
    compact = re.sub(r"[\x00-\x20]", "", href).lower()
    if compact.startswith(("http://", "https://", "mailto:")):
        return True
    if compact.startswith("/"):
        return not compact.startswith(("//", "/\\"))
    return bool(compact.startswith("#"))


def sanitise_html(html: str) -> str:
    """Reduce any HTML to the allow-list: no script, style, svg, math, iframe or form."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to sanitised HTML ready for a template."""
    if not text:
        return Markup("")
    source = str(text)[:MAX_MARKDOWN_CHARS].replace("\x00", "\ufffd")
    if len(source) > SHORT_SOURCE_CHARS:
        html = format_markdown(source, budget=RENDER_BUDGET_SECONDS, finish=sanitise_html)
    else:
        try:
            html = _short_html(source)
        except _NotKept as partly_plain:
            html = partly_plain.html
    # nh3 has reduced each formatted piece to the allow-list above; the rest is escaped text.
    return Markup(html)  # noqa: S704  # nosec B704


class _NotKept(Exception):
    """HTML with a part shown as plain text (time budget or a formatting error): shown this
    once, never kept, so the next view formats the text in full again."""

    def __init__(self, html: str):
        super().__init__("partly plain")
        self.html = html


@functools.lru_cache(maxsize=SHORT_SOURCES_KEPT)
def _short_html(source: str) -> str:
    """The HTML of a short text, kept per worker for the latest SHORT_SOURCES_KEPT texts.

    Comments, evidence descriptions, notes and goals are shown as they are now, not from a
    saved version, so every view rendered them again (about 0.5 ms a comment; an entry with
    a long thread paid it on every view). The HTML depends on nothing but the text, as with
    `_excerpt_of`: nothing about who asked is part of it, and a text that changes is a new
    key. At most SHORT_SOURCES_KEPT texts of SHORT_SOURCE_CHARS are held, with their HTML.
    A result that is partly plain text is raised, not returned: lru_cache keeps no
    exception, so a busy moment or a failure is never remembered."""
    shortfalls: list[str] = []
    html = format_markdown(source, budget=RENDER_BUDGET_SECONDS, finish=sanitise_html,
                           shortfalls=shortfalls)
    if shortfalls:
        raise _NotKept(html)
    return html


def render_sections(sections: dict | None) -> dict[str, str]:
    """Each section's sanitised HTML, to be stored with a saved version and never redone."""
    return {key: str(render_markdown(text)) for key, text in (sections or {}).items()}


def stored_html(html: str | None) -> Markup:
    """Mark HTML that `render_markdown` produced when a version was saved as safe to show.

    Only for the `rendered` columns of saved versions, which hold nothing but this module's
    sanitised output; never for anything a person typed.
    """
    return Markup(html or "")  # noqa: S704  # nosec B704


def highlighted(text: str | None, start: str, stop: str) -> Markup:
    """Search engine output: every character escaped, then the engine's two marker characters
    (never stored in indexed text) turned into <mark> and </mark>."""
    if not text:
        return Markup("")
    escaped = str(html_lib.escape(text, quote=True))
    return Markup(escaped.replace(start, "<mark>").replace(stop, "</mark>"))  # noqa: S704  # nosec B704


def plain_excerpt(text: str | None, length: int = 200) -> str:
    """Return a short plain-text excerpt of Markdown, for lists and notifications."""
    if not text:
        return ""
    try:
        return _excerpt_of(str(text)[:EXCERPT_SOURCE_CHARS], length)
    except _NotKept as partly_plain:
        return partly_plain.html


@functools.lru_cache(maxsize=1024)
def _excerpt_of(source: str, length: int) -> str:
    """The excerpt depends on nothing but the text, so one worker keeps the latest thousand
    (at most 4,000 characters each): a page listing feedback formats each comment once, not
    on every view. Nothing about who asked is part of it. An excerpt from partly plain
    formatting is raised (`_NotKept`), so it is shown once and not kept."""
    source = source.replace("\x00", "\ufffd")
    shortfalls: list[str] = []
    stripped = nh3.clean(format_markdown(source, budget=RENDER_BUDGET_SECONDS,
                                         shortfalls=shortfalls), tags=set())
    collapsed = " ".join(html_lib.unescape(stripped).split())
    excerpt = collapsed if len(collapsed) <= length else collapsed[: length - 1].rstrip() + "…"
    if shortfalls:
        raise _NotKept(excerpt)
    return excerpt
