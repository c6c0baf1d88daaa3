"""Authorization policy for showcase routes.

The author's showcase is shared with cohort A's coach developers and the author's peer group,
so exactly the author, the peer, the coach developer and the managers read it; only the author
builds it. Cross-cohort roles (a coach developer or candidate of an earlier or later cohort the
author belongs to) are admitted by neither choice. A live secret link opens the showcase to
anyone, signed in or not, and reaches only that showcase's files: not another showcase's item
(the peer's), not an item of its own without a stored file. Expired, revoked, malformed and
unknown tokens answer the same 404 to everyone.
"""

import re

from tests.policy import CROSS_COHORT_CANDIDATES, EVERYONE, Route

AUTHOR = frozenset({"author"})
CANDIDATES = frozenset({"author", "peer", "outsider", "other_candidate"}) | CROSS_COHORT_CANDIDATES
READERS = frozenset({"author", "peer", "developer", "lead", "admin"})
NOBODY = frozenset()
TITLE = "Policy showcase of starts"


def setup(world):
    from datetime import timedelta

    from portfolio.database import utcnow
    from portfolio.showcases import links
    from tests.showcases.builders import full_showcase

    showcase = full_showcase(world, title=TITLE, developers=True, peers=True)
    # Made while the author was in cohort A (they have since been carried into a later cohort,
    # which is where a showcase they start today would belong).
    showcase.cohort_id = world.cohort.id
    world.showcase = showcase
    world.showcase_photo_item = next(i for i in showcase.items if i.evidence_id == showcase.photo.id)
    world.showcase_clip_item = next(i for i in showcase.items if i.evidence_id == showcase.clip.id)
    world.showcase_heading = showcase.items[0]
    world.showcase_entry_item = showcase.items[1]
    other = full_showcase(world, owner=world.peer, title="Peer's private showcase")
    world.other_showcase_photo_item = next(i for i in other.items
                                           if i.evidence_id == other.photo.id)
    live, world.showcase_token = links.create_link(showcase, world.author, label="Club")
    world.showcase_link = live
    expired, world.showcase_expired_token = links.create_link(showcase, world.author,
                                                              label="Old", days=1)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    revoked, world.showcase_revoked_token = links.create_link(showcase, world.author,
                                                              label="Gone")
    links.revoke_link(revoked, world.author)


def _s(suffix=""):
    return lambda w: f"/showcases/{w.showcase.id}{suffix}"


def _build(w):
    return f"/showcases/{w.showcase.id}/build"


def _title(w):
    return TITLE


def _token(attribute, suffix=""):
    return lambda w: f"/s/{getattr(w, attribute)}{suffix}"


def _item(suffix):
    return lambda w: f"/showcases/{w.showcase.id}/items/{suffix(w)}"


def _lock(extra=None):
    # A fuzzed delete may have removed the showcase already: later requests then send no
    # version (and get the showcase's 404).
    return lambda w: {"lock_version": w.showcase.lock_version if w.showcase else ""} | (
        extra(w) if extra and w.showcase else {})


BUILD_ANCHORED = re.compile(r"/showcases/[0-9]+/build")
MALFORMED = ("not-a-token", "A" * 42, "A" * 44, "%2e%2e", "A" * 42 + "!")

