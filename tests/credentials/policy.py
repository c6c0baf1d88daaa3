"""Authorization policy for credentials (see tests/policy.py).

The holder ("Hana Holder", completed in a cohort of her own) is no matrix role: every matrix role
is someone else, so her credential's files and "My credentials" answer 404 to all of them
(tests/credentials/test_pages.py shows the holder getting them). Checking a credential is public.
"""

from __future__ import annotations

import json

from tests.policy import EVERYONE, MANAGERS, Route


def setup(world):
    from tests.credentials.builders import completed_candidate

    world.cr = completed_candidate("Hana Holder", lead=world.lead)


def _credential(world, tail=""):
    return f"/credentials/{world.cr.credential.id}{tail}"


def _progress(world, tail=""):
    return f"/reviews/cohorts/{world.cr.cohort.id}/candidates/{world.cr.candidate.id}{tail}"


ROUTES = [
    # What any verifier fetches: the key, the issuer, the achievement and the revocation list.
    Route("credentials.did_document", lambda w: "/.well-known/did.json", EVERYONE),
    Route("credentials.jwks", lambda w: "/.well-known/jwks.json", EVERYONE),
    Route("credentials.issuer", lambda w: "/credentials/issuer", EVERYONE),
    Route("credentials.achievement", lambda w: (
        f"/credentials/achievements/{w.cr.cohort.year_id}/{w.cr.cohort.pathway_id}"), EVERYONE),
    Route("credentials.revocations", lambda w: "/credentials/revocations", EVERYONE),
    # A credential's public page, and the checker (no sign-in: an employer has no account).
    Route("credentials.public_page", _credential, EVERYONE),
    Route("credentials.verify", lambda w: "/credentials/verify", EVERYONE),
    Route("credentials.verify", lambda w: "/credentials/verify", EVERYONE, method="POST",
          allowed_status=200,
          data=lambda w: {"pasted": json.dumps(w.cr.credential.document)}),
    # The holder's own pages: nobody else, whatever their role.
    Route("credentials.mine", lambda w: "/credentials/mine", frozenset()),
    Route("credentials.download_json", lambda w: _credential(w, "/credential.json"),
          frozenset()),
    Route("credentials.download_png", lambda w: _credential(w, "/badge.png"), frozenset()),
    # Revoking a completion (and so its credential): programme leads and admins only.
    Route("reviews.revoke_completion", lambda w: _progress(w, "/completion/revoke"), MANAGERS,
          method="POST", denied_status=403, allowed_status=302, redirect_to=_progress,
          data=lambda w: {"reason": "Recorded before the final panel."}),
]
