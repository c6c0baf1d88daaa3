"""The service worker and manifest at the site root (so the worker's scope is the whole app),
and the outbox page that lists what this phone is waiting to send."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, send_from_directory, url_for
from flask_login import login_required

from .blueprint import bp

THEME_COLOUR = "#0b3d62"


@bp.route("/sw.js")
def service_worker():
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    # The browser checks for a new worker on each visit; the file holds no personal data.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def _icon(name: str, sizes: str, kind: str, purpose: str = "any") -> dict:
    return {"src": url_for("static", filename=f"img/{name}"), "sizes": sizes, "type": kind,
            "purpose": purpose}


@bp.route("/manifest.webmanifest")
def manifest():
    response = jsonify({
        "name": "Advanced Coach Portfolio",
        "short_name": "Coach Portfolio",
        "description": "Record observations and write entries at the track, even with no signal.",
        "id": "/",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            _icon("icon.svg", "any", "image/svg+xml"),
            _icon("icon-192.png", "192x192", "image/png"),
            _icon("icon-512.png", "512x512", "image/png"),
            _icon("icon-maskable.svg", "any", "image/svg+xml", "maskable"),
            _icon("icon-maskable-512.png", "512x512", "image/png", "maskable"),
        ],
    })
    response.headers["Content-Type"] = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/outbox")
@login_required
def outbox():
    return render_template("offline/outbox.html")
