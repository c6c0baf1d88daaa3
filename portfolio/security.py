"""Response headers and redirect-target checks applied across the whole app."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def set_security_headers(response, https: bool):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" and "Cache-Control" not in headers:
        # Pages carry personal data: keep them out of shared and back-button caches.
        headers["Cache-Control"] = "no-store"
    return response


def is_safe_redirect(target: str | None) -> bool:
    """Accept only site-relative paths, never another host or scheme (`//x`, `/\\x`, `http:`)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\r\n\t\\"):
        return False
    parts = urlsplit(target)
    return parts.scheme == "" and parts.netloc == ""


def safe_next(default: str) -> str:
    """Return the `next` argument if it stays on this site, otherwise `default`."""
    target = request.values.get("next")
    return target if is_safe_redirect(target) else default
