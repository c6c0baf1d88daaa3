"""The authorization policy's seeded world, built once per test module and put back as needed.

The authorization matrix, the route fuzzer and the hostile-input tests all send requests to the
same world: every role of tests/policy.py and every object the tests/<feature>/policy.py URLs
name. Building it takes seconds, so a module builds it once, snapshots the database and the
file folders, and puts the snapshot back before a case whenever the previous case changed
anything (any SQL statement that is not a read, or a file added, changed or removed).
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import time
from pathlib import Path

from sqlalchemy import event

import tests
from portfolio.extensions import db
from tests.factories import add_member, make_scenario, make_user
from tests.security.fuzzing import Snapshot

# Statements that leave the data as it was: reads and transaction bookkeeping.
READ_ONLY_VERBS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT",
                   "SHOW", "SET ", "EXPLAIN")


def policy_modules():
    modules = []
    for info in pkgutil.iter_modules([str(Path(tests.__file__).parent)]):
        if not info.ispkg:
            continue
        try:
            modules.append(importlib.import_module(f"tests.{info.name}.policy"))
        except ModuleNotFoundError as error:
            if error.name != f"tests.{info.name}.policy":
                raise
    return modules


MODULES = policy_modules()
ROUTES = [route for module in MODULES for route in module.ROUTES]


def add_stale_sign_ins(world):
    """Add the roles whose sign-in went stale: deactivated accounts and a withdrawn member.

    Each is as strong as the author's peer (a candidate in the same peer group) before the
    change, so a stale check anywhere would let them read the author's "peers" objects.
    """
    from portfolio.admin.services import deactivate
    from portfolio.programmes.membership import change_status
    from portfolio.programmes.models import PeerGroupMember

    def group_peer(name):
        user = make_user(name=name)
        membership = add_member(world.cohort, user, developer=world.developer)
        db.session.add(PeerGroupMember(peer_group_id=world.peer_group.id,
                                       membership_id=membership.id))
        db.session.flush()
        return user, membership

    world.deactivated, _ = group_peer("Dee Activated")
    world.deactivated_cookie = world.deactivated.session_token  # the cookie from before
    deactivate(world.admin, world.deactivated)  # ends its sessions too
    # An account switched off without its session token rotating must be refused as well.
    world.deactivated_kept_token, _ = group_peer("Kit Keptoken")
    world.deactivated_kept_token_cookie = world.deactivated_kept_token.session_token
    world.deactivated_kept_token.active = False
    world.removed, membership = group_peer("Remy Removed")
    world.removed_cookie = world.removed.session_token
    change_status(world.lead, membership, "withdrawn")
    db.session.flush()


def add_cross_cohort_actors(world):
    """Add the people who share a cohort with the author, just not cohort A (tests/policy.py).

    Each is as close to the author as a role can be in their own cohort (their coach developer,
    a candidate in their peer group), so counting any shared cohort instead of the cohort an
    object belongs to would let them read everything the author shares in cohort A.
    """
    from datetime import date

    from tests.factories import make_cohort, make_peer_group, make_year

    def cohort(label, status, starts_on, names, author_status):
        year = make_year(label, status=status, starts_on=starts_on)
        place = make_cohort(year=year, framework=world.framework, name=f"Talent {label}")
        developer, candidate = (make_user(name=name) for name in names)
        add_member(place, developer, role="coach_developer")
        author = add_member(place, world.author, status=author_status, developer=developer)
        fellow = add_member(place, candidate, status="completed" if status == "closed"
                            else "active", developer=developer)
        make_peer_group(place, [author, fellow], f"Circle {label}")
        return place, author, developer, candidate

    (world.earlier_cohort, world.earlier_membership, world.earlier_developer,
     world.earlier_candidate) = cohort("Earlier year", "closed", date(2025, 9, 1),
                                       ("Eve Earlierdev", "Ezra Earliercand"), "deferred")
    (world.later_cohort, world.later_membership, world.later_developer,
     world.later_candidate) = cohort("Later year", "planning", date(2027, 9, 1),
                                     ("Lars Laterdev", "Lena Latercand"), "active")


def build_world():
    """Every role, and every object the policy URLs name; committed."""
    world = make_scenario()
    add_stale_sign_ins(world)
    add_cross_cohort_actors(world)
    for module in MODULES:
        setup = getattr(module, "setup", None)
        if setup:
            setup(world)
    db.session.commit()
    return world


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.exists():
        return {}
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


class WorldSnapshot(Snapshot):
    """The seeded database, upload and export folders, put back only after a change.

    Call `restore_if_changed()` before each case: it is a no-op while every request so far
    only read, so read-only cases share one world and each write case still starts from it.
    """

    def __init__(self, app, folder: Path):
        self.exports = Path(app.config["EXPORT_FOLDER"])
        super().__init__(app, folder)
        if self.exports.exists():
            shutil.copytree(self.exports, folder / "exports")
        self.writes = 0
        self.restores = 0
        event.listen(db.engine, "before_cursor_execute", self._note)
        self._mark_clean()

    def _note(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(READ_ONLY_VERBS):
            self.writes += 1

    def _files(self):
        return _listing(self.uploads), _listing(self.exports)

    def _mark_clean(self):
        self.writes = 0
        self.files = self._files()

    def changed(self) -> bool:
        return bool(self.writes) or self._files() != self.files

    def restore(self) -> None:
        super().restore()
        shutil.rmtree(self.exports, ignore_errors=True)
        if (self.folder / "exports").exists():
            shutil.copytree(self.folder / "exports", self.exports)
        self.restores += 1
        self._mark_clean()

    def restore_if_changed(self) -> None:
        if self.changed():
            self.restore()


class PolicySite:
    """One app serving the policy world for a whole test module.

    `prepare()` before each case puts the snapshot back if the last case changed anything, and
    builds the world anew once it is older than MAX_AGE: the app has rules that run on the
    clock (a comment may be edited for 15 minutes after it is posted), so a world seeded long
    ago would answer differently from a fresh one.
    """

    MAX_AGE = 10 * 60  # seconds, under the app's shortest clock rule

    def __init__(self, app, database_template, folder: Path, read):
        self.app, self.template, self.folder, self.read = app, database_template, folder, read
        self.snapshot: WorldSnapshot | None = None
        self.generation = 0
        self.build()

    def build(self) -> None:
        from portfolio.reference_data import ensure_reference_data
        from tests.conftest import fresh_database_uri

        db.session.remove()
        db.engine.dispose()
        if self.snapshot:
            event.remove(db.engine, "before_cursor_execute", self.snapshot._note)
        for key in ("UPLOAD_FOLDER", "EXPORT_FOLDER"):
            shutil.rmtree(self.app.config[key], ignore_errors=True)
        for suffix in ("-wal", "-shm"):
            (self.folder / f"test.sqlite{suffix}").unlink(missing_ok=True)
        fresh_database_uri(self.template, self.folder)  # the app's own database, emptied
        ensure_reference_data()
        self.data = self.read(build_world())
        db.session.remove()
        self.generation += 1
        snapshot_folder = self.folder / f"snapshot-{self.generation}"
        snapshot_folder.mkdir()
        self.snapshot = WorldSnapshot(self.app, snapshot_folder)
        self.built_at = time.monotonic()

    def prepare(self) -> None:
        if time.monotonic() - self.built_at > self.MAX_AGE:
            self.build()
        else:
            self.snapshot.restore_if_changed()
