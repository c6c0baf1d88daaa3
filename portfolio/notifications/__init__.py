"""In-app notifications (with email by each person's preference) and the header badge.

Import-light for the same reason as `portfolio.reviews`: the blueprint loads on demand.
"""


def __getattr__(name):
    if name == "bp":
        from .blueprint import bp

        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
