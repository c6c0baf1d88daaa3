"""The one path from user-written Markdown to HTML: render, then sanitise with nh3.

Every place that shows user text as HTML goes through `render_markdown` (the `markdown`
Jinja filter). Nothing else in the app may mark user text safe.
"""

from __future__ import annotations

import html as html_lib
import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

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

_EXTENSIONS = ["tables", "sane_lists", "fenced_code", "nl2br"]


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
    html = markdown_lib.markdown(source, extensions=_EXTENSIONS, output_format="html")
    # nh3 has reduced the HTML to the allow-list above.
    return Markup(sanitise_html(html))  # noqa: S704  # nosec B704


def plain_excerpt(text: str | None, length: int = 200) -> str:
    """Return a short plain-text excerpt of Markdown, for lists and notifications."""
    if not text:
        return ""
    stripped = nh3.clean(markdown_lib.markdown(str(text)[:20_000]), tags=set())
    collapsed = " ".join(html_lib.unescape(stripped).split())
    return collapsed if len(collapsed) <= length else collapsed[: length - 1].rstrip() + "…"
