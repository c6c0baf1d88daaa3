"""The QR code of a sign-off address, drawn on the server as inline SVG (no script, no CDN)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(address: str) -> Markup:
    """An SVG QR code of `address`, hidden from screen readers (the page prints the address)."""
    svg = segno.make(address, error="m").svg_inline(
        scale=6, border=4, light="#fff", svgclass="quick-sign-qr")
    # Only our own address is drawn: the markup holds nothing a person typed.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # noqa: S704  # nosec B704
