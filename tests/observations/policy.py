"""Authorization policy for the observation routes.

An observation is read by its candidate, its observer and the coach developers of the cohort
it was recorded in, and by the candidate's peer group once the candidate shares it. Nobody
else: a lead, an admin, a cohort-mate outside the peer group, and coach developers and peers
of an earlier or later cohort of the same candidate get a 404. Templates are the leads'.
"""

from tests.policy import MANAGERS, SIGNED_IN, Route, created

SECRET = "Athletes repeated the cue back on every rep"
SHARED_SECRET = "Shared: the warm-up ran to time"


def setup(world):
    from portfolio.observations import templates
    from tests.observations.builders import default_template, make_observation

    world.ob_template = default_template(world.framework)
    world.ob_obs = make_observation(world, strengths=SECRET)
    world.ob_shared = make_observation(world, shared=True, strengths=SHARED_SECRET)
    world.ob_draft = templates.create_template(world.lead, world.framework, templates.TemplateDraft(
        name="Indoor season observation", structure="## Warm-up\n- Warm-up is progressive [VP1]",
        scale="Not yet\nSecure"))


def _obs(name, tail=""):
    return lambda w: f"/observations/{getattr(w, name).id}{tail}"


def _template(name, tail=""):
    return lambda w: f"/observations/templates/{getattr(w, name).id}{tail}"


def _record_url(w):
    return f"/observations/new/{w.cohort.id}/{w.author.id}"


def _record_data(w):
    from tests.observations.builders import form_data

    return form_data(w.ob_template)


def _edit_data(w):
    from tests.observations.builders import form_data

    return form_data(w.ob_template, lock_version=str(w.ob_obs.lock_version),
                     strengths="Edited: calmer cues.")


def _template_data(w):
    return {"framework": str(w.framework.id), "name": "Throws session observation",
            "structure": "## Safety\n- The throwing area is controlled [VP1]",
            "scale": "Not yet\nDeveloping\nSecure"}


def _edit_template_data(w):
    return _template_data(w) | {"lock_version": str(w.ob_draft.lock_version),
                                "name": "Indoor season observation"}


OBSERVED = frozenset({"author", "developer"})
SHARED = OBSERVED | {"peer"}

ROUTES = [
    Route("observations.index", lambda w: "/observations/", SIGNED_IN),
    Route("observations.show", _obs("ob_obs"), OBSERVED, secret=lambda w: SECRET),
    Route("observations.show", _obs("ob_shared"), SHARED, secret=lambda w: SHARED_SECRET),
    Route("observations.edit", _obs("ob_obs", "/edit"), frozenset({"developer"}),
          secret=lambda w: SECRET),
    Route("observations.edit", _obs("ob_obs", "/edit"), frozenset({"developer"}),
          method="POST", allowed_status=302, redirect_to=_obs("ob_obs"), data=_edit_data),
    Route("observations.share", _obs("ob_obs", "/share"), frozenset({"author"}),
          method="POST", allowed_status=302, redirect_to=_obs("ob_obs"),
          data=lambda w: {"shared": "1"}),
    Route("observations.reflect", _obs("ob_obs", "/reflect"), frozenset({"author"}),
          method="POST", allowed_status=302,
          redirect_to=created("/portfolio/entries/<id>/edit")),
    # The peer group may record on the session template (it allows peers); the cohort-mate
    # outside the group, and every other cohort's people, may not.
    Route("observations.record", _record_url, frozenset({"developer", "peer"})),
    Route("observations.record", _record_url, frozenset({"developer", "peer"}),
          method="POST", allowed_status=302, redirect_to=created("/observations/<id>"),
          data=_record_data),
    Route("observations.templates", lambda w: "/observations/templates", MANAGERS,
          denied_status=403),
    Route("observations.new_template", lambda w: "/observations/templates/new", MANAGERS,
          denied_status=403),
    Route("observations.new_template", lambda w: "/observations/templates/new", MANAGERS,
          method="POST", denied_status=403, allowed_status=302,
          redirect_to=created("/observations/templates/<id>"), data=_template_data),
    Route("observations.template", _template("ob_template"), MANAGERS, denied_status=403),
    Route("observations.edit_template", _template("ob_draft", "/edit"), MANAGERS,
          denied_status=403),
    Route("observations.edit_template", _template("ob_draft", "/edit"), MANAGERS,
          method="POST", denied_status=403, allowed_status=302,
          redirect_to=_template("ob_draft"), data=_edit_template_data),
    Route("observations.publish_template", _template("ob_draft", "/publish"), MANAGERS,
          method="POST", denied_status=403, allowed_status=302,
          redirect_to=_template("ob_draft")),
    Route("observations.new_template_version", _template("ob_template", "/new-version"),
          MANAGERS, method="POST", denied_status=403, allowed_status=302,
          redirect_to=created("/observations/templates/<id>")),
]
