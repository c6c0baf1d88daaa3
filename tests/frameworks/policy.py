"""Authorization policy for framework routes.

Managers (leads and admins) do everything; members may read the published version their own
cohort uses (404 for any other version); everything else is behind the role gate (403).
Destructive routes target a published version, which refuses them the same way for each role.
"""

from tests.policy import CROSS_COHORT, Route, always, created

MANAGERS_ONLY = frozenset({"lead", "admin"})
MEMBERS_OF_A_COHORT_USING_IT = MANAGERS_ONLY | CROSS_COHORT | {
    "author", "peer", "outsider", "developer", "other_developer", "other_candidate"}


def setup(world):
    from tests.factories import competency, make_framework

    world.fw_unused = make_framework("Unused framework")
    world.fw_draft = make_framework("Draft framework", status="draft")
    world.fw_draft_area = world.fw_draft.areas[0]
    world.fw_draft_competency = competency(world.fw_draft, "VP1")
    world.fw_published_area = world.framework.areas[0]
    world.fw_published_competency = competency(world.framework, "VP1")


def _fw(world):
    return f"/frameworks/{world.framework.id}"


def _draft(world):
    return f"/frameworks/{world.fw_draft.id}"


def _manager_route(endpoint, url, method="GET", **extra):
    return Route(endpoint, url, MANAGERS_ONLY, method=method, denied_status=403, **extra)


def _get_and_post(endpoint, url, post_status=200, redirect_to=None):
    """The form page, and its POST with no data (the form again with its errors: 200)."""
    return [_manager_route(endpoint, url),
            _manager_route(endpoint, url, "POST", allowed_status=post_status,
                           redirect_to=redirect_to)]


ROUTES = [
    _manager_route("frameworks.index", always("/frameworks/")),
    *_get_and_post("frameworks.new", always("/frameworks/new")),
    *_get_and_post("frameworks.import_file", always("/frameworks/import")),
    Route("frameworks.detail", _fw, MEMBERS_OF_A_COHORT_USING_IT),
    Route("frameworks.detail", lambda w: f"/frameworks/{w.fw_unused.id}", MANAGERS_ONLY,
          secret=lambda w: "Unused framework", notes="a published version no cohort of theirs uses"),
    Route("frameworks.detail", _draft, MANAGERS_ONLY, secret=lambda w: "Draft framework"),
    # An empty post to an edit form goes back to the draft version.
    *_get_and_post("frameworks.edit", lambda w: _draft(w) + "/edit", 302, _draft),
    _manager_route("frameworks.publish", lambda w: _draft(w) + "/publish", "POST",
                   allowed_status=302, redirect_to=_draft),
    _manager_route("frameworks.retire", lambda w: _fw(w) + "/retire", "POST",
                   allowed_status=302, redirect_to=_fw),
    _manager_route("frameworks.new_version", lambda w: _fw(w) + "/new-version", "POST",
                   allowed_status=302, redirect_to=created("/frameworks/<id>")),
    # Refused for a published version: back to it.
    _manager_route("frameworks.delete", lambda w: _fw(w) + "/delete", "POST",
                   allowed_status=302, redirect_to=_fw),
    _manager_route("frameworks.confirm_step", lambda w: _draft(w) + "/publish"),
    _manager_route("frameworks.confirm_step", lambda w: _fw(w) + "/retire"),
    _manager_route("frameworks.confirm_step", lambda w: _draft(w) + "/delete"),
    _manager_route("frameworks.compare", lambda w: _fw(w) + "/diff"),
    _manager_route("frameworks.export_json", lambda w: _fw(w) + "/export.json"),
    _manager_route("frameworks.export_csv", lambda w: _fw(w) + "/export.csv"),
    *_get_and_post("frameworks.new_area", lambda w: _draft(w) + "/areas/new"),
    *_get_and_post("frameworks.edit_area",
                   lambda w: f"{_draft(w)}/areas/{w.fw_draft_area.id}/edit", 302, _draft),
    _manager_route("frameworks.delete_area",
                   lambda w: f"{_fw(w)}/areas/{w.fw_published_area.id}/delete", "POST",
                   allowed_status=302, redirect_to=_fw),
    _manager_route("frameworks.move_area",
                   lambda w: f"{_draft(w)}/areas/{w.fw_draft_area.id}/move", "POST",
                   allowed_status=302, redirect_to=_draft, data=lambda w: {"direction": "down"}),
    *_get_and_post("frameworks.new_competency", lambda w: _draft(w) + "/competencies/new"),
    *_get_and_post("frameworks.edit_competency",
                   lambda w: f"{_draft(w)}/competencies/{w.fw_draft_competency.id}/edit"),
    _manager_route("frameworks.delete_competency",
                   lambda w: f"{_fw(w)}/competencies/{w.fw_published_competency.id}/delete",
                   "POST", allowed_status=302, redirect_to=_fw),
    _manager_route("frameworks.move_competency",
                   lambda w: f"{_draft(w)}/competencies/{w.fw_draft_competency.id}/move",
                   "POST", allowed_status=302, redirect_to=_draft,
                   data=lambda w: {"direction": "down"}),
]
