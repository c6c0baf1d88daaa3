"""Authorization policy for admin routes: admins only; everyone else signed in gets 403."""

from tests.policy import Route, always, created

ADMINS = frozenset({"admin"})


def setup(world):
    from tests.factories import make_user

    world.admin_target = make_user(name="Target Person")


def _user(world):
    return f"/admin/users/{world.admin_target.id}"


ROUTES = [
    Route("admin.users", always("/admin/users"), ADMINS, denied_status=403),
    Route("admin.invite", always("/admin/users/invite"), ADMINS, denied_status=403),
    Route("admin.invite", always("/admin/users/invite"), ADMINS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=created("/admin/users/<id>"),
          data=lambda w: {"email": "new.person@example.test"}),
    Route("admin.user_detail", _user, ADMINS, denied_status=403,
          secret=lambda w: w.admin_target.email),
    Route("admin.change_role", lambda w: _user(w) + "/roles", ADMINS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_user,
          data=lambda w: {"role": "programme_lead", "action": "grant"}),
    Route("admin.deactivate", lambda w: _user(w) + "/deactivate", ADMINS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_user),
    Route("admin.reactivate", lambda w: _user(w) + "/reactivate", ADMINS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_user),
    Route("admin.resend_invitation", lambda w: _user(w) + "/resend-invitation", ADMINS,
          method="POST", denied_status=403, allowed_status=302, redirect_to=_user),
    Route("admin.confirm_role", lambda w: _user(w) + "/roles/admin/grant", ADMINS,
          denied_status=403, secret=lambda w: "Make Target Person an admin?"),
    Route("admin.confirm_deactivate", lambda w: _user(w) + "/deactivate", ADMINS,
          denied_status=403),
    Route("admin.edit_details", lambda w: _user(w) + "/details", ADMINS, denied_status=403,
          secret=lambda w: w.admin_target.email),
    Route("admin.edit_details", lambda w: _user(w) + "/details", ADMINS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_user,
          data=lambda w: {"display_name": "Target Person", "email": w.admin_target.email}),
    Route("admin.send_reset", lambda w: _user(w) + "/send-reset", ADMINS, method="POST",
          denied_status=403, allowed_status=302, redirect_to=_user),
]
