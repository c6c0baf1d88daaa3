"""WSGI entry point of the installed package: `gunicorn 'portfolio.wsgi:app'` from any directory."""

from . import create_app

app = create_app()
