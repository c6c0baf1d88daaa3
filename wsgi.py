"""WSGI entry point in a checkout: `gunicorn wsgi:app` (installed: `gunicorn 'portfolio.wsgi:app'`)."""

from portfolio.wsgi import app

__all__ = ["app"]
