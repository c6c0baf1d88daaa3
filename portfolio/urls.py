"""Links to many rows of the same kind, for the price of one `url_for`.

A list of 20 entries, a coverage grid of 25 competencies or a matrix of 600 candidates builds
a link per row; `url_for` matches the endpoint's rule and its defaults each time (about 15 µs).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request, url_for

from .requests import MAX_ID


def id_links(endpoint: str, *keys: str, **values) -> Callable[..., str]:
    """`url_for(endpoint, **values, **dict(zip(keys, ids)))` for each of many rows, for the
    price of one call: `id_links("entries.show_entry", "entry_id")(7)`, or with two ids
    `id_links("reviews.candidate_progress_page", "cohort_id", "user_id")(3, 41)`.

    The URL is built once with a marker number in place of each id and split around them, so
    it suits <int:...> parts of the route and query arguments. Built per request (templates
    call it where they use it), so the application's root and scheme are always this
    request's. Each id must be an integer.
    """
    if not keys:
        raise TypeError("id_links needs the name of at least one id")
    markers = [str(MAX_ID - index) for index in range(len(keys))]  # ids no row has
    url = url_for(endpoint, **values, **dict(zip(keys, markers, strict=True)))
    # Where each marker sits, in the URL's order (a route may put the keys in any order).
    places = sorted((url.index(marker), index, marker) for index, marker in enumerate(markers))
    pieces, order, start = [], [], 0
    for position, index, marker in places:
        pieces.append(url[start:position])
        order.append(index)
        start = position + len(marker)
    tail = url[start:]
    if len(keys) == 1:
        head = pieces[0]
        return lambda ident: f"{head}{int(ident)}{tail}"

    def link(*idents) -> str:
        if len(idents) != len(keys):
            raise TypeError(f"expected {len(keys)} ids, got {len(idents)}")
        return "".join(f"{piece}{int(idents[index])}"
                       for piece, index in zip(pieces, order, strict=True)) + tail

    return link


def fixed_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)` for links every page repeats (the stylesheet, the header,
    the navigation), remembered per application root.

    A relative URL depends only on the endpoint, its values and where the application is
    mounted (the request's root), and the URL map never changes once the app is built.
    """
    key = (request.script_root, endpoint, *sorted(values.items()))
    known = current_app.extensions.setdefault("fixed_urls", {})
    url = known.get(key)
    if url is None:
        url = known[key] = url_for(endpoint, **values)
    return url
