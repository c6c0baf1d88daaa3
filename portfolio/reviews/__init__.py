"""Peer learning and sign-off: comments, review requests, sign-offs, progress, dashboard.

Other features import `portfolio.reviews.progress` and `.models` from inside their own package
imports, so this package stays import-light: the blueprint (and with it every view, service
and hook) loads only when the app factory asks for `bp`.
"""


def __getattr__(name):
    if name == "bp":
        from .blueprint import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
