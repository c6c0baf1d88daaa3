"""Links to many rows of the same kind, for the price of one `url_for`.

A list of 20 entries, a coverage grid of 25 competencies or a matrix of 600 candidates builds
a link per row; `url_for` matches the endpoint's rule and its defaults each time (about 15 µs).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

from .requests import MAX_ID


def id_links(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, **values, key=id)` for each of many ids, for the price of one call.

    The URL is built once with a marker number in place of the id and split around it, so it
    suits an <int:...> part of the route or a query argument. Built per request (templates
    call it where they use it), so the application's root and scheme are always this
    request's.
    """
    marker = str(MAX_ID)  # an id no row has
    head, tail = url_for(endpoint, **values, **{key: marker}).split(marker, 1)
    return lambda ident: f"{head}{int(ident)}{tail}"
