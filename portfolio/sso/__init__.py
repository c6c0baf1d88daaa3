"""Single sign-on through an OpenID Connect provider, beside (or instead of) local passwords."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views  # noqa: F401  (routes)
    from .blueprint import bp
    from .permissions import password_route_closed, sign_in_offer
    from .settings import check_settings

    check_settings(app)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(sso_offer=sign_in_offer)
    app.before_request(password_route_closed)
