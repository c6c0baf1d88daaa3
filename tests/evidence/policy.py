"""Authorization policy for evidence routes.

The photo belongs to the author and is listed by a saved "peers" entry, so exactly the
entry's audience may open it; managing the library and an entry's evidence is the author's.
"""

from tests.policy import CROSS_COHORT_CANDIDATES, Route

CANDIDATES = frozenset({"author", "peer", "outsider", "other_candidate"}) | CROSS_COHORT_CANDIDATES
AUTHOR = frozenset({"author"})
PEERS_AUDIENCE = frozenset({"author", "peer", "developer", "lead", "admin"})


def setup(world):
    from portfolio.evidence import services
    from tests.evidence.builders import image_bytes, upload
    from tests.factories import make_entry, make_link_evidence

    photo = services.upload_file(world.author, upload("policy.png", image_bytes("PNG")),
                                 title="Policy hurdles photo").evidence
    world.evidence_photo = photo
    world.evidence_entry = make_entry(world.author, cohort=world.cohort, privacy="peers",
                                      title="Policy entry", evidence=[photo])
    world.evidence_spare = make_link_evidence(world.author, title="Policy spare clip")
    from portfolio.evidence import resumable

    world.upload_token = resumable.start(world.author, filename="policy clip.mp4", size=1000,
                                         sha256="e" * 64).token


def _photo(suffix=""):
    return lambda w: f"/evidence/{w.evidence_photo.id}{suffix}"


def _entry(suffix):
    return lambda w: f"/evidence/entry/{w.evidence_entry.id}{suffix}"


def _title(w):
    return "Policy hurdles photo"


ROUTES = [
    Route("evidence.library", lambda w: "/evidence/", CANDIDATES, denied_status=403),
    Route("evidence.upload", lambda w: "/evidence/upload", CANDIDATES, denied_status=403),
    Route("evidence.upload", lambda w: "/evidence/upload", CANDIDATES, method="POST",
          denied_status=403, allowed_status=200,
          notes="no file chosen: the form answers with an error"),
    Route("evidence.add_link", lambda w: "/evidence/links/new", CANDIDATES, denied_status=403),
    Route("evidence.add_link", lambda w: "/evidence/links/new", CANDIDATES, method="POST",
          denied_status=403, allowed_status=200, data=lambda w: {"title": "", "url": ""}),
    Route("evidence.detail", _photo(), PEERS_AUDIENCE, secret=_title),
    Route("evidence.file", _photo("/file"), PEERS_AUDIENCE),
    Route("evidence.download", _photo("/download"), PEERS_AUDIENCE),
    Route("evidence.thumbnail", _photo("/thumbnail"), PEERS_AUDIENCE),
    Route("evidence.edit", _photo("/edit"), AUTHOR, secret=_title),
    Route("evidence.edit", _photo("/edit"), AUTHOR, method="POST", allowed_status=302,
          redirect_to=_photo(),
          data=lambda w: {"title": "Policy hurdles photo", "description": ""}),
    Route("evidence.confirm_delete", lambda w: f"/evidence/{w.evidence_spare.id}/delete",
          AUTHOR),
    Route("evidence.delete", lambda w: f"/evidence/{w.evidence_spare.id}/delete", AUTHOR,
          method="POST", allowed_status=302, redirect_to="/evidence/"),
    Route("evidence.attach_page", _entry("/attach"), AUTHOR, secret=lambda w: "Policy entry"),
    Route("evidence.attach", _entry("/attach"), AUTHOR, method="POST", allowed_status=302,
          redirect_to=_entry("/attach"),
          data=lambda w: {"evidence_id": w.evidence_spare.id}),
    Route("evidence.detach", _entry("/detach"), AUTHOR, method="POST", allowed_status=302,
          redirect_to=_entry("/attach"),
          data=lambda w: {"evidence_id": w.evidence_photo.id}),
    Route("evidence.upload_to_entry", _entry("/upload"), AUTHOR, method="POST", allowed_status=200,
          notes="no file chosen: the form answers with an error"),
    # Resumable uploads (tus): the matrix sends no Tus-Resumable header, so allowed roles get
    # 412; anybody but the session's owner gets 404 for it.
    Route("evidence.start_upload", lambda w: "/evidence/uploads", CANDIDATES, method="POST",
          denied_status=403, allowed_status=412),
    *[Route("evidence.upload_session", lambda w: f"/evidence/uploads/{w.upload_token}", AUTHOR,
            method=method, allowed_status=412) for method in ("HEAD", "PATCH", "DELETE")],
]