ROUTES = [
    Route("showcases.index", lambda w: "/showcases/", EVERYONE - {"anonymous"}),
    Route("showcases.new", lambda w: "/showcases/new", CANDIDATES, denied_status=403),
    Route("showcases.new", lambda w: "/showcases/new", CANDIDATES, method="POST",
          denied_status=403, allowed_status=200, data=lambda w: {"title": ""},
          notes="no title: the form answers with an error"),
    Route("showcases.show", _s(), READERS, secret=_title),
    Route("showcases.build", _s("/build"), AUTHOR, secret=_title),
    Route("showcases.details", _s("/details"), AUTHOR, method="POST", allowed_status=302,
          redirect_to=_build, data=_lock(lambda w: {
              "title": TITLE, "introduction": "", "shared_with_developers": "y"})),
    Route("showcases.delete", _s("/delete"), AUTHOR, secret=_title),
    Route("showcases.delete", _s("/delete"), AUTHOR, method="POST", allowed_status=302,
          redirect_to="/showcases/", data=_lock()),
    Route("showcases.export", _s("/showcase.pdf"), AUTHOR),
    Route("showcases.export", _s("/showcase.zip"), AUTHOR),
    Route("showcases.item_file", lambda w: f"/showcases/{w.showcase.id}/files/"
          f"{w.showcase_photo_item.id}", READERS),
    Route("showcases.item_file", lambda w: f"/showcases/{w.showcase.id}/thumbnails/"
          f"{w.showcase_photo_item.id}", READERS),
    Route("showcases.item_file", lambda w: f"/showcases/{w.showcase.id}/files/"
          f"{w.other_showcase_photo_item.id}", NOBODY,
          notes="another showcase's item, asked for through this one"),
    Route("showcases.item_file", lambda w: f"/showcases/{w.showcase.id}/files/"
          f"{w.showcase_clip_item.id}", NOBODY, notes="an item with no stored file"),
    Route("showcases.add_item", _item(lambda w: "heading"), AUTHOR, method="POST",
          allowed_status=302, redirect_to=BUILD_ANCHORED,
          data=lambda w: {"heading-heading": "Policy heading",
                          "heading-lock_version": w.showcase.lock_version}),
    Route("showcases.add_item", _item(lambda w: "evidence"), AUTHOR, method="POST",
          allowed_status=200, data=lambda w: {"evidence-evidence": w.other_showcase_photo_item
                                              .evidence_id},
          notes="the peer's evidence: refused next to the field"),
    Route("showcases.edit_item", _item(lambda w: f"{w.showcase_heading.id}/text"), AUTHOR,
          method="POST", allowed_status=302, redirect_to=BUILD_ANCHORED,
          data=_lock(lambda w: {"heading": "Renamed"})),
    Route("showcases.move_item", _item(lambda w: f"{w.showcase_heading.id}/down"), AUTHOR,
          method="POST", allowed_status=302, redirect_to=BUILD_ANCHORED, data=_lock()),
    Route("showcases.remove_item", _item(lambda w: f"{w.showcase_heading.id}/remove"), AUTHOR,
          method="POST", allowed_status=302, redirect_to=_build, data=_lock()),
    Route("showcases.update_item", _item(lambda w: f"{w.showcase_entry_item.id}/update"),
          AUTHOR, method="POST", allowed_status=302, redirect_to=_build, data=_lock(),
          notes="already the latest version: refused with a message, back to the page"),
    Route("showcases.manage_links", _s("/links"), AUTHOR, secret=_title),
    Route("showcases.manage_links", _s("/links"), AUTHOR, method="POST", allowed_status=200,
          data=lambda w: {"label": "Employer", "days": "30"}),
    Route("showcases.revoke_link", lambda w: f"/showcases/{w.showcase.id}/links/"
          f"{w.showcase_link.id}/revoke", AUTHOR, method="POST", allowed_status=302,
          redirect_to=_s("/links")),
    Route("showcases.link_log", lambda w: f"/showcases/{w.showcase.id}/links/"
          f"{w.showcase_link.id}", AUTHOR, secret=_title),
    # What a secret link opens: anyone with a live token, signed in or not.
    Route("showcase_links.page", _token("showcase_token"), EVERYONE),
    Route("showcase_links.item_file", lambda w: f"/s/{w.showcase_token}/files/"
          f"{w.showcase_photo_item.id}", EVERYONE),
    Route("showcase_links.item_file", lambda w: f"/s/{w.showcase_token}/thumbnails/"
          f"{w.showcase_photo_item.id}", EVERYONE),
    Route("showcase_links.export", _token("showcase_token", "/showcase.pdf"), EVERYONE),
    Route("showcase_links.export", _token("showcase_token", "/showcase.zip"), EVERYONE),
    Route("showcase_links.item_file", lambda w: f"/s/{w.showcase_token}/files/"
          f"{w.other_showcase_photo_item.id}", NOBODY, anonymous_status=404,
          notes="a live link of showcase A asking for showcase B's file"),
    Route("showcase_links.item_file", lambda w: f"/s/{w.showcase_token}/files/"
          f"{w.showcase_clip_item.id}", NOBODY, anonymous_status=404,
          notes="an item of the showcase with no stored file"),
    Route("showcase_links.item_file", lambda w: f"/s/{w.showcase_token}/files/"
          f"{w.showcase.photo.id + 100000}", NOBODY, anonymous_status=404,
          notes="an item number that is in no showcase"),
    Route("showcase_links.page", _token("showcase_expired_token"), NOBODY,
          anonymous_status=404, secret=_title),
    Route("showcase_links.page", _token("showcase_revoked_token"), NOBODY,
          anonymous_status=404, secret=_title),
    Route("showcase_links.item_file", lambda w: f"/s/{w.showcase_revoked_token}/files/"
          f"{w.showcase_photo_item.id}", NOBODY, anonymous_status=404),
    Route("showcase_links.export", _token("showcase_expired_token", "/showcase.pdf"), NOBODY,
          anonymous_status=404),
    *[Route("showcase_links.page", (lambda bad: lambda w: f"/s/{bad}")(bad), NOBODY,
            anonymous_status=404) for bad in MALFORMED],
]
