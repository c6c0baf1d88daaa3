"""The one download helper (portfolio/downloads.py): Werkzeug's send_file, named per RFC 6266."""

from __future__ import annotations

import pytest

from portfolio.downloads import send_download

NAME = "Séance d’entraînement – Zoë.csv"
ENCODED = "S%C3%A9ance%20d%E2%80%99entra%C3%AEnement%20%E2%80%93%20Zo%C3%AB.csv"


@pytest.mark.parametrize("kind", ["bytes", "path", "stream"])
def test_a_non_ascii_name_arrives_exactly_with_an_ascii_fallback(app, tmp_path, kind):
    body = "name\r\nAmélie\r\n".encode()
    path = tmp_path / "stored.csv"
    path.write_bytes(body)
    source = {"bytes": body, "path": path,
              "stream": iter(["name\r\n", "Amélie\r\n"])}[kind]
    with app.test_request_context("/"):
        response = send_download(source, NAME, "text/csv; charset=utf-8")
        response.direct_passthrough = False
        assert response.get_data() == body
    disposition = response.headers["Content-Disposition"]
    assert disposition == (f'attachment; filename="Seance d_entrainement _ Zoe.csv"; '
                           f"filename*=UTF-8''{ENCODED}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    if kind != "stream":
        assert response.content_length == len(body)


def test_a_name_that_could_split_the_header_is_made_harmless(app):
    with app.test_request_context("/"):
        response = send_download(b"%PDF-1.4", 'a"b;c.pdf', "application/pdf", inline=True)
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%3Bc.pdf")
