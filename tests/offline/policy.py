"""Authorization policy for the offline routes.

The service worker and the manifest hold no personal data and are read before anyone signs in
(the browser fetches them itself), so everyone gets them. The outbox page is a frame the phone
fills from its own storage: every signed-in person has one; an anonymous visitor signs in.
"""

from tests.policy import EVERYONE, SIGNED_IN, Route, always

ROUTES = [
    Route("offline.service_worker", always("/sw.js"), EVERYONE),
    Route("offline.manifest", always("/manifest.webmanifest"), EVERYONE),
    Route("offline.outbox", always("/outbox"), SIGNED_IN),
]
