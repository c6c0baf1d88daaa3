"""Who may read and change a showcase.

The owner reads and edits their own (a locked copy is read only). Others read a showcase only
through relations inside the cohort it was made in (`Showcase.cohort_id`), like an entry:
"shared with coach developers" admits that cohort's coach developers of the owner (and the
programme leads and admins, who manage every cohort), "shared with my peer group" admits the
owner's peer group there. A coach developer or a candidate of an earlier or later cohort the
owner also belongs to is admitted by neither.

Other features admit more readers without this module knowing them: they append a predicate
`fn(user, showcase) -> bool` to `extra_readers` (e.g. the members of the review panel a locked
copy was submitted to).
"""

from __future__ import annotations

from collections.abc import Callable

from ..programmes.access import relations_to
from .models import Showcase

extra_readers: list[Callable[[object, Showcase], bool]] = []


def is_owner(user, showcase: Showcase) -> bool:
    return bool(user and user.is_authenticated and showcase.owner_id == user.id)


def sharing_audience(showcase: Showcase) -> set[str]:
    """The relations (programmes/access.py) the showcase's two sharing choices admit."""
    audience: set[str] = set()
    if showcase.shared_with_developers:
        audience |= {"manager", "developer"}
    if showcase.shared_with_peers:
        audience.add("peer")
    return audience


def can_read_showcase(user, showcase: Showcase) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_owner(user, showcase):
        return True
    audience = sharing_audience(showcase)
    if audience and audience & relations_to(user, showcase.owner_id, showcase.cohort_id):
        return True
    return any(reader(user, showcase) for reader in extra_readers)


def can_edit_showcase(user, showcase: Showcase) -> bool:
    """The owner, while the showcase is not a locked (submitted) copy."""
    return is_owner(user, showcase) and not showcase.is_locked
