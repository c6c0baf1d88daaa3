"""Authorization policy for consent routes, and the evidence routes of a consented photo.

The candidate alone records, flags and withdraws consent for their evidence; leads and admins
read the consent report. A photo showing under-18s, consented with wider scope and listed by a
saved "peers" entry in cohort A, opens for its author, cohort A's coach developer and the
author's peer group only: not for leads, admins, cross-cohort developers or anyone else.
"""

from tests.policy import MANAGERS, Route

AUTHOR = frozenset({"author"})
RESTRICTED_AUDIENCE = frozenset({"author", "developer", "peer"})
TITLE = "Consent policy under-13 sprint photo"
OBS_SECRET = "Consent policy: the under-17s warmed up well"


def setup(world):
    from portfolio.consent import services
    from tests.consent.builders import GIVEN_ON, consented, shared_photo
    from tests.factories import make_link_evidence

    world.consent_photo, _ = shared_photo(world.author, world.cohort, title=TITLE)
    consented(world.author, world.consent_photo, scope="wider")
    world.consent_pending, _ = shared_photo(world.author, world.cohort,
                                            title="Consent policy pending photo")
    services.flag_evidence(world.author, world.consent_pending)
    world.consent_unflagged = make_link_evidence(world.author, title="Consent policy clip")
    # An observation of the author's under-17 session, shared with peers, flagged with consent
    # for programme assessment only: the peer no longer reads it; the developer still does.
    from tests.observations.builders import make_observation

    world.consent_obs = make_observation(world, shared=True, strengths=OBS_SECRET)
    services.record_consent(world.author, services.flag_observation(world.author,
                                                                    world.consent_obs),
                            given_by="Policy Parent", relationship="carer",
                            given_on=GIVEN_ON, scope="assessment")
    world.consent_obs_plain = make_observation(world, strengths="Consent policy plain obs")
    # Flagged, consent not yet recorded: the page with the recording form.
    world.consent_obs_pending = make_observation(world, strengths="Consent policy pending obs")
    services.flag_observation(world.author, world.consent_obs_pending)


def _photo(suffix=""):
    return lambda w: f"/evidence/{w.consent_photo.id}{suffix}"


def _consent(name, suffix=""):
    return lambda w: f"/consent/evidence/{getattr(w, name).id}{suffix}"


def _obs(suffix="", name="consent_obs"):
    return lambda w: f"/consent/observations/{getattr(w, name).id}{suffix}"


def _title(w):
    return TITLE


def _report(suffix=""):
    return lambda w: f"/consent/report/cohorts/{w.cohort.id}{suffix}"


ROUTES = [
    # The consented photo on every evidence channel: the cohort's developer and peer group only.
    Route("evidence.detail", _photo(), RESTRICTED_AUDIENCE, secret=_title),
    Route("evidence.file", _photo("/file"), RESTRICTED_AUDIENCE),
    Route("evidence.download", _photo("/download"), RESTRICTED_AUDIENCE),
    Route("evidence.thumbnail", _photo("/thumbnail"), RESTRICTED_AUDIENCE),
    # Flagged, consent not yet recorded: nobody but the author.
    Route("evidence.detail", lambda w: f"/evidence/{w.consent_pending.id}", AUTHOR,
          secret=lambda w: "Consent policy pending photo"),
    Route("consent.evidence", _consent("consent_photo"), AUTHOR, secret=_title),
    Route("consent.evidence", _consent("consent_pending"), AUTHOR, method="POST",
          allowed_status=200, data=lambda w: {"given_by": "", "given_on": ""},
          notes="empty form: answered with the errors"),
    Route("consent.evidence", _consent("consent_pending"), AUTHOR,
          secret=lambda w: "Consent policy pending photo", notes="the recording form"),
    Route("consent.evidence_flag", _consent("consent_unflagged", "/flag"), AUTHOR, method="POST",
          allowed_status=302, redirect_to=_consent("consent_unflagged")),
    Route("consent.evidence_withdraw", _consent("consent_photo", "/withdraw"), AUTHOR,
          method="POST", allowed_status=302, redirect_to=_consent("consent_photo")),
    # The observation with assessment-only consent: its candidate, observer and the cohort's
    # developer; the peer it was shared with no longer reads it.
    Route("observations.show", lambda w: f"/observations/{w.consent_obs.id}",
          frozenset({"author", "developer"}), secret=lambda w: OBS_SECRET),
    Route("consent.observation", _obs(), AUTHOR, secret=lambda w: "Policy Parent"),
    Route("consent.observation", _obs(), AUTHOR, method="POST", allowed_status=200,
          data=lambda w: {"given_by": ""}, notes="consent already recorded: the page again"),
    Route("consent.observation", _obs("", "consent_obs_pending"), AUTHOR,
          secret=lambda w: "Consent policy pending obs", notes="the recording form"),
    Route("consent.observation_flag", _obs("/flag", "consent_obs_plain"), AUTHOR,
          method="POST", allowed_status=302, redirect_to=_obs("", "consent_obs_plain")),
    Route("consent.observation_withdraw", _obs("/withdraw"), AUTHOR, method="POST",
          allowed_status=302, redirect_to=_obs()),
    Route("consent.report_index", lambda w: "/consent/report", MANAGERS, denied_status=403),
    Route("consent.report", _report(), MANAGERS, denied_status=403, secret=_title),
    Route("consent.report_csv", _report("/consent.csv"), MANAGERS, denied_status=403),
]
