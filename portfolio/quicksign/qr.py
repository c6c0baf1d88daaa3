"""The QR code of a sign-off address, drawn on the server as inline SVG (no script, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass

import segno

QUIET_ZONE = 4  # modules of white around the code, as scanners expect


@dataclass(frozen=True)
class QrDrawing:
    """What templates/quicksign/_qr.html draws: the side in modules and one path of squares."""

    size: int
    path: str


def qr_drawing(address: str) -> QrDrawing:
    """The dark modules of the address's QR code as one SVG path (only digits and letters, so
    the template needs no Markup: autoescaping leaves it as it is)."""
    matrix = segno.make(address, error="m").matrix
    squares = [f"M{x + QUIET_ZONE} {y + QUIET_ZONE}h1v1h-1z"
               for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark]
    return QrDrawing(size=len(matrix) + 2 * QUIET_ZONE, path="".join(squares))
