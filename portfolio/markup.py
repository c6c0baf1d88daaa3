"""Small pieces of markup that pages repeat many times, built in Python.

A Jinja macro call builds a new context and frame each time; a list of 20 entries called
`tag` and the review-state tags about a hundred times per page (about a millisecond of a
10 ms page). These produce the same HTML as the macros they replace, escaped the same way.
Templates keep importing them by their old names from `_macros/ui.html` and
`reviews/_macros.html`, which bind the names to these functions.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def tag(text, kind="") -> Markup:
    """A coloured label: `kind` is one of the stylesheet's tag colours."""
    if kind:
        return _markup(f'<strong class="tag tag--{escape(kind)}">{escape(text)}</strong>')
    return _markup(f'<strong class="tag">{escape(text)}</strong>')


def _markup(html: str) -> Markup:
    """Fixed tags around `escape`d values only. An f-string is the fastest way to write it
    (Markup's + runs Python code per part; Markup.format runs string.Formatter)."""
    return Markup(html)  # noqa: S704  # nosec B704


def status_tag(label) -> Markup:
    """A status label (anything with `.text` and `.colour`), or nothing for None."""
    if not label:
        return _markup("")
    return tag(label.text, label.colour)


def entry_review_tag(state) -> Markup:
    """An entry's review state as a tag, or nothing when it has none."""
    if not state:
        return _markup("")
    return status_tag(state.label)


__all__ = ["entry_review_tag", "status_tag", "tag"]
