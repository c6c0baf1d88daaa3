"""Authorization policy for the personal data pages."""

from tests.policy import SIGNED_IN, Route, always

ADMINS = frozenset({"admin"})


def setup(world):
    from tests.factories import make_user

    world.erase_target = make_user(name="Erin Erasable")


def _erase(world):
    return f"/privacy/erase/{world.erase_target.id}"


ROUTES = [
    Route("privacy.my_data", always("/privacy/my-data"), SIGNED_IN),
    # Everyone signed in downloads their own data; nobody can name someone else's.
    Route("privacy.download_my_data", always("/privacy/my-data/download"), SIGNED_IN,
          method="POST", allowed_status=200),
    Route("privacy.erase", _erase, ADMINS, denied_status=403,
          secret=lambda w: w.erase_target.email),
    # A wrong confirmation re-shows the form: nothing is erased by the matrix run.
    Route("privacy.erase", _erase, ADMINS, method="POST", denied_status=403, allowed_status=200,
          data=lambda w: {"confirmation": "not-the-address@example.test"},
          secret=lambda w: w.erase_target.email),
]
