"""Files for signed-in readers of a showcase: only those of its own evidence items."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user, login_required

from ..database import get_or_404
from . import queries
from .blueprint import bp
from .files import PATHS, VARIANT_OF, send_item_file
from .models import Showcase
from .permissions import can_read_showcase


def reader_file_url(showcase: Showcase):
    """`file_url(item, variant)` for the body partial, for a signed-in reader."""
    def file_url(item, variant: str) -> str:
        return url_for("showcases.item_file", showcase_id=showcase.id, item_id=item.id,
                       kind=PATHS[variant])
    return file_url


@bp.route("/<int:showcase_id>/<any(files, thumbnails):kind>/<int:item_id>")
@login_required
def item_file(showcase_id, kind, item_id):
    showcase = get_or_404(Showcase, showcase_id,
                          visible=lambda s: can_read_showcase(current_user, s))
    item = queries.evidence_item(showcase, item_id)
    if item is None:
        abort(404)
    return send_item_file(item, VARIANT_OF[kind])
